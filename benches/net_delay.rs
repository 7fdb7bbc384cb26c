//! Connection setup on a real network: the check through real TLS and a fixed round-trip delay.
//!
//! For each case the bench starts the simulator with a TLS listener (a test CA's certificate)
//! and puts a delaying TCP proxy on 127.0.0.1 in front of it (`tests/common/delay_proxy.rs`:
//! every chunk waits 50 ms each way, so a round trip is 100 ms, and a TCP connect costs one round
//! trip). The check (`check::run_with`, exactly as `cwsetup check` runs it) reaches the proxies
//! through a resolver that maps the site's host names to them:
//!
//! - cloud-style: site `na`; `na.myconnectwise.net` (companyinfo) goes to one proxy,
//!   `api-na.myconnectwise.net` (the API, named by companyinfo's `SiteUrl`) to a second one;
//! - self-hosted: site `cw.example.com`, one host for companyinfo and the API.
//!
//! Each runs twice: "before" (the simulator's ALPN offers only http/1.1 and the API host's
//! warm-up is off: the client as it was before HTTP/2 and the warm-up) and "after" (defaults:
//! h2 offered, warm-up on). Each check builds its own client, so every run sets up its
//! connections from scratch.
//!
//! Printed per case: requests (the simulator's log), waves, TCP connections opened (counted by
//! the proxies), TLS handshakes (counted by the simulator), HTTP versions, and the wall time to
//! the verdict as a median of `CWSETUP_BENCH_RUNS` runs (default 7), also in round trips.
//!
//!     cargo bench --bench net_delay
//!
//! `CWSETUP_BENCH_TIMELINE=1` also prints when each request reached the simulator. Timings are
//! printed, never asserted; the setup asserts only that every check passes.

#[allow(dead_code)]
#[path = "../tests/common/delay_proxy.rs"]
mod delay_proxy;
#[allow(dead_code)]
#[path = "../tests/common/tls.rs"]
mod tls;

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cwsetup::check::{self, CheckRequest, Network, Verdict};
use cwsetup::profile::{self, Profile};
use cwsetup::secret::Secret;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use delay_proxy::DelayProxy;
use tokio::runtime::Runtime;

/// Each way; a round trip is twice this.
const ONE_WAY: Duration = Duration::from_millis(50);
const RTT: Duration = Duration::from_millis(100);
const SITE_HOST: &str = "na.myconnectwise.net";
const API_HOST: &str = "api-na.myconnectwise.net";
const SELF_HOSTED: &str = "cw.example.com";

/// Resolves the bench's host names to its proxies, and nothing else.
struct Hosts(HashMap<String, SocketAddr>);

impl reqwest::dns::Resolve for Hosts {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let found = self.0.get(name.as_str()).copied();
        Box::pin(async move {
            match found {
                Some(addr) => Ok(Box::new(std::iter::once(addr)) as reqwest::dns::Addrs),
                None => Err("not a host of this benchmark".into()),
            }
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Cloud,
    SelfHosted,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Before,
    After,
}

struct Case {
    name: &'static str,
    profiles: Vec<Profile>,
}

fn find(id: &str) -> Profile {
    profile::find(id)
        .unwrap_or_else(|| panic!("no built-in profile {id}"))
        .clone()
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "sync365 (8 rows)",
            profiles: vec![find("sync365")],
        },
        Case {
            // The merged role of these three has 24 rows (`cwsetup role --profile …`).
            name: "sync365+watchguard-cloud+visionary360-accounting-sync (24 rows)",
            profiles: vec![
                find("sync365"),
                find("watchguard-cloud"),
                find("visionary360-accounting-sync"),
            ],
        },
    ]
}

fn secret(value: &str) -> Secret {
    Secret::from_str_checked(value).expect("a demo key fits in a Secret")
}

/// What one layout and mode looked like.
struct Measured {
    requests: usize,
    waves: usize,
    connections: usize,
    handshakes: usize,
    versions: BTreeSet<String>,
    times: Vec<Duration>,
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[v.len() / 2]
}

fn waves(starts: &mut [Instant]) -> usize {
    starts.sort();
    let mut waves = 0;
    let mut wave_start: Option<Instant> = None;
    for s in starts.iter() {
        if wave_start.is_none_or(|w| s.duration_since(w) >= RTT / 2) {
            waves += 1;
            wave_start = Some(*s);
        }
    }
    waves
}

fn measure(rt: &Runtime, case: &Case, layout: Layout, mode: Mode, runs: usize) -> Measured {
    let ca = tls::test_ca();
    let leaf = tls::signed_leaf_for(&ca, &[SITE_HOST, API_HOST, SELF_HOSTED]);
    let mut config = (*tls::server_config(leaf)).clone();
    if mode == Mode::Before {
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
    }
    let scenario = match layout {
        Layout::Cloud => Scenario::new().site_url(API_HOST),
        Layout::SelfHosted => Scenario::new().self_hosted(),
    };
    let sim = rt
        .block_on(SimServer::start_tls(scenario, Arc::new(config)))
        .expect("start the simulator on 127.0.0.1");
    let site_proxy = rt.block_on(DelayProxy::start(sim.addr(), ONE_WAY));
    let api_proxy = rt.block_on(DelayProxy::start(sim.addr(), ONE_WAY));
    let (site, hosts) = match layout {
        Layout::Cloud => (
            "na",
            HashMap::from([
                (SITE_HOST.to_string(), site_proxy.addr()),
                (API_HOST.to_string(), api_proxy.addr()),
            ]),
        ),
        Layout::SelfHosted => (
            SELF_HOSTED,
            HashMap::from([(SELF_HOSTED.to_string(), site_proxy.addr())]),
        ),
    };
    let resolver: Arc<dyn reqwest::dns::Resolve> = Arc::new(Hosts(hosts));
    let network = Network {
        extra_root_certs_pem: vec![ca.pem.as_bytes().to_vec()],
        resolver: Some(resolver),
        warm_up: mode == Mode::After,
    };
    let mut measured = Measured {
        requests: 0,
        waves: 0,
        connections: 0,
        handshakes: 0,
        versions: BTreeSet::new(),
        times: Vec::new(),
    };
    for run in 0..runs {
        let before = sim.request_count() as usize;
        let log_before = sim.requests().len();
        let connections = site_proxy.connections() + api_proxy.connections();
        let handshakes = sim.tls_handshakes();
        let request = CheckRequest {
            site: site.to_string(),
            company_id: DEMO_COMPANY_ID.into(),
            client_id: DEMO_CLIENT_ID.into(),
            public_key: secret(DEMO_PUBLIC_KEY),
            private_key: secret(DEMO_PRIVATE_KEY),
            profiles: case.profiles.clone(),
            timeout: Duration::from_secs(60),
            removed_before: Vec::new(),
        };
        let start = Instant::now();
        let report = rt.block_on(check::run_with(request, None, network.clone()));
        let elapsed = start.elapsed();
        assert!(
            report.verdict != Verdict::Fail,
            "the check must pass before it is timed: {:?}",
            report.stages
        );
        // The warm-up may still be answering after the verdict: let it land before counting.
        rt.block_on(async { tokio::time::sleep(RTT * 2).await });
        measured.times.push(elapsed);
        if run == 0 {
            let log = sim.requests();
            let this = &log[log_before..];
            measured.requests = sim.request_count() as usize - before;
            measured.waves = waves(&mut this.iter().map(|r| r.started).collect::<Vec<_>>());
            measured.connections = site_proxy.connections() + api_proxy.connections() - connections;
            measured.handshakes = sim.tls_handshakes() - handshakes;
            measured.versions = this.iter().map(|r| r.version.clone()).collect();
            if std::env::var_os("CWSETUP_BENCH_TIMELINE").is_some() {
                for r in this {
                    eprintln!(
                        "  {:>7.1} -> {:>7} ms  {} {} {}",
                        r.started.duration_since(start).as_secs_f64() * 1000.0,
                        r.finished.map_or("-".to_string(), |f| format!(
                            "{:.1}",
                            f.duration_since(start).as_secs_f64() * 1000.0
                        )),
                        r.version,
                        r.method,
                        r.path
                    );
                }
            }
        }
    }
    drop(site_proxy);
    drop(api_proxy);
    rt.block_on(sim.shutdown());
    measured
}

fn main() {
    // Nothing from the environment may route the bench's names elsewhere. SAFETY: no other
    // thread runs yet.
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        unsafe { std::env::remove_var(var) };
    }
    // `cargo bench` passes --bench; a test harness run (`cargo test --benches`) does nothing.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let runs: usize = std::env::var("CWSETUP_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(7);
    // The runtime `cwsetup check` uses: two workers; the simulator and the proxies run on it too.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    println!(
        "check through real TLS, {} ms each way ({} ms round trip), median of {runs} runs",
        ONE_WAY.as_millis(),
        RTT.as_millis()
    );
    println!(
        "{:<10} {:<11} {:<7} {:>8} {:>5} {:>11} {:>10} {:>10} {:>11}  versions",
        "case",
        "layout",
        "mode",
        "requests",
        "waves",
        "connections",
        "handshakes",
        "wall",
        "round trips"
    );
    for (i, case) in cases().iter().enumerate() {
        eprintln!("case {}: {}", i + 1, case.name);
        for layout in [Layout::Cloud, Layout::SelfHosted] {
            for mode in [Mode::Before, Mode::After] {
                let m = measure(&rt, case, layout, mode, runs);
                let wall = median(&m.times);
                println!(
                    "{:<10} {:<11} {:<7} {:>8} {:>5} {:>11} {:>10} {:>7.0} ms {:>11.2}  {}",
                    format!("case {}", i + 1),
                    if layout == Layout::Cloud {
                        "cloud"
                    } else {
                        "self-hosted"
                    },
                    if mode == Mode::Before {
                        "before"
                    } else {
                        "after"
                    },
                    m.requests,
                    m.waves,
                    m.connections,
                    m.handshakes,
                    wall.as_secs_f64() * 1000.0,
                    wall.as_secs_f64() / RTT.as_secs_f64(),
                    m.versions.into_iter().collect::<Vec<_>>().join(", "),
                );
            }
        }
    }
}
