//! Auditing steps 2 and 3 with the technician's own API keys: the security role's settings and
//! the API member's fields, read (never written) and compared with the merged role.
//!
//! - [`audit`], [`audit_role`], [`audit_member`]: the reads (`engine`), step 2 compared row by
//!   row (`role`), step 3's member fields (`member`), close role names ([`similar_names`]), and
//!   what they share (`common`: the permission each read needs, the "read it by hand" reason).
//! - [`human`]: the terminal lines of `cwsetup audit`.
//! - The model ([`AuditReport`] and its parts) is the JSON contract of `cwsetup audit --json`.
//!
//! When the technician's keys may not read roles (System > Security Roles) or members (System >
//! Member Maintenance), that part's status is `manual`: it names the permission, never fails the
//! audit, and makes the verdict `warn`.

mod common;
mod engine;
mod member;
mod model;
mod names;
mod report;
mod role;
mod run;
mod since_setup;

pub use common::manual_reason;
pub use engine::{audit, audit_member, audit_role};
pub use member::is_top_level;
pub use model::*;
pub use names::similar_names;
pub use report::human;
pub use run::{AuditFailure, AuditRequest, OwnSession, open_session, run, run_exact};
