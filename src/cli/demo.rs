//! `--demo`: the in-process simulated ConnectWise, started in one place for every mode.

use std::future::Future;

use super::exit::EXIT_USAGE;
use crate::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use crate::wizard::app::Prefill;

/// The wizard's demo: every vendor can be chosen on step 1, so the member may do everything a
/// shipped profile needs; the server is on this computer, so it says it is self-hosted.
pub fn wizard_scenario() -> Scenario {
    Scenario::new().self_hosted()
}

/// `check --demo` and `audit --demo` for the profiles given (`--profile`, else the default): the
/// tenant's role is exactly what they need, so both commands describe the same tenant. A
/// selection that cannot be made is reported by the command itself; the healthy tenant serves.
pub fn headless_scenario(profile: &super::ProfileArgs) -> Scenario {
    match super::select::select(
        super::select::Catalogue::BuiltIn,
        &profile.profiles,
        &profile.profile_files,
    ) {
        Ok(selection) => {
            let chosen = selection.chosen();
            let refs: Vec<&crate::profile::Profile> = chosen.iter().collect();
            Scenario::for_profiles(&refs)
        }
        Err(_) => wizard_scenario(),
    }
}

/// The simulated tenant a headless command runs against: `Some` with `--demo` (the tenant for
/// its profiles), `None` without.
pub fn headless_demo(conn: &super::ConnectionArgs) -> Option<Scenario> {
    conn.run.demo.then(|| headless_scenario(&conn.profile))
}

/// Starts the simulator on 127.0.0.1; when it cannot, says why on stderr and gives the exit code.
pub async fn start(scenario: Scenario) -> Result<SimServer, u8> {
    SimServer::start(scenario).await.map_err(|e| {
        eprintln!("cwsetup: cannot start the simulated ConnectWise on 127.0.0.1: {e}");
        EXIT_USAGE
    })
}

/// The wizard's and plain mode's fields for the demo: the simulator's own values, keys
/// included, so real keys never go to it.
pub fn prefill(server: &SimServer) -> Prefill {
    Prefill {
        site: server.url(),
        company_id: DEMO_COMPANY_ID.into(),
        client_id: DEMO_CLIENT_ID.into(),
        public_key: Some(DEMO_PUBLIC_KEY.into()),
        private_key: Some(DEMO_PRIVATE_KEY.into()),
    }
}

/// For the headless commands: runs `body` on a new runtime, against `demo`'s simulated tenant
/// when given (started first and stopped after; `body` gets its URL), and returns its exit code.
pub fn run_headless<F, Fut>(demo: Option<Scenario>, body: F) -> u8
where
    F: FnOnce(Option<String>) -> Fut,
    Fut: Future<Output = u8>,
{
    let runtime = match super::runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(async move {
        let server = match demo {
            Some(scenario) => match start(scenario).await {
                Ok(server) => Some(server),
                Err(code) => return code,
            },
            None => None,
        };
        let code = body(server.as_ref().map(SimServer::url)).await;
        if let Some(server) = server {
            server.shutdown().await;
        }
        code
    })
}

/// What `check` and `audit` were given for the tenant, to be replaced by the demo's.
pub struct GivenValues<'a> {
    pub site: &'a mut Option<String>,
    pub company: &'a mut Option<String>,
    pub public_key: &'a mut Option<String>,
    pub client_id: &'a mut Option<String>,
    pub private_key_stdin: bool,
}

/// `check --demo` and `audit --demo` use the simulator's values (at `url`, with `public_key`)
/// whatever was given (CW_* included): demo keys never go to a real site, and real keys never
/// go to the demo. Says so when something was given, and wipes a given public key.
pub fn use_demo_values(command: &str, url: &str, public_key: &str, given: GivenValues) {
    let anything = given.site.is_some()
        || given.company.is_some()
        || given.public_key.is_some()
        || given.client_id.is_some()
        || std::env::var_os("CW_PRIVATE_KEY").is_some()
        || given.private_key_stdin;
    if anything {
        eprintln!(
            "cwsetup {command} --demo: ignoring the given site, company ID, keys and client ID; the demo uses the simulator's own values."
        );
    }
    if let Some(key) = given.public_key.as_mut() {
        zeroize::Zeroize::zeroize(key);
    }
    *given.site = Some(url.to_string());
    *given.company = Some(DEMO_COMPANY_ID.into());
    *given.public_key = Some(public_key.into());
    *given.client_id = Some(DEMO_CLIENT_ID.into());
}
