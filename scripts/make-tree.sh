#!/usr/bin/env bash
# Materialise the tree: clone the cached base, then "git am" our series on
# branch "series". Any patch that does not apply stops here, loudly.
# The cover letter's subject and text become the branch description, so
# "make export" writes the same cover letter back.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/fetch-base.sh"

# Never throw away work that was not exported.
if [ -d "$TREE/.git/rebase-apply" ] && [ "${FORCE:-0}" != 1 ]; then
	die "a git am stopped in $TREE (a patch did not apply): resolve it and export (make export), or re-run with FORCE=1 to start again from patches/"
elif [ -d "$TREE/.git" ] && [ "${FORCE:-0}" != 1 ] &&
   [ "$(git -C "$TREE" rev-parse -q --verify base)" = "$BASE_COMMIT" ] &&
   ! "$TOP/scripts/export-series.sh" --check >/dev/null 2>&1; then
	die "$TREE holds work that is not in patches/: export it (make export) or re-run with FORCE=1 to discard it"
fi

stage "materialising tree in $TREE"
rm -rf "$TREE"
mkdir -p "$BUILD"
git clone -q --no-checkout "$BASE_REPO" "$TREE"
git -C "$TREE" remote remove origin
git -C "$TREE" checkout -q --detach "$BASE_COMMIT"
git -C "$TREE" branch -q -D base
git -C "$TREE" tag base "$BASE_COMMIT"
git -C "$TREE" checkout -q -b series base

cover=$TOP/patches/0000-cover-letter.patch
if [ -f "$cover" ]; then
	git -C "$TREE" config branch.series.description \
		"$("$TOP/scripts/cover-letter.sh" extract "$cover")"
fi

# git am commits: a fresh machine has no identity configured.
export GIT_COMMITTER_NAME=tcp-splice GIT_COMMITTER_EMAIL=tcp-splice@localhost
n=0
while read -r p; do
	n=$((n + 1))
	info "applying $p"
	git -C "$TREE" am -q --3way --keep-cr "$TOP/patches/$p" ||
		die "patch $n ($p) does not apply on base $DEB_VERSION; see 'git -C $TREE am --show-current-patch=diff'"
done < <(series_files)
info "tree at $(git -C "$TREE" rev-parse --short HEAD): base + $n patches"
