# shellcheck shell=bash
# Common paths, logging and helpers, sourced by every script here.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Outside the clone, shared by every clone and run on this machine: the
# base package, the unpacked base as a git repository, ccache.
CACHE=${TCP_SPLICE_CACHE:-/var/cache/tcp-splice}
# Inside the clone, ignored by git: the materialised tree, build outputs,
# VM results.
BUILD=${TCP_SPLICE_BUILD:-$TOP/build}
TREE=${TCP_SPLICE_TREE:-$BUILD/linux}
RESULTS=$BUILD/results

# One clock for a whole command, however many scripts it runs.
export TCP_SPLICE_T0=${TCP_SPLICE_T0:-$(date +%s)}

elapsed()
{
	local s=$(($(date +%s) - TCP_SPLICE_T0))

	printf '%02d:%02d' $((s / 60)) $((s % 60))
}

stage()
{
	printf '[%s] ==> %s\n' "$(elapsed)" "$*"
}

info()
{
	printf '[%s]     %s\n' "$(elapsed)" "$*"
}

die()
{
	printf '[%s] ERROR: %s\n' "$(elapsed)" "$*" >&2
	exit 1
}

# Base pin: DEB_PACKAGE, DEB_VERSION, DEB_SHA256, BASE_COMMIT.
# shellcheck source=../base.lock
. "$TOP/base.lock"
BASE_REPO=$CACHE/base-$DEB_VERSION

# Series files in order (quilt-compatible "series" file).
series_files()
{
	grep -v -e '^#' -e '^[[:space:]]*$' "$TOP/patches/series"
}

jobs()
{
	nproc
}
