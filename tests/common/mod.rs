//! Helpers shared by the integration tests (`tests/it`). `tests/residue.rs` and `benches/`
//! include single files of it by path (`delay_proxy.rs` only the benches).

pub mod catalogue;
pub mod cli_run;
pub mod fixture;
pub mod http;
pub mod net;
#[cfg(unix)]
pub mod pty;
pub mod spawn;
pub mod tls;
pub mod wizard;
