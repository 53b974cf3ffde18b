#!/usr/bin/env bash
# apps.sh [REPS]: unmodified servers from Debian's packages (nginx, redis,
# memcached, rsync, socat) and their own clients, in one boot of the non-debug
# kernel, with the splice off and on (the reference program, ops/splicectl),
# REPS interleaved repetitions (default 3). Prints the applications table;
# runs in build/results/apps/apps.csv.
. "$(dirname "$0")/lib.sh"

reps=${1:-3}
"$TOP/scripts/setup-host.sh" --apps
[ -d "$TREE/.git" ] || "$TOP/scripts/make-tree.sh"
"$TOP/scripts/build-kernel.sh" vm
"$TOP/scripts/build-ops.sh" vm
VM_QUIET=${VM_QUIET:-1} "$TOP/scripts/vm-run.sh" -k vm -n apps -t 3600 -- \
	"$TOP/apps/guest-apps.sh /run/out $reps"
stage "applications (splice off vs on, medians of $reps runs)"
python3 "$TOP/apps/report.py" "$RESULTS/apps/apps.csv"
