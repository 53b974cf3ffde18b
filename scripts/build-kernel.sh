#!/usr/bin/env bash
# build-kernel.sh VARIANT: configure and build the tree's kernel.
#   vm     tinyconfig + config/vm.config + bench.config (benchmarks)
#   debug  tinyconfig + config/vm.config + debug.config (tests)
#   kcsan  tinyconfig + config/vm.config + kcsan.config (data races)
#   check  tinyconfig + config/vm.config, for scripts/check-series.sh
# Output in build/kbuild-VARIANT. Fails if Kconfig dropped any option the
# fragments ask for.
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: build-kernel.sh vm|debug|kcsan}
case $variant in
vm) frags=("$TOP/config/vm.config" "$TOP/config/bench.config") ;;
check) frags=("$TOP/config/vm.config") ;;
debug) frags=("$TOP/config/vm.config" "$TOP/config/debug.config") ;;
kcsan) frags=("$TOP/config/vm.config" "$TOP/config/kcsan.config") ;;
*) die "unknown kernel variant '$variant' (vm, debug, kcsan or check)" ;;
esac
[ -e "$TREE/.git" ] || die "no tree at $TREE (make tree)"
# KBUILD_OUT: another object directory (scripts/check-series.sh)
out=${KBUILD_OUT:-$BUILD/kbuild-$variant}

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}
# Hits across clones at other paths: relative paths, cwd not hashed.
export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=tcp-splice KBUILD_BUILD_HOST=vm
mk=(make -s -C "$TREE" O="$out" CC="ccache gcc" -j"$(jobs)")

stage "configuring $variant kernel"
mkdir -p "$out"
"${mk[@]}" tinyconfig >/dev/null
"$TREE/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
	"${frags[@]}" >/dev/null
"${mk[@]}" olddefconfig >/dev/null

# Every option a fragment sets must have survived olddefconfig. Options
# the tree does not define at all are tolerated only when building an
# early step of the series (scripts/check-series.sh sets ALLOW_UNKNOWN=1):
# the series itself adds some.
dropped=0
while IFS= read -r line; do
	opt=${line%%=*}
	want=${line#*=}
	if [ "$want" = n ]; then
		grep -q "^$opt=" "$out/.config" || continue
	else
		grep -qx "$opt=$want" "$out/.config" && continue
	fi
	if [ "${ALLOW_UNKNOWN:-0}" = 1 ] &&
	   ! grep -rqsx --include='Kconfig*' "config ${opt#CONFIG_}" "$TREE"; then
		info "not in this tree yet: $opt"
		continue
	fi
	echo "    dropped: $line (got: $(grep -E "^$opt=|^# $opt is not set" "$out/.config" || echo absent))"
	dropped=1
done < <(cat "${frags[@]}" | grep -E '^CONFIG_[A-Za-z0-9_]+=')
[ $dropped = 0 ] || die "Kconfig dropped options from the $variant fragments (missing dependencies?)"

stage "building $variant kernel ($(git -C "$TREE" describe --always --tags) in $out)"
"${mk[@]}" bzImage
ccache -s 2>/dev/null | grep -E 'Hits|Misses' | sed 's/^/    ccache /' | head -2 || true
info "kernel: $out/arch/x86/boot/bzImage"
