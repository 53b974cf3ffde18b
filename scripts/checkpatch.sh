#!/usr/bin/env bash
# checkpatch.sh PATCH: the tree's checkpatch.pl --strict on one patch file.
# Two checks are left out. FILE_PATH_CHANGES ("does MAINTAINERS need
# updating?") is done here instead: every file the patch adds must have a
# maintainer in the tree's MAINTAINERS (the series adds its own entry).
# UNKNOWN_COMMIT_ID needs upstream's history, which a tree made from a
# release tarball does not have: Fixes: tags are checked by hand.
. "$(dirname "$0")/lib.sh"

patch=$(realpath "$1")
# spdxcheck.py needs Debian's python3 and python3-ply, not another one
# that may come first in PATH.
PATH=/usr/bin:$PATH "$TREE/scripts/checkpatch.pl" --strict --quiet \
	--no-tree --ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID "$patch" || exit 1

rc=0
while read -r f; do
	if ! (cd "$TREE" && ./scripts/get_maintainer.pl --no-git --no-rolestats \
		--nol --nor -f "$f") | grep -q '@'; then
		echo "ERROR: $f has no maintainer in MAINTAINERS"
		rc=1
	fi
done < <(sed -n 's|^+++ b/||p' "$patch" | while read -r f; do
	grep -q "^diff --git a/$f b/$f" "$patch" &&
	grep -A1 "^diff --git a/$f b/$f" "$patch" | grep -q '^new file' && echo "$f"
done)
exit $rc
