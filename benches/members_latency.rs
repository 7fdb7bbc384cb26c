//! `cwsetup members` against the in-process simulator with 50 ms of latency on every request:
//! 200 API members sharing 40 roles (each a shipped profile's rows), plus the two members and
//! three roles every simulated tenant has.
//!
//! Two ways, timed the same way:
//! - `members::run`: the real run, end to end, exactly as `cwsetup members` runs it (input,
//!   companyinfo, the members and roles lists at once, then every used role's settings,
//!   `SETTINGS_AT_ONCE` at a time);
//! - `sequential`: a baseline written here, the same reads through cwsetup's own client
//!   (`CwClient`, `ApiSession`), one after another, then the same analysis.
//!
//! Each way runs once first to print how many requests it makes, how many reached the
//! simulator at once, and in how many waves they went out; then `CWSETUP_BENCH_RUNS` (default 7)
//! timed runs each, and a summary of the medians, the ratio and the round trips (median / 50 ms).
//!
//!     cargo bench --bench members_latency
//!
//! Timings are printed, never asserted. The setup asserts only that both ways read every member
//! and every used role (so a broken run cannot be timed as a fast one).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;

use cwsetup::cw::{ClientOptions, Credentials, CwClient, Site};
use cwsetup::members::{MembersRequest, Reads};
use cwsetup::profile::{self, Profile};
use cwsetup::secret::Secret;
use cwsetup::sim::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_CLIENT_ID, DEMO_COMPANY_ID, Scenario,
    SimServer,
};

/// Injected by the simulator before it answers each request.
const LATENCY: Duration = Duration::from_millis(50);
const MEMBERS: usize = 200;
const ROLES: usize = 40;
/// The tenant's own two members (S365, RMMAPI) besides the benchmark's.
const ALL_MEMBERS: usize = MEMBERS + 2;

fn secret(value: &str) -> Secret {
    Secret::from_str_checked(value).expect("a demo key fits in a Secret")
}

/// The run, end to end, as `cwsetup members` makes it. Returns how many members it judged.
async fn parallel(site: &str, profiles: &[Profile]) -> usize {
    let request = MembersRequest {
        site: site.to_string(),
        company_id: DEMO_COMPANY_ID.into(),
        client_id: DEMO_CLIENT_ID.into(),
        public_key: secret(DEMO_ADMIN_PUBLIC_KEY),
        private_key: secret(DEMO_ADMIN_PRIVATE_KEY),
        profiles: profiles.to_vec(),
        timeout: Duration::from_secs(120),
    };
    match cwsetup::members::run(request).await {
        Ok(report) if report.manual.is_empty() && report.errors.is_empty() => report.members.len(),
        _ => 0,
    }
}

/// The same reads through the same client, one after another: companyinfo, the members, the
/// roles, then each used role's settings; then the same analysis.
async fn sequential(site: &str, profiles: &[Profile]) -> usize {
    let Ok(site) = Site::parse(site) else {
        return 0;
    };
    let options = ClientOptions {
        client_id: DEMO_CLIENT_ID.into(),
        ..ClientOptions::default()
    };
    let Ok(client) = CwClient::new(site, options) else {
        return 0;
    };
    let Ok(info) = client.company_info(DEMO_COMPANY_ID).await else {
        return 0;
    };
    let credentials = Arc::new(Credentials {
        company_id: DEMO_COMPANY_ID.into(),
        public_key: secret(DEMO_ADMIN_PUBLIC_KEY),
        private_key: secret(DEMO_ADMIN_PRIVATE_KEY),
    });
    let session = client.session(&info, credentials);
    let members = session.api_members().await;
    let roles = session.security_roles().await;
    let ids = members
        .as_ref()
        .map(|m| cwsetup::members::used_role_ids(m))
        .unwrap_or_default();
    let mut settings = std::collections::BTreeMap::new();
    for id in ids {
        settings.insert(id, session.security_role_settings(id).await);
    }
    let reads = Reads {
        members,
        roles,
        settings,
    };
    let refs: Vec<&Profile> = profiles.iter().collect();
    let report = cwsetup::members::analyze(&reads, &refs);
    if report.manual.is_empty() && report.errors.is_empty() {
        report.members.len()
    } else {
        0
    }
}

/// What one run looked like from the simulator's side.
struct Shape {
    requests: usize,
    waves: usize,
    elapsed: Duration,
}

/// Runs `f` once and reads the simulator's log: how many requests, and in how many waves (a
/// request that starts at least half a latency after the current wave began opens a new one).
fn shape(rt: &Runtime, sim: &SimServer, f: impl std::future::Future<Output = usize>) -> Shape {
    let before = sim.requests().len();
    let start = Instant::now();
    let judged = rt.block_on(f);
    let elapsed = start.elapsed();
    assert_eq!(
        judged, ALL_MEMBERS,
        "the run must read everything before it is timed"
    );
    let requests = sim.requests();
    let mut starts: Vec<Instant> = requests[before..].iter().map(|r| r.started).collect();
    starts.sort();
    let mut waves = 0;
    let mut wave_start: Option<Instant> = None;
    for s in starts {
        if wave_start.is_none_or(|w| s.duration_since(w) >= LATENCY / 2) {
            waves += 1;
            wave_start = Some(s);
        }
    }
    Shape {
        requests: requests.len() - before,
        waves,
        elapsed,
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // The runtime `cwsetup members` uses: two workers; the simulator runs on it too, as in --demo.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let runs: usize = std::env::var("CWSETUP_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7)
        .clamp(1, 100);
    let profiles: Vec<Profile> = profile::builtin().to_vec();
    let scenario = Scenario::new()
        .many_members(MEMBERS, ROLES)
        .latency(LATENCY);
    let sim = rt
        .block_on(SimServer::start(scenario))
        .expect("start the simulator on 127.0.0.1");
    let site = sim.url();

    let par = shape(&rt, &sim, parallel(&site, &profiles));
    let peak = sim.max_in_flight();
    let seq = shape(&rt, &sim, sequential(&site, &profiles));
    eprintln!(
        "[{MEMBERS} members, {ROLES} roles] members::run made {} requests in {} waves (peak {peak} in flight at the simulator), {}; the sequential baseline made {} requests in {} waves, {}",
        par.requests,
        par.waves,
        ms(par.elapsed),
        seq.requests,
        seq.waves,
        ms(seq.elapsed),
    );
    // The analysis alone (matching every role with every profile, judging every member), on
    // reads made once: what the run spends besides waiting.
    let reads = rt.block_on(async {
        let site = Site::parse(&site).expect("the simulator's URL");
        let options = ClientOptions {
            client_id: DEMO_CLIENT_ID.into(),
            ..ClientOptions::default()
        };
        let client = CwClient::new(site, options).expect("client");
        let info = client
            .company_info(DEMO_COMPANY_ID)
            .await
            .expect("companyinfo");
        let credentials = Arc::new(Credentials {
            company_id: DEMO_COMPANY_ID.into(),
            public_key: secret(DEMO_ADMIN_PUBLIC_KEY),
            private_key: secret(DEMO_ADMIN_PRIVATE_KEY),
        });
        cwsetup::members::read(&client.session(&info, credentials)).await
    });
    let refs: Vec<&Profile> = profiles.iter().collect();
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(cwsetup::members::analyze(&reads, &refs));
    }
    eprintln!(
        "the analysis alone ({} profiles): {} per run",
        refs.len(),
        ms(start.elapsed() / runs as u32)
    );
    let time = |f: &dyn Fn() -> usize| {
        let mut samples = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let judged = f();
            samples.push(start.elapsed());
            std::hint::black_box(judged);
        }
        median(samples)
    };
    let p = time(&|| rt.block_on(parallel(&site, &profiles)));
    let s = time(&|| rt.block_on(sequential(&site, &profiles)));
    println!();
    println!(
        "members latency, {} ms per request, {MEMBERS} members and {ROLES} roles (medians of {runs} runs)",
        LATENCY.as_millis()
    );
    println!(
        "{:>14} {:>14} {:>8} {:>18}",
        "members::run", "sequential", "ratio", "round trips"
    );
    println!(
        "{:>14} {:>14} {:>7.1}x {:>8.2} vs {:>6.2}",
        ms(p),
        ms(s),
        s.as_secs_f64() / p.as_secs_f64(),
        p.as_secs_f64() / LATENCY.as_secs_f64(),
        s.as_secs_f64() / LATENCY.as_secs_f64(),
    );
    rt.block_on(sim.shutdown());
}
