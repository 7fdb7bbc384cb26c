//! The staged verification shared by the wizard and `cwsetup check`: input, connect, company,
//! auth, permissions, data. The engine talks to ConnectWise through [`crate::cw`]; the wizard
//! and the command line only see the results.
//!
//! - `engine`: the order of the stages, the one wave of calls after companyinfo, the progress
//!   channel, and the one place a failed stage skips the rest.
//! - `progress`: what a running check has found so far, and what a failed stage returns.
//! - `plan`: which requests a check makes, and the concurrency cap.
//! - `stages`: one file per stage (input, connect and company, auth, permissions with least
//!   privilege, data).
//! - `per_tool`: one check per integration tool with its own keys.
//! - `report`: the human, Markdown and portal outputs.

mod engine;
mod model;
mod per_tool;
mod plan;
mod progress;
mod report;
mod stages;

pub use crate::cw::company_id_problem;
pub use engine::{Network, run, run_with};
pub use model::*;
pub use per_tool::{ToolRequest, merge, run_each};
pub use report::{Style, human, human_with_values, markdown, portal_values, quiet};
pub use stages::{JudgedInput, judge_input};
