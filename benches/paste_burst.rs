//! A paste without bracketed paste, as a terminal that lacks it (or a clipboard manager that
//! "types") delivers it: a burst of plain key presses. The real binary runs in a pseudo-terminal
//! (100x30, as tests/it/terminal.rs); the bench types N bytes into step 4's public-key field, then
//! Tab, and times until the screen shows the next field focused, i.e. until every key was
//! processed and drawn.
//!
//!     cargo bench --bench paste_burst
//!     BURST_SIZES=20000,100000 CWSETUP_BIN=/path/to/other/cwsetup cargo bench --bench paste_burst
//!
//! BURST_SIZES: bytes per burst, comma-separated (default 20000,1000000). BURST_CHUNK: bytes per
//! write to the terminal (default 4096). BURST_LIMIT_SECS: give up on one burst after this long
//! (default 300; a write that blocks because the program stopped reading is not cut short).
//! CWSETUP_BIN: measure another build (default: the one cargo built for this bench). Timings are
//! printed, never asserted.

#[cfg(unix)]
#[path = "../tests/common/pty.rs"]
#[allow(dead_code)]
mod pty;

#[cfg(unix)]
fn main() {
    use std::time::{Duration, Instant};

    // `cargo bench` passes `--bench`; `cargo test --bench paste_burst` does not: then only a
    // small burst runs, as a smoke test.
    let benching = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = std::env::var("BURST_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| {
            if benching {
                vec![20_000, 1_000_000]
            } else {
                vec![2_000]
            }
        });
    let limit = Duration::from_secs(
        std::env::var("BURST_LIMIT_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300),
    );
    // How many bytes each write hands the terminal (a terminal emulator writes a paste in
    // pieces); BURST_CHUNK overrides it.
    let chunk_size: usize = std::env::var("BURST_CHUNK")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(4096);
    let program =
        std::env::var("CWSETUP_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_cwsetup").to_string());
    println!("paste_burst: {program}");
    for size in sizes {
        let mut s = pty::Session::start_program(&program, &[], &[], &[]);
        s.wait_for("Step 1 of 5");
        s.send("\x1b[C\x1b[C\x1b[C");
        s.wait_for("▸ Public key");
        // Letters only: a key field takes 256 bytes and refuses the rest, one key at a time.
        let chunk = "k".repeat(chunk_size);
        let start = Instant::now();
        let mut left = size;
        while left > 0 && start.elapsed() < limit {
            let n = left.min(chunk.len());
            s.send(&chunk[..n]);
            left -= n;
        }
        let written = start.elapsed();
        if left > 0 {
            println!(
                "paste_burst/{size} bytes: only {} bytes taken after {} s (gave up)",
                size - left,
                limit.as_secs()
            );
            continue;
        }
        s.send("\t");
        // A reader that leaves input unread until the next key arrives (edge-triggered polling
        // that stops early) never gets to the Tab: nudge it with one more refused letter every
        // 500 ms, and count the nudges.
        let mut nudges = 0;
        let done = loop {
            if let Some(screen) = s.wait_for_within("▸ Private key", Duration::from_millis(500)) {
                break Some(screen);
            }
            if start.elapsed() > limit {
                break None;
            }
            s.send("k");
            nudges += 1;
        };
        match done {
            Some(_) => println!(
                "paste_burst/{size} bytes: {:.2} s until processed and drawn (the write returned \
                 after {:.2} s; {nudges} extra key presses were needed to get the rest read)",
                start.elapsed().as_secs_f64(),
                written.as_secs_f64()
            ),
            None => println!(
                "paste_burst/{size} bytes: not done after {} s (gave up); the screen shows:\n{}",
                limit.as_secs(),
                s.screen()
            ),
        }
        // Dropping the session kills the process.
    }
}

#[cfg(not(unix))]
fn main() {
    println!("paste_burst needs a Unix pseudo-terminal");
}
