//! The wizard's "rotate a key" path (issue 26 §3), driven by synthetic keys through `update`
//! like real input, its effects carried out by the wizard's own effect runner against the
//! simulator on 127.0.0.1: the new key passes and the old is rejected (proved); the old still
//! works (the fix shown, then proved once deleted); the new key fails (the old is not checked).
//! No key on any screen, nothing of either pair in the files a temporary HOME holds.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crossterm::event::KeyCode;
use tokio::sync::mpsc;

use cwsetup::clipboard::ClipboardManager;
use cwsetup::rotate::OldKeyStatus;
use cwsetup::setup::rotation::{self, RotateField, RotateStep};
use cwsetup::setup::saved::Persistence;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_OLD_PRIVATE_KEY, DEMO_OLD_PUBLIC_KEY, DEMO_PRIVATE_KEY,
    DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use cwsetup::wizard::app::{App, Prefill, StepId};
use cwsetup::wizard::effects::{Runner, carry_out};
use cwsetup::wizard::keymap::{self, Context};
use cwsetup::wizard::update::{Effect, Msg, update};

use crate::common::wizard::{key, screen};

const KEYS: [&str; 4] = [
    DEMO_PUBLIC_KEY,
    DEMO_PRIVATE_KEY,
    DEMO_OLD_PUBLIC_KEY,
    DEMO_OLD_PRIVATE_KEY,
];

/// The wizard at 100x30 with its runtime's parts: the effect runner, its channel, and the files
/// a session writes (the saved progress, the remembered client ID) in a temporary HOME.
struct Driver {
    app: App,
    runner: Runner,
    rx: mpsc::UnboundedReceiver<Msg>,
    persist: Persistence,
    home: tempfile::TempDir,
    /// Every screen drawn, for the key-residue search.
    screens: Vec<String>,
    effects: Vec<Effect>,
}

impl Driver {
    fn new(sim: &SimServer) -> Driver {
        let home = tempfile::tempdir().expect("temp HOME");
        let mut app = crate::common::wizard::app((100, 30));
        app.prefill(Prefill {
            site: sim.url(),
            company_id: DEMO_COMPANY_ID.into(),
            client_id: DEMO_CLIENT_ID.into(),
            public_key: None,
            private_key: None,
        });
        let (persist, _) = Persistence::start(
            &mut app,
            Some(home.path().join("state/session.json")),
            Some(home.path().join("config/config.json")),
            true,
        );
        let (tx, rx) = mpsc::unbounded_channel();
        let clipboard = ClipboardManager::unavailable("none in tests", Duration::ZERO);
        let runner = Runner::new(clipboard, tx, home.path().to_path_buf());
        Driver {
            app,
            runner,
            rx,
            persist,
            home,
            screens: Vec::new(),
            effects: Vec::new(),
        }
    }

    /// What the runtime does after each batch: carry out the effects (their replies applied),
    /// save what changed, draw.
    fn settle(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            self.effects.push(effect.clone());
            for reply in carry_out(effect, &self.app, &mut self.runner) {
                let more = update(&mut self.app, reply);
                self.settle(more);
            }
        }
        let _ = self.persist.save_changes(&self.app);
        self.screens.push(screen(&self.app, 100, 30));
    }

    fn key(&mut self, code: KeyCode) {
        let effects = key(&mut self.app, code);
        self.settle(effects);
    }

    fn paste(&mut self, text: &str) {
        let effects = update(&mut self.app, Msg::Paste(text.to_string()));
        self.settle(effects);
    }

    /// Waits for the running check or proof to answer (bounded: the simulator answers at once).
    async fn answer(&mut self) {
        for _ in 0..8 {
            if !self.app.rotation.as_ref().is_some_and(|r| r.running) {
                return;
            }
            let msg = tokio::time::timeout(Duration::from_secs(60), self.rx.recv())
                .await
                .expect("an answer from the simulator")
                .expect("the runner's channel is open");
            let effects = update(&mut self.app, msg);
            self.settle(effects);
        }
        panic!("no answer after 8 messages");
    }

    fn last_screen(&self) -> &str {
        self.screens.last().map(String::as_str).unwrap_or_default()
    }

    fn step(&self) -> RotateStep {
        self.app.rotation.as_ref().expect("rotating").step
    }

    /// The core's words on the current step, one string (the screen wraps them).
    fn said(&self) -> String {
        rotation::intro(&self.app)
            .into_iter()
            .chain(rotation::results(&self.app))
            .map(|l| l.text)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// No key on any screen drawn, in the status line, or in any file under HOME.
    fn assert_no_key_residue(&self) {
        for (i, shown) in self.screens.iter().enumerate() {
            for secret in KEYS {
                assert!(!shown.contains(secret), "a key on screen {i}:\n{shown}");
            }
        }
        for file in files_under(self.home.path()) {
            let bytes = std::fs::read(&file).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            for secret in KEYS {
                assert!(!text.contains(secret), "a key in {}", file.display());
            }
        }
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

async fn sim(scenario: Scenario) -> SimServer {
    SimServer::start(scenario).await.expect("sim")
}

/// `r` on step 1, the new key made (step 1), pasted and tested (step 2).
async fn new_key_tested(driver: &mut Driver) {
    assert_eq!(driver.app.step, StepId::Prerequisites);
    let footer = keymap::footer(driver.app.context(), &driver.app.situation());
    assert!(
        footer.contains(&("r", "rotate a key")),
        "step 1 offers it: {footer:?}"
    );
    driver.key(KeyCode::Char('r'));
    assert_eq!(driver.step(), RotateStep::NewKey);
    let first = driver.last_screen().to_string();
    assert!(first.contains("Step 1 of 5: Make a new key"), "{first}");
    let description = format!("S365 {}", cwsetup::rotate::today());
    assert!(first.contains(&description), "{first}");
    assert!(first.contains("System > Members > API Members > S365 > API Keys > +"));

    driver.key(KeyCode::Enter);
    assert_eq!(driver.step(), RotateStep::CheckNew);
    // The first key box has the keyboard, ready for the paste.
    assert_eq!(driver.app.context(), Context::RotateField);
    assert_eq!(
        driver.app.rotation.as_ref().and_then(|r| r.focus),
        Some(RotateField::NewPublic)
    );
    driver.paste(&format!("  {DEMO_PUBLIC_KEY}\n"));
    driver.key(KeyCode::Enter);
    driver.paste(DEMO_PRIVATE_KEY);
    // Enter on the last field runs the test.
    driver.key(KeyCode::Enter);
    assert_eq!(driver.effects.last(), Some(&Effect::StartRotateCheck));
    driver.answer().await;
    let shown = driver.last_screen();
    assert!(shown.contains("••••••••••••••••"), "masked: {shown}");
}

/// Steps 3 and 4, then the old key pasted and tried (step 5).
async fn old_key_tried(driver: &mut Driver) {
    driver.key(KeyCode::Right);
    assert_eq!(driver.step(), RotateStep::Portal);
    let portal = driver.last_screen().to_string();
    assert!(portal.contains("Company ID: cwsetup_demo"), "{portal}");
    assert!(
        portal.contains("Public Key: (new public key: c copies it, never shown)"),
        "{portal}"
    );
    driver.key(KeyCode::Right);
    assert_eq!(driver.step(), RotateStep::DeleteOld);
    assert!(
        driver.said().contains("delete the OLD key"),
        "{}",
        driver.said()
    );
    driver.key(KeyCode::Right);
    assert_eq!(driver.step(), RotateStep::ProveOld);
    driver.paste(DEMO_OLD_PUBLIC_KEY);
    driver.key(KeyCode::Enter);
    driver.paste(DEMO_OLD_PRIVATE_KEY);
    driver.key(KeyCode::Enter);
    assert_eq!(driver.effects.last(), Some(&Effect::ProveOldKey));
    driver.answer().await;
}

fn old_status(driver: &Driver) -> Option<OldKeyStatus> {
    driver
        .app
        .rotation
        .as_ref()
        .and_then(|r| r.old_key.as_ref())
        .map(|o| o.status)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_key_that_passes_and_an_old_key_rejected_prove_the_rotation() {
    let sim = sim(Scenario::new()).await;
    let mut driver = Driver::new(&sim);
    new_key_tested(&mut driver).await;
    let tested = driver.last_screen().to_string();
    assert!(tested.contains("✓ New key: PASS"), "{tested}");
    assert!(
        tested.contains("the new key passed: → for step 3"),
        "{tested}"
    );
    old_key_tried(&mut driver).await;
    assert_eq!(old_status(&driver), Some(OldKeyStatus::Rejected));
    let proved = driver.last_screen().to_string();
    assert!(
        proved.contains("✓ Rejected: ConnectWise answers 401 to the old key on system/info"),
        "{proved}"
    );
    assert!(
        proved.contains("✓ ROTATED: the new key works, the old one is dead."),
        "{proved}"
    );
    assert!(proved.contains("✓ 5 Prove the old is dead"), "{proved}");

    // x wipes both pairs; Esc leaves the path (back on step 1, nothing held).
    driver.key(KeyCode::Char('x'));
    let rotation = driver.app.rotation.as_ref().expect("still rotating");
    assert!(!rotation.keys_entered());
    assert!(!driver.app.keys_entered());
    driver.key(KeyCode::Esc);
    assert!(driver.app.rotation.is_none());
    assert_eq!(driver.app.context(), Context::Browse);
    assert_eq!(driver.app.step, StepId::Prerequisites);
    driver.assert_no_key_residue();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_key_that_still_works_is_said_with_the_fix_and_proved_once_deleted() {
    let sim = sim(Scenario::new().old_key_kept()).await;
    let mut driver = Driver::new(&sim);
    new_key_tested(&mut driver).await;
    old_key_tried(&mut driver).await;
    assert_eq!(old_status(&driver), Some(OldKeyStatus::StillWorks));
    let shown = driver.last_screen().to_string();
    assert!(
        shown.contains("✗ NOT DONE: the old key still works."),
        "{shown}"
    );
    assert!(shown.contains("✗ 5 Prove the old is dead"), "{shown}");
    assert!(
        shown.contains("the old key still works: delete it on the member's API Keys tab"),
        "status line: {shown}"
    );
    let said = driver.said();
    assert!(
        said.contains("delete the old one on the member's API Keys tab in ConnectWise")
            && said.contains("System > Members > API Members > S365 > API Keys"),
        "{said}"
    );

    // Deleted on the API Keys tab: t proves it now.
    sim.delete_old_key();
    driver.key(KeyCode::Char('t'));
    assert_eq!(driver.effects.last(), Some(&Effect::ProveOldKey));
    driver.answer().await;
    assert_eq!(old_status(&driver), Some(OldKeyStatus::Rejected));
    assert!(driver.last_screen().contains("✓ ROTATED"));

    // Quitting asks first (keys are held), and the farewell saves nothing of them.
    driver.key(KeyCode::Char('q'));
    driver.key(KeyCode::Char('y'));
    assert!(driver.app.should_quit);
    driver.assert_no_key_residue();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_key_that_fails_keeps_the_old_key_unchecked_and_the_path_at_step_2() {
    let sim = sim(Scenario::named("missing-products")
        .expect("named")
        .old_key_kept())
    .await;
    let mut driver = Driver::new(&sim);
    new_key_tested(&mut driver).await;
    let failed = driver.last_screen().to_string();
    assert!(failed.contains("✗ New key: FAIL"), "{failed}");
    assert!(
        failed.contains("Old key: not checked until the new key passes"),
        "{failed}"
    );
    assert!(failed.contains("✗ 2 Test the new key"), "{failed}");
    assert_eq!(old_status(&driver), Some(OldKeyStatus::NotChecked));

    // → does not go on: the status line says why, and the step stays.
    driver.key(KeyCode::Right);
    assert_eq!(driver.step(), RotateStep::CheckNew);
    assert!(
        driver
            .last_screen()
            .contains("not yet: the new key failed its test: fix what failed, then t again."),
        "{}",
        driver.last_screen()
    );
    // On a small terminal the result scrolls, and says so.
    let small = screen(&driver.app, 80, 24);
    assert!(small.contains("more lines (↓ reads on)"), "{small}");
    for _ in 0..40 {
        driver.key(KeyCode::Down);
    }
    let end = screen(&driver.app, 80, 24);
    assert!(end.contains("more lines above (↑)"), "{end}");
    assert!(!end.contains("more lines (↓ reads on)"), "{end}");
    // The old key was never tried: no proof was asked for.
    assert!(!driver.effects.contains(&Effect::ProveOldKey));
    driver.assert_no_key_residue();
    sim.shutdown().await;
}

#[test]
fn the_rotate_path_is_in_the_help_and_its_keys_never_reach_the_screen_unmasked() {
    let mut app = crate::common::wizard::app((100, 30));
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Enter);
    update(&mut app, Msg::Paste(DEMO_PUBLIC_KEY.into()));
    // Ctrl-R shows the last 4 only.
    update(
        &mut app,
        Msg::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('r'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    let shown = screen(&app, 100, 30);
    assert!(!shown.contains(DEMO_PUBLIC_KEY), "{shown}");
    assert!(shown.contains("••••••••••••y001"), "{shown}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('?'));
    let help = screen(&app, 100, 30);
    assert!(help.contains("Rotating a key (r on step 1)"), "{help}");
    key(&mut app, KeyCode::Esc);
    // Esc leaves the path: the pair is wiped.
    key(&mut app, KeyCode::Esc);
    assert!(app.rotation.is_none());
    assert!(!app.keys_entered());
}
