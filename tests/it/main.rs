//! The integration tests, one test binary: each file below was its own binary before, and each
//! of those linked reqwest, axum, rustls and the rest again. Tests are named `module::test`, so
//! `cargo test --test it wizard::` runs one former file.
//!
//! Two suites stay binaries of their own, because they need the whole process:
//! - `tests/hostile_answers.rs` counts the heap of the whole process (a global allocator), so no
//!   other test may run beside it;
//! - `tests/residue.rs` (Linux) dumps a live child with gdb and searches the dump for keys.
//!
//! No test here changes the process's environment or working directory: children get their
//! environment through `Command::env`. The files gated whole (`#![cfg(unix)]`) keep their gate.

#[path = "../common/mod.rs"]
mod common;

mod architecture;
mod audit;
mod catalogue_check;
mod check;
mod cli;
mod cli_limits;
mod cw_client;
mod cw_tolerance;
mod fault_matrix;
mod fuzz_properties;
mod handoff;
mod keys;
mod members;
mod merge_properties;
mod output_safety;
mod own_files;
mod per_tool_keys;
mod plain;
mod profile_schema;
mod profiles;
mod profiles_validate;
mod rotate;
mod row_scopes;
mod scheduled_checks;
mod sim;
mod sim_models;
mod sim_spec;
mod tampered_state;
mod terminal;
mod terminal_plans;
mod vendor_catalogue;
mod vendor_catalogue_more;
mod vendor_corrections;
mod wizard;
mod wizard_detail;
mod wizard_every_scenario;
mod wizard_matrix;
mod wizard_own_keys;
mod wizard_report;
mod wizard_rotate;
