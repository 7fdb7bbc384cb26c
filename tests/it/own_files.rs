//! cwsetup's own files (issue 23, items 4, 5 and 9): the saved session, the config, the log,
//! saved profiles and `--profile-file`. A FIFO, a device or a link to one is refused with a
//! message naming the path and exit 2, never opened in a way that blocks; a huge file is not
//! read whole; what cwsetup creates is private. Each run is bounded: a hang fails the test.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one run may take before it counts as hung.
const LIMIT: Duration = Duration::from_secs(20);

struct Run {
    code: Option<i32>,
    out: String,
}

/// Runs cwsetup with `home` as HOME (no XDG variables), standard input empty; kills it and
/// fails if it is still running after [`LIMIT`].
fn cwsetup(home: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cwsetup"));
    command
        .args(args)
        .env("HOME", home)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "XDG_STATE_HOME",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "CWSETUP_LOG",
        "CW_PRIVATE_KEY",
        "DISPLAY",
        "WAYLAND_DISPLAY",
    ] {
        command.env_remove(var);
    }
    let mut child = command.spawn().expect("run cwsetup");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cwsetup {args:?} hung for {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("output");
    Run {
        code: output.status.code(),
        out: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

fn state_dir(home: &Path) -> PathBuf {
    home.join(".local/state/cwsetup")
}

fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

fn assert_refused(run: &Run, path: &str) {
    assert_eq!(run.code, Some(2), "{}", run.out);
    assert!(run.out.contains(path), "names {path}: {}", run.out);
    assert!(run.out.contains("not a regular file"), "{}", run.out);
}

#[test]
fn a_fifo_in_any_of_cwsetups_places_is_refused_not_waited_on() {
    // The saved session and the config: plain mode stops before asking anything.
    for (place, file) in [
        (".local/state/cwsetup/session.json", "session.json"),
        (".config/cwsetup/config.json", "config.json"),
        (".config/cwsetup/profiles/saved.json", "saved.json"),
    ] {
        let home = tempfile::tempdir().expect("home");
        mkfifo(&home.path().join(place));
        assert_refused(&cwsetup(home.path(), &["--plain"]), file);
    }
    // The log file.
    let home = tempfile::tempdir().expect("home");
    mkfifo(&state_dir(home.path()).join("cwsetup.log"));
    let run = cwsetup(home.path(), &["--log-level", "debug", "check", "--demo"]);
    assert_refused(&run, "cwsetup.log");
    // --profile-file and `profiles validate`.
    let home = tempfile::tempdir().expect("home");
    let fifo = home.path().join("mine.json");
    mkfifo(&fifo);
    let fifo = fifo.to_str().expect("utf-8");
    let run = cwsetup(home.path(), &["check", "--demo", "--profile-file", fifo]);
    assert_refused(&run, "mine.json");
    let run = cwsetup(home.path(), &["profiles", "validate", fifo]);
    assert_refused(&run, "mine.json");
}

#[test]
fn a_link_to_a_device_or_a_huge_file_is_never_read_whole() {
    // A link to /dev/zero would never end: refused as a device.
    let home = tempfile::tempdir().expect("home");
    let dir = state_dir(home.path());
    std::fs::create_dir_all(&dir).expect("dir");
    std::os::unix::fs::symlink("/dev/zero", dir.join("session.json")).expect("link");
    assert_refused(&cwsetup(home.path(), &["--plain"]), "session.json");

    // 64 MB of JSON in the session file: set aside after reading 1 MiB of it, with a line that
    // says why; the config the same size is ignored.
    let home = tempfile::tempdir().expect("home");
    let dir = state_dir(home.path());
    std::fs::create_dir_all(&dir).expect("dir");
    let mut big = String::from(r#"{"version":1,"junk":["#);
    big.push_str(&r#"{"a":1},"#.repeat(8 * 1024 * 1024));
    big.push_str(r#"{"a":1}]}"#);
    std::fs::write(dir.join("session.json"), &big).expect("write");
    let config = home.path().join(".config/cwsetup");
    std::fs::create_dir_all(&config).expect("dir");
    std::fs::write(config.join("config.json"), &big).expect("write");
    drop(big);
    let run = cwsetup(home.path(), &["--plain"]);
    assert!(run.out.contains("larger than 1 MiB"), "{}", run.out);
    assert!(dir.join("session.json.bad").exists(), "{}", run.out);
}

#[test]
fn the_log_is_private_never_through_a_link_and_the_folders_are_0700() {
    let home = tempfile::tempdir().expect("home");
    let run = cwsetup(home.path(), &["--log-level", "debug", "check", "--demo"]);
    assert_eq!(run.code, Some(0), "{}", run.out);
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    let dir = state_dir(home.path());
    assert_eq!(mode(&dir.join("cwsetup.log")), 0o600);
    assert_eq!(mode(&dir), 0o700);

    // A log with looser permissions is tightened.
    std::fs::set_permissions(
        dir.join("cwsetup.log"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    let run = cwsetup(home.path(), &["--log-level", "debug", "check", "--demo"]);
    assert_eq!(run.code, Some(0), "{}", run.out);
    assert_eq!(mode(&dir.join("cwsetup.log")), 0o600);

    // A link at the log's path is refused, and its target untouched.
    let home = tempfile::tempdir().expect("home");
    let dir = state_dir(home.path());
    std::fs::create_dir_all(&dir).expect("dir");
    let target = home.path().join("elsewhere.txt");
    std::fs::write(&target, "mine").expect("write");
    std::os::unix::fs::symlink(&target, dir.join("cwsetup.log")).expect("link");
    let run = cwsetup(home.path(), &["--log-level", "debug", "check", "--demo"]);
    assert_eq!(run.code, Some(2), "{}", run.out);
    assert!(run.out.contains("symbolic link"), "{}", run.out);
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "mine");

    // A saved session readable by others is made 0600 when it is read, and the folders
    // cwsetup creates for the session and the config are 0700.
    let home = tempfile::tempdir().expect("home");
    let dir = state_dir(home.path());
    std::fs::create_dir_all(&dir).expect("dir");
    let session = dir.join("session.json");
    std::fs::write(&session, "{}").expect("write");
    std::fs::set_permissions(&session, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let _ = cwsetup(home.path(), &["--plain"]);
    let kept = if session.exists() {
        session
    } else {
        dir.join("session.json.bad")
    };
    assert_eq!(mode(&kept), 0o600, "{}", kept.display());
}
