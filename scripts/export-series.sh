#!/usr/bin/env bash
# Export the tree's series (base..series) into patches/ with its cover
# letter, or with --check compare a fresh export against patches/ and fail
# on any difference. Dates and identity come from the commits, so the same
# commits always give byte-identical files.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no tree at $TREE (make tree)"
if [ -n "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
	die "$TREE has uncommitted changes: commit them first"
fi
[ "$(git -C "$TREE" rev-parse --abbrev-ref HEAD)" = series ] ||
	die "$TREE is not on branch series (rebase in progress?)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

last=$(git -C "$TREE" log -1 --format='%aI' series)
GIT_COMMITTER_DATE=$last \
GIT_COMMITTER_NAME=$(git -C "$TREE" log -1 --format='%an' series) \
GIT_COMMITTER_EMAIL=$(git -C "$TREE" log -1 --format='%ae' series) \
	git -C "$TREE" -c core.abbrev=12 format-patch -q --zero-commit --base=base \
		--cover-letter --cover-from-description=subject \
		--subject-prefix="PATCH bpf-next v3" -o "$tmp/out" base..series
(cd "$tmp/out" && ls -- *.patch | grep -v '^0000-cover-letter.patch$') \
	> "$tmp/out/series"

if [ "${1:-}" = --check ]; then
	if ! diff -ru "$TOP/patches" "$tmp/out" >"$tmp/diff"; then
		head -50 "$tmp/diff"
		die "patches/ differs from a fresh export of the tree"
	fi
	info "patches/ is identical to a fresh export ($(wc -l <"$tmp/out/series") patches)"
	exit 0
fi

rm -f "$TOP"/patches/*.patch "$TOP/patches/series"
cp "$tmp"/out/* "$TOP/patches/"
info "exported $(wc -l <"$TOP/patches/series") patches + cover letter to patches/"
