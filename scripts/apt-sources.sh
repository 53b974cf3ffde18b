#!/usr/bin/env bash
# apt-sources.sh: the Debian suites beyond bookworm this project uses.
#   bookworm-backports  QEMU 10 (bookworm's 7.2 microvm misses resets)
#   trixie-backports    linux-source-7.3, the pinned base (base.lock); pinned
#                       at -1 so nothing else is ever installed from it
# Idempotent; runs "apt-get update" only when it changed something.
. "$(dirname "$0")/lib.sh"

list=/etc/apt/sources.list.d/tcp-splice.sources
pref=/etc/apt/preferences.d/tcp-splice
want_list='Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'
want_pref="Package: *
Pin: release n=trixie-backports
Pin-Priority: -1"

if [ "$(cat "$list" 2>/dev/null)" = "$want_list" ] &&
   [ "$(cat "$pref" 2>/dev/null)" = "$want_pref" ] &&
   [ "${1:-}" != --update ]; then
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "the apt sources in $list are missing; run as root"
stage "adding apt sources bookworm-backports, trixie-backports (pinned -1)"
printf '%s\n' "$want_list" >"$list"
printf '%s\n' "$want_pref" >"$pref"
apt-get update -qq
