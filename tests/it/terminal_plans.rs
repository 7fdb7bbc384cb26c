//! Issue 25's pty tests: the built binary in a pseudo-terminal, walked with keys as a technician
//! would, for the existing-member plan's "check my work" (item 1), a report after a change since
//! the test (item 3), a cloud region in the demo (item 8) and Esc at the resume question (item 9).
//! Screens are polled with timeouts, never waited on with fixed sleeps.
#![cfg(unix)]

use crate::common;

use common::pty::Session;

const UP: &str = "\x1b[A";
const DOWN: &str = "\x1b[B";
const ESC: &str = "\x1b";
const TAB: &str = "\t";

/// The simulator's admin keys (fake, documented in docs/audit.md): the technician's own keys.
const OWN_PUBLIC: &str = "DemoAdminPubKey1";
const OWN_PRIVATE: &str = "DemoAdminPriv001";

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_under(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

fn reports_in(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|f| {
            f.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("cwsetup-report-"))
        })
        .collect()
}

/// Waits until the screen satisfies `ok` (a frame can reach the pseudo-terminal in pieces, so a
/// screen read the moment one text shows may still hold the last frame's rest): the screen.
fn wait_until(s: &Session, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = std::time::Instant::now();
    loop {
        let screen = s.screen();
        if ok(&screen) {
            return screen;
        }
        assert!(
            start.elapsed() < common::pty::WAIT,
            "timed out waiting for {what}; the screen shows:\n{screen}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn quit(mut s: Session) {
    s.send("\x03");
    let (status, restored) = s.finish();
    assert!(status.success(), "exit status {status:?}");
    restored.assert_all();
}

/// Item 1: under "I already have an API member", step 3 asks for that member's ID (a box of its
/// own, no empty "Values to type" box) and "check my work" (`t`) reads the typed member, never
/// the profile's default S365. Typing the whole ID keeps the cursor in the field, though the
/// first character brings the "Values to type" box above it.
#[test]
fn existing_member_check_my_work_reads_the_typed_member() {
    const MEMBER: &str = "AcmeApi7";
    let mut s = Session::start(&["--demo"], &[]).hiding(&[OWN_PUBLIC, OWN_PRIVATE]);
    s.wait_for("Step 1 of 5 · Prerequisites");
    s.send(TAB);
    s.wait_for("▸ Where does ConnectWise run?");
    s.send(TAB);
    s.wait_for("▸ API member");
    s.send(DOWN);
    s.wait_for("›( ) I already have an API member");
    s.send(" ");
    s.wait_for("›(•) I already have an API member");
    // Check my work as I go: the technician's own keys, pasted.
    s.send("m");
    s.wait_for("Your private key");
    s.send(&format!("\x1b[200~{OWN_PUBLIC}\x1b[201~"));
    s.send(TAB);
    s.send(&format!("\x1b[200~{OWN_PRIVATE}\x1b[201~"));
    s.wait_for("16 chars");
    s.send(ESC);
    s.wait_for("Enter/→ next step");

    s.send("3");
    s.wait_for("Step 3 of 5 · API member");
    // The whole step: the audit pane (below the field) asks for the ID, no box is empty.
    let screen = wait_until(&s, "step 3 asking for the member's ID", |screen| {
        screen.contains("Member ID in ConnectWise ─")
            && screen.contains("Type your existing API member's ID into")
    });
    assert!(
        screen.contains("your existing API member's ID"),
        "an empty box asks for the existing member's ID:\n{screen}"
    );
    assert!(
        !screen.contains("Values to type"),
        "no empty \"Values to type\" box:\n{screen}"
    );
    assert!(
        !screen.contains("API member \"\""),
        "no empty name in quotes:\n{screen}"
    );
    // `t` with no ID says what to type, and reads nothing (never the default S365).
    s.send("t");
    s.wait_for("Not checked yet: type your existing API member's ID");

    // The focus is on the checklist: one Tab reaches the ID's field.
    s.send(TAB);
    s.wait_for("▸ Member ID in ConnectWise");
    s.send(MEMBER);
    // Every letter reached the field (a letter landing elsewhere would be a key: c copies…).
    s.wait_for(&format!("Member ID  {MEMBER}"));
    s.send(ESC);
    s.wait_for("Enter/→ next step");
    let screen = s.wait_for(&format!("Member ID  {MEMBER}"));
    assert!(
        screen.contains(&format!("│{MEMBER}")),
        "the field holds the whole ID:\n{screen}"
    );
    s.send("t");
    let screen = s.wait_for("checked: something to fix");
    assert!(
        screen.contains(&format!("no API member \"{MEMBER}\"")),
        "the check names the typed member:\n{screen}"
    );
    assert!(
        !screen.contains("\"S365\""),
        "the check never looks for the profile's default:\n{screen}"
    );
    quit(s);
}

/// Item 3: a report describes the values on screen. After a passing test, a changed Company ID
/// makes `s` on the Summary refuse (the test is stale) and write nothing; the test run again
/// describes the new company, and only then is a report written, with no PASS in it.
#[test]
fn a_report_after_a_change_since_the_test_is_refused_until_tested_again() {
    let home = tempfile::tempdir().expect("a temporary HOME");
    let home_str = home.path().to_str().expect("utf-8 path").to_string();
    // The wizard saves the report where it was started: the pseudo-terminal starts it in HOME.
    let mut s = Session::start(&["--demo"], &[("HOME", home_str.as_str())]);
    s.wait_for("DEMO");
    s.send("5");
    s.wait_for("Step 5 of 5 · Integration");
    s.send("t");
    s.wait_for("test passed");

    // Tab to the Company ID: from the test's results, past the portal's values and the fields
    // above it, each focus seen before the next Tab.
    for pane in [
        "▸ For the vendor's portal",
        "▸ Where ConnectWise runs",
        "▸ Site",
        "▸ Company ID",
    ] {
        s.send(TAB);
        s.wait_for(pane);
    }
    s.send("x");
    s.wait_for("cwsetup_demox");
    s.send(ESC);
    s.wait_for("Enter/→ next step");

    s.send("6");
    s.wait_for("s save report");
    s.send("s");
    let screen = s.wait_for("the values changed since the last test");
    assert!(!screen.contains("report saved"), "{screen}");
    assert!(
        reports_in(home.path()).is_empty(),
        "no report with the old PASS: {:?}",
        reports_in(home.path())
    );

    // Tested again: the report now describes the company on screen (which the simulator does
    // not know: no PASS).
    s.send("5");
    s.wait_for("Step 5 of 5 · Integration");
    s.send("t");
    s.wait_for("test failed");
    s.send("6");
    s.wait_for("s save report");
    s.send("s");
    s.wait_for("report saved to");
    let reports = reports_in(home.path());
    assert_eq!(reports.len(), 1, "{reports:?}");
    let text = std::fs::read_to_string(&reports[0]).expect("read the report");
    assert!(text.contains("cwsetup\\_demox"), "{text}");
    assert!(!text.contains("PASS"), "{text}");
    quit(s);
}

/// Item 8: in the demo a cloud region changes the words, never the target: the screen says the
/// test still talks to the simulator, and it passes there (no lookup of a real cloud host).
#[test]
fn the_demo_with_a_cloud_region_still_tests_the_simulator() {
    let mut s = Session::start(&["--demo"], &[]);
    s.wait_for("Step 1 of 5 · Prerequisites");
    s.send(TAB);
    s.wait_for("▸ Where does ConnectWise run?");
    let mut on_region = false;
    for _ in 0..8 {
        s.send(UP);
        if s.wait_for_within(
            "›( ) North America cloud",
            std::time::Duration::from_secs(2),
        )
        .is_some()
        {
            on_region = true;
            break;
        }
    }
    assert!(on_region, "↑ reaches North America:\n{}", s.screen());
    s.send(" ");
    s.wait_for("›(•) North America cloud");
    let screen = s.wait_for("the test still talks to the simulated");
    assert!(screen.contains("DEMO"), "{screen}");

    s.send("5");
    s.wait_for("Step 5 of 5 · Integration");
    s.wait_for("(•) North America");
    s.send("t");
    let screen = s.wait_for("test passed");
    assert!(screen.contains("✓ connect"), "{screen}");
    assert!(screen.contains("http://127.0.0.1:"), "{screen}");
    assert!(!screen.contains("myconnectwise.net"), "{screen}");
    assert!(screen.contains("DEMO"), "{screen}");
    let lower = screen.to_lowercase();
    assert!(
        !lower.contains("dns") && !lower.contains("resolve"),
        "no lookup of a real host:\n{screen}"
    );
    quit(s);
}

/// Item 9: at the resume question Esc keeps the saved setup (it resumes, as Enter does); only
/// `n` starts fresh.
#[test]
fn esc_at_the_resume_question_resumes_and_only_n_starts_fresh() {
    let home = tempfile::tempdir().expect("a temporary HOME");
    let home_str = home.path().to_str().expect("utf-8 path").to_string();
    let env = [("HOME", home_str.as_str())];

    // Yesterday: a company typed on step 5, then q (no key entered: it quits without asking).
    let mut s = Session::start(&[], &env);
    s.wait_for("Step 1 of 5");
    s.send("5");
    s.wait_for("Step 5 of 5 · Integration");
    s.send(TAB); // site
    s.wait_for("leave field");
    s.send(TAB); // company
    s.wait_for("▸ Company ID");
    s.send("acme");
    s.wait_for("acme");
    s.send(ESC);
    s.wait_for("Enter/→ next step");
    s.send("q");
    let (status, restored) = s.finish();
    assert!(status.success(), "exit status {status:?}");
    restored.assert_all();

    // Esc: resumed, not discarded.
    let mut s = Session::start(&[], &env);
    s.wait_for("setup for company acme from");
    s.send(ESC);
    s.wait_for("resumed");
    // Resumed on step 5 with the company, the question gone.
    wait_until(&s, "step 5 with acme and no question", |screen| {
        screen.contains("Step 5 of 5 · Integration")
            && screen.contains("│acme")
            && !screen.contains("setup for company acme from")
    });
    s.send("q");
    let (status, _) = s.finish();
    assert!(status.success());

    // Still saved after the Esc; now `n`: a new setup, step 1, no company.
    let mut s = Session::start(&[], &env);
    s.wait_for("setup for company acme from");
    s.send("n");
    s.wait_for("Step 1 of 5");
    s.send("5");
    s.wait_for("Step 5 of 5 · Integration");
    // Step 5 of a new setup: the Company ID's box is empty (its placeholder shows), no acme.
    let screen = wait_until(&s, "step 5 with no company", |screen| {
        screen.contains("Step 5 of 5 · Integration")
            && (screen.contains("the company ID typed on the ConnectWise login screen")
                || screen.contains("as typed on the login screen"))
            && !screen.contains("acme")
    });
    assert!(!screen.contains("resumed"), "{screen}");
    quit(s);
}
