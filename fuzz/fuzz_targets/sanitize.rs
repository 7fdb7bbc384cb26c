//! The paste sanitizer: `sanitize`, `sanitize_secret_into`, `key_warnings`.
#![no_main]

use cwsetup::sanitize::{FieldKind, is_invisible, key_warnings, sanitize, sanitize_secret_into};
use cwsetup::secret::Secret;
use libfuzzer_sys::fuzz_target;

const KINDS: [FieldKind; 6] = [
    FieldKind::PublicKey,
    FieldKind::PrivateKey,
    FieldKind::CompanyId,
    FieldKind::MemberId,
    FieldKind::ClientId,
    FieldKind::Site,
];
const QUOTE_PAIRS: [(char, char); 5] =
    [('"', '"'), ('\'', '\''), ('`', '`'), ('“', '”'), ('‘', '’')];

fn quoted(s: &str) -> bool {
    s.chars().count() >= 2
        && QUOTE_PAIRS
            .iter()
            .any(|(o, c)| s.starts_with(*o) && s.ends_with(*c))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let kind = KINDS[usize::from(selector) % KINDS.len()];
    let is_key = matches!(kind, FieldKind::PublicKey | FieldKind::PrivateKey);
    let input = String::from_utf8_lossy(rest);
    let input = input.as_ref();

    let s = sanitize(kind, input);
    let value = s.value.as_str();

    // Nothing invisible at the edges; for keys, nowhere.
    assert!(!value.starts_with(is_invisible), "{input:?} -> {value:?}");
    assert!(!value.ends_with(is_invisible), "{input:?} -> {value:?}");
    if is_key {
        assert!(!value.chars().any(is_invisible), "{input:?} -> {value:?}");
    } else {
        // Values other than keys only lose their edges: the value is a substring of the input.
        assert!(input.contains(value), "{input:?} -> {value:?}");
    }

    // The report counts add up, and says "nothing removed" exactly when nothing was.
    assert_eq!(
        s.removed.total(),
        input.chars().count() - value.chars().count(),
        "{input:?} -> {value:?}: {}",
        s.removed
    );
    assert_eq!(s.removed.is_empty(), value == input);
    let report = s.removed.to_string();
    assert_eq!(report == "nothing removed", s.removed.is_empty());
    assert!(report.starts_with("removed ") || s.removed.is_empty());
    assert!(!report.chars().any(char::is_control), "{report:?}");

    // Idempotent. The one exception is by design: a key loses one pair of quotes per pass,
    // so a key still wrapped in quotes loses exactly that pair again, and nothing else.
    let again = sanitize(kind, value);
    if is_key && quoted(value) {
        assert_eq!(again.removed.total(), 2, "{value:?}: {}", again.removed);
        assert_eq!(again.removed.to_string(), "removed a pair of quotes");
    } else {
        assert_eq!(again.value, value, "not idempotent for {input:?}");
        assert!(again.removed.is_empty(), "{value:?}: {}", again.removed);
    }

    // A key sanitized into a Secret is exactly what sanitize gives, or a capacity error.
    let mut secret = Secret::new();
    match sanitize_secret_into(kind, input, &mut secret) {
        Ok(removed) => {
            assert_eq!(secret.expose(), value);
            assert_eq!(removed, s.removed);
        }
        Err(full) => {
            assert!(value.len() > full.capacity);
            assert!(value.starts_with(secret.expose()));
        }
    }

    // The key-shape warnings are empty exactly for 16 ASCII letters and digits.
    let warnings = key_warnings(value);
    let looks_right = value.len() == 16 && value.bytes().all(|b| b.is_ascii_alphanumeric());
    assert_eq!(warnings.is_empty(), looks_right, "{value:?}: {warnings:?}");
});
