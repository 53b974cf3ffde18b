#!/usr/bin/env bash
# guest-selftests.sh OUTDIR: inside the VM, run test_progs on the tests of
# config/selftests (minus ci/DENYLIST), logging to OUTDIR/test_progs.log,
# then the operator recipe's test (ops/test-splicectl) to OUTDIR/recipe.log.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
cd "$top/build/selftests" || exit 1
args=()
while read -r t; do args+=(-a "$t"); done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$top/config/selftests")
while read -r t _; do args+=(-d "$t"); done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$top/ci/DENYLIST")
timeout -k 10 "${SELFTESTS_TIMEOUT:-2400}" ./test_progs "${args[@]}" 2>&1 | tee "$out/test_progs.log"
rc=${PIPESTATUS[0]}
timeout -k 10 600 "$top/ops/test-splicectl" 2>&1 | tee "$out/recipe.log"
[ "${PIPESTATUS[0]}" = 0 ] || rc=1
exit "$rc"
