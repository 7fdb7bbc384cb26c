#!/usr/bin/env bash
# Peak RSS of `cwsetup check` when the very first answer (login/companyinfo, before any key is
# sent) is an 8 MiB body of one-entry JSON objects in a field cwsetup does not use (issue 23,
# item 1). Also the baseline: the same check against a small, normal companyinfo answer.
#
#   benches/hostile_rss.sh [path/to/cwsetup]      (default: target/release/cwsetup, else debug)
#
# Needs python3 (the hostile server, on 127.0.0.1 only) and GNU time (/usr/bin/time). Prints one
# line per case: the answer's size and the process's peak RSS in KiB (5 runs each).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-}
if [ -z "$BIN" ]; then
  if [ -x target/release/cwsetup ]; then BIN=target/release/cwsetup; else BIN=target/debug/cwsetup; fi
fi
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

cat > "$WORK/server.py" <<'PY'
import http.server, sys
size = 8 * 1024 * 1024
head = b'{"CompanyName":"Contoso","Codebase":"v2025_1/","IsCloud":false,"Junk":['
tail = b'{"a":1}]}'
items = (size - len(head) - len(tail)) // 8
hostile = head + b'{"a":1},' * items + tail
normal = b'{"CompanyName":"Contoso","Codebase":"v2025_1/","IsCloud":false,"CompanyID":"x"}'
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = hostile if "hostile" in self.path else normal
        if "companyinfo" not in self.path:
            body = b'{"code":"NotFound","message":"no"}'
            self.send_response(404)
        else:
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], len(hostile), len(normal), flush=True)
s.serve_forever()
PY
python3 "$WORK/server.py" > "$WORK/port" &
SERVER=$!
for _ in $(seq 1 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
read -r PORT HOSTILE_BYTES NORMAL_BYTES < "$WORK/port"

run() { # company id, label, body bytes
  local peaks=()
  for _ in $(seq 1 "$RUNS"); do
    CW_PRIVATE_KEY=FakePrivateKey01 /usr/bin/time -f %M -o "$WORK/rss" "$BIN" check \
      --site "http://127.0.0.1:$PORT" --company "$1" --public-key FakePublicKey001 \
      --client-id 00000000-0000-4000-8000-000000000000 --json --timeout 30 \
      > /dev/null 2>&1 || true
    peaks+=("$(tail -n 1 "$WORK/rss")")
  done
  echo "$2 (answer $3 bytes): peak RSS KiB ${peaks[*]}"
}
echo "binary: $BIN"
run normal "baseline, small companyinfo" "$NORMAL_BYTES"
run hostile "8 MiB companyinfo of one-entry objects" "$HOSTILE_BYTES"
