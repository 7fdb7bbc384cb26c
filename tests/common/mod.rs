//! Helpers shared by several test files. Each test binary uses only some of them.
#![allow(dead_code)]

pub mod catalogue;
pub mod fixture;
pub mod net;
#[cfg(unix)]
pub mod pty;
pub mod spawn;
pub mod tls;
pub mod wizard;
