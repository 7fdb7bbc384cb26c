//! The fault matrix: the real `cwsetup check --json` binary against every fault we can stage.
//!
//! One table ([`cases`]) and one driver ([`run_case`]). For every case the driver asserts that:
//! - the expected stage has status `fail` with a non-empty `fix` (and the words that tell this
//!   fault apart), every earlier stage passed, and the later ones were skipped (the data
//!   stage still runs after a permissions failure);
//!   or, for knobs that are not failures (a brief 429, a stale codebase), that the check passes;
//! - the process did not panic: exit code 1 (0 for a pass), no "panicked" on stderr;
//! - it finished within its `--timeout` plus a generous slack (no other timing is asserted);
//! - stdout is exactly one JSON object of the documented shape, with no key in it.
//!
//! Every server is started here on 127.0.0.1 and stopped at the end of its case; the only other
//! name looked up is `nothing.invalid`, which cannot exist. Keys are the simulator's demo keys
//! or obviously fake ones.
//!
//! Adding a fault is one line in [`cases`]. `FAULT_CASE=name cargo test --test it fault_matrix`
//! runs only the cases whose name contains `name`.
use crate::common;

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::http::basic_token;
use cwsetup::profile::{Level, Levels};
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, MySecurityMode, Scenario,
    SimPermission, SimServer,
};
use futures::StreamExt as _;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// Obviously fake keys for servers that are not the simulator (and for "wrong keys").
const FAKE_PUBLIC: &str = "FAKEPUBLIC000001";
const FAKE_PRIVATE: &str = "FAKEPRIVATE00001";
const FAKE_COMPANY: &str = "fakeco";
const FAKE_CLIENT_ID: &str = "00000000-0000-4000-8000-00000000fa11";

/// `--timeout` for cases that answer; hanging cases use [`SHORT`].
const NORMAL: u64 = 15;
const SHORT: u64 = 3;
/// Added to `--timeout` for "finished within its timeout": process start, CPU shared with other
/// builds. Generous on purpose: this catches hangs, it does not measure speed.
const SLACK: Duration = Duration::from_secs(15);
/// Cases run at once (most of them wait on a server, not on the CPU).
const PARALLEL: usize = 4;

const STAGES: [&str; 6] = ["input", "connect", "company", "auth", "permissions", "data"];

// ---------------------------------------------------------------- the table

/// Where `--site` points.
#[derive(Clone)]
enum Target {
    /// The simulator with a catalog scenario (`cwsetup sim --scenario NAME`).
    Named(&'static str),
    /// The simulator with a scenario built in code.
    Sim(fn() -> Scenario),
    /// `https://` to the plain-http simulator.
    HttpsToPlainSim,
    /// A port that was bound, then released: nothing listens.
    Refused,
    /// `nothing.invalid`: a name that can never resolve.
    Dns,
    /// A listener whose accept queue is full: the TCP handshake never completes.
    ConnectNeverCompletes,
    /// A TLS server on 127.0.0.1 with this certificate; a test CA is the only trusted root.
    Tls(Cert),
    /// A raw HTTP server answering each path with a scripted reply.
    Raw(fn(&str) -> Reply),
}

#[derive(Clone, Copy, Debug)]
enum Cert {
    /// Self-signed (unknown issuer).
    SelfSigned,
    /// Signed by the trusted test CA, but `not_after` is in the past.
    Expired,
    /// Signed by the trusted test CA for another name.
    WrongName,
    /// Signed by the trusted test CA for 127.0.0.1: the control case.
    Trusted,
}

/// What a raw server does with one request.
#[derive(Clone, Copy)]
enum Reply {
    Full {
        status: u16,
        headers: &'static [(&'static str, &'static str)],
        body: &'static str,
    },
    /// Headers, then one byte every 300 ms (slow loris).
    Trickle,
    /// A body without length that goes on for 16 MiB.
    Endless,
    /// Read the request, then hang up without a word.
    Close,
}

#[derive(Clone)]
enum Expect {
    /// `stage` fails; the summary or fix mentions each word (case-insensitive).
    Fail {
        stage: &'static str,
        mentions: &'static [&'static str],
    },
    /// The check passes (exit 0); these stages warn, with a fix that (with the summary)
    /// mentions each word; all others pass.
    Pass {
        warn: &'static [&'static str],
        mentions: &'static [&'static str],
    },
}

#[derive(Clone)]
struct Case {
    name: &'static str,
    target: Target,
    expect: Expect,
    timeout: u64,
    company: Option<&'static str>,
    public: Option<&'static str>,
    private: Option<&'static str>,
    client_id: Option<&'static str>,
    /// Check this role (a JSON array of rows) instead of the built-in Sync 365 profile's.
    rows: Option<&'static str>,
    /// After the run: no request reached the simulator's second origin with credentials.
    no_credentials_cross_origin: bool,
}

fn case(name: &'static str, target: Target, expect: Expect) -> Case {
    Case {
        name,
        target,
        expect,
        timeout: NORMAL,
        company: None,
        public: None,
        private: None,
        client_id: None,
        rows: None,
        no_credentials_cross_origin: false,
    }
}

impl Case {
    fn timeout(mut self, secs: u64) -> Case {
        self.timeout = secs;
        self
    }
    fn keys(mut self, public: &'static str, private: &'static str) -> Case {
        self.public = Some(public);
        self.private = Some(private);
        self
    }
    fn company(mut self, company: &'static str) -> Case {
        self.company = Some(company);
        self
    }
    fn client_id(mut self, client_id: &'static str) -> Case {
        self.client_id = Some(client_id);
        self
    }
    fn rows(mut self, rows: &'static str) -> Case {
        self.rows = Some(rows);
        self
    }
    fn no_credentials_cross_origin(mut self) -> Case {
        self.no_credentials_cross_origin = true;
        self
    }
    fn uses_sim(&self) -> bool {
        matches!(
            self.target,
            Target::Named(_) | Target::Sim(_) | Target::HttpsToPlainSim
        )
    }
}

fn fail(stage: &'static str, mentions: &'static [&'static str]) -> Expect {
    Expect::Fail { stage, mentions }
}

fn pass() -> Expect {
    Expect::Pass {
        warn: &[],
        mentions: &[],
    }
}

fn warn(stages: &'static [&'static str], mentions: &'static [&'static str]) -> Expect {
    Expect::Pass {
        warn: stages,
        mentions,
    }
}

use Target::*;

/// What a self-hosted ConnectWise answers on companyinfo: the API is then on the same origin.
const COMPANY_INFO: &str = r#"{"CompanyName":"Fault Co","Codebase":"v4_6_release/","VersionCode":"v2025.1","CompanyID":"fakeco","IsCloud":false}"#;
const JSON: &[(&str, &str)] = &[("content-type", "application/json")];
const UNAUTHORIZED: Reply = Reply::Full {
    status: 401,
    headers: JSON,
    body: r#"{"code":"Unauthorized","message":"Unauthorized"}"#,
};

/// A role with one required row and one optional row (Service Desk / Service Tickets).
const OPTIONAL_ROW: &str = r#"[
    {"module": "Companies", "function": "Company Maintenance", "add": "None", "edit": "None",
     "delete": "None", "inquire": "All", "why": "Reads companies.", "probe": "company/companies"},
    {"module": "Service Desk", "function": "Service Tickets", "add": "All", "edit": "None",
     "delete": "None", "inquire": "All", "why": "Raises notifications.", "optional": true}
]"#;

/// companyinfo as a self-hosted server, `api` for every API call.
fn company_then(path: &str, api: Reply) -> Reply {
    if path.starts_with("/login/companyinfo/") {
        Reply::Full {
            status: 200,
            headers: JSON,
            body: COMPANY_INFO,
        }
    } else {
        api
    }
}

/// One line per fault. Kept unformatted so each case stays on its line.
#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let all = vec![
        // --- the simulator: its catalog, then knobs combined in code
        case("sim healthy (control)", Named("healthy"), pass()),
        case("sim 800 ms latency", Named("slow"), pass()),
        case("sim unknown company (companyinfo null)", Named("unknown-company"), fail("company", &["not found", "login screen"])),
        case("sim company ID it does not know", Named("healthy"), fail("company", &["not found"])).company("contoso"),
        case("sim self-hosted", Named("self-hosted"), pass()),
        case("sim IsCloud as a string", Named("is-cloud-string"), pass()),
        case("sim inactive member", Named("inactive-member"), fail("auth", &["401", "active"])),
        // Only the old key pair of a rotation is still accepted: the vendor's check passes.
        case("sim rotate: the old key still accepted", Named("old-key-kept"), pass()),
        // The audit's scenarios change only what the technician's own keys read: the vendor's check passes.
        case("sim audit: role missing a row", Named("role-missing-row"), pass()),
        case("sim audit: over-privileged role", Named("role-over-privileged"), pass()),
        case("sim audit: Admin role", Named("role-admin"), pass()),
        case("sim audit: no such role", Named("role-not-found"), pass()),
        case("sim audit: no such member", Named("member-not-found"), pass()),
        case("sim audit: member with the wrong role", Named("member-wrong-role"), pass()),
        case("sim audit: member at a lower Level", Named("member-lower-level"), pass()),
        case("sim audit: member without location", Named("member-no-location"), pass()),
        case("sim members: many API members, one per finding", Named("members"), pass()),
        case("sim audit: admin keys without Member Maintenance", Named("admin-no-member-maintenance"), pass()),
        case("sim audit: admin keys without Security Roles", Named("admin-no-security-roles"), pass()),
        case("sim wrong keys", Named("healthy"), fail("auth", &["401", "swapped"])).keys(FAKE_PUBLIC, FAKE_PRIVATE),
        case("sim swapped keys", Named("healthy"), fail("auth", &["401", "swapped"])).keys(DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY),
        case("sim missing Products row", Named("missing-products"), fail("permissions", &["Procurement / Products"])),
        case("sim missing Product Catalog row", Named("missing-catalog"), fail("permissions", &["Procurement / Product Catalog"])),
        case("sim missing Agreements row", Named("missing-agreements"), fail("permissions", &["Finance / Agreements"])),
        case("sim Table Setup's Customize list lacks the table", Named("missing-table-setup"), fail("permissions", &["System / Table Setup", "Customize list", "\"Agreements / Agreement Type\""])),
        case("sim Table Setup at None", Named("table-setup-none"), fail("permissions", &["Raise these rows", "System / Table Setup"])),
        case("sim no permission rows at all", Sim(|| Scenario::new().permissions(Vec::new())), fail("permissions", &["Companies / Company Maintenance", "Finance / Agreements"])),
        case("sim row readable but Edit too low", Sim(table_setup_inquire_only), fail("permissions", &["System / Table Setup"])),
        case("sim optional row missing", Sim(|| Scenario::new().revoke("Service Desk", "Service Tickets")), warn(&["permissions"], &["optional rows missing: Service Desk / Service Tickets"])).rows(OPTIONAL_ROW),
        case("profile with no role rows", Named("healthy"), warn(&["permissions"], &["lists no role rows"])).rows("[]"),
        case("sim mySecurity forbidden", Named("my-security-forbidden"), warn(&["permissions"], &["not readable (no permission (403))", "confirm the rows"])),
        case("sim mySecurity missing", Named("my-security-missing"), warn(&["permissions"], &["not readable", "confirm the rows"])),
        case("sim mySecurity forbidden and a row missing", Sim(|| Scenario::new().my_security(MySecurityMode::Forbidden).revoke("Procurement", "Products")), fail("permissions", &["Procurement / Products"])),
        case("sim location-limited (0 companies)", Named("location-limited"), fail("data", &["sees no company", "Corporate", "System > Members > API Members", "location", "department"])),
        case("sim hidden agreement types", Named("hidden-agreement-types"), warn(&["data"], &["parent agreement", "Managed Services"])),
        case("sim brief 429s (retried)", Named("rate-limited"), pass()),
        case("sim 429 storm, Retry-After 1", Sim(|| Scenario::new().rate_limited(1_000_000, 1)), fail("auth", &["429", "throttling"])),
        case("sim 429 storm, Retry-After 120", Sim(|| Scenario::new().rate_limited(1_000_000, 120)), fail("auth", &["retry after 120 s", "throttling"])),
        case("sim brief 503s (retried)", Named("server-errors"), pass()),
        case("sim 500 storm", Sim(|| Scenario::new().server_errors(1_000_000, 500)), fail("auth", &["HTTP 500", "internal error"])),
        case("sim stale codebase (rediscovered)", Named("stale-codebase"), pass()),
        case("sim HTML everywhere", Named("html"), fail("company", &["HTML", "na.myconnectwise.net"])),
        case("sim HTML on the API only", Sim(|| Scenario::new().html().faults_only_on_api()), fail("auth", &["HTML", "not as ConnectWise"])),
        case("sim hang", Named("hang"), fail("company", &["no answer", "did not answer in time"])).timeout(SHORT),
        case("sim hang on the API only", Sim(|| Scenario::new().hang().faults_only_on_api()), fail("auth", &["no answer", "did not answer in time"])).timeout(SHORT),
        case("sim slow-loris body", Named("slow-body"), fail("company", &["no answer", "did not answer in time"])).timeout(SHORT),
        case("sim slow-loris body on the API only", Sim(|| Scenario::new().slow_body().faults_only_on_api()), fail("auth", &["no answer"])).timeout(SHORT),
        case("sim oversized API body", Named("oversized"), fail("auth", &["larger than 8 MiB", "too large"])),
        case("sim cross-origin redirect", Named("cross-origin-redirect"), fail("auth", &["another origin", "keys were not sent"])).no_credentials_cross_origin(),
        case("sim same-origin redirect (followed)", Named("same-origin-redirect"), pass()),
        case("sim wrong JSON types (Codebase 42)", Named("wrong-json-types"), fail("company", &["Codebase is a number"])),
        case("sim wrong JSON types on the API only", Sim(|| Scenario::new().wrong_json_types().faults_only_on_api()), fail("auth", &["unexpected body"])),
        case("sim malformed JSON", Named("malformed-json"), fail("company", &["not JSON"])),
        case("sim malformed JSON on the API only", Sim(|| Scenario::new().malformed_json().faults_only_on_api()), fail("auth", &["not JSON"])),
        case("sim hostile text in names and version (JSON stays exact)", Named("hostile-text"), pass()),
        // --- input
        case("client ID that is only invisible characters", Named("healthy"), fail("input", &["client ID is missing"])).client_id("\u{200b}\u{feff}"),
        case("public and private key identical", Named("healthy"), fail("input", &["identical"])).keys(FAKE_PUBLIC, FAKE_PUBLIC),
        // --- the network and TLS
        case("connection refused", Refused, fail("connect", &["refused", "Nothing accepts connections"])),
        case("DNS failure (nothing.invalid)", Dns, fail("connect", &["nothing.invalid", "DNS"])),
        case("TCP connect never completes", ConnectNeverCompletes, fail("connect", &["while connecting", "did not accept the connection"])).timeout(SHORT),
        case("TLS self-signed certificate", Tls(Cert::SelfSigned), fail("connect", &["unknown or self-signed issuer", "self-signed"])),
        case("TLS expired certificate", Tls(Cert::Expired), fail("connect", &["expired", "Renew the TLS certificate"])),
        case("TLS certificate for another name", Tls(Cert::WrongName), fail("connect", &["another name", "does not cover"])),
        case("TLS trusted certificate (control: fails later, at auth)", Tls(Cert::Trusted), fail("auth", &["401"])),
        case("https to a plain-http server", HttpsToPlainSim, fail("connect", &["secure connection"])),
        // --- raw answers the simulator does not give
        case("raw slow-loris companyinfo", Raw(|_| Reply::Trickle), fail("company", &["no answer"])).timeout(SHORT),
        case("raw oversized companyinfo (no length)", Raw(|_| Reply::Endless), fail("company", &["larger than", "too large"])),
        case("raw connection dropped after the request", Raw(|_| Reply::Close), fail("company", &["connection", "lost"])),
        case("raw companyinfo JSON null", Raw(|_| Reply::Full { status: 200, headers: JSON, body: "null" }), fail("company", &["not found", "login screen"])),
        case("raw companyinfo empty body", Raw(|_| Reply::Full { status: 200, headers: JSON, body: "" }), fail("company", &["empty body"])),
        case("raw companyinfo HTML", Raw(|_| Reply::Full { status: 200, headers: &[("content-type", "text/html")], body: "<!DOCTYPE html><html><body>Sign in</body></html>" }), fail("company", &["HTML"])),
        case("raw companyinfo a JSON array", Raw(|_| Reply::Full { status: 200, headers: JSON, body: "[1,2,3]" }), fail("company", &["array"])),
        case("raw companyinfo IsCloud a number", Raw(|_| Reply::Full { status: 200, headers: JSON, body: r#"{"Codebase":"v4_6_release/","CompanyID":"fakeco","IsCloud":7}"# }), fail("company", &["IsCloud is a number"])),
        case("raw 429 storm on companyinfo, Retry-After 1", Raw(|_| Reply::Full { status: 429, headers: &[("content-type", "application/json"), ("retry-after", "1")], body: r#"{"error":"ConnectWiseAPI","message":"Too many requests."}"# }), fail("company", &["429", "throttling"])),
        case("raw API demands a clientId", Raw(|p| company_then(p, Reply::Full { status: 400, headers: &[("content-type", "text/plain")], body: "ClientId header is required" })), fail("auth", &["clientId"])),
        case("raw API answers 401", Raw(|p| company_then(p, UNAUTHORIZED)), fail("auth", &["401", "swapped"])),
        case("raw API system/info wrong JSON types", Raw(|p| company_then(p, Reply::Full { status: 200, headers: JSON, body: r#"{"version":42,"isCloud":"yes"}"# })), fail("auth", &["unexpected body"])),
        case("raw API slow-loris", Raw(|p| company_then(p, Reply::Trickle)), fail("auth", &["no answer"])).timeout(SHORT),
        case("raw API oversized", Raw(|p| company_then(p, Reply::Endless)), fail("auth", &["too large"])),
    ];
    // Only Linux is known to drop SYNs to a full accept queue (elsewhere it may refuse them).
    all.into_iter()
        .filter(|c| cfg!(target_os = "linux") || !matches!(c.target, ConnectNeverCompletes))
        .collect()
}

/// Table Setup readable (its probe passes) but its Edit level, which Sync 365 needs, at None.
fn table_setup_inquire_only() -> Scenario {
    let mut rows: Vec<SimPermission> = cwsetup::sim::GATES
        .iter()
        .filter(|(_, f, _)| *f != "Table Setup")
        .map(|(m, f, _)| SimPermission::uniform(m, f, Level::All))
        .collect();
    rows.push(SimPermission {
        module: "System".into(),
        function: "Table Setup".into(),
        levels: Levels::new(Level::None, Level::None, Level::None, Level::All),
    });
    Scenario::new().permissions(rows)
}

// ---------------------------------------------------------------- the driver

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_fails_at_the_right_stage_with_a_fix() {
    let filter = std::env::var("FAULT_CASE").ok();
    let selected: Vec<Case> = cases()
        .into_iter()
        .filter(|c| filter.as_deref().is_none_or(|f| c.name.contains(f)))
        .filter(|c| {
            // The child is made to trust only the test CA through SSL_CERT_FILE, which only
            // the Linux platform verifier reads; elsewhere it asks the OS store.
            let portable = cfg!(target_os = "linux") || !matches!(c.target, Tls(_));
            if !portable {
                eprintln!(
                    "skipped here (the trust store can be pinned only on Linux): {}",
                    c.name
                );
            }
            portable
        })
        .collect();
    assert!(
        !selected.is_empty(),
        "no case matches FAULT_CASE={filter:?}"
    );
    let started = Instant::now();
    let outcomes: Vec<(&'static str, Result<String, String>)> =
        futures::stream::iter(selected.into_iter().map(|c| async move {
            let name = c.name;
            (name, run_case(c).await)
        }))
        .buffer_unordered(PARALLEL)
        .collect()
        .await;

    let mut failures = Vec::new();
    let mut lines = Vec::new();
    for (name, outcome) in &outcomes {
        match outcome {
            Ok(line) => lines.push(format!("  ok    {name:<58} {line}")),
            Err(problem) => {
                lines.push(format!("  FAIL  {name:<58}"));
                failures.push(format!("--- {name}\n{problem}"));
            }
        }
    }
    lines.sort();
    eprintln!(
        "fault matrix: {} cases in {:.1} s\n{}",
        outcomes.len(),
        started.elapsed().as_secs_f64(),
        lines.join("\n")
    );
    assert!(
        failures.is_empty(),
        "{} of {} fault cases failed:\n{}",
        failures.len(),
        outcomes.len(),
        failures.join("\n")
    );
}

#[test]
fn every_simulator_scenario_is_in_the_matrix() {
    let named: Vec<&str> = cases()
        .iter()
        .filter_map(|c| match c.target {
            Named(n) => Some(n),
            _ => None,
        })
        .collect();
    for (name, _) in Scenario::catalog() {
        assert!(
            named.contains(name),
            "simulator scenario {name:?} has no case in the fault matrix"
        );
    }
    for name in &named {
        assert!(
            Scenario::named(name).is_some(),
            "{name:?} is not a scenario"
        );
    }
    let mut names: Vec<&str> = cases().iter().map(|c| c.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), cases().len(), "case names must be unique");
}

/// What a case's target is made of; dropped (or shut down) when the case ends.
struct Staged {
    site: String,
    env: Vec<(&'static str, String)>,
    sim: Option<SimServer>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Connections that fill an accept queue, a temp dir for the CA file, …
    _keep: Vec<Box<dyn std::any::Any + Send>>,
}

impl Staged {
    fn new(site: String) -> Staged {
        Staged {
            site,
            env: Vec::new(),
            sim: None,
            tasks: Vec::new(),
            _keep: Vec::new(),
        }
    }

    async fn stop(mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
            let _ = task.await;
        }
        if let Some(sim) = self.sim.take() {
            sim.shutdown().await;
        }
    }
}

async fn stage(target: &Target) -> Staged {
    match target {
        Named(name) => {
            let scenario = Scenario::named(name).unwrap_or_else(|| panic!("no scenario {name}"));
            sim_staged(scenario, false).await
        }
        Sim(build) => sim_staged(build(), false).await,
        HttpsToPlainSim => {
            let mut staged = sim_staged(Scenario::new(), true).await;
            let ca = tls::test_ca();
            trust_only(&mut staged, &ca.pem);
            staged
        }
        Refused => {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let port = listener.local_addr().expect("addr").port();
            drop(listener);
            Staged::new(format!("http://127.0.0.1:{port}"))
        }
        Dns => Staged::new("https://nothing.invalid".to_string()),
        ConnectNeverCompletes => {
            let (addr, listener, fillers) = common::net::connect_never_completes().await;
            let mut staged = Staged::new(format!("http://{addr}"));
            staged._keep.push(Box::new(listener));
            staged._keep.push(Box::new(fillers));
            staged
        }
        Tls(cert) => {
            let ca = tls::test_ca();
            let leaf = match cert {
                Cert::SelfSigned => tls::self_signed_leaf("127.0.0.1"),
                Cert::Expired => tls::signed_leaf(&ca, "127.0.0.1", true),
                Cert::WrongName => tls::signed_leaf(&ca, "cw.other.example", false),
                Cert::Trusted => tls::signed_leaf(&ca, "127.0.0.1", false),
            };
            let (addr, task) = tls::https_server(leaf, |p| company_then(p, UNAUTHORIZED)).await;
            let mut staged = Staged::new(format!("https://{addr}"));
            staged.tasks.push(task);
            trust_only(&mut staged, &ca.pem);
            staged
        }
        Raw(script) => {
            let (addr, task) = raw_server(*script).await;
            let mut staged = Staged::new(format!("http://{addr}"));
            staged.tasks.push(task);
            staged
        }
    }
}

async fn sim_staged(scenario: Scenario, https: bool) -> Staged {
    let sim = SimServer::start(scenario).await.expect("sim starts");
    let site = if https {
        format!("https://{}", sim.addr())
    } else {
        sim.url()
    };
    let mut staged = Staged::new(site);
    staged.sim = Some(sim);
    staged
}

/// The child trusts only `ca_pem` (SSL_CERT_FILE is what the platform verifier reads on Linux),
/// so the machine's own CA store cannot change the outcome.
fn trust_only(staged: &mut Staged, ca_pem: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = dir.path().join("ca.pem");
    let mut file = std::fs::File::create(&path).expect("CA file");
    file.write_all(ca_pem.as_bytes()).expect("write CA");
    staged
        .env
        .push(("SSL_CERT_FILE", path.to_string_lossy().into_owned()));
    staged._keep.push(Box::new(dir));
}

/// Runs one case; `Ok` is a one-line description of what the check reported.
async fn run_case(case: Case) -> Result<String, String> {
    let staged = stage(&case.target).await;
    let result = run_and_judge(&case, &staged).await;
    let result = match (result, case.no_credentials_cross_origin) {
        (Ok(line), true) => no_credentials_cross_origin(&staged).map(|()| line),
        (other, _) => other,
    };
    staged.stop().await;
    result
}

/// What one case's `cwsetup check` is run with.
struct Given<'a> {
    staged: &'a Staged,
    company: &'a str,
    public: &'a str,
    private: &'a str,
    client_id: &'a str,
    timeout: &'a str,
    profile_file: Option<&'a std::path::Path>,
}

/// The case's `cwsetup check` (with `--json` or as a technician reads it).
fn check_command(given: &Given<'_>, json: bool) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_cwsetup"));
    command
        .args([
            "check",
            "--site",
            &given.staged.site,
            "--company",
            given.company,
        ])
        .args(json.then_some("--json"))
        .args(["--public-key", given.public, "--client-id", given.client_id])
        .args(["--timeout", given.timeout])
        .args(
            given
                .profile_file
                .iter()
                .flat_map(|path| ["--profile-file".as_ref(), path.as_os_str()]),
        )
        .env("CW_PRIVATE_KEY", given.private)
        .env("NO_COLOR", "1");
    // Nothing from the developer's environment may steer the run: no proxy (nothing.invalid
    // must reach the resolver), no CW_* defaults, no log file, no extra CA store.
    for var in [
        "CW_SITE",
        "CW_COMPANY_ID",
        "CW_PUBLIC_KEY",
        "CW_CLIENT_ID",
        "CWSETUP_LOG",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env_remove(var);
    }
    for (key, value) in &given.staged.env {
        command.env(key, value);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// The human output of a simulator scenario must end with the verdict `--json` gave, and exit
/// the same way.
fn human_problems(
    case: &Case,
    human: &std::process::Output,
    output: &std::process::Output,
) -> Vec<String> {
    let mut problems = Vec::new();
    let text = String::from_utf8_lossy(&human.stdout).into_owned();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.starts_with("Hint:"))
        .unwrap_or("");
    let want = match case.expect {
        Expect::Fail { .. } => "✗ FAIL:",
        Expect::Pass { warn: [], .. } => "✓ PASS:",
        Expect::Pass { .. } => "⚠ PASS WITH WARNINGS:",
    };
    if !last.starts_with(want) {
        problems.push(format!("human output ends {last:?}, expected {want:?}"));
    }
    if human.status.code() != output.status.code() {
        problems.push(format!(
            "human exit {:?} differs from --json's",
            human.status
        ));
    }
    problems
}

async fn run_and_judge(case: &Case, staged: &Staged) -> Result<String, String> {
    let sim = case.uses_sim();
    let company = case
        .company
        .unwrap_or(if sim { DEMO_COMPANY_ID } else { FAKE_COMPANY });
    let public = case
        .public
        .unwrap_or(if sim { DEMO_PUBLIC_KEY } else { FAKE_PUBLIC });
    let private = case
        .private
        .unwrap_or(if sim { DEMO_PRIVATE_KEY } else { FAKE_PRIVATE });
    let client_id = case
        .client_id
        .unwrap_or(if sim { DEMO_CLIENT_ID } else { FAKE_CLIENT_ID });
    let timeout = case.timeout.to_string();
    let profile_dir = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let profile_file = match case.rows {
        Some(rows) => Some(profile_with_rows(&profile_dir, rows)?),
        None => None,
    };

    let given = Given {
        staged,
        company,
        public,
        private,
        client_id,
        timeout: &timeout,
        profile_file: profile_file.as_deref(),
    };
    let build = |json: bool| check_command(&given, json);

    let limit = Duration::from_secs(case.timeout) + SLACK;
    let started = Instant::now();
    let output = run_bounded(build(true), limit, case.timeout).await?;
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();

    let secrets = secrets(company, public, private);
    let mut problems = Vec::new();
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        if secrets.iter().any(|secret| text.contains(secret.as_str())) {
            problems.push(format!("{name} contains a key or the Authorization value"));
        }
    }
    if stderr.contains("panicked") {
        problems.push("cwsetup panicked".to_string());
    }
    let report = match one_json_object(&stdout) {
        Ok(report) => Some(report),
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let expected_code = match case.expect {
        // Input the check itself rejects is a usage error, like a missing flag.
        Expect::Fail { stage: "input", .. } => 2,
        Expect::Fail { .. } => 1,
        Expect::Pass { .. } => 0,
    };
    if output.status.code() != Some(expected_code) {
        problems.push(format!(
            "exit status {:?}, expected {expected_code}",
            output.status
        ));
    }
    let mut line = String::new();
    if let Some(report) = &report {
        problems.extend(contract_problems(report));
        match judge_stages(&case.expect, report) {
            Ok(l) => line = l,
            Err(mut p) => problems.append(&mut p),
        }
    }
    line.push_str(&format!(" [{:.1} s]", elapsed.as_secs_f64()));

    // The human output of a simulator scenario ends with the same verdict.
    if matches!(case.target, Named(_)) {
        let human = run_bounded(build(false), limit, case.timeout).await?;
        problems.extend(human_problems(case, &human, &output));
    }

    if problems.is_empty() {
        Ok(line)
    } else {
        let redact = |text: &str| {
            secrets
                .iter()
                .fold(text.to_string(), |t, s| t.replace(s.as_str(), "[redacted]"))
        };
        Err(format!(
            "{}\nexit: {:?}, {:.1} s\nstdout:\n{}\nstderr:\n{}",
            problems.join("\n"),
            output.status,
            elapsed.as_secs_f64(),
            redact(&stdout),
            redact(&stderr)
        ))
    }
}

/// Runs a cwsetup command to its end, killing it past `limit`.
async fn run_bounded(
    mut command: tokio::process::Command,
    limit: Duration,
    timeout: u64,
) -> Result<std::process::Output, String> {
    // The bound that keeps a hang from hanging the suite: past it, the child is dropped, and
    // with it killed (SIGKILL, or TerminateProcess on Windows).
    command.kill_on_drop(true);
    // Wine's transient "Internal error. (os error 1359)" is retried, and nothing else.
    let child = common::spawn::spawn_retrying(|| command.spawn())
        .map_err(|e| format!("cannot start cwsetup: {e}"))?;
    match tokio::time::timeout(limit, child.wait_with_output()).await {
        Ok(waited) => waited.map_err(|e| format!("waiting for cwsetup: {e}")),
        Err(_) => Err(format!(
            "still running after --timeout {timeout} + {} s: killed",
            SLACK.as_secs()
        )),
    }
}

/// The built-in Sync 365 profile file, renamed and with `rows` as its role; returns its path.
fn profile_with_rows(dir: &tempfile::TempDir, rows: &str) -> Result<PathBuf, String> {
    let shipped =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/profiles/sync365.json");
    let text =
        std::fs::read_to_string(&shipped).map_err(|e| format!("{}: {e}", shipped.display()))?;
    let mut profile: Value =
        serde_json::from_str(&text).map_err(|e| format!("sync365.json: {e}"))?;
    profile["id"] = Value::from("fault-matrix");
    profile["role"]["rows"] = serde_json::from_str(rows).map_err(|e| format!("rows: {e}"))?;
    let path = dir.path().join("fault-matrix.json");
    std::fs::write(&path, profile.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Every form a key could leak in: each key, and the Authorization header's value.
fn secrets(company: &str, public: &str, private: &str) -> Vec<String> {
    let basic = basic_token(company, public, private);
    vec![
        public.to_string(),
        private.to_string(),
        DEMO_PRIVATE_KEY.to_string(),
        basic,
        "Basic ".to_string(),
    ]
}

fn one_json_object(stdout: &str) -> Result<Value, String> {
    let mut values = serde_json::Deserializer::from_str(stdout).into_iter::<Value>();
    let first = match values.next() {
        Some(Ok(v)) => v,
        Some(Err(e)) => return Err(format!("stdout is not JSON: {e}")),
        None => return Err("stdout is empty".to_string()),
    };
    if values.next().is_some() {
        return Err("stdout holds more than one JSON value".to_string());
    }
    if !first.is_object() {
        return Err("stdout is JSON but not an object".to_string());
    }
    Ok(first)
}

/// The `check --json` contract of issue 6.
fn contract_problems(report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expect = |ok: bool, what: &str| {
        if !ok {
            problems.push(format!("JSON contract: {what}"));
        }
    };
    let str_or_null = |v: &Value| v.is_string() || v.is_null();
    expect(report["ok"].is_boolean(), "ok is a bool");
    expect(report["site"].is_string(), "site is a string");
    expect(report["company_id"].is_string(), "company_id is a string");
    expect(
        str_or_null(&report["api_base"]),
        "api_base is a string or null",
    );
    expect(
        str_or_null(&report["codebase"]),
        "codebase is a string or null",
    );
    expect(
        str_or_null(&report["version"]),
        "version is a string or null",
    );
    expect(
        report["is_cloud"].is_boolean() || report["is_cloud"].is_null(),
        "is_cloud is a bool or null",
    );
    let stages = report["stages"].as_array().cloned().unwrap_or_default();
    let ids: Vec<&str> = stages.iter().filter_map(|s| s["id"].as_str()).collect();
    expect(ids == STAGES, "stages are the six ids in order");
    for stage in &stages {
        expect(
            matches!(
                stage["status"].as_str(),
                Some("pass" | "warn" | "fail" | "skip")
            ),
            "stage status is pass|warn|fail|skip",
        );
        expect(stage["summary"].is_string(), "stage summary is a string");
        expect(str_or_null(&stage["fix"]), "stage fix is a string or null");
    }
    match report["permissions"].as_array() {
        Some(rows) => {
            for row in rows {
                for key in ["module", "function", "required", "detail"] {
                    expect(row[key].is_string(), "permission fields are strings");
                }
                expect(
                    matches!(row["status"].as_str(), Some("pass" | "fail" | "unverified")),
                    "permission status is pass|fail|unverified",
                );
            }
        }
        None => expect(false, "permissions is an array"),
    }
    for key in ["companies", "agreements", "products", "catalog"] {
        let v = &report["counts"][key];
        expect(v.is_u64() || v.is_null(), "counts are numbers or null");
    }
    expect(
        report["warnings"]
            .as_array()
            .is_some_and(|w| w.iter().all(Value::is_string)),
        "warnings is an array of strings",
    );
    problems
}

/// The verdict: fail for a failed stage; warn when a stage warns (with a warning to act on);
/// pass otherwise, with no warning at all. And notes is a list.
fn verdict_problems(expect: &Expect, report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let verdict = report["verdict"].as_str().unwrap_or("");
    let warnings = report["warnings"].as_array().map_or(0, Vec::len);
    let want_verdict = match expect {
        Expect::Fail { .. } => "fail",
        Expect::Pass { warn: [], .. } => "pass",
        Expect::Pass { .. } => "warn",
    };
    if verdict != want_verdict {
        problems.push(format!("verdict is {verdict:?}, expected {want_verdict:?}"));
    }
    if want_verdict == "warn" && warnings == 0 {
        problems.push("verdict warn with no warning listed".to_string());
    }
    if want_verdict == "pass" && warnings > 0 {
        problems.push(format!(
            "verdict pass with warnings: {}",
            report["warnings"]
        ));
    }
    if !report["notes"].is_array() {
        problems.push("notes is not an array".to_string());
    }
    problems
}

fn judge_stages(expect: &Expect, report: &Value) -> Result<String, Vec<String>> {
    let stages: Vec<&Value> = report["stages"]
        .as_array()
        .map(|s| s.iter().collect())
        .unwrap_or_default();
    let status = |i: usize| {
        stages
            .get(i)
            .and_then(|s| s["status"].as_str())
            .unwrap_or("")
    };
    let text = |i: usize| {
        stages.get(i).map_or(String::new(), |s| {
            format!(
                "{} {}",
                s["summary"].as_str().unwrap_or(""),
                s["fix"].as_str().unwrap_or("")
            )
        })
    };
    let has_fix = |i: usize| {
        stages
            .get(i)
            .and_then(|s| s["fix"].as_str())
            .is_some_and(|f| !f.trim().is_empty())
    };
    let mut problems = Vec::new();
    let ok = report["ok"].as_bool();
    problems.extend(verdict_problems(expect, report));
    let line = match expect {
        Expect::Fail { stage, mentions } => {
            let at = STAGES.iter().position(|s| s == stage).expect("known stage");
            if ok != Some(false) {
                problems.push("ok is not false".to_string());
            }
            for (i, id) in STAGES.iter().enumerate() {
                let got = status(i);
                let fine = match i.cmp(&at) {
                    std::cmp::Ordering::Less => got == "pass",
                    std::cmp::Ordering::Equal => got == "fail",
                    // A failed permission row does not stop the data stage.
                    std::cmp::Ordering::Greater if *stage == "permissions" => {
                        matches!(got, "pass" | "warn")
                    }
                    std::cmp::Ordering::Greater => got == "skip",
                };
                if !fine {
                    problems.push(format!("stage {id} is {got:?}"));
                }
            }
            if !has_fix(at) {
                problems.push(format!("stage {stage} has no fix"));
            }
            let said = text(at).to_lowercase();
            for word in *mentions {
                if !said.contains(&word.to_lowercase()) {
                    problems.push(format!("stage {stage} does not mention {word:?}"));
                }
            }
            let summary = stages
                .get(at)
                .and_then(|s| s["summary"].as_str())
                .unwrap_or("");
            format!("fail: {stage}: {summary}")
        }
        Expect::Pass { warn, mentions } => {
            if ok != Some(true) {
                problems.push("ok is not true".to_string());
            }
            for (i, id) in STAGES.iter().enumerate() {
                let want = if warn.contains(id) { "warn" } else { "pass" };
                if status(i) != want {
                    problems.push(format!("stage {id} is {:?}, expected {want}", status(i)));
                }
                if want == "warn" && !has_fix(i) {
                    problems.push(format!("stage {id} warns without a fix"));
                }
            }
            let said = (0..STAGES.len())
                .filter(|i| warn.contains(&STAGES[*i]))
                .map(text)
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            for word in *mentions {
                if !said.contains(&word.to_lowercase()) {
                    problems.push(format!("the warnings do not mention {word:?}"));
                }
            }
            if warn.is_empty() {
                "pass: all stages pass".to_string()
            } else {
                format!("warn: {} warn", warn.join(", "))
            }
        }
    };
    if problems.is_empty() {
        Ok(line)
    } else {
        Err(problems)
    }
}

/// The simulator's second origin received nothing carrying the keys.
fn no_credentials_cross_origin(staged: &Staged) -> Result<(), String> {
    let sim = staged.sim.as_ref().ok_or("no simulator")?;
    let other = sim.redirect_origin().ok_or("no second origin")?;
    let requests = sim.requests();
    let leaked = requests
        .iter()
        .filter(|r| r.origin == other && r.header("authorization").is_some())
        .count();
    let first_origin = requests.iter().filter(|r| r.origin != other).count();
    if first_origin == 0 {
        return Err("the simulator saw no request at all".to_string());
    }
    if leaked > 0 {
        return Err(format!(
            "{leaked} request(s) reached {other} with an Authorization header"
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------- raw servers

async fn answer<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, script: fn(&str) -> Reply) {
    let Some(path) = common::net::read_request_path(&mut stream).await else {
        return;
    };
    match script(&path) {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            common::net::write_reply(&mut stream, status, headers, body).await;
        }
        Reply::Trickle => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\nconnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut tick = tokio::time::interval(Duration::from_millis(300));
            for _ in 0..1000 {
                tick.tick().await;
                if stream.write_all(b" ").await.is_err() || stream.flush().await.is_err() {
                    return;
                }
            }
        }
        Reply::Endless => {
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n[";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = "1,".repeat(32 * 1024);
            for _ in 0..256 {
                if stream.write_all(chunk.as_bytes()).await.is_err() {
                    return;
                }
            }
            let _ = stream.write_all(b"1]").await;
            let _ = stream.shutdown().await;
        }
        Reply::Close => drop(stream),
    }
}

/// A plain HTTP server on 127.0.0.1; aborting its task closes every connection it holds.
async fn raw_server(script: fn(&str) -> Reply) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        let mut connections = JoinSet::new();
        for _ in 0..200 {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            connections.spawn(answer(stream, script));
        }
        while connections.join_next().await.is_some() {}
    });
    (addr, task)
}

// ---------------------------------------------------------------- TLS (as in tests/it/cw_client.rs)

mod tls {
    use super::*;
    pub use crate::common::tls::*;

    /// An HTTPS server on 127.0.0.1 presenting `leaf` and answering with `script`.
    pub async fn https_server(
        leaf: Leaf,
        script: fn(&str) -> Reply,
    ) -> (SocketAddr, tokio::task::JoinHandle<()>) {
        let acceptor = acceptor(leaf);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            for _ in 0..50 {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                connections.spawn(async move {
                    if let Ok(Ok(tls)) =
                        tokio::time::timeout(Duration::from_secs(5), acceptor.accept(stream)).await
                    {
                        answer(tls, script).await;
                    }
                });
            }
            while connections.join_next().await.is_some() {}
        });
        (addr, task)
    }
}

/// Issue 23, item 12: only Wine's transient os error 1359 is retried, a bounded number of
/// times; any other error is returned at once.
#[test]
fn the_spawn_helper_retries_only_wines_transient_error() {
    use common::spawn::{SPAWN_TRIES, WINE_TRANSIENT_SPAWN_ERROR, spawn_retrying};
    let transient = || std::io::Error::from_raw_os_error(WINE_TRANSIENT_SPAWN_ERROR);
    let mut calls = 0;
    let started = spawn_retrying(|| {
        calls += 1;
        if calls < SPAWN_TRIES {
            Err(transient())
        } else {
            Ok("started")
        }
    });
    assert_eq!(started.ok(), Some("started"));
    assert_eq!(calls, SPAWN_TRIES);

    let mut calls = 0;
    let failed = spawn_retrying(|| -> std::io::Result<()> {
        calls += 1;
        Err(transient())
    });
    assert_eq!(
        failed.err().and_then(|e| e.raw_os_error()),
        Some(WINE_TRANSIENT_SPAWN_ERROR)
    );
    assert_eq!(calls, SPAWN_TRIES, "bounded");

    let mut calls = 0;
    let other = spawn_retrying(|| -> std::io::Result<()> {
        calls += 1;
        Err(std::io::Error::from(std::io::ErrorKind::NotFound))
    });
    assert!(other.is_err());
    assert_eq!(calls, 1, "a real failure is not retried");
}
