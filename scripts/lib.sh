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

# commit_pristine DIR MESSAGE EXPECTED: make unpacked upstream source in
# DIR a git repository of one commit, "base", and fail unless its hash is
# EXPECTED. A fixed identity and date make the hash depend on the content
# only; -f because upstream .gitignore files ignore some of their own
# sources (Debian's kernel package: "/*"; iproute2: "*.patch").
commit_pristine()
{
	local dir=$1 msg=$2 want=$3 got

	(
		export GIT_AUTHOR_NAME=base GIT_AUTHOR_EMAIL=base@localhost
		export GIT_COMMITTER_NAME=base GIT_COMMITTER_EMAIL=base@localhost
		export GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z
		git -C "$dir" init -q -b base
		git -C "$dir" add -f -A .
		git -C "$dir" commit -q -m "$msg"
	)
	got=$(git -C "$dir" rev-parse HEAD)
	[ "$got" = "$want" ] ||
		die "$msg: commit is $got, the lock file says '$want'"
}
