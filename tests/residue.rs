//! Secret residue: after "clear keys", a core dump of the live wizard holds no copy of the keys
//! that cwsetup could have wiped.
//!
//! The real binary runs in a pseudo-terminal, without `--demo` (so no demo key exists). Two
//! distinctive fake keys are pasted with bracketed paste, the wizard's "clear keys" (`x`) wipes
//! them, and `gcore` dumps the live process. The dump is then searched for each key and for its
//! base64 at all three alignments (which covers `company+public:private` for any company ID, as
//! the `Authorization` header would hold it).
//!
//! One place is known to keep the bytes and is outside cwsetup's reach: crossterm 0.29's terminal
//! input buffers, both reused and never freed, so neither `Zeroizing` nor the zeroizing allocator
//! can wipe them:
//! - `Parser::buffer` (a `Vec<u8>` made with capacity 256, `src/event/source/unix/tty.rs`: cwsetup turns on crossterm's `use-dev-tty`),
//!   which collects one escape sequence, here the whole bracketed paste, and is only `clear`ed;
//! - `UnixInternalEventSource::tty_buffer` (a `[u8; 1024]` in the boxed event source), which
//!   each `read` of the terminal fills from its start.
//!
//! Both hold raw terminal input, so the key in them still follows the bracketed-paste opener
//! `ESC [ 200 ~` and the pasted junk (the keys pressed afterwards here are single bytes and
//! overwrite only the first byte). A copy with exactly that before it is reported as
//! crossterm's; any other copy fails the test. They hold the last paste (and the tail of a
//! longer earlier one) until later input overwrites them.
//!
//! A second place is outside cwsetup's reach too: the saved register state of a sleeping thread.
//! A 16-byte key fits in one SSE/AVX register and `memcpy` moves it through one, so a thread that
//! copied a key and then went to sleep keeps those bytes in the registers the kernel saved for it.
//! The core dump writes them as notes (`NT_PRSTATUS`, `NT_PRFPREG`, `NT_X86_XSTATE`), not as
//! memory. Only code running on that same thread could clear them, and it is asleep (crossterm's
//! reader thread, a tokio worker); the next vector instruction it runs overwrites them. A copy
//! inside one of those notes is reported and counted as register state; a copy anywhere else
//! outside the loaded segments fails the test like a copy in memory.
//!
//! The dump is gdb's `gcore` when it is installed. Without it (or when it cannot attach, or with
//! `CWSETUP_RESIDUE_NO_GCORE=1`) the test reads the stopped child's memory through
//! `/proc/<pid>/mem` instead, which a parent may do without gdb; only when neither works does it
//! print why and pass. Nothing here prints a key, even on failure.
#![cfg(target_os = "linux")]

// Only the pseudo-terminal session of the shared helpers (tests/common), not the rest.
#[allow(dead_code)]
#[path = "common/pty.rs"]
mod pty;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use pty::Session;

const GCORE_WAIT: Duration = Duration::from_secs(120);

/// Fake keys, distinctive enough never to occur by chance.
const PUBLIC_KEY: &str = "RESIDUEPUBL4K8W3";
const PRIVATE_KEY: &str = "RESIDUEPRIV7Q2Z9";

/// Blanks pasted before each key. They put the key past the first 16 bytes of the pasted
/// `String`, where the allocator's free-list pointers would otherwise overwrite (and hide) it if
/// that `String` were freed without being wiped.
const PUBLIC_JUNK: &str = "                    \t";
const PRIVATE_JUNK: &str = "\u{a0}                    ";

/// The bracketed-paste opener (after its ESC, which a later key overwrites).
const PASTE_OPENER: &str = "[200~";

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// `gcore -o <dir>/core <pid>`, with a time limit. The error says why it could not dump.
fn gcore(pid: u32, dir: &Path) -> Result<PathBuf, String> {
    let prefix = dir.join("core");
    // gdb's chatter goes to a file: a pipe nobody reads while it runs could fill and stall it.
    let log_path = dir.join("gcore.log");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let mut child = Command::new("gcore")
        .arg("-o")
        .arg(&prefix)
        .arg(pid.to_string())
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("could not start gcore: {e}"))?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > GCORE_WAIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("gcore took longer than {GCORE_WAIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let path = dir.join(format!("core.{pid}"));
    if status.success() && path.is_file() {
        Ok(path)
    } else {
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        let last: Vec<&str> = log.lines().rev().take(3).collect();
        Err(format!("gcore failed ({status}): {}", last.join(" / ")))
    }
}

/// Base64 text that any base64 of a string containing `key` contains, whatever came before the
/// key: one needle per alignment of the key within base64's 3-byte groups.
fn base64_needles(key: &str) -> Vec<String> {
    let bytes = key.as_bytes();
    (0..3)
        .map(|skip| {
            let whole = (bytes.len() - skip) / 3 * 3;
            base64::engine::general_purpose::STANDARD.encode(&bytes[skip..skip + whole])
        })
        .collect()
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    memchr::memmem::find_iter(haystack, needle).collect()
}

/// A snapshot of the process's memory, and where each piece of it was in the process.
struct Dump {
    bytes: Vec<u8>,
    /// (offset in `bytes`, virtual address, size)
    segments: Vec<(u64, u64, u64)>,
    /// The core's notes that hold a thread's saved registers.
    register_notes: Vec<RegisterNote>,
    how: String,
}

/// One note of a core file that holds a thread's saved registers: where its contents lie in the
/// file, and which thread (counting the notes' `NT_PRSTATUS`, one per thread) it belongs to.
#[derive(Debug, Clone, Copy)]
struct RegisterNote {
    start: u64,
    size: u64,
    kind: &'static str,
    thread: usize,
}

/// The core's loaded segments: (file offset, virtual address, size in the file).
fn elf_segments(core: &[u8]) -> Vec<(u64, u64, u64)> {
    let u16_at = |o: usize| u16::from_le_bytes([core[o], core[o + 1]]) as usize;
    let u32_at = |o: usize| u32::from_le_bytes(core[o..o + 4].try_into().expect("4 bytes"));
    let u64_at = |o: usize| u64::from_le_bytes(core[o..o + 8].try_into().expect("8 bytes"));
    if core.len() < 64 || &core[..4] != b"\x7fELF" || core[4] != 2 {
        return Vec::new();
    }
    let (phoff, phentsize, phnum) = (u64_at(0x20) as usize, u16_at(0x36), u16_at(0x38));
    (0..phnum)
        .map(|i| phoff + i * phentsize)
        .filter(|&h| u32_at(h) == 1) // PT_LOAD
        .map(|h| (u64_at(h + 8), u64_at(h + 16), u64_at(h + 32)))
        .collect()
}

/// The notes of a core (`PT_NOTE` segments) that hold saved registers. Each note is a 12-byte
/// header (name size, contents size, type), then the name and the contents, each padded to 4.
fn register_notes(core: &[u8]) -> Vec<RegisterNote> {
    const NT_PRSTATUS: u32 = 1;
    const NT_PRFPREG: u32 = 2;
    const NT_X86_XSTATE: u32 = 0x202;
    let read = |o: usize, n: usize| core.get(o..o + n);
    let u16_at = |o: usize| read(o, 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u32_at = |o: usize| read(o, 4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")));
    let u64_at = |o: usize| read(o, 8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")));
    let mut notes = Vec::new();
    if core.len() < 64 || &core[..4] != b"\x7fELF" || core[4] != 2 {
        return notes;
    }
    let (Some(phoff), Some(phentsize), Some(phnum)) = (u64_at(0x20), u16_at(0x36), u16_at(0x38))
    else {
        return notes;
    };
    let pad4 = |n: usize| n.div_ceil(4) * 4;
    let mut thread = 0;
    for header in (0..phnum).map(|i| phoff as usize + i * phentsize) {
        if u32_at(header) != Some(4) {
            continue; // not PT_NOTE
        }
        let (Some(offset), Some(size)) = (u64_at(header + 8), u64_at(header + 32)) else {
            continue;
        };
        let (mut at, end) = (offset as usize, (offset + size) as usize);
        while at + 12 <= end {
            let (Some(name_size), Some(desc_size), Some(kind)) =
                (u32_at(at), u32_at(at + 4), u32_at(at + 8))
            else {
                break;
            };
            let desc = at + 12 + pad4(name_size as usize);
            let kind = match kind {
                NT_PRSTATUS => {
                    thread += 1;
                    Some("general registers (NT_PRSTATUS)")
                }
                NT_PRFPREG => Some("SSE registers (NT_PRFPREG)"),
                NT_X86_XSTATE => Some("AVX/AVX-512 registers (NT_X86_XSTATE)"),
                _ => None,
            };
            if let Some(kind) = kind {
                notes.push(RegisterNote {
                    start: desc as u64,
                    size: u64::from(desc_size),
                    kind,
                    thread,
                });
            }
            at = desc + pad4(desc_size as usize);
        }
    }
    notes
}

/// Without gdb: every readable mapping, read through `/proc/<pid>/mem` while the process is
/// stopped. A parent may read its child's memory under the usual ptrace rules, so this works
/// where attaching a separate gdb would not (Yama's ptrace_scope 1).
fn read_live_memory(pid: u32) -> Result<Dump, String> {
    use std::os::unix::fs::FileExt;
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).map_err(|e| e.to_string())?;
    let mem = std::fs::File::open(format!("/proc/{pid}/mem"))
        .map_err(|e| format!("cannot open /proc/{pid}/mem: {e}"))?;
    let target = pid as libc::pid_t;
    // SAFETY: stopping and resuming our own child process.
    unsafe { libc::kill(target, libc::SIGSTOP) };
    let mut dump = Dump {
        bytes: Vec::new(),
        segments: Vec::new(),
        register_notes: Vec::new(),
        how: "read from /proc/<pid>/mem".into(),
    };
    for line in maps.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(range), Some(perms)) = (fields.first(), fields.get(1)) else {
            continue;
        };
        let name = fields.get(5).copied().unwrap_or("");
        if !perms.starts_with('r') || name.starts_with("[vvar") || name == "[vsyscall]" {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16))
        else {
            continue;
        };
        let mut region = vec![0u8; (end - start) as usize];
        if mem.read_exact_at(&mut region, start).is_ok() {
            dump.segments
                .push((dump.bytes.len() as u64, start, region.len() as u64));
            dump.bytes.extend_from_slice(&region);
        }
    }
    // SAFETY: as above.
    unsafe { libc::kill(target, libc::SIGCONT) };
    if dump.bytes.is_empty() {
        return Err(format!("nothing of /proc/{pid}/mem could be read"));
    }
    Ok(dump)
}

/// The process's mappings, read before the dump: (start, end, name).
fn mappings(pid: u32) -> Vec<(u64, u64, String)> {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
    maps.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (start, end) = fields.next()?.split_once('-')?;
            let name = fields.nth(4).unwrap_or("(anonymous)").to_string();
            Some((
                u64::from_str_radix(start, 16).ok()?,
                u64::from_str_radix(end, 16).ok()?,
                name,
            ))
        })
        .collect()
}

/// Where a hit at `offset` in the core lives in the process, for the report.
fn place(offset: usize, segments: &[(u64, u64, u64)], maps: &[(u64, u64, String)]) -> String {
    let offset = offset as u64;
    let Some(address) = segments
        .iter()
        .find(|(off, _, size)| (*off..off + size).contains(&offset))
        .map(|(off, vaddr, _)| vaddr + (offset - off))
    else {
        return "outside the loaded segments (core notes)".into();
    };
    let region = maps
        .iter()
        .find(|(start, end, _)| (*start..*end).contains(&address))
        .map_or("(unknown mapping)", |(_, _, name)| name.as_str());
    format!("{address:#x} in {region}")
}

#[derive(Default)]
struct Findings {
    /// Copies that cwsetup could have wiped: the test fails on any.
    ours: Vec<String>,
    /// Copies in crossterm's raw input buffers (preceded by the bracketed-paste opener).
    raw_input: Vec<String>,
    /// Copies in a sleeping thread's saved registers (core notes): (thread, description).
    registers: Vec<(usize, String)>,
}

/// The register note a hit at `offset` of the core lies in, if any.
fn in_register_note(offset: usize, length: usize, notes: &[RegisterNote]) -> Option<RegisterNote> {
    let (start, end) = (offset as u64, (offset + length) as u64);
    notes
        .iter()
        .find(|n| start >= n.start && end <= n.start + n.size)
        .copied()
}

fn examine(dump: &Dump, maps: &[(u64, u64, String)]) -> Findings {
    let (core, segments) = (&dump.bytes[..], &dump.segments[..]);
    let mut findings = Findings::default();
    for (label, key, junk) in [
        ("private key", PRIVATE_KEY, PRIVATE_JUNK),
        ("public key", PUBLIC_KEY, PUBLIC_JUNK),
    ] {
        // Raw terminal input holds the opener and the junk right before the key; the pasted
        // `String` holds only the junk, and the sanitized key nothing.
        let raw_prefix = format!("{PASTE_OPENER}{junk}");
        for offset in find_all(core, key.as_bytes()) {
            let raw = core[..offset].ends_with(raw_prefix.as_bytes());
            if let Some(note) = in_register_note(offset, key.len(), &dump.register_notes) {
                let line = format!("{label} in thread {}'s saved {}", note.thread, note.kind);
                findings.registers.push((note.thread, line));
                continue;
            }
            let line = format!("{label} at {}", place(offset, segments, maps));
            if raw {
                findings.raw_input.push(line);
            } else {
                findings.ours.push(line);
            }
        }
        for (alignment, needle) in base64_needles(key).iter().enumerate() {
            for offset in find_all(core, needle.as_bytes()) {
                if let Some(note) = in_register_note(offset, needle.len(), &dump.register_notes) {
                    let line = format!(
                        "base64 of the {label} (alignment {alignment}) in thread {}'s saved {}",
                        note.thread, note.kind
                    );
                    findings.registers.push((note.thread, line));
                    continue;
                }
                findings.ours.push(format!(
                    "base64 of the {label} (alignment {alignment}) at {}",
                    place(offset, segments, maps)
                ));
            }
        }
    }
    findings
}

/// gdb's `gcore` when it is installed and can attach, else `/proc/<pid>/mem`; an error (the
/// test is then skipped) says why neither worked.
fn take_dump(pid: u32, dir: &Path) -> Result<Dump, String> {
    let gcore_failed = if std::env::var_os("CWSETUP_RESIDUE_NO_GCORE").is_some() {
        "CWSETUP_RESIDUE_NO_GCORE is set".to_string()
    } else if on_path("gcore") && on_path("gdb") {
        match gcore(pid, dir) {
            Ok(path) => {
                let bytes = std::fs::read(&path).expect("read the core file");
                // The dump holds (fake) keys: it goes as soon as it has been read.
                let _ = std::fs::remove_file(&path);
                let segments = elf_segments(&bytes);
                let register_notes = register_notes(&bytes);
                return Ok(Dump {
                    bytes,
                    segments,
                    register_notes,
                    how: "dumped by gdb's gcore".into(),
                });
            }
            Err(why) => why,
        }
    } else {
        "gdb's gcore is not installed (apt-get install gdb)".to_string()
    };
    match read_live_memory(pid) {
        Ok(mut dump) => {
            dump.how = format!("{} ({gcore_failed})", dump.how);
            Ok(dump)
        }
        Err(why) => Err(format!("{gcore_failed}; and {why}")),
    }
}

#[test]
fn after_clear_keys_a_core_dump_holds_no_key_cwsetup_could_wipe() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut s = Session::start(&[], &[]).hiding(&[PUBLIC_KEY, PRIVATE_KEY]);
    s.wait_for("Step 1 of 5");
    for _ in 0..3 {
        s.send("\x1b[C");
    }
    s.wait_for("Step 4 of 5 · API key");
    // Arriving never focuses a field: the first Tab goes to the public key.
    s.send("\t");
    s.wait_for("leave field");
    // Junk around both keys, as pasted from a web page: sanitizing removes it.
    s.send(&format!("\x1b[200~{PUBLIC_JUNK}{PUBLIC_KEY}\r\n\x1b[201~"));
    s.wait_for(&format!("{}▏", "•".repeat(16)));
    s.send("\r");
    s.send(&format!("\x1b[200~{PRIVATE_JUNK}{PRIVATE_KEY}\n\x1b[201~"));
    s.wait_for("removed 1 leading non-breaking space");
    // From here on only single bytes are typed, so the terminal input buffers' first byte is
    // all that changes. A key right behind Esc would read as Alt+key: wait for the field to go.
    s.send("\x1b");
    s.wait_for("Enter/→ next step");
    s.send("x");
    s.wait_for("both keys wiped from memory");

    let pid = s.pid();
    let maps = mappings(pid);
    let dump = match take_dump(pid, dir.path()) {
        Ok(dump) => dump,
        Err(why) => {
            eprintln!("SKIPPED secret-residue test: {why}");
            return;
        }
    };
    assert!(dump.bytes.len() > 1 << 20, "a dump of a live process");

    let findings = examine(&dump, &maps);
    eprintln!(
        "memory {}: {} MiB; copies in crossterm's raw input buffers (outside cwsetup's reach): {}",
        dump.how,
        dump.bytes.len() >> 20,
        findings.raw_input.len()
    );
    for line in &findings.raw_input {
        eprintln!("  raw terminal input: {line}");
    }
    let threads = dump
        .register_notes
        .iter()
        .map(|n| n.thread)
        .max()
        .unwrap_or(0);
    eprintln!(
        "copies in sleeping threads' saved registers (core notes, outside cwsetup's reach): {} \
         ({threads} threads in the dump)",
        findings.registers.len()
    );
    for (_, line) in &findings.registers {
        eprintln!("  register state: {line}");
    }
    assert!(
        findings.ours.is_empty(),
        "copies of a key survive \"clear keys\":\n  {}",
        findings.ours.join("\n  ")
    );
    // crossterm has exactly two such buffers; a third raw copy would be a new one to look at.
    assert!(
        findings.raw_input.len() <= 2,
        "more raw terminal input copies than crossterm's two buffers explain"
    );
    // A thread's registers hold at most a few 16-byte values; a key in most of the threads'
    // saved registers would mean something keeps copying it, not one copy left behind.
    let mut threads_with_copies: Vec<usize> = findings.registers.iter().map(|(t, _)| *t).collect();
    threads_with_copies.sort_unstable();
    threads_with_copies.dedup();
    assert!(
        threads_with_copies.len() <= 2,
        "keys in the saved registers of {} threads: more than the reader and one worker explain",
        threads_with_copies.len()
    );
}
