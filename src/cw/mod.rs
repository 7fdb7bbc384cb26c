//! The ConnectWise Manage API client. Knows nothing about the UI.
//!
//! - [`site`]: what the technician typed, normalised ([`Site`], [`Region`]).
//! - [`company_info`]: codebase discovery and the API base URL.
//! - [`auth`]: [`Credentials`] and the `Authorization` header.
//! - [`client`]: [`CwClient`] (one site) and [`ApiSession`] (one company's API, with keys).
//! - [`error`]: [`CwError`], each variant with the technician's next step.
//! - [`models`]: the wire models the checks read.
//! - [`warmup`]: the API host's connection, opened while companyinfo is in flight.
//! - [`admin`]: read-only reads of security roles, their settings and API members (the audit).

pub mod admin;
pub mod auth;
pub mod client;
pub mod company_info;
pub mod error;
pub mod models;
pub mod proxy;
pub mod site;
pub mod warmup;
pub mod wire;

pub use auth::{Credentials, authorization_header, client_id_problem, company_id_problem};
pub use client::{ApiSession, ClientOptions, CwClient, USER_AGENT};
pub use company_info::{CompanyInfo, api_base, check_site_url, parse_company_info};
pub use error::{CwError, ErrorBody, ErrorDetail, FIX_ALLOW_MORE_TIME, FIX_TURN_ON_LOGGING};
pub use models::{
    ApiMember, Count, ListQuery, Reference, SecurityRole, SecurityRow, SystemInfo,
    same_security_name,
};
pub use proxy::{proxy_env_problem, proxy_for};
pub use site::{Region, Scheme, Site, SiteError};
