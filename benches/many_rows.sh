#!/usr/bin/env bash
# Time (and peak RSS) of work that was quadratic in the number of role rows (issue 23, item 6):
# `cwsetup role` on a profile of 8,000 rows, and a plain-mode start from a saved session whose
# role edits hold 8,000 rows.
#
#   benches/many_rows.sh [path/to/cwsetup]     (default: target/release/cwsetup, else debug)
#
# Needs python3 (to write the files) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-}
if [ -z "$BIN" ]; then
  if [ -x target/release/cwsetup ]; then BIN=target/release/cwsetup; else BIN=target/debug/cwsetup; fi
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
p = json.load(open('assets/profiles/sync365.json'))
row = {k: v for k, v in p['role']['rows'][0].items() if k not in ('customize', 'probe')}
row['why'] = 'w'
rows = [dict(row, module='M%d' % (i % 40), function='F%d' % i) for i in range(8000)]
p['role']['rows'] = rows
p['id'] = 'big8000'
open(os.path.join(work, 'big.json'), 'w').write(json.dumps(p, separators=(',', ':')))
state = {"version": 1, "step": 1, "ticked": [], "region": "na",
         "member_plan": "one-member-key-per-tool", "site": "na", "company_id": "acme",
         "client_id": "", "selected": ["sync365"], "role_edits": {"sync365": rows},
         "last_verdict": None}
d = os.path.join(work, 'home/.local/state/cwsetup')
os.makedirs(d)
open(os.path.join(d, 'session.json'), 'w').write(json.dumps(state, separators=(',', ':')))
PY
echo "binary: $BIN"
/usr/bin/time -f "role, 8000 rows: %e s, peak RSS %M KiB" \
  "$BIN" role --profile-file "$WORK/big.json" --format json > /dev/null
printf '\n\n\n' | HOME="$WORK/home" /usr/bin/time -f "plain start, 8000 edited rows: %e s, peak RSS %M KiB" \
  "$BIN" --plain --profile sync365 > /dev/null
