//! Check latency against the in-process simulator with 50 ms of latency on every request.
//!
//! For each profile, two benchmarks:
//! - `check::run`: the real check, end to end (input, companyinfo, then every other call at once);
//! - `sequential`: a baseline written here, the same HTTP calls through cwsetup's own client
//!   (`CwClient`, `ApiSession`), one after another.
//!
//! Profiles: sync365 (8 rows, 7 probes); sync365 + visionary360-email-reconnector merged (the
//! visionary profile ships no rows, so the merged role is the same 8); and sync365 plus 16 and
//! 64 synthetic probe rows (24 and 72 rows), to show how the check grows with rows.
//!
//! Before the measurements each case runs once to print how many requests it makes, the peak
//! number in flight at the simulator, and in how many waves they went out. After them a summary
//! prints the medians, the ratio and the round trips (median / 50 ms).
//!
//!     cargo bench --bench check_latency
//!
//! Set CWSETUP_BENCH_TIMELINE=1 to also print when each request started and was answered.
//!
//! Timings are printed, never asserted. The setup asserts only that the checks pass (so a broken
//! check cannot be timed as a fast one).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use tokio::runtime::Runtime;

use cwsetup::check::{self, CheckRequest, StageStatus};
use cwsetup::cw::{ClientOptions, Credentials, CwClient, ListQuery, Site};
use cwsetup::profile::{self, Level, Levels, MergedRow, Profile, RoleRow};
use cwsetup::secret::Secret;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, GATES, Scenario,
    SimPermission, SimServer,
};

/// Injected by the simulator before it answers each request.
const LATENCY: Duration = Duration::from_millis(50);

/// Endpoints the synthetic rows probe (each gated by a function the simulated member holds).
const PROBES: &[&str] = &[
    "company/companies",
    "company/contacts",
    "finance/agreements",
    "finance/invoices",
    "procurement/products",
    "procurement/catalog",
];

/// One benchmarked case: the profiles the check verifies and the simulator that serves them.
struct Case {
    name: String,
    profiles: Vec<Profile>,
    scenario: Scenario,
}

fn synthetic_row(i: usize) -> RoleRow {
    RoleRow {
        module: "Bench".into(),
        function: format!("Synthetic {i:03}"),
        levels: Levels::new(Level::None, Level::None, Level::None, Level::All),
        why: "a synthetic row, to measure how the check grows with rows".into(),
        optional: false,
        optional_reason: None,
        probe: Some(PROBES[i % PROBES.len()].into()),
        customize: Vec::new(),
        customize_deny: Vec::new(),
        setup_only: None,
    }
}

/// sync365 plus `extra` synthetic rows, and a simulated member who holds all of them.
fn many_rows(extra: usize) -> Case {
    let mut profile = find("sync365").clone();
    profile.id = format!("bench-sync365-plus-{extra}");
    profile.role.rows.extend((0..extra).map(synthetic_row));
    let mut permissions: Vec<SimPermission> = GATES
        .iter()
        .map(|(module, function, _)| SimPermission::uniform(module, function, Level::All))
        .collect();
    permissions.extend((0..extra).map(|i| {
        let row = synthetic_row(i);
        SimPermission::uniform(&row.module, &row.function, Level::All)
    }));
    Case {
        name: format!("sync365+{extra}_synthetic"),
        profiles: vec![profile],
        scenario: Scenario::new().latency(LATENCY).permissions(permissions),
    }
}

fn find(id: &str) -> &'static Profile {
    profile::find(id).unwrap_or_else(|| panic!("no built-in profile {id}"))
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "sync365".into(),
            profiles: vec![find("sync365").clone()],
            scenario: Scenario::new().latency(LATENCY),
        },
        Case {
            name: "sync365+visionary".into(),
            profiles: vec![
                find("sync365").clone(),
                find("visionary360-email-reconnector").clone(),
            ],
            scenario: Scenario::new().latency(LATENCY),
        },
        many_rows(16),
        many_rows(64),
    ]
}

fn secret(value: &str) -> Secret {
    Secret::from_str_checked(value).expect("a demo key fits in a Secret")
}

fn request(site: &str, profiles: &[Profile]) -> CheckRequest {
    CheckRequest {
        site: site.to_string(),
        company_id: DEMO_COMPANY_ID.into(),
        client_id: DEMO_CLIENT_ID.into(),
        public_key: secret(DEMO_PUBLIC_KEY),
        private_key: secret(DEMO_PRIVATE_KEY),
        profiles: profiles.to_vec(),
        timeout: Duration::from_secs(60),
        removed_before: Vec::new(),
    }
}

/// The check, end to end, exactly as `cwsetup check` runs it. Returns whether it passed.
async fn parallel(site: &str, profiles: &[Profile]) -> bool {
    let report = check::run(request(site, profiles), None).await;
    report
        .stages
        .iter()
        .all(|s| matches!(s.status, StageStatus::Pass | StageStatus::Warn))
}

/// The same calls as `check::run`, through the same client, one after another: companyinfo,
/// system/info, system/mySecurity, one probe per row that has one, the four counts, the
/// agreement list and the agreement type list. Returns whether every call answered.
async fn sequential(site: &str, rows: &[MergedRow]) -> bool {
    let Ok(site) = Site::parse(site) else {
        return false;
    };
    let options = ClientOptions {
        client_id: DEMO_CLIENT_ID.into(),
        ..ClientOptions::default()
    };
    let Ok(client) = CwClient::new(site, options) else {
        return false;
    };
    let Ok(info) = client.company_info(DEMO_COMPANY_ID).await else {
        return false;
    };
    let credentials = Arc::new(Credentials {
        company_id: DEMO_COMPANY_ID.into(),
        public_key: secret(DEMO_PUBLIC_KEY),
        private_key: secret(DEMO_PRIVATE_KEY),
    });
    let session = client.session(&info, credentials);
    let mut ok = session.system_info().await.is_ok();
    ok &= session.my_security().await.is_ok();
    for row in rows {
        if let Some(endpoint) = &row.probe {
            ok &= session.probe(endpoint).await.is_ok();
        }
    }
    for endpoint in [
        "company/companies",
        "finance/agreements",
        "procurement/products",
        "procurement/catalog",
    ] {
        ok &= session.count(endpoint).await.is_ok();
    }
    let agreements = ListQuery {
        fields: Some("id,name,type,parentAgreement".into()),
        page_size: 1000,
        max_items: Some(5000),
        ..ListQuery::default()
    };
    ok &= session
        .list::<serde_json::Value>("finance/agreements", &agreements)
        .await
        .is_ok();
    let types = ListQuery {
        fields: Some("id,name".into()),
        page_size: 1000,
        max_items: Some(1000),
        ..ListQuery::default()
    };
    ok &= session
        .list::<serde_json::Value>("finance/agreements/types", &types)
        .await
        .is_ok();
    ok
}

/// What one run looked like from the simulator's side.
struct Shape {
    requests: usize,
    waves: usize,
    elapsed: Duration,
}

/// Runs `f` once and reads the simulator's log: how many requests, and in how many waves (a
/// request that starts at least half a latency after the current wave began opens a new one).
fn shape(rt: &Runtime, sim: &SimServer, f: impl std::future::Future<Output = bool>) -> Shape {
    let before = sim.requests().len();
    let start = Instant::now();
    let ok = rt.block_on(f);
    let elapsed = start.elapsed();
    assert!(ok, "the run must pass before it is timed");
    let requests = sim.requests();
    if std::env::var_os("CWSETUP_BENCH_TIMELINE").is_some()
        && let Some(first) = requests[before..].iter().map(|r| r.started).min()
    {
        for r in &requests[before..] {
            let end = r.finished.map_or("-".to_string(), |f| {
                format!("{:.1}", f.duration_since(first).as_secs_f64() * 1000.0)
            });
            eprintln!(
                "  {:>7.1} -> {:>7} ms  {}",
                r.started.duration_since(first).as_secs_f64() * 1000.0,
                end,
                r.path
            );
        }
    }
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

/// Every iteration's duration, per benchmark id, for the summary.
type Samples = Arc<Mutex<BTreeMap<String, Vec<Duration>>>>;

fn median(v: &[Duration]) -> Option<Duration> {
    let mut v = v.to_vec();
    v.sort();
    v.get(v.len() / 2).copied()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// What building a client costs (each check builds one: reqwest, rustls and its root store).
fn client_setup(rt: &Runtime) -> Duration {
    let runs = 5;
    let start = Instant::now();
    for _ in 0..runs {
        let site = Site::parse("http://127.0.0.1:9").expect("a loopback site");
        let options = ClientOptions {
            client_id: DEMO_CLIENT_ID.into(),
            ..ClientOptions::default()
        };
        // Inside the runtime, as in a check.
        let client = rt.block_on(async { CwClient::new(site, options) });
        std::hint::black_box(client.is_ok());
    }
    start.elapsed() / runs
}

fn bench(c: &mut Criterion, rt: &Runtime, samples: &Samples) {
    eprintln!(
        "building a CwClient (done once per check) takes {}",
        ms(client_setup(rt))
    );
    for case in cases() {
        let sim = rt
            .block_on(SimServer::start(case.scenario.clone()))
            .expect("start the simulator on 127.0.0.1");
        let site = sim.url();
        let rows = profile::merge(&case.profiles.iter().collect::<Vec<_>>()).rows;
        let probes = rows.iter().filter(|r| r.probe.is_some()).count();

        let par = shape(rt, &sim, parallel(&site, &case.profiles));
        let peak = sim.max_in_flight();
        let seq = shape(rt, &sim, sequential(&site, &rows));
        eprintln!(
            "[{}] {} rows ({probes} probes): check::run made {} requests in {} waves (peak {peak} in flight at the simulator), {}; the sequential baseline made {} requests in {} waves, {}",
            case.name,
            rows.len(),
            par.requests,
            par.waves,
            ms(par.elapsed),
            seq.requests,
            seq.waves,
            ms(seq.elapsed),
        );

        let mut group = c.benchmark_group(format!("check_50ms/{}", case.name));
        // Each iteration is 0.1-4 s of mostly waiting: few, flat samples.
        group.sample_size(10);
        group.sampling_mode(SamplingMode::Flat);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(par.elapsed.mul_f64(12.0));
        let record = |id: String, d: Duration| {
            if let Ok(mut s) = samples.lock() {
                s.entry(id).or_default().push(d);
            }
        };
        let id = format!("{}/check::run", case.name);
        group.bench_function("check::run", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let ok = rt.block_on(parallel(&site, &case.profiles));
                    let d = start.elapsed();
                    std::hint::black_box(ok);
                    record(id.clone(), d);
                    total += d;
                }
                total
            })
        });
        group.measurement_time(seq.elapsed.mul_f64(12.0));
        let id = format!("{}/sequential", case.name);
        group.bench_function("sequential", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let ok = rt.block_on(sequential(&site, &rows));
                    let d = start.elapsed();
                    std::hint::black_box(ok);
                    record(id.clone(), d);
                    total += d;
                }
                total
            })
        });
        group.finish();
        rt.block_on(sim.shutdown());
    }
}

fn summary(samples: &Samples) {
    let Ok(samples) = samples.lock() else {
        return;
    };
    let names: Vec<String> = cases().into_iter().map(|c| c.name).collect();
    println!();
    println!(
        "check latency, {} ms per request (medians of every timed iteration, warm-up included)",
        LATENCY.as_millis()
    );
    println!(
        "{:<24} {:>12} {:>12} {:>8} {:>16} {:>5}",
        "case", "check::run", "sequential", "ratio", "round trips", "n"
    );
    for name in names {
        let par = samples.get(&format!("{name}/check::run"));
        let seq = samples.get(&format!("{name}/sequential"));
        let (Some(par), Some(seq)) = (par, seq) else {
            continue;
        };
        let (Some(p), Some(s)) = (median(par), median(seq)) else {
            continue;
        };
        println!(
            "{:<24} {:>12} {:>12} {:>7.1}x {:>7.2} vs {:>5.2} {:>5}",
            name,
            ms(p),
            ms(s),
            s.as_secs_f64() / p.as_secs_f64(),
            p.as_secs_f64() / LATENCY.as_secs_f64(),
            s.as_secs_f64() / LATENCY.as_secs_f64(),
            par.len(),
        );
    }
}

fn main() {
    // The runtime `cwsetup check` uses: two workers; the simulator runs on it too, as in --demo.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let samples: Samples = Arc::default();
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c, &rt, &samples);
    c.final_summary();
    summary(&samples);
}
