//! `cwsetup sim`: run the simulated ConnectWise on its own until Ctrl-C.

use std::process::ExitCode;
use std::time::Duration;

use clap::builder::{PossibleValue, PossibleValuesParser};

use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::sim::{Scenario, SimServer, banner, scenario_listing};

fn scenario_parser() -> PossibleValuesParser {
    PossibleValuesParser::new(
        Scenario::catalog()
            .iter()
            .map(|(name, description)| PossibleValue::new(*name).help(*description)),
    )
}

/// Run a simulated ConnectWise Manage on 127.0.0.1 for demos and for trying `cwsetup check`.
#[derive(clap::Args, Debug, Clone, PartialEq)]
#[command(after_help = "Examples:\n  \
    cwsetup sim\n  \
    cwsetup sim --port 8080 --scenario missing-products\n  \
    cwsetup sim --latency-ms 300 --scenario rate-limited\n\n\
    Then, in another terminal, use the URL, company ID and keys it prints, e.g.\n  \
    CW_PRIVATE_KEY=DemoPrivateKey01 cwsetup check --site http://127.0.0.1:8080 \
    --company cwsetup_demo --public-key DemoPublicKey001")]
pub struct SimArgs {
    /// TCP port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub port: u16,
    /// Extra delay before every answer, in milliseconds.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub latency_ms: Option<u64>,
    /// What the simulated tenant gets wrong (see --list-scenarios).
    #[arg(
        long,
        value_name = "NAME",
        default_value = "healthy",
        ignore_case = true,
        value_parser = scenario_parser()
    )]
    pub scenario: String,
    /// Print every scenario with a description, and exit.
    #[arg(long)]
    pub list_scenarios: bool,
}

/// Run until Ctrl-C or SIGTERM. Exit code 0 after a clean stop, 2 for a bad scenario name,
/// 1 when the port cannot be opened.
pub async fn run(args: SimArgs) -> ExitCode {
    if args.list_scenarios {
        print!("{}", scenario_listing());
        return ExitCode::from(EXIT_OK);
    }
    let Some(mut scenario) = Scenario::named(&args.scenario) else {
        eprintln!(
            "Unknown scenario '{}'. Choose one of:\n{}",
            args.scenario,
            scenario_listing()
        );
        return ExitCode::from(EXIT_USAGE);
    };
    if let Some(ms) = args.latency_ms {
        scenario = scenario.latency(Duration::from_millis(ms));
    }
    let server = match SimServer::start_on(scenario, args.port).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!(
                "Cannot listen on 127.0.0.1:{}: {e}.\nChoose another port with --port N, or \
                 --port 0 to pick a free one.",
                args.port
            );
            return ExitCode::from(EXIT_FAILED);
        }
    };
    print!("{}", banner(&server.url(), &args.scenario));
    wait_for_stop_signal().await;
    println!("Stopping.");
    server.shutdown().await;
    ExitCode::from(EXIT_OK)
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        sim: SimArgs,
    }

    #[test]
    fn every_catalog_scenario_parses_on_the_command_line() {
        for (name, _) in Scenario::catalog() {
            let cli = Cli::try_parse_from(["sim", "--scenario", name])
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(cli.sim.scenario, *name);
            assert!(Scenario::named(name).is_some(), "{name} has no builder");
        }
    }

    #[test]
    fn unknown_scenario_is_refused_by_clap() {
        assert!(Cli::try_parse_from(["sim", "--scenario", "nope"]).is_err());
    }

    #[test]
    fn defaults_are_random_port_and_healthy() {
        let cli = Cli::try_parse_from(["sim"]).expect("no arguments needed");
        assert_eq!(cli.sim.port, 0);
        assert_eq!(cli.sim.scenario, "healthy");
        assert_eq!(cli.sim.latency_ms, None);
    }

    #[tokio::test]
    async fn run_lists_scenarios_and_refuses_bad_names_and_taken_ports() {
        let args = |scenario: &str, port: u16, list: bool| SimArgs {
            port,
            latency_ms: None,
            scenario: scenario.to_string(),
            list_scenarios: list,
        };
        assert_eq!(run(args("healthy", 0, true)).await, ExitCode::from(EXIT_OK));
        assert_eq!(
            run(args("no-such-scenario", 0, false)).await,
            ExitCode::from(EXIT_USAGE)
        );
        let taken = SimServer::start(Scenario::new()).await.expect("starts");
        let code = run(args("healthy", taken.addr().port(), false)).await;
        assert_eq!(code, ExitCode::from(EXIT_FAILED));
    }

    #[test]
    fn scenario_names_ignore_case() {
        let cli = Cli::try_parse_from(["sim", "--scenario", "Missing-Products"]).expect("parses");
        assert!(Scenario::named(&cli.sim.scenario).is_some());
    }
}
