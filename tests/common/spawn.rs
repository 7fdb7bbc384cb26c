//! Starting a child process in tests, with one narrow retry.
//!
//! Under Wine (the CI's Windows stage), process creation now and then fails with
//! `ERROR_INTERNAL_ERROR` (os error 1359, "Internal error."): a fresh-clone run failed that way
//! once in `tests/fault_matrix.rs` and then passed three runs in a row. That one error is Wine's
//! `CreateProcess` failing, not cwsetup: the start is tried again, a bounded number of times
//! ([`SPAWN_TRIES`]), after a short pause. Any other error, and a child that starts and then
//! fails, is reported at once: the test itself is never retried, so real failures still show.
//!
//! 1359 is never an errno on Linux or macOS (theirs end near 130), so the retry cannot hide
//! anything there.

use std::io;
use std::time::Duration;

/// Windows' `ERROR_INTERNAL_ERROR`, which Wine's process creation returns transiently.
pub const WINE_TRANSIENT_SPAWN_ERROR: i32 = 1359;

/// How many times a start is tried in all when it fails with that error.
pub const SPAWN_TRIES: u32 = 3;

/// Calls `spawn` until it succeeds, fails with another error, or has failed with
/// [`WINE_TRANSIENT_SPAWN_ERROR`] [`SPAWN_TRIES`] times (then that last error is returned).
pub fn spawn_retrying<T>(mut spawn: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    let mut tries = 0;
    loop {
        tries += 1;
        match spawn() {
            Err(e)
                if e.raw_os_error() == Some(WINE_TRANSIENT_SPAWN_ERROR) && tries < SPAWN_TRIES =>
            {
                std::thread::sleep(Duration::from_millis(100 * u64::from(tries)));
            }
            other => return other,
        }
    }
}
