#!/usr/bin/env bash
# Peak RSS of `cwsetup sim` while N connections are held open (issue 23, item 10). Each
# connection sends an unfinished request head ("GET / HTTP/1.1\r\nX: ") and then waits.
#
#   benches/held_connections.sh [path/to/cwsetup] [N]   (default N: 8000; needs ulimit -n > N)
#
# Prints the connections the simulator accepted (its banner's port is probed again after) and
# its peak RSS (VmHWM), read from /proc while the connections are held.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/cwsetup}
N=${2:-8000}
ulimit -n $((N + 1024))
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" sim --port "$PORT" > /dev/null 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1',$PORT)).close()" 2>/dev/null && break
  sleep 0.1
done
python3 - "$PORT" "$N" "$SIM" <<'PY'
import socket, sys, time
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
held, waiting = [], 0
for _ in range(n):
    s = socket.socket()
    s.settimeout(0.2)
    try:
        s.connect(("127.0.0.1", port))
        s.send(b"GET /v4_6_release/apis/3.0/system/info HTTP/1.1\r\nHost: x\r\nX: ")
    except OSError:
        waiting += 1  # the backlog is full: the simulator is not accepting more
    held.append(s)
time.sleep(2)
print(f"{n - waiting} connected, {waiting} left waiting")
hwm = [l for l in open(f"/proc/{pid}/status") if l.startswith(("VmHWM", "VmRSS"))]
print(f"{n} connections held: " + ", ".join(l.split(':')[0] + ' ' + l.split(':')[1].strip() for l in hwm))
for s in held:
    s.close()
time.sleep(2)
rss = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")]
print("after they closed: " + rss[0].split(':')[1].strip())
PY
