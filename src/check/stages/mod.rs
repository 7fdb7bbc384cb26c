//! The stages of a check, one file each, in the order they run: [`input`], [`connect`]
//! (connection and company), [`auth`], [`permissions`] (with [`least_privilege`]) and [`data`].
//! Each reports through [`Progress`](super::progress::Progress); one that fails returns a
//! [`Failed`](super::progress::Failed) and the engine skips the rest.

mod auth;
mod connect;
mod data;
mod input;
mod least_privilege;
mod permissions;

pub(super) use auth::auth_stage;
pub(super) use connect::{connect_stage, rediscovered};
pub(super) use data::data_stage;
pub use input::{JudgedInput, judge_input};
pub(super) use input::{input_stage, site_for_report};
pub(super) use least_privilege::least_privilege;
pub(super) use permissions::permissions_stage;

/// Module, function and type names compared as ConnectWise people read them: letters and
/// digits only, in any case.
pub(super) fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    norm(a) == norm(b)
}

/// Joins names as "a, b and c" (at most `max`, then "and N more").
pub(super) fn list_names(names: &[String], max: usize) -> String {
    let shown: Vec<&str> = names.iter().take(max).map(String::as_str).collect();
    let more = names.len().saturating_sub(max);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
