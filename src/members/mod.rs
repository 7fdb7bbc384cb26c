//! `cwsetup members`: every API member of a tenant, what its role lets it do, and what it is for,
//! read (never written) with the technician's own keys.
//!
//! - [`read`] (`engine`): the API members and the security roles at once, then the settings of
//!   every role a member has, a bounded number at a time, each role once; [`analyze`] turns the
//!   reads into a [`MembersReport`].
//! - `matching`: the shipped vendor profile a role matches best, with the rows it lacks and the
//!   rows beyond need; `findings`: each member's findings, with stable ids.
//! - [`human`] and [`markdown`] (`render`): the table for a terminal (100 columns) and the
//!   redacted `--report` file.
//! - [`run`]: from the typed values to the report, connected as the audit is.
//!
//! A 403 on any read makes that part `manual`, naming the permission that would allow it (the
//! audit's words); it never fails the run, and makes the verdict at least `warn`.

mod engine;
mod findings;
mod matching;
mod model;
mod render;
mod run;

pub use engine::{Reads, SETTINGS_AT_ONCE, analyze, read, used_role_ids};
pub use findings::works_with_tickets;
pub use matching::{Comparison, best, compare, compare_all, pick};
pub use model::*;
pub use render::{WIDTH, human, markdown};
pub use run::{MembersRequest, run};
