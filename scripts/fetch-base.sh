#!/usr/bin/env bash
# Obtain the pinned base (base.lock) once: download the Debian source
# package, verify its checksum, unpack it and commit it as "base" in a git
# repository under $CACHE. Later runs reuse it.
. "$(dirname "$0")/lib.sh"

# One unpacker at a time per cache (clones may share it).
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
if [ -f "$BASE_REPO/.git/tcp-splice-ok" ]; then
	info "base $DEB_PACKAGE $DEB_VERSION: cached in $BASE_REPO"
	exit 0
fi

stage "fetching base $DEB_PACKAGE=$DEB_VERSION"
deb=$CACHE/${DEB_PACKAGE}_${DEB_VERSION}_all.deb
if ! echo "$DEB_SHA256  $deb" | sha256sum -c --status 2>/dev/null; then
	rm -f "$deb"
	"$TOP/scripts/apt-sources.sh"
	(cd "$CACHE" && apt-get download -qq "$DEB_PACKAGE=$DEB_VERSION" 2>&1 |
		grep -v 'unsandboxed as root' || true)
	[ -f "$deb" ] ||
		die "$DEB_PACKAGE=$DEB_VERSION (base.lock) is no longer in Debian's trixie-backports; see what it has with 'apt-cache madison $DEB_PACKAGE' and bump base.lock (see the comment there)."
	echo "$DEB_SHA256  $deb" | sha256sum -c --quiet ||
		die "checksum mismatch for $deb (expected $DEB_SHA256 from base.lock)"
fi

stage "unpacking base into $BASE_REPO"
tmp=$BASE_REPO.tmp
rm -rf "$tmp" && mkdir -p "$tmp"
dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$DEB_PACKAGE.tar.xz" |
	tar -xJ -C "$tmp" --strip-components=1

stage "committing base"
commit_pristine "$tmp" "base: $DEB_PACKAGE $DEB_VERSION" "$BASE_COMMIT"
rm -rf "$BASE_REPO" && mv "$tmp" "$BASE_REPO"
touch "$BASE_REPO/.git/tcp-splice-ok"
info "base commit $BASE_COMMIT"
