#!/usr/bin/env bash
# build-ss.sh: build/ops/ss, iproute2's ss with our patches
# (ops/iproute2/*.patch: the INET_DIAG_TCP_SPLICE attribute, printed by
# "ss -i" as " splice:(...)"). The pinned source package
# (ops/iproute2/iproute2.lock) is downloaded and verified once, unpacked
# as a git repository with a "base" commit of fixed identity and built
# there, outside the clone ($CACHE/iproute2-VERSION): a rerun rebuilds only
# what changed. Ends with ops/iproute2/check-ss-splice on the result.
. "$(dirname "$0")/lib.sh"

# shellcheck source=../ops/iproute2/iproute2.lock
. "$TOP/ops/iproute2/iproute2.lock"
upstream=${IPROUTE2_VERSION%-*}
files=("iproute2_$IPROUTE2_VERSION.dsc:$IPROUTE2_DSC_SHA256"
       "iproute2_$upstream.orig.tar.xz:$IPROUTE2_ORIG_SHA256"
       "iproute2_$IPROUTE2_VERSION.debian.tar.xz:$IPROUTE2_DEBIAN_SHA256")
src=$CACHE/iproute2-$IPROUTE2_VERSION
patches=("$TOP"/ops/iproute2/*.patch)
out=$BUILD/ops

verified()
{
	local f

	for f in "${files[@]}"; do
		echo "${f#*:}  $CACHE/${f%%:*}" | sha256sum -c --status 2>/dev/null ||
			return 1
	done
}

# apt-get with a private deb-src list for the suite this machine already
# takes bookworm from: the host's apt configuration is left alone.
apt_src()
{
	local d=$CACHE/apt-src uri

	# shellcheck disable=SC2016 # $(REPO_URI) is apt's, not the shell's
	uri=$(apt-get indextargets --format '$(REPO_URI)' "Codename: $IPROUTE2_CODENAME" \
		'Origin: Debian' 'Component: main' 'Identifier: Packages' | head -1)
	[ -n "$uri" ] || die "no Debian $IPROUTE2_CODENAME in this machine's apt sources"
	mkdir -p "$d/lists/partial" "$d/cache"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $IPROUTE2_CODENAME main" \
		>"$d/sources.list"
	apt-get -o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts=- \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache" "$@" 2>&1 |
		grep -v 'unsandboxed as root' || true
}

mkdir -p "$CACHE" "$out"
exec 9>"$CACHE/.lock-iproute2"
flock 9

if [ ! -f "$src/.git/tcp-splice-ok" ]; then
	if ! verified; then
		stage "fetching iproute2 $IPROUTE2_VERSION (source)"
		apt_src update -qq
		(cd "$CACHE" && apt_src source -qq --download-only \
			"iproute2=$IPROUTE2_VERSION")
		verified ||
			die "iproute2 $IPROUTE2_VERSION: missing or checksum mismatch in $CACHE (ops/iproute2/iproute2.lock)"
	fi
	stage "unpacking iproute2 into $src"
	rm -rf "$src.tmp"
	# --no-check: the three files' sha256 are pinned, checked above
	dpkg-source -q --no-check -x "$CACHE/iproute2_$IPROUTE2_VERSION.dsc" "$src.tmp" >/dev/null
	commit_pristine "$src.tmp" "base: iproute2 $IPROUTE2_VERSION" \
		"$IPROUTE2_BASE_COMMIT"
	rm -rf "$src" && mv "$src.tmp" "$src"
	touch "$src/.git/tcp-splice-ok"
fi

# Our patches on base, again only when they changed (the build outputs,
# ignored by iproute2's .gitignore, stay: make rebuilds what they touch).
want=$(cat "${patches[@]}" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$src/.git/tcp-splice-patches" 2>/dev/null)" != "$want" ]; then
	stage "applying ops/iproute2 (${#patches[@]} patches) to iproute2 $IPROUTE2_VERSION"
	rm -f "$src/.git/tcp-splice-patches"
	git -C "$src" am --abort >/dev/null 2>&1 || true
	git -C "$src" checkout -q -f -B splice base
	GIT_COMMITTER_NAME=base GIT_COMMITTER_EMAIL=base@localhost \
		git -C "$src" am -q --committer-date-is-author-date "${patches[@]}" ||
		die "ops/iproute2 does not apply to iproute2 $IPROUTE2_VERSION"
	echo "$want" >"$src/.git/tcp-splice-patches"
fi

stage "building ss"
# libbpf off: ss does not use it, and the result should not depend on
# whether the host has libbpf-dev.
[ -f "$src/config.mk" ] ||
	(cd "$src" && ./configure --libbpf_force off >/dev/null)
make -s -C "$src" -j"$(jobs)" SUBDIRS="lib misc" TARGETS=ss >/dev/null
install -m 0755 "$src/misc/ss" "$out/ss"
"$TOP/ops/iproute2/check-ss-splice" "$out/ss" \
	"$src/include/uapi/linux/inet_diag.h"
info "ss in $out"
