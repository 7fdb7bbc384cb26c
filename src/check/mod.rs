//! The staged verification shared by the wizard and `cwsetup check`: input, connect, company,
//! auth, permissions, data. The engine talks to ConnectWise through [`crate::cw`]; the wizard
//! and the command line only see the results.

mod engine;
mod model;
mod per_tool;
mod report;

pub use crate::cw::company_id_problem;
pub use engine::{Network, run, run_with};
pub use model::*;
pub use per_tool::{ToolRequest, merge, run_each};
pub use report::{Style, human, human_with_values, markdown, portal_values};
