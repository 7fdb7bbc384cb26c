//! Writing a file the technician asked for (a `--report`, the wizard's report, a saved profile)
//! so that the path cannot be turned against them.
//!
//! - A symbolic link at the path is refused, never followed: a link planted in a shared folder
//!   cannot redirect the report onto another file.
//! - Anything but a regular file (a FIFO, a device, a socket, a folder) is refused before it is
//!   opened: opening a FIFO for writing would block until a reader comes, forever.
//! - The text goes to a new temporary file beside the target (created with `create_new`, so it
//!   never opens an existing file or link; mode 0600 on Unix), and a rename puts it in place. An
//!   existing regular file is replaced whole by the rename (a new file, mode 0600), never
//!   written into; a crash leaves the old file or the new one, never half of one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How many temporary names are tried before giving up (each collision is another process's
/// or a leftover file; the name holds the process id and a counter).
const TEMP_TRIES: u32 = 16;

/// Writes `contents` to `path` as described in the module documentation. The error says what
/// was wrong with the path and what to do.
pub fn write_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    refuse_non_regular(path)?;
    let file_name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path has no file name: give a file name such as ticket.md",
        )
    })?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (tmp_path, mut tmp) = create_temp(&dir, &file_name.to_string_lossy())?;
    let written = tmp
        .write_all(contents)
        .and_then(|()| tmp.sync_all())
        .and_then(|()| {
            drop(tmp);
            // Checked again just before the rename: a rename never follows a link at the
            // target (it replaces the link itself), but a folder or FIFO put there meanwhile
            // is still refused with its own message.
            refuse_non_regular(path)?;
            fs::rename(&tmp_path, path)
        });
    if written.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    written
}

/// An error unless `path` is absent or a regular file. Uses `symlink_metadata`, which neither
/// follows a link nor opens the file (so a FIFO cannot block).
fn refuse_non_regular(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a symbolic link, and cwsetup never writes through a link: remove the link or choose another file name",
        )),
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a folder: give a file name inside it, such as ticket.md",
        )),
        Ok(meta) if !meta.is_file() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file (a FIFO, device or socket): choose a new file name",
        )),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// A new, empty file beside the target that nobody else has opened: `create_new` fails on any
/// existing name, a link included.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let mut last = None;
    for attempt in 0..TEMP_TRIES {
        let tmp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no temporary file name was free")))
}

/// The most cwsetup reads of one of its own small files (the saved session, the config): 1 MiB
/// is many times what they hold.
pub const MAX_OWN_FILE_BYTES: u64 = 1024 * 1024;

/// Opens `path` for reading only if it is a regular file (a link to one is followed). A FIFO, a
/// device (a link to `/dev/zero`, say), a socket or a folder is refused with a message, never
/// read: on Unix the file is opened without blocking (so a FIFO cannot hang the open) and judged
/// by what was opened, not by a name that could change in between.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    #[cfg(not(unix))]
    {
        // No FIFOs to block on; still refuse anything but a file before opening it.
        let meta = fs::metadata(path)?;
        if !meta.is_file() {
            return Err(not_regular(&meta));
        }
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok(file)
}

fn not_regular(meta: &fs::Metadata) -> io::Error {
    let what = if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file (a FIFO, device or socket)"
    };
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {what}, so cwsetup does not read it: remove it or put a regular file there"),
    )
}

/// The contents of a regular file (see [`open_regular`]) of at most `max` bytes; a larger one
/// is refused after reading `max + 1` bytes, never read whole.
pub fn read_capped(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    read_from(open_regular(path)?, max)
}

/// [`read_capped`] for a file of cwsetup's own that holds the technician's setup: one found
/// readable by others (copied in, or from an older version) is made 0600 first.
pub fn read_own(path: &Path) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    tighten(&file)?;
    read_from(file, MAX_OWN_FILE_BYTES)
}

fn read_from(file: File, max: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "it is larger than {}, far more than cwsetup ever writes there",
                crate::units::human_bytes(max)
            ),
        ));
    }
    Ok(bytes)
}

/// An error unless `path` is absent or (through any link) a regular file: for cwsetup's own
/// files, checked before a mode starts, so that one planted there stops it with a message.
pub fn check_regular_or_absent(path: &Path) -> io::Result<()> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(meta) => Err(not_regular(&meta)),
        // Absent, or not reachable (a parent that is a file): nothing there to read; writing
        // there later fails with its own message.
        Err(_) => Ok(()),
    }
}

/// Creates `dir` and its missing parents; on Unix each new folder is mode 0700 (only you can
/// list or enter it). A folder that already exists is left as it is.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Makes an existing file of cwsetup's private (0600) if it was readable or writable by
/// others (a file copied in, or written by an older version). Unix only; elsewhere a no-op.
pub fn tighten(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            file.set_permissions(fs::Permissions::from_mode(mode & 0o700 | 0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Opens (creating it, mode 0600) a file to append to, such as the log: a symbolic link at the
/// path is refused, never followed, and so is anything but a regular file (without blocking on
/// a FIFO). An existing file with looser permissions is made 0600.
pub fn open_private_append(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let link = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a symbolic link, and cwsetup never writes through a link: remove the link",
        )
    };
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(link()),
        Ok(meta) if !meta.is_file() => return Err(not_regular(&meta)),
        _ => {}
    }
    // What O_NOFOLLOW and O_NONBLOCK report for a link or a FIFO put there meanwhile (Unix
    // only: elsewhere the error is kept as it is).
    #[cfg(unix)]
    let file = options.open(path).map_err(|e| match e.raw_os_error() {
        Some(libc::ELOOP) => link(),
        Some(libc::ENXIO) => io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file (a FIFO, device or socket): remove it",
        ),
        _ => e,
    })?;
    #[cfg(not(unix))]
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    tighten(&file)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_new_file_and_replaces_an_existing_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("r.md");
        write_private(&path, b"one").expect("written");
        write_private(&path, b"two").expect("replaced");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1);
    }

    #[test]
    fn a_folder_or_a_path_without_a_file_name_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let e = write_private(dir.path(), b"x").expect_err("a folder");
        assert!(e.to_string().contains("folder"), "{e}");
    }
}
