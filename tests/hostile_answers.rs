//! Memory one server answer may cost (issue 23, item 1): an answer under the 8 MiB body cap,
//! made of one-entry JSON objects in a field cwsetup does not use (or in a security row's level),
//! must not be built into a tree. Peak heap while reading it stays under 3 times its size.
//!
//! This file holds one test on purpose: the heap is counted for the whole process, so no other
//! test may run beside it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use cwsetup::cw::{ErrorBody, SecurityRow, parse_company_info};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const EIGHT_MIB: usize = 8 * 1024 * 1024;

/// `prefix`, then `[{"a":1},{"a":1},…]` up to about 8 MiB, then `suffix`.
fn hostile(prefix: &str, suffix: &str) -> Vec<u8> {
    let mut body = Vec::with_capacity(EIGHT_MIB);
    body.extend_from_slice(prefix.as_bytes());
    body.push(b'[');
    while body.len() + suffix.len() + 16 < EIGHT_MIB {
        body.extend_from_slice(br#"{"a":1},"#);
    }
    body.extend_from_slice(br#"{"a":1}]"#);
    body.extend_from_slice(suffix.as_bytes());
    body
}

/// The most heap held at once while `read` ran, beyond what was held before it.
fn peak_while(read: impl FnOnce()) -> usize {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    read();
    PEAK.load(Ordering::Relaxed).saturating_sub(before)
}

/// What is read, the answer, and how it is read (with a check that it was read right).
type Case = (&'static str, Vec<u8>, fn(&[u8]));

#[test]
fn no_answer_costs_more_than_three_times_its_size() {
    let cases: Vec<Case> = vec![
        (
            "an unknown field of login/companyinfo",
            hostile(
                r#"{"CompanyName":"Contoso","Codebase":"v2025_1/","IsCloud":false,"Junk":"#,
                "}",
            ),
            |body| {
                let info = parse_company_info(body).expect("read").expect("an object");
                assert_eq!(info.codebase, "v2025_1/");
            },
        ),
        (
            "a security row's addLevel",
            hostile(
                r#"[{"moduleName":"Companies","moduleFunctionName":"Contacts","inquireLevel":"All","addLevel":"#,
                "}]",
            ),
            |body| {
                let rows: Vec<SecurityRow> = serde_json::from_slice(body).expect("read");
                assert_eq!(rows.len(), 1);
                assert_eq!(
                    rows[0].unknown_level(cwsetup::permission::Column::Add),
                    Some("an array"),
                    "a level that is not a string is named by its kind, not stored"
                );
            },
        ),
        (
            "a security row's inquireLevel in an unknown field's place",
            hostile(
                r#"[{"moduleName":"Companies","moduleFunctionName":"Contacts","member":"#,
                r#","inquireLevel":"All"}]"#,
            ),
            |body| {
                let rows: Vec<SecurityRow> = serde_json::from_slice(body).expect("read");
                assert_eq!(rows[0].levels.inquire, cwsetup::permission::Level::All);
            },
        ),
        (
            "an error body",
            hostile(r#"{"code":"InvalidObject","message":"bad","junk":"#, "}"),
            |body| {
                let parsed = ErrorBody::parse(body).expect("an object");
                assert_eq!(parsed.message.as_deref(), Some("bad"));
            },
        ),
        (
            "an error body's errors list",
            hostile(r#"{"message":"bad","errors":"#, "}"),
            |body| {
                let parsed = ErrorBody::parse(body).expect("an object");
                assert!(parsed.errors.len() <= 16, "only the first details are kept");
            },
        ),
    ];
    for (what, body, read) in cases {
        assert!(body.len() <= EIGHT_MIB, "{what}: under the body cap");
        let peak = peak_while(|| read(&body));
        assert!(
            peak <= 3 * body.len(),
            "{what}: reading a {} KiB answer took {} KiB of heap at its peak (at most 3 times \
             its size is allowed)",
            body.len() / 1024,
            peak / 1024
        );
    }
}
