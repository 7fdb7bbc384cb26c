//! A simulated ConnectWise Manage on 127.0.0.1, for the demo and the tests.
//!
//! It serves `GET /login/companyinfo/{id}` and `/{codebase}apis/3.0/...` with ConnectWise's
//! wire shapes, checks credentials and the `clientId` header like the real service, and can be
//! broken on purpose through [`Scenario`] knobs (also reachable as `cwsetup sim --scenario`).
//!
//! Choices where the real service is unknown:
//! - a missing `clientId` header answers 400 `text/plain` "ClientId header is required"
//!   (checked before the credentials);
//! - the company ID is matched case-insensitively (companyinfo and Authorization), keys exactly;
//! - an inquire level of `My` counts as readable.

pub mod admin;
mod banner;
pub mod data;
mod gates;
pub mod members;
pub mod query;
mod scenario;
mod server;

pub use admin::{SimApiMember, SimRole};
pub use banner::{banner, scenario_listing};
pub use gates::{GATES, SimPermission, gate_for};
pub use scenario::{Fault, FaultScope, MySecurityMode, Scenario};
pub use server::{
    CLOUD_CODEBASE, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_LOG,
    MISSING_CLIENT_ID_BODY, MISSING_CLIENT_ID_STATUS, RecordedRequest, SELF_HOSTED_CODEBASE,
    STALE_CODEBASE, SimOptions, SimServer, is_secret_header,
};

/// The demo tenant's company ID (what a technician types on the login screen).
pub const DEMO_COMPANY_ID: &str = "cwsetup_demo";
/// The demo API member's keys: obviously fake, 16 letters/digits like real ones.
pub const DEMO_PUBLIC_KEY: &str = "DemoPublicKey001";
pub const DEMO_PRIVATE_KEY: &str = "DemoPrivateKey01";
/// A second API member's keys, for one member per tool: obviously fake, 16 letters/digits.
/// They authenticate as a different member with its own rows ([`Scenario::second_revoke`]).
pub const DEMO_SECOND_PUBLIC_KEY: &str = "DemoSecondPub001";
pub const DEMO_SECOND_PRIVATE_KEY: &str = "DemoSecondPriv01";
/// The demo API member's old key pair, for `cwsetup rotate --demo` and its tests: obviously
/// fake, 16 letters/digits. It authenticates as the demo member while the old key is live
/// ([`Scenario::old_key_kept`], until [`SimServer::delete_old_key`]); by default it was already
/// deleted, so it gets 401 like any unknown key.
pub const DEMO_OLD_PUBLIC_KEY: &str = "DemoOldPubKey001";
pub const DEMO_OLD_PRIVATE_KEY: &str = "DemoOldPrivKey01";
/// The technician's own keys (My Account > API Keys), for auditing steps 2 and 3: obviously
/// fake, 16 letters/digits. They may read security roles and members (see [`admin`]).
pub const DEMO_ADMIN_PUBLIC_KEY: &str = "DemoAdminPubKey1";
pub const DEMO_ADMIN_PRIVATE_KEY: &str = "DemoAdminPriv001";
/// The clientId the demo uses (any non-empty clientId is accepted by the sim).
pub const DEMO_CLIENT_ID: &str = "00000000-c0de-4000-8000-00000000d3e0";
