#!/usr/bin/env bash
# The main job (README): build base + series, boot it, run the selftests
# and print the results as a table. The benchmark will take this place.
. "$(dirname "$0")/lib.sh"

set +e
VM_QUIET=1 "$TOP/scripts/test.sh"
rc=$?
set -e
stage "results (build/results/test-summary)"
printf '%-6s %s\n' RESULT CHECK
sed -E 's/^(PASS|FAIL|SKIP) +/\1   /' "$RESULTS/test-summary"
exit $rc
