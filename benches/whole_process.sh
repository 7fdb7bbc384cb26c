#!/usr/bin/env bash
# Whole-process figures for the release binary (BENCHMARKS.md has the results):
#   1. time from start to the first frame, in a pseudo-terminal (80x24);
#   2. idle CPU over 10 s with the wizard open (/proc/PID/stat utime+stime, all threads);
#   3. peak RSS during `cwsetup check --demo` (the simulator runs in-process in --demo, so its
#      memory is included);
#   4. the size of the release binary, and what dominates it.
#
# Needs bash, python3 and coreutils. Optional, used when installed and said so in the output:
# /usr/bin/time (GNU time, apt package `time`) for peak RSS, else python's getrusage;
# hyperfine (apt) for the wall time of `check --demo`, else a python loop;
# cargo-bloat (`cargo install cargo-bloat`) for the size breakdown, else `nm` + `size`.
#
# Usage: benches/whole_process.sh [--no-build] [--quick]
#   --no-build  use the binary as it is (CWSETUP_BIN, default target/release/cwsetup)
#   --quick     fewer repetitions and a 3 s idle window (for trying the script, not for figures)
# Environment: CWSETUP_BIN, RUNS (start-up repetitions, default 15), IDLE_SECS (default 10),
#   SKIP_BLOAT=1 to skip the size breakdown, BLOAT_TARGET_DIR (default target/bloat) for the
#   unstripped copy it builds.
#
# Only 127.0.0.1 is used (the in-process simulator). Timings are reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=1
RUNS=${RUNS:-15}
IDLE_SECS=${IDLE_SECS:-10}
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        --quick) RUNS=3; IDLE_SECS=3 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
BIN=${CWSETUP_BIN:-target/release/cwsetup}
BLOAT_DIR=${BLOAT_TARGET_DIR:-target/bloat}

command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }

echo "== machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kernel: $(uname -sr); $(rustc --version 2>/dev/null || echo 'rustc not found')"

if [ "$BUILD" = 1 ] && [ -z "${CWSETUP_BIN:-}" ]; then
    echo "== cargo build --release --bin cwsetup"
    cargo build --release --bin cwsetup
fi
[ -x "$BIN" ] || { echo "no binary at $BIN (build it, or set CWSETUP_BIN)" >&2; exit 2; }
BIN=$(realpath "$BIN")
echo "binary: $BIN"

# The wizard in a pseudo-terminal: first frame, then idle CPU. No display, so the clipboard code
# never touches an X or Wayland server (as in tests/it/terminal.rs).
echo
echo "== start to first frame, and idle CPU (pseudo-terminal 80x24, TERM=xterm-256color)"
env -u DISPLAY -u WAYLAND_DISPLAY python3 - "$BIN" "$RUNS" "$IDLE_SECS" <<'PY'
import os, pty, select, signal, statistics, struct, sys, time, fcntl, termios

BIN, RUNS, IDLE = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
# Text of the first screen (the sidebar's first step). ratatui writes a row's cells in order, so
# a word in one style arrives contiguous.
MARKER = b"Prerequisites"
TICK = os.sysconf("SC_CLK_TCK")

def spawn(args):
    """Forks cwsetup on a new pty; returns (pid, master fd, time just before the fork)."""
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        # Child: the pty is already its controlling terminal. Size it, then exec.
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        env.pop("NO_COLOR", None)
        os.execve(BIN, [BIN] + args, env)
    return pid, fd, t0

def read_until(fd, marker, timeout):
    """Reads the pty until `marker` appears; returns (seconds until then or None, bytes)."""
    data = b""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
            if marker in data:
                return time.perf_counter(), data
    return None, data

def drain(fd, seconds):
    """Keeps reading (so the child never blocks on a full pty) for `seconds`; returns bytes read."""
    n = 0
    end = time.perf_counter() + seconds
    while True:
        left = end - time.perf_counter()
        if left <= 0:
            return n
        r, _, _ = select.select([fd], [], [], min(left, 0.2))
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return n
            if not chunk:
                return n
            n += len(chunk)

def stop(pid, fd):
    """q (nothing was typed, so it quits at once); SIGTERM, then SIGKILL, if it lingers."""
    try:
        os.write(fd, b"q")
    except OSError:
        pass
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        end = time.perf_counter() + 3
        while time.perf_counter() < end:
            drain(fd, 0.05)
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                os.close(fd)
                return
    os.close(fd)

def cpu_ticks(pid):
    """utime + stime of the whole process (every thread), in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)

def context_switches(pid):
    """Voluntary + involuntary context switches over every thread: wake-ups, finer than ticks."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total

def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None

for args in ([], ["--demo"]):
    label = " ".join(["cwsetup"] + args)
    times = []
    for _ in range(RUNS):
        pid, fd, t0 = spawn(args)
        t1, data = read_until(fd, MARKER, 20)
        stop(pid, fd)
        if t1 is None:
            print(f"{label}: no first frame within 20 s; output began {data[:300]!r}")
            break
        times.append((t1 - t0) * 1000)
    if times:
        print(f"first frame, {label}: median {statistics.median(times):.1f} ms, "
              f"min {min(times):.1f}, max {max(times):.1f} ({len(times)} runs)")

for args in ([], ["--demo"]):
    label = " ".join(["cwsetup"] + args)
    pid, fd, _ = spawn(args)
    t1, _ = read_until(fd, MARKER, 20)
    if t1 is None:
        print(f"idle CPU, {label}: no first frame, not measured")
        stop(pid, fd)
        continue
    drain(fd, 1.0)  # let start-up finish
    ticks0, switches0, w0 = cpu_ticks(pid), context_switches(pid), time.perf_counter()
    written = drain(fd, IDLE)
    ticks1, switches1, w1 = cpu_ticks(pid), context_switches(pid), time.perf_counter()
    threads = len(os.listdir(f"/proc/{pid}/task"))
    rss, hwm = status_kb(pid, "VmRSS"), status_kb(pid, "VmHWM")
    stop(pid, fd)
    cpu = (ticks1 - ticks0) / TICK
    print(f"idle CPU, {label}: {cpu:.2f} s of CPU in {w1 - w0:.1f} s "
          f"({100 * cpu / (w1 - w0):.2f}% of one core; tick = {1000 // TICK} ms), "
          f"{switches1 - switches0} context switches over {threads} threads, "
          f"{written} bytes written to the terminal; RSS {rss} KiB (peak {hwm} KiB)")
PY

echo
echo "== peak RSS during: cwsetup check --demo --json"
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
    echo "(GNU /usr/bin/time -v: Maximum resident set size; the simulator runs in-process)"
    peaks=()
    for _ in $(seq 1 5); do
        out=$( { /usr/bin/time -v "$BIN" check --demo --json >/dev/null; } 2>&1 ) || {
            echo "check --demo failed:"; echo "$out"; exit 1; }
        peaks+=("$(printf '%s\n' "$out" | awk -F': ' '/Maximum resident set size/ {print $2}')")
    done
    printf 'peak RSS (KiB), 5 runs: %s\n' "${peaks[*]}"
else
    echo "(/usr/bin/time not installed (apt-get install time): python getrusage(RUSAGE_CHILDREN).ru_maxrss instead)"
    for _ in $(seq 1 5); do
        python3 - "$BIN" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "check", "--demo", "--json"], stdout=subprocess.DEVNULL, check=True)
print(f"peak RSS: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} KiB")
PY
    done
fi

echo
echo "== wall time of: cwsetup check --demo --json (no injected latency)"
if command -v hyperfine >/dev/null; then
    echo "(hyperfine)"
    hyperfine --warmup 2 --runs 20 --style basic "$BIN check --demo --json" 2>&1 | grep -v '^$'
else
    echo "(hyperfine not installed (apt-get install hyperfine): a python loop instead)"
    python3 - "$BIN" <<'PY'
import statistics, subprocess, sys, time
times = []
for i in range(22):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "check", "--demo", "--json"], stdout=subprocess.DEVNULL, check=True)
    if i >= 2:  # two warm-up runs
        times.append((time.perf_counter() - t) * 1000)
print(f"median {statistics.median(times):.1f} ms, min {min(times):.1f}, max {max(times):.1f} (20 runs)")
PY
fi

echo
echo "== binary size"
size_bytes=$(stat -c %s "$BIN")
echo "$BIN: $size_bytes bytes ($(awk -v b="$size_bytes" 'BEGIN {printf "%.2f MiB", b / 1048576}'))"
if command -v size >/dev/null; then
    echo "-- sections (size -A), largest first:"
    size -A "$BIN" | awk 'NR > 2 && $1 != "Total" && $2 > 0 {printf "%-20s %9d bytes\n", $1, $2}' |
        sort -k2 -n -r | head -8
fi
if [ "${SKIP_BLOAT:-0}" = 1 ]; then
    echo "(size breakdown skipped: SKIP_BLOAT=1)"
elif command -v cargo-bloat >/dev/null; then
    # The release profile strips symbols; cargo-bloat needs them. An unstripped copy with the
    # same settings otherwise, in its own target dir so target/release is left alone.
    echo "-- what dominates it (cargo-bloat --crates, unstripped copy in $BLOAT_DIR)"
    CARGO_TARGET_DIR="$BLOAT_DIR" CARGO_PROFILE_RELEASE_STRIP=false \
        cargo bloat --release --bin cwsetup --crates -n 20 2>/dev/null ||
        echo "(cargo bloat failed: run it by hand to see why)"
    echo "-- largest functions"
    CARGO_TARGET_DIR="$BLOAT_DIR" CARGO_PROFILE_RELEASE_STRIP=false \
        cargo bloat --release --bin cwsetup -n 15 2>/dev/null || true
else
    echo "-- what dominates it (cargo-bloat not installed: nm on an unstripped copy in $BLOAT_DIR)"
    CARGO_TARGET_DIR="$BLOAT_DIR" CARGO_PROFILE_RELEASE_STRIP=false \
        cargo build --release --bin cwsetup 2>/dev/null ||
        echo "(the unstripped build failed: run it by hand to see why)"
    nm --print-size --size-sort --demangle=rust "$BLOAT_DIR/release/cwsetup" 2>/dev/null |
        python3 -c '
import collections, re, sys
sizes = collections.Counter()
total = 0
for line in sys.stdin:
    parts = line.split(None, 3)
    if len(parts) < 4 or parts[2].lower() not in "tw":
        continue
    size, name = int(parts[1], 16), parts[3].strip()
    total += size
    name = re.sub(r"^<(impl )?", "", name).lstrip("&*")
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", name)
    sizes[m.group(1) if m else "[C / unnamed]"] += size
print(f"code in named functions: {total / 1048576:.2f} MiB; by crate (heuristic: first path segment)")
for crate, size in sizes.most_common(15):
    print(f"{100 * size / total:5.1f}% {size / 1024:8.0f} KiB  {crate}")
'
fi
