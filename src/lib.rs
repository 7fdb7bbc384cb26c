//! cwsetup: connect ConnectWise Manage (PSA) to a vendor integration, and prove each step live.
//!
//! The library holds all logic; `main.rs` only picks a mode. Layers, from the wire up:
//! - [`permission`]: the permission vocabulary (`Level`, `Levels`), a leaf every layer shares.
//! - [`cw`]: the ConnectWise API client (no UI).
//! - [`limits`]: ConnectWise's field limits (role name, member ID, member name), a leaf.
//! - [`sim`]: a simulated ConnectWise on 127.0.0.1, for the demo and the tests.
//! - [`sanitize`], [`secret`], [`clipboard`]: keys as typed and pasted, held and copied safely.
//! - [`profile`]: vendor guides as data (`assets/profiles`), and the merged security role.
//! - [`audit`]: steps 2 and 3 read back with the technician's own keys (`cwsetup audit`).
//! - [`members`]: every API member, its role and its purpose (`cwsetup members`).
//! - [`check`]: the staged verification shared by the wizard and `cwsetup check`.
//! - [`rotate`]: a key rotation proved end to end: the new key's full check, the old key's 401.
//! - [`report_file`]: writing reports and profiles without following links or blocking on FIFOs.
//! - [`setup`]: the setup itself, front-end neutral: steps, content, fields, saving, requests.
//! - [`wizard`]: the terminal UI (no HTTP; it drives a [`setup::Setup`] and [`check`]).
//! - [`plain`]: the same setup as plain numbered lines and questions (`--plain`).
//! - [`cli`]: the command line and its exit codes.
//! - [`zeroizing_alloc`]: the allocator the binary installs, which wipes freed memory.

pub mod audit;
pub mod check;
pub mod cli;
pub mod clipboard;
pub mod cw;
pub mod limits;
pub mod logging;
pub mod members;
pub mod permission;
pub mod plain;
pub mod profile;
pub mod report_file;
pub mod rotate;
pub mod sanitize;
pub mod secret;
pub mod setup;
pub mod sim;
pub mod units;
pub mod wizard;
pub mod zeroizing_alloc;
