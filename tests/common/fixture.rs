//! One fixture for "start the simulator, open a session, call, assert, shut down".
//!
//! - [`with_sim`]: starts a simulator with a scenario, runs the test body against it, and shuts
//!   it down afterwards (a failed assertion drops it instead, which aborts its tasks).
//! - [`on_api`]: the common case in one call: a fresh simulator, a session with the test
//!   options, one call on it; the call's result comes back.
//! - [`Sim`]: the running simulator (it derefs to [`SimServer`]) with a client and a session
//!   for it.

use std::sync::Arc;
use std::time::Duration;

use cwsetup::cw::{ApiSession, ClientOptions, Credentials, CwClient, CwError, Site};
use cwsetup::secret::Secret;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, RecordedRequest, Scenario,
    SimServer,
};

pub fn credentials(company: &str, public: &str, private: &str) -> Arc<Credentials> {
    Arc::new(Credentials {
        company_id: company.to_string(),
        public_key: Secret::from_str_checked(public).expect("fits"),
        private_key: Secret::from_str_checked(private).expect("fits"),
    })
}

pub fn demo_credentials() -> Arc<Credentials> {
    credentials(DEMO_COMPANY_ID, DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY)
}

/// Generous bounds so a bug shows up as a failure, never as a hung test run.
pub fn options() -> ClientOptions {
    ClientOptions {
        client_id: DEMO_CLIENT_ID.to_string(),
        request_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        deadline: Some(tokio::time::Instant::now() + Duration::from_secs(30)),
        retry_base_delay: Duration::from_millis(20),
        ..ClientOptions::default()
    }
}

pub fn client(site: &str, options: ClientOptions) -> CwClient {
    let site = Site::parse(site).expect("valid site");
    CwClient::new(site, options).expect("client builds")
}

/// A running simulator for one test.
pub struct Sim {
    server: SimServer,
}

impl std::ops::Deref for Sim {
    type Target = SimServer;

    fn deref(&self) -> &SimServer {
        &self.server
    }
}

impl Sim {
    pub async fn start(scenario: Scenario) -> Sim {
        Sim {
            server: SimServer::start(scenario).await.expect("sim starts"),
        }
    }

    /// A client for this simulator with the test [`options`].
    pub fn client(&self) -> CwClient {
        self.client_with(options())
    }

    pub fn client_with(&self, options: ClientOptions) -> CwClient {
        client(&self.url(), options)
    }

    /// A session with the demo keys and the test [`options`], after companyinfo.
    pub async fn session(&self) -> ApiSession {
        self.session_with(options()).await
    }

    pub async fn session_with(&self, options: ClientOptions) -> ApiSession {
        let client = self.client_with(options);
        let info = client
            .company_info(DEMO_COMPANY_ID)
            .await
            .expect("companyinfo answers");
        client.session(&info, demo_credentials())
    }

    /// The API requests received so far (companyinfo left out).
    pub fn api_requests(&self) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.path.contains("apis/3.0"))
            .collect()
    }

    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

/// Starts a simulator with `scenario`, runs `test` against it, then shuts it down.
pub async fn with_sim<T>(scenario: Scenario, test: impl AsyncFnOnce(&Sim) -> T) -> T {
    let sim = Sim::start(scenario).await;
    let result = test(&sim).await;
    sim.shutdown().await;
    result
}

/// One call on a session (demo keys, test options) against a fresh simulator with `scenario`.
pub async fn on_api<T>(
    scenario: Scenario,
    call: impl AsyncFnOnce(&ApiSession) -> Result<T, CwError>,
) -> Result<T, CwError> {
    with_sim(scenario, async |sim| call(&sim.session().await).await).await
}
