//! Issue 4, keys: sanitizing what is pasted, holding keys as secrets, and the clipboard flows.
//!
//! - Property tests in the issue's words: any mix of the listed invisible characters around and
//!   inside a 16-character key (inside the quotes too, when it is in one matching pair), gives
//!   back the key, also through the masked field's paste; the report's words count exactly what
//!   went, by position and kind; a company ID only loses its edges. General properties over
//!   arbitrary input (clean edges, `total()`, idempotence, `sanitize_secret_into` agreeing with
//!   `sanitize`, keys padded only at the edges) are in `tests/fuzz_properties.rs` and the fuzz
//!   target `fuzz/fuzz_targets/sanitize.rs`.
//! - `Secret` prints `[redacted]` and cannot be cloned or serialized (checked at compile time).
//! - The clipboard flows, on the fake clipboard, with explicit instants instead of waiting.
//!
//! No key is ever printed, even on failure: assertions name what went wrong without the value,
//! and generated cases print with their key masked.

use std::fmt;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use proptest::prelude::*;

use cwsetup::clipboard::{
    BackendKind, ClipboardBackend, ClipboardError, ClipboardManager, FakeClipboard, OSC52_CLEAR,
    Osc52Backend, Sensitivity, osc52_sequence,
};
use cwsetup::cw::Credentials;
use cwsetup::sanitize::{FieldKind, sanitize};
use cwsetup::secret::Secret;
use cwsetup::setup::masked_input::MaskedInput;

// ---------------------------------------------------------------------------------------------
// Sanitizing
// ---------------------------------------------------------------------------------------------

/// The characters issue 4 lists, with the name the report gives each.
const INVISIBLES: [(char, &str); 11] = [
    (' ', "space"),
    ('\t', "tab"),
    ('\r', "carriage return"),
    ('\n', "newline"),
    ('\u{a0}', "non-breaking space"),
    ('\u{202f}', "narrow non-breaking space"),
    ('\u{200b}', "zero-width space"),
    ('\u{200c}', "zero-width non-joiner"),
    ('\u{200d}', "zero-width joiner"),
    ('\u{2060}', "word joiner"),
    ('\u{feff}', "byte-order mark"),
];

const QUOTES: [(char, char); 5] = [('"', '"'), ('\'', '\''), ('`', '`'), ('“', '”'), ('‘', '’')];

fn name_of(c: char) -> &'static str {
    INVISIBLES
        .iter()
        .find(|(i, _)| *i == c)
        .map(|(_, n)| *n)
        .expect("only listed characters are generated")
}

fn invisible() -> impl Strategy<Value = char> {
    prop::sample::select(INVISIBLES.map(|(c, _)| c).to_vec())
}

fn invisibles(max: usize) -> impl Strategy<Value = Vec<char>> {
    prop::collection::vec(invisible(), 0..=max)
}

/// A pasted key: outer blanks, maybe a pair of quotes, blanks inside the quotes, and blanks in
/// any of the 15 gaps between the key's characters.
#[derive(Clone)]
struct PastedKey {
    key: String,
    lead_out: Vec<char>,
    lead_in: Vec<char>,
    gaps: Vec<Vec<char>>,
    trail_in: Vec<char>,
    trail_out: Vec<char>,
    quotes: Option<(char, char)>,
}

impl PastedKey {
    fn assemble(&self, key_char: impl Fn(char) -> char) -> String {
        let mut s: String = self.lead_out.iter().collect();
        s.extend(self.quotes.map(|q| q.0));
        s.extend(&self.lead_in);
        for (i, c) in self.key.chars().enumerate() {
            if i > 0 {
                s.extend(&self.gaps[i - 1]);
            }
            s.push(key_char(c));
        }
        s.extend(&self.trail_in);
        s.extend(self.quotes.map(|q| q.1));
        s.extend(&self.trail_out);
        s
    }

    fn input(&self) -> String {
        self.assemble(|c| c)
    }

    fn inner(&self) -> Vec<char> {
        let mut inner: Vec<char> = self.gaps.iter().flatten().copied().collect();
        if self.quotes.is_some() {
            // Inside the quotes, blanks at the quotes are inside the key's value.
            inner.extend(&self.lead_in);
            inner.extend(&self.trail_in);
        }
        inner
    }

    fn leading(&self) -> Vec<char> {
        let mut leading = self.lead_out.clone();
        if self.quotes.is_none() {
            leading.extend(&self.lead_in);
        }
        leading
    }

    fn trailing(&self) -> Vec<char> {
        let mut trailing = Vec::new();
        if self.quotes.is_none() {
            trailing.extend(&self.trail_in);
        }
        trailing.extend(&self.trail_out);
        trailing
    }
}

/// Shows the shape of the paste with every key character as `k`: a failing case (and the
/// regression file proptest writes) never holds the key.
impl fmt::Debug for PastedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PastedKey({:?})", self.assemble(|_| 'k'))
    }
}

fn pasted_key() -> impl Strategy<Value = PastedKey> {
    (
        "[A-Za-z0-9]{16}",
        invisibles(6),
        invisibles(3),
        prop::collection::vec(prop_oneof![3 => Just(Vec::new()), 1 => invisibles(3)], 15),
        invisibles(3),
        invisibles(6),
        prop::option::of(prop::sample::select(QUOTES.to_vec())),
    )
        .prop_map(
            |(key, lead_out, lead_in, gaps, trail_in, trail_out, quotes)| PastedKey {
                key,
                lead_out,
                lead_in,
                gaps,
                trail_in,
                trail_out,
                quotes,
            },
        )
}

/// One part of a report, "2 leading non-breaking spaces": count, position, singular name.
#[derive(Debug, PartialEq, Eq)]
struct Part {
    count: usize,
    position: String,
    name: String,
}

/// Reads a report back into its parts: "removed 1 leading space, 2 inner tabs and a pair of
/// quotes". Returns the parts and whether the quotes were named.
fn parse_report(report: &str) -> (Vec<Part>, bool) {
    if report == "nothing removed" {
        return (Vec::new(), false);
    }
    let body = report
        .strip_prefix("removed ")
        .expect("a report starts with 'removed '");
    let mut parts = Vec::new();
    let mut quotes = false;
    for piece in body.split(", ").flat_map(|p| p.split(" and ")) {
        if piece == "a pair of quotes" {
            quotes = true;
            continue;
        }
        let (count, rest) = piece.split_once(' ').expect("count then words");
        let (position, name) = rest.split_once(' ').expect("position then name");
        let count: usize = count.parse().expect("a count");
        let name = if count == 1 {
            name.to_string()
        } else {
            name.strip_suffix('s').expect("a plural").to_string()
        };
        parts.push(Part {
            count,
            position: position.to_string(),
            name,
        });
    }
    (parts, quotes)
}

fn tally(chars: &[char]) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for c in chars {
        let name = name_of(*c);
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, n)) => *n += 1,
            None => counts.push((name, 1)),
        }
    }
    counts.sort();
    counts
}

fn reported(parts: &[Part], position: &str) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&'static str, usize)> = parts
        .iter()
        .filter(|p| p.position == position)
        .map(|p| (name_of_name(&p.name), p.count))
        .collect();
    counts.sort();
    counts
}

/// The static name a report's name stands for (so tallies compare as `&'static str`).
fn name_of_name(name: &str) -> &'static str {
    INVISIBLES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(_, n)| *n)
        .unwrap_or("(a name the issue does not list)")
}

proptest! {
    #[test]
    fn any_mix_of_invisibles_around_and_inside_a_key_gives_the_key(case in pasted_key()) {
        let input = case.input();
        for kind in [FieldKind::PublicKey, FieldKind::PrivateKey] {
            let s = sanitize(kind, &input);
            prop_assert!(s.value == case.key, "{kind:?}: the sanitized value is not the key");
        }
        // Through the masked field's paste (into its Secret), which also wipes the pasted String.
        let mut field = MaskedInput::new();
        field.paste(input.clone());
        prop_assert!(field.secret().expose() == case.key, "the pasted field is not the key");
        let status = field.status_line().unwrap_or_default();
        prop_assert!(!status.contains(&case.key), "the field's status line shows the key");
    }

    #[test]
    fn the_report_counts_exactly_what_was_removed(case in pasted_key()) {
        let input = case.input();
        let s = sanitize(FieldKind::PrivateKey, &input);
        let removed_chars = input.chars().count() - s.value.chars().count();
        // The words add up (`total()` adding up is in tests/fuzz_properties.rs), by position and
        // by kind of character.
        let report = s.removed.to_string();
        let (parts, quotes) = parse_report(&report);
        prop_assert_eq!(quotes, case.quotes.is_some(), "quotes in {:?}", report);
        let named: usize =
            parts.iter().map(|p| p.count).sum::<usize>() + if quotes { 2 } else { 0 };
        prop_assert_eq!(named, removed_chars, "{:?}", report);
        prop_assert_eq!(reported(&parts, "leading"), tally(&case.leading()), "{:?}", report);
        prop_assert_eq!(reported(&parts, "inner"), tally(&case.inner()), "{:?}", report);
        prop_assert_eq!(reported(&parts, "trailing"), tally(&case.trailing()), "{:?}", report);
    }

    #[test]
    fn a_company_id_only_loses_its_edges(
        lead in invisibles(6),
        first in "[A-Za-z0-9\"'“]",
        middle in prop::collection::vec(
            prop_oneof![Just('x'), Just('7'), Just('-'), Just('"'), invisible()],
            0..12,
        ),
        last in "[A-Za-z0-9\"'”]",
        trail in invisibles(6),
    ) {
        // Visible at both ends, anything (blanks, quotes) inside.
        let id: String = first.chars().chain(middle).chain(last.chars()).collect();
        let input: String = lead.iter().copied().chain(id.chars()).chain(trail.iter().copied()).collect();
        let s = sanitize(FieldKind::CompanyId, &input);
        prop_assert_eq!(&s.value, &id);
        prop_assert_eq!(s.removed.total(), lead.len() + trail.len());
        let report = s.removed.to_string();
        let (parts, quotes) = parse_report(&report);
        prop_assert!(!quotes, "a company ID keeps its quotes: {:?}", report);
        prop_assert!(parts.iter().all(|p| p.position != "inner"), "{:?}", report);
        prop_assert_eq!(reported(&parts, "leading"), tally(&lead), "{:?}", report);
        prop_assert_eq!(reported(&parts, "trailing"), tally(&trail), "{:?}", report);
    }
}

#[test]
fn the_issue_example_reads_as_the_issue_says() {
    let s = sanitize(FieldKind::PublicKey, "\u{a0}\u{a0}FakePublicKey001\n");
    assert_eq!(s.value, "FakePublicKey001");
    assert_eq!(
        s.removed.to_string(),
        "removed 2 leading non-breaking spaces and 1 trailing newline"
    );
}

// ---------------------------------------------------------------------------------------------
// Secret
// ---------------------------------------------------------------------------------------------

// A key cannot be copied around or written out: these fail to compile if someone derives them.
static_assertions::assert_not_impl_any!(Secret: Clone, Copy, serde::Serialize);
static_assertions::assert_not_impl_any!(Credentials: Clone, serde::Serialize);
static_assertions::assert_not_impl_any!(MaskedInput: Clone, serde::Serialize);

const FAKE_PUBLIC: &str = "FakePublicKey001";
const FAKE_PRIVATE: &str = "FakePrivKeyT3st9";

fn secret(value: &str) -> Secret {
    Secret::from_str_checked(value).expect("a fake key fits")
}

/// Every way a value gets formatted, padded or not.
fn renderings(s: &Secret) -> Vec<String> {
    vec![
        format!("{s:?}"),
        format!("{s:#?}"),
        format!("{s}"),
        format!("{s:>40}"),
        format!("{s:.3}"),
        s.to_string(),
        format!("{:?}", Some(s)),
    ]
}

#[test]
fn debug_and_display_print_redacted_and_never_the_value() {
    let s = secret(FAKE_PRIVATE);
    assert_eq!(format!("{s:?}"), "[redacted]");
    assert_eq!(format!("{s}"), "[redacted]");
    for text in renderings(&s) {
        assert!(
            text.contains("[redacted]"),
            "a rendering without [redacted]"
        );
        assert!(!text.contains(FAKE_PRIVATE), "a rendering shows the key");
        assert!(
            !text.contains("FakePriv"),
            "a rendering shows part of the key"
        );
    }
    // An empty secret says the same: its Debug does not even reveal that it is empty.
    assert_eq!(format!("{:?}", Secret::new()), "[redacted]");
}

#[test]
fn credentials_debug_hides_both_keys() {
    let creds = Credentials {
        company_id: "contoso".into(),
        public_key: secret(FAKE_PUBLIC),
        private_key: secret(FAKE_PRIVATE),
    };
    let text = format!("{creds:?} {creds:#?}");
    assert!(text.contains("[redacted]"));
    assert!(!text.contains(FAKE_PUBLIC), "Debug shows the public key");
    assert!(!text.contains(FAKE_PRIVATE), "Debug shows the private key");
}

#[test]
fn a_panic_carrying_a_secret_shows_redacted() {
    let result: Result<(), Secret> = Err(secret(FAKE_PRIVATE));
    // The default hook prints the message too; the test harness captures it.
    let payload = std::panic::catch_unwind(move || std::hint::black_box(result).unwrap())
        .expect_err("unwrap panics");
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .expect("a formatted panic message");
    assert!(
        message.contains("[redacted]"),
        "the message names no secret"
    );
    assert!(
        !message.contains(FAKE_PRIVATE),
        "the panic message shows the key"
    );
}

proptest! {
    #[test]
    fn what_a_secret_prints_does_not_depend_on_its_value(value in "\\PC{0,40}") {
        // Every rendering is the same as an empty secret's: nothing of the value, not even its
        // length, shows through.
        let same = renderings(&secret(&value)) == renderings(&Secret::new());
        prop_assert!(same, "a rendering depends on the value");
    }
}

#[test]
fn the_masked_field_shows_bullets_and_only_the_last_4_when_asked() {
    let mut field = MaskedInput::new();
    field.paste(format!(" {FAKE_PRIVATE}\n"));
    assert_eq!(field.masked().as_str(), "•".repeat(16));
    field.toggle_reveal();
    let shown = field.masked();
    assert!(
        shown.starts_with(&"•".repeat(12)) && shown.ends_with(&FAKE_PRIVATE[12..]),
        "revealing shows 12 bullets and the last 4 characters"
    );
    assert_eq!(shown.chars().count(), 16);
    field.clear();
    assert_eq!(field.masked().as_str(), "");
}

// ---------------------------------------------------------------------------------------------
// Clipboard flows, on the fake
// ---------------------------------------------------------------------------------------------

const AUTO_CLEAR: Duration = Duration::from_secs(30);

fn fake_manager(auto_clear: Duration) -> (FakeClipboard, ClipboardManager) {
    let fake = FakeClipboard::default();
    let manager = ClipboardManager::with_backend(Box::new(fake.clone()), auto_clear);
    (fake, manager)
}

/// Whether the fake holds exactly `value`, compared without ever printing it.
fn holds(fake: &FakeClipboard, value: &str) -> bool {
    fake.content().as_deref() == Some(value)
}

/// A key as the technician pastes it: sanitized into a Secret through the masked field.
fn pasted(raw: &str) -> MaskedInput {
    let mut field = MaskedInput::new();
    field.paste(raw.to_string());
    field
}

#[test]
fn a_huge_auto_clear_never_panics_and_still_clears() {
    // `--clipboard-clear` is bounded by clap, but the manager must not overflow either.
    let (fake, mut clipboard) = fake_manager(Duration::from_secs(u64::MAX));
    let field = pasted("FakePrivKeyT3st9");
    let t0 = Instant::now();
    let outcome = clipboard.copy(
        "Private key",
        field.secret().expose(),
        Sensitivity::Secret,
        t0,
    );
    assert!(outcome.ok, "{}", outcome.message);
    let due = outcome.clear_at.expect("a deadline is armed");
    assert!(due > t0, "the deadline is in the future");
    assert!(clipboard.countdown(t0).is_some());
    assert!(clipboard.tick(due).is_some(), "cleared once due");
    assert!(!holds(&fake, "FakePrivKeyT3st9"));
}

#[test]
fn copying_a_key_puts_exactly_the_sanitized_bytes_and_arms_auto_clear() {
    let (fake, mut clipboard) = fake_manager(AUTO_CLEAR);
    let field = pasted("\u{feff} \"FakePrivKeyT3st9\"\r\n");
    let t0 = Instant::now();
    let outcome = clipboard.copy(
        "Private key",
        field.secret().expose(),
        Sensitivity::Secret,
        t0,
    );
    assert!(outcome.ok, "{}", outcome.message);
    assert!(
        holds(&fake, FAKE_PRIVATE),
        "the clipboard does not hold exactly the sanitized key"
    );
    assert!(fake.was_marked_sensitive(), "a key is marked sensitive");
    assert_eq!(outcome.clear_at, Some(t0 + AUTO_CLEAR));
    assert_eq!(outcome.message, "Private key copied (auto-clears in 30 s)");
    assert!(
        !outcome.message.contains(FAKE_PRIVATE),
        "the message shows the key"
    );
    assert_eq!(clipboard.next_deadline(), Some(t0 + AUTO_CLEAR));
    assert_eq!(
        clipboard.countdown(t0 + Duration::from_secs(10)),
        Some(Duration::from_secs(20))
    );
    assert_eq!(clipboard.label(), "Private key");

    // Not yet due: nothing happens.
    assert_eq!(clipboard.tick(t0 + Duration::from_secs(29)), None);
    assert!(holds(&fake, FAKE_PRIVATE), "cleared before the deadline");

    // Due: cleared, and said so.
    assert_eq!(
        clipboard.tick(t0 + AUTO_CLEAR).as_deref(),
        Some("clipboard cleared (Private key removed)")
    );
    assert_eq!(fake.content(), None);
    assert_eq!(
        clipboard.next_deadline(),
        None,
        "nothing left to wake up for"
    );
    assert_eq!(clipboard.on_quit(), None, "nothing left to clear on quit");
}

#[test]
fn auto_clear_leaves_what_the_user_copied_since() {
    let (fake, mut clipboard) = fake_manager(AUTO_CLEAR);
    let t0 = Instant::now();
    assert!(
        clipboard
            .copy("Private key", FAKE_PRIVATE, Sensitivity::Secret, t0)
            .ok
    );
    fake.user_copies("the user's own text");
    assert_eq!(clipboard.tick(t0 + AUTO_CLEAR), None);
    assert_eq!(fake.content().as_deref(), Some("the user's own text"));
    assert_eq!(clipboard.next_deadline(), None, "the deadline is spent");
    assert_eq!(clipboard.on_quit(), None);
    assert_eq!(fake.content().as_deref(), Some("the user's own text"));
}

#[test]
fn quitting_clears_our_value_and_says_so() {
    let (fake, mut clipboard) = fake_manager(AUTO_CLEAR);
    let t0 = Instant::now();
    clipboard.copy("Private key", FAKE_PRIVATE, Sensitivity::Secret, t0);
    assert_eq!(
        clipboard.on_quit().as_deref(),
        Some("clipboard cleared (Private key removed)")
    );
    assert_eq!(fake.content(), None);

    // A plain value is cleared on quit too: cwsetup leaves nothing of its own behind.
    clipboard.copy("Member ID", "cwsetup-api", Sensitivity::Plain, t0);
    assert_eq!(
        clipboard.on_quit().as_deref(),
        Some("clipboard cleared (Member ID removed)")
    );
    assert_eq!(fake.content(), None);
}

#[test]
fn quitting_after_the_user_copied_something_else_leaves_it() {
    let (fake, mut clipboard) = fake_manager(AUTO_CLEAR);
    clipboard.copy(
        "Member ID",
        "cwsetup-api",
        Sensitivity::Plain,
        Instant::now(),
    );
    fake.user_copies("a ticket number");
    assert_eq!(clipboard.on_quit(), None);
    assert_eq!(fake.content().as_deref(), Some("a ticket number"));
}

#[test]
fn clear_keys_clears_a_copied_key_but_not_a_plain_value() {
    let (fake, mut clipboard) = fake_manager(AUTO_CLEAR);
    let t0 = Instant::now();
    clipboard.copy("Public key", FAKE_PUBLIC, Sensitivity::Secret, t0);
    assert_eq!(
        clipboard.forget_secret().as_deref(),
        Some("clipboard cleared (Public key removed)")
    );
    assert_eq!(fake.content(), None);
    assert_eq!(clipboard.next_deadline(), None);

    clipboard.copy("Company ID", "contoso", Sensitivity::Plain, t0);
    assert_eq!(clipboard.forget_secret(), None);
    assert_eq!(fake.content().as_deref(), Some("contoso"));
}

#[test]
fn plain_values_are_copied_the_same_way_without_auto_clear() {
    let (fake, mut clipboard) = fake_manager(AUTO_CLEAR);
    let t0 = Instant::now();
    let site = sanitize(FieldKind::Site, " na.myconnectwise.net\u{200b}\n").value;
    let outcome = clipboard.copy("Site", &site, Sensitivity::Plain, t0);
    assert!(outcome.ok);
    assert_eq!(outcome.message, "Site copied");
    assert_eq!(outcome.clear_at, None);
    assert_eq!(fake.content().as_deref(), Some("na.myconnectwise.net"));
    assert!(!fake.was_marked_sensitive());
    assert_eq!(clipboard.next_deadline(), None);
    assert_eq!(clipboard.countdown(t0), None);
    assert_eq!(clipboard.tick(t0 + Duration::from_secs(86_400)), None);
    assert_eq!(fake.content().as_deref(), Some("na.myconnectwise.net"));
}

#[test]
fn an_auto_clear_of_zero_never_clears_on_its_own() {
    let (fake, mut clipboard) = fake_manager(Duration::ZERO);
    let t0 = Instant::now();
    let outcome = clipboard.copy("Private key", FAKE_PRIVATE, Sensitivity::Secret, t0);
    assert!(outcome.ok);
    assert_eq!(outcome.clear_at, None);
    assert_eq!(outcome.message, "Private key copied (auto-clear is off)");
    assert_eq!(clipboard.next_deadline(), None);
    assert_eq!(clipboard.tick(t0 + Duration::from_secs(86_400)), None);
    assert!(holds(&fake, FAKE_PRIVATE), "auto-clear 0 cleared the key");
    // Quit and "clear keys" still clear it: 0 only turns the timer off.
    assert_eq!(
        clipboard.on_quit().as_deref(),
        Some("clipboard cleared (Private key removed)")
    );
}

#[test]
fn a_new_copy_replaces_the_old_deadline() {
    let (fake, mut clipboard) = fake_manager(AUTO_CLEAR);
    let t0 = Instant::now();
    clipboard.copy("Private key", FAKE_PRIVATE, Sensitivity::Secret, t0);
    clipboard.copy("Member ID", "cwsetup-api", Sensitivity::Plain, t0);
    assert_eq!(clipboard.next_deadline(), None);
    assert_eq!(clipboard.tick(t0 + AUTO_CLEAR), None);
    assert_eq!(fake.content().as_deref(), Some("cwsetup-api"));
}

#[test]
fn without_any_clipboard_a_copy_explains_and_nothing_crashes() {
    let mut clipboard = ClipboardManager::unavailable("no display", AUTO_CLEAR);
    let t0 = Instant::now();
    assert_eq!(clipboard.backend_kind(), None);
    let outcome = clipboard.copy("Private key", FAKE_PRIVATE, Sensitivity::Secret, t0);
    assert!(!outcome.ok);
    assert!(
        outcome
            .message
            .starts_with("no clipboard available (no display): select the value on screen"),
        "{}",
        outcome.message
    );
    assert!(
        !outcome.message.contains(FAKE_PRIVATE),
        "the message shows the key"
    );
    assert_eq!(outcome.clear_at, None);
    assert_eq!(clipboard.next_deadline(), None);
    assert_eq!(clipboard.tick(t0 + AUTO_CLEAR), None);
    assert_eq!(clipboard.forget_secret(), None);
    assert_eq!(clipboard.on_quit(), None);
}

/// A clipboard that refuses everything, like an X server that went away.
struct Broken;

impl ClipboardBackend for Broken {
    fn set_text(&mut self, _: &str, _: bool) -> Result<(), ClipboardError> {
        Err(ClipboardError::Failed("the display went away".into()))
    }
    fn get_text(&mut self) -> Result<Option<String>, ClipboardError> {
        Err(ClipboardError::Unreadable)
    }
    fn clear(&mut self) -> Result<(), ClipboardError> {
        Err(ClipboardError::Failed("the display went away".into()))
    }
    fn kind(&self) -> BackendKind {
        BackendKind::System
    }
}

#[test]
fn a_failing_clipboard_gives_a_message_not_a_crash() {
    let mut clipboard = ClipboardManager::with_backend(Box::new(Broken), AUTO_CLEAR);
    let t0 = Instant::now();
    let outcome = clipboard.copy("Private key", FAKE_PRIVATE, Sensitivity::Secret, t0);
    assert!(!outcome.ok);
    assert_eq!(
        outcome.message,
        "could not copy Private key: the clipboard refused the copy: the display went away"
    );
    assert_eq!(clipboard.next_deadline(), None);
    assert_eq!(clipboard.on_quit(), None);
}

/// The terminal's side of OSC 52: everything written, shared with the test.
#[derive(Clone, Default)]
struct Written(Arc<Mutex<Vec<u8>>>);

impl Write for Written {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Written {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().expect("lock"))
    }
}

#[test]
fn over_osc52_a_copy_is_sent_and_quit_only_claims_a_clear_was_sent() {
    let terminal = Written::default();
    let mut clipboard = ClipboardManager::with_backend(
        Box::new(Osc52Backend::new(Box::new(terminal.clone()))),
        AUTO_CLEAR,
    );
    let t0 = Instant::now();
    let outcome = clipboard.copy("Private key", FAKE_PRIVATE, Sensitivity::Secret, t0);
    assert!(outcome.ok);
    assert_eq!(
        outcome.message,
        "Private key sent to your terminal's clipboard; if nothing pastes, your terminal blocks this (auto-clears in 30 s)"
    );
    assert!(
        terminal.take() == osc52_sequence(FAKE_PRIVATE).as_bytes(),
        "the terminal did not get exactly one OSC 52 copy of the sanitized key"
    );

    let farewell = clipboard.on_quit().expect("a quit message");
    assert_eq!(
        farewell,
        "Private key: sent a clear to your terminal's clipboard"
    );
    assert!(
        !farewell.contains("cleared"),
        "OSC 52 cannot confirm a clear"
    );
    assert_eq!(terminal.take(), OSC52_CLEAR.as_bytes());
}

#[test]
fn over_osc52_auto_clear_sends_a_clear_at_the_deadline() {
    let terminal = Written::default();
    let mut clipboard = ClipboardManager::with_backend(
        Box::new(Osc52Backend::new(Box::new(terminal.clone()))),
        AUTO_CLEAR,
    );
    let t0 = Instant::now();
    clipboard.copy("Public key", FAKE_PUBLIC, Sensitivity::Secret, t0);
    terminal.take();
    assert_eq!(clipboard.tick(t0 + Duration::from_secs(1)), None);
    assert_eq!(
        clipboard.tick(t0 + AUTO_CLEAR).as_deref(),
        Some("Public key: sent a clear to your terminal's clipboard")
    );
    assert_eq!(terminal.take(), OSC52_CLEAR.as_bytes());
}
