#!/usr/bin/env bash
# cover-letter.sh extract FILE: print the cover letter's subject and text
# (without the generated shortlog, diffstat and base-commit), in the form
# "git format-patch --cover-from-description=subject" reads back from the
# branch description.
set -euo pipefail
[ "${1:-}" = extract ] && [ -f "${2:-}" ] || {
	echo "usage: $0 extract COVER-LETTER" >&2
	exit 2
}
awk '
	!body && /^Subject: / { sub(/^Subject: \[[^]]*\] /, ""); subj = $0; next }
	!body && /^ / && subj != "" { sub(/^ /, " "); subj = subj $0; next }
	!body && /^$/ { body = 1; print subj; print ""; next }
	body && /^[^ ].* \([0-9]+\):$/ { exit }
	body { lines[n++] = $0 }
	END {
		while (n > 0 && lines[n - 1] == "") n--
		for (i = 0; i < n; i++) print lines[i]
	}
' "$2"
