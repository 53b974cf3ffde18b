#!/usr/bin/env bash
# scan-splats.sh LOG [KMEMLEAK]: print every kernel splat found in LOG
# (and any leak in the kmemleak report) and fail if there was one.
. "$(dirname "$0")/lib.sh"

log=$1 leaks=${2:-}
pat=$(grep -v -e '^#' -e '^$' "$TOP/ci/splat-patterns" | paste -sd'|')
found=0
if grep -E -n "$pat" "$log" >/tmp/splats.$$ 2>/dev/null; then
	echo "kernel splats in $log:"
	head -40 /tmp/splats.$$ | sed 's/^/    /'
	found=1
fi
rm -f /tmp/splats.$$
if [ -n "$leaks" ] && [ -s "$leaks" ]; then
	echo "kmemleak reports leaks ($leaks):"
	head -40 "$leaks" | sed 's/^/    /'
	found=1
fi
exit $found
