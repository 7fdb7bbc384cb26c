//! Logs (tracing) go to a file in the platform's state or cache directory, never to the
//! terminal (it belongs to the wizard). Off unless `--log-level` or `CWSETUP_LOG` is set.
//! Nothing logged anywhere in cwsetup carries a key: secrets are not `Debug`-printable.

use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Where the log file goes: `$XDG_STATE_HOME/cwsetup` on Linux, else the cache directory.
pub fn log_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "cwsetup")?;
    Some(
        dirs.state_dir()
            .map(|d| d.to_path_buf())
            .unwrap_or_else(|| dirs.cache_dir().to_path_buf()),
    )
}

/// Starts logging at `level` (e.g. `info`, `debug`, `cwsetup=trace`) and returns the file path.
pub fn init(level: &str) -> Result<PathBuf, String> {
    let filter = EnvFilter::try_new(level).map_err(|e| {
        format!(
            "--log-level {level:?} is not a log level ({e}); use error, warn, info, debug or trace"
        )
    })?;
    let dir = log_dir().ok_or("no home directory to keep a log file in; unset CWSETUP_LOG")?;
    crate::report_file::create_private_dir(&dir)
        .map_err(|e| format!("cannot create the log folder {}: {e}", dir.display()))?;
    let path = dir.join("cwsetup.log");
    // Mode 0600 (tightened if it was looser), never through a symbolic link, never a FIFO.
    let file = crate::report_file::open_private_append(&path)
        .map_err(|e| format!("cannot open the log file {}: {e}", path.display()))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .map_err(|e| format!("logging was already started: {e}"))?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "cwsetup started");
    Ok(path)
}
