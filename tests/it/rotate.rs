//! `cwsetup rotate` against the simulator: the new key's full check, then the old key's proof
//! (rejected, still works, not checked), the two private keys from the environment and from two
//! lines of standard input, input errors, the JSON contract, and no key in any output, report or
//! log.

use std::collections::BTreeSet;
use std::process::Output;

use base64::Engine as _;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_OLD_PRIVATE_KEY, DEMO_OLD_PUBLIC_KEY, DEMO_PRIVATE_KEY,
    DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use serde_json::Value;

use crate::common::cli_run::{cwsetup, cwsetup_async};

fn args(sim: &SimServer, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "rotate",
        "--site",
        &sim.url(),
        "--company",
        DEMO_COMPANY_ID,
        "--client-id",
        DEMO_CLIENT_ID,
        "--public-key",
        DEMO_PUBLIC_KEY,
        "--old-public-key",
        DEMO_OLD_PUBLIC_KEY,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// A state directory of the tests' own, so a proved rotation is never remembered in the real
/// one (each simulator has its own port, so its own site: tests do not see each other's dates).
fn state_env() -> Vec<(String, String)> {
    static STATE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = STATE.get_or_init(|| tempfile::tempdir().expect("temp dir"));
    vec![
        ("HOME".into(), dir.path().display().to_string()),
        (
            "XDG_STATE_HOME".into(),
            dir.path().join("state").display().to_string(),
        ),
    ]
}

fn both_keys_in_env() -> Vec<(String, String)> {
    let mut env = state_env();
    env.extend([
        ("CW_PRIVATE_KEY".into(), DEMO_PRIVATE_KEY.into()),
        ("CW_OLD_PRIVATE_KEY".into(), DEMO_OLD_PRIVATE_KEY.into()),
    ]);
    env
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn json(output: &Output) -> Value {
    let (stdout, stderr) = text(output);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"))
}

fn keys_of(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Exactly `{"verdict", "new_key": {"verdict", "stages"}, "old_key": {"status", "detail"}}`.
fn assert_contract(v: &Value) {
    assert_eq!(keys_of(v), set(&["verdict", "new_key", "old_key"]), "{v:#}");
    assert_eq!(keys_of(&v["new_key"]), set(&["verdict", "stages"]), "{v:#}");
    assert_eq!(keys_of(&v["old_key"]), set(&["status", "detail"]), "{v:#}");
    for verdict in [&v["verdict"], &v["new_key"]["verdict"]] {
        assert!(
            ["pass", "warn", "fail"].contains(&verdict.as_str().unwrap_or_default()),
            "{v:#}"
        );
    }
    assert!(
        ["rejected", "still-works", "not-checked"]
            .contains(&v["old_key"]["status"].as_str().unwrap_or_default()),
        "{v:#}"
    );
    assert!(
        v["old_key"]["detail"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    let stages = v["new_key"]["stages"].as_array().expect("stages");
    let ids: Vec<&str> = stages.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(
        ids,
        ["input", "connect", "company", "auth", "permissions", "data"],
        "{v:#}"
    );
    for stage in stages {
        assert!(stage["status"].is_string() && stage["summary"].is_string());
    }
}

async fn sim(scenario: Scenario) -> SimServer {
    SimServer::start(scenario).await.expect("sim starts")
}

// ---------------------------------------------------------------- the three outcomes

#[test]
fn the_demo_proves_a_rotation_and_prints_the_steps() {
    let output = cwsetup(&["rotate", "--demo"], &[], None);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let date = cwsetup::rotate::today();
    for want in [
        format!("described \"S365 {date}\""),
        "2. The new key, checked in full:".to_string(),
        "3. Type these values into the vendor's portal".to_string(),
        "Public Key       the public key you tested".to_string(),
        "4. Then delete the old key in ConnectWise: System > Members > API Members > S365 > API Keys"
            .to_string(),
        "5. The old key, tried on system/info: ✓ Rejected".to_string(),
        "✓ ROTATED".to_string(),
    ] {
        assert!(stdout.contains(&want), "{want:?} not in\n{stdout}");
    }
    let json = json(&cwsetup(&["rotate", "--demo", "--json"], &[], None));
    assert_contract(&json);
    assert_eq!(json["verdict"], "pass");
    assert_eq!(json["new_key"]["verdict"], "pass");
    assert_eq!(json["old_key"]["status"], "rejected");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_key_that_still_works_exits_1_with_the_fix_until_it_is_deleted() {
    let sim = sim(Scenario::new().old_key_kept()).await;
    let output = cwsetup_async(args(&sim, &["--json"]), both_keys_in_env(), None).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let v = json(&output);
    assert_contract(&v);
    assert_eq!(v["verdict"], "fail");
    assert_eq!(v["new_key"]["verdict"], "pass");
    assert_eq!(v["old_key"]["status"], "still-works");
    let detail = v["old_key"]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("delete the old one on the member's API Keys tab in ConnectWise")
            && detail.contains("System > Members > API Members > S365 > API Keys"),
        "{detail}"
    );
    let human = cwsetup_async(args(&sim, &[]), both_keys_in_env(), None).await;
    let (stdout, _) = text(&human);
    assert_eq!(human.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("5. The old key, tried on system/info: ✗ Still works"),
        "{stdout}"
    );
    assert!(
        stdout.contains("✗ NOT DONE: the old key still works."),
        "{stdout}"
    );

    // Nothing proved yet, so nothing remembered: no age to tell.
    assert!(!stdout.contains("last proved rotation"), "{stdout}");

    // The technician deletes it on the API Keys tab: the same command now proves it.
    sim.delete_old_key();
    let output = cwsetup_async(args(&sim, &["--json"]), both_keys_in_env(), None).await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(json(&output)["old_key"]["status"], "rejected");
    // The next run says when this member's key was last proved rotated here.
    let again = cwsetup_async(args(&sim, &[]), both_keys_in_env(), None).await;
    let (stdout, _) = text(&again);
    assert_eq!(again.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("The last proved rotation of S365's key here was today."),
        "{stdout}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_key_that_fails_leaves_the_old_key_not_checked_and_exits_1() {
    let sim = sim(Scenario::named("missing-products")
        .expect("named")
        .old_key_kept())
    .await;
    let output = cwsetup_async(args(&sim, &["--json"]), both_keys_in_env(), None).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let v = json(&output);
    assert_contract(&v);
    assert_eq!(v["verdict"], "fail");
    assert_eq!(v["new_key"]["verdict"], "fail");
    assert_eq!(v["old_key"]["status"], "not-checked");
    assert!(
        v["old_key"]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("the new key must pass first")),
        "{v:#}"
    );
    // The old key was never sent: system/info was asked once, by the new key's check.
    let infos = sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/system/info"))
        .count();
    assert_eq!(infos, 1);
    let human = cwsetup_async(args(&sim, &[]), both_keys_in_env(), None).await;
    let (stdout, _) = text(&human);
    assert!(
        stdout.contains("✗ NOT ROTATED: the new key failed its check."),
        "{stdout}"
    );
    assert!(stdout.contains("3. Not yet"), "{stdout}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_new_keys_fail_at_auth_and_swapped_pairs_are_told_apart() {
    let sim = sim(Scenario::new().old_key_kept()).await;
    // The old pair given as the new one and the other way round: the "new" key (the old one)
    // passes, and the "old" one (really the new key) still works.
    let mut swapped = args(&sim, &["--json"]);
    for arg in swapped.iter_mut() {
        if arg == DEMO_PUBLIC_KEY {
            *arg = DEMO_OLD_PUBLIC_KEY.into();
        } else if arg == DEMO_OLD_PUBLIC_KEY {
            *arg = DEMO_PUBLIC_KEY.into();
        }
    }
    let mut env = state_env();
    env.extend([
        ("CW_PRIVATE_KEY".into(), DEMO_OLD_PRIVATE_KEY.into()),
        ("CW_OLD_PRIVATE_KEY".into(), DEMO_PRIVATE_KEY.into()),
    ]);
    let output = cwsetup_async(swapped, env, None).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(json(&output)["old_key"]["status"], "still-works");
    // A new private key ConnectWise does not know: auth fails, the old key is not tried.
    let mut env = state_env();
    env.extend([
        ("CW_PRIVATE_KEY".into(), "FakePrivate00001".into()),
        ("CW_OLD_PRIVATE_KEY".into(), DEMO_OLD_PRIVATE_KEY.into()),
    ]);
    let output = cwsetup_async(args(&sim, &["--json"]), env, None).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let v = json(&output);
    assert_eq!(v["new_key"]["stages"][3]["status"], "fail", "{v:#}");
    assert_eq!(v["old_key"]["status"], "not-checked");
    sim.shutdown().await;
}

// ---------------------------------------------------------------- where the keys come from

#[tokio::test(flavor = "multi_thread")]
async fn private_key_stdin_reads_two_lines_new_then_old() {
    let sim = sim(Scenario::new().old_key_kept()).await;
    let stdin = format!("{DEMO_PRIVATE_KEY}\r\n{DEMO_OLD_PRIVATE_KEY}\n");
    let output = cwsetup_async(
        args(&sim, &["--json", "--private-key-stdin"]),
        state_env(),
        Some(stdin.into_bytes()),
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let v = json(&output);
    // The first line passed as the new key, and the second line is the old key, still live.
    assert_eq!(v["new_key"]["verdict"], "pass", "{v:#}");
    assert_eq!(v["old_key"]["status"], "still-works", "{v:#}");
    sim.delete_old_key();
    // No newline after the old key: still two keys.
    let stdin = format!("{DEMO_PRIVATE_KEY}\n{DEMO_OLD_PRIVATE_KEY}");
    let output = cwsetup_async(
        args(&sim, &["--private-key-stdin"]),
        state_env(),
        Some(stdin.into_bytes()),
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    // One line only: the old private key is missing (exit 2), and nothing was sent.
    let before = sim.request_count();
    let output = cwsetup_async(
        args(&sim, &["--private-key-stdin"]),
        state_env(),
        Some(format!("{DEMO_PRIVATE_KEY}\n").into_bytes()),
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("missing the old private key"), "{stderr}");
    assert_eq!(sim.request_count(), before);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_or_same_keys_are_input_errors_naming_their_sources() {
    let sim = sim(Scenario::new()).await;
    // No private key at all, stdin closed: both named, with their variables.
    let output = cwsetup_async(args(&sim, &[]), state_env(), None).await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("CW_PRIVATE_KEY") && stderr.contains("CW_OLD_PRIVATE_KEY"),
        "{stderr}"
    );
    assert!(stdout.is_empty());
    // Only the old private key missing.
    let mut env = state_env();
    env.push(("CW_PRIVATE_KEY".to_string(), DEMO_PRIVATE_KEY.to_string()));
    let output = cwsetup_async(args(&sim, &[]), env, None).await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("CW_OLD_PRIVATE_KEY") && !stderr.contains("(CW_PRIVATE_KEY"),
        "{stderr}"
    );
    // No old public key.
    let mut no_old: Vec<String> = args(&sim, &[]);
    let at = no_old
        .iter()
        .position(|a| a == "--old-public-key")
        .expect("flag");
    no_old.drain(at..at + 2);
    let output = cwsetup_async(no_old, both_keys_in_env(), None).await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--old-public-key or CW_OLD_PUBLIC_KEY"),
        "{stderr}"
    );
    // The old public key is the new one.
    let mut same = args(&sim, &[]);
    let at = same
        .iter()
        .position(|a| a == "--old-public-key")
        .expect("flag")
        + 1;
    same[at] = format!(" {DEMO_PUBLIC_KEY}");
    let output = cwsetup_async(same, both_keys_in_env(), None).await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the old public key is the new one"),
        "{stderr}"
    );
    assert!(
        sim.requests().is_empty(),
        "nothing is sent on an input error"
    );
    sim.shutdown().await;
}

// ---------------------------------------------------------------- no key anywhere

/// Each key, and its base64 at the three alignments (the Authorization header's form).
fn needles() -> Vec<String> {
    let mut all = Vec::new();
    for key in [
        DEMO_PRIVATE_KEY,
        DEMO_OLD_PRIVATE_KEY,
        DEMO_PUBLIC_KEY,
        DEMO_OLD_PUBLIC_KEY,
    ] {
        all.push(key.to_string());
        let bytes = key.as_bytes();
        for skip in 0..3 {
            let whole = (bytes.len() - skip) / 3 * 3;
            all.push(base64::engine::general_purpose::STANDARD.encode(&bytes[skip..skip + whole]));
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn no_key_in_stdout_stderr_the_report_or_the_log() {
    let home = tempfile::tempdir().expect("temp dir");
    let state = home.path().join("state");
    let report = home.path().join("rotation.md");
    let mut env = both_keys_in_env();
    env.extend([
        ("HOME".to_string(), home.path().display().to_string()),
        ("XDG_STATE_HOME".to_string(), state.display().to_string()),
        ("CWSETUP_LOG".to_string(), "trace".to_string()),
    ]);
    let mut texts = Vec::new();
    for (scenario, json) in [
        (Scenario::new().old_key_kept(), false),
        (Scenario::new().old_key_kept(), true),
        (Scenario::new(), false),
        (Scenario::named("missing-products").expect("named"), true),
    ] {
        let sim = sim(scenario).await;
        let mut extra = vec!["--report", report.to_str().expect("utf-8 path")];
        if json {
            extra.push("--json");
        }
        let output = cwsetup_async(args(&sim, &extra), env.clone(), None).await;
        assert_ne!(output.status.code(), Some(2), "{output:?}");
        let (stdout, stderr) = text(&output);
        let written = std::fs::read_to_string(&report).expect("report written");
        assert!(written.contains("## Key rotation"), "{written}");
        texts.push(("stdout", stdout));
        texts.push(("stderr", stderr));
        texts.push(("report", written));
        sim.shutdown().await;
    }
    // The state folder follows HOME/XDG on Unix; on Windows it is the known Local AppData
    // folder, which a test cannot redirect: the files are searched where the test can find them.
    if cfg!(unix) {
        let log =
            std::fs::read_to_string(state.join("cwsetup").join("cwsetup.log")).expect("a log");
        assert!(log.contains("cwsetup started"), "{log}");
        texts.push(("log", log));
        let remembered = std::fs::read_to_string(state.join("cwsetup").join("rotations.json"))
            .expect("the proved rotation's date is remembered");
        assert!(
            remembered.contains(&cwsetup::rotate::today()),
            "{remembered}"
        );
        texts.push(("rotations.json", remembered));
    }
    for (what, text) in &texts {
        for needle in needles() {
            assert!(
                !text.contains(&needle),
                "{what} holds a key (or its base64)"
            );
        }
    }
}

// ---------------------------------------------------------------- help

#[test]
fn the_help_has_the_steps_examples_the_json_shape_and_exit_codes() {
    let output = cwsetup(&["rotate", "--help"], &[], None);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    for want in [
        "--old-public-key <KEY>",
        "--private-key-stdin",
        "CW_OLD_PRIVATE_KEY",
        "cwsetup rotate --demo",
        "5. cwsetup proves the old key is rejected: 401 on system/info.",
        "old_key.status is rejected, still-works or not-checked",
        "Exit codes: 0 the new key passed (or warned) and the old key is rejected",
    ] {
        assert!(stdout.contains(want), "{want:?} not in\n{stdout}");
    }
    // No flag takes a private key.
    assert!(!stdout.contains("--private-key <") && !stdout.contains("--old-private-key"));
}

// ---------------------------------------------------------------- the prompts on a terminal

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_two_prompts_ask_for_the_keys_without_echo() {
    use crate::common::cli_run::CLEARED;
    use crate::common::pty::Session;
    let sim = sim(Scenario::new()).await;
    let args = args(&sim, &[]);
    let (code, shown) = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut s = Session::start_with(&args, &[("NO_COLOR", "1")], &CLEARED)
            .hiding(&[DEMO_PRIVATE_KEY, DEMO_OLD_PRIVATE_KEY]);
        s.wait_for("New private key (not shown");
        s.send(&format!("{DEMO_PRIVATE_KEY}\r"));
        s.wait_for("Old private key (not shown");
        s.send(&format!("{DEMO_OLD_PRIVATE_KEY}\r"));
        let (status, restored) = s.finish();
        (status.exit_code(), restored.text)
    })
    .await
    .expect("joined");
    assert!(
        !shown.contains(DEMO_PRIVATE_KEY) && !shown.contains(DEMO_OLD_PRIVATE_KEY),
        "a key was echoed"
    );
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("ROTATED"), "{shown}");
    sim.shutdown().await;
}

#[test]
fn the_demo_ignores_a_given_old_key_and_says_so() {
    let output = cwsetup(
        &["rotate", "--demo", "--old-public-key", "FakeOldPublic001"],
        &[("CW_OLD_PRIVATE_KEY", "FakeOldPrivate01")],
        None,
    );
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains("cwsetup rotate --demo: ignoring the given old key"),
        "{stderr}"
    );
    for text in [&stdout, &stderr] {
        assert!(!text.contains("FakeOldPublic001") && !text.contains("FakeOldPrivate01"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn new_values_the_check_refuses_are_exit_2_and_nothing_is_sent() {
    let sim = sim(Scenario::new()).await;
    // The new pair's two halves are the same key: the check's input stage refuses it.
    let mut env = state_env();
    env.extend([
        ("CW_PRIVATE_KEY".into(), DEMO_PUBLIC_KEY.into()),
        ("CW_OLD_PRIVATE_KEY".into(), DEMO_OLD_PRIVATE_KEY.into()),
    ]);
    let output = cwsetup_async(args(&sim, &["--json"]), env, None).await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let v = json(&output);
    assert_eq!(v["new_key"]["stages"][0]["status"], "fail", "{v:#}");
    assert_eq!(v["old_key"]["status"], "not-checked");
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
    sim.shutdown().await;
}
