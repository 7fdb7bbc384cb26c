//! The wizard's test report says what its fields cleaned from a paste: the fields sanitize as
//! the text comes in, so the check itself sees clean values. Keys are the simulator's demo keys.

use crate::common;

use std::time::Duration;

use crossterm::event::KeyCode;

use common::wizard::{go_to, key};
use cwsetup::check::{self, StageId};
use cwsetup::profile;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use cwsetup::wizard::app::{FieldId, Pane, StepId};
use cwsetup::wizard::update::{Msg, update};

#[tokio::test]
async fn what_the_key_fields_cleaned_from_a_paste_is_in_the_report_as_counts() {
    let mut app = common::wizard::app((100, 30));
    go_to(&mut app, StepId::ApiKey);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focused_pane(), Pane::Field(FieldId::PublicKey));
    // Quotes, non-breaking spaces, a zero-width space and CR/LF, as a web page or chat gives them.
    update(
        &mut app,
        Msg::Paste(format!("\u{a0}\u{a0}\"{DEMO_PUBLIC_KEY}\"\u{200b}\r\n")),
    );
    assert_eq!(app.public_key.secret().expose(), DEMO_PUBLIC_KEY);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focused_pane(), Pane::Field(FieldId::PrivateKey));
    update(&mut app, Msg::Paste(format!("{DEMO_PRIVATE_KEY}\r\n")));
    assert_eq!(app.private_key.secret().expose(), DEMO_PRIVATE_KEY);

    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    app.site.set(&sim.url());
    app.company_id.set(&format!(" {DEMO_COMPANY_ID}\t"));
    app.client_id.set(DEMO_CLIENT_ID);

    let mut requests = cwsetup::setup::request::check_request(&app).expect("request");
    assert_eq!(requests.len(), 1, "one tool, one key pair");
    let request = requests.remove(0).request;
    let report = tokio::time::timeout(Duration::from_secs(60), check::run(request, None))
        .await
        .expect("the check finishes");
    sim.shutdown().await;
    assert!(report.ok, "{report:#?}");

    let public = "public key: removed 2 leading non-breaking spaces, 1 trailing zero-width space, 1 trailing carriage return, 1 trailing newline and a pair of quotes";
    let private = "private key: removed 1 trailing carriage return and 1 trailing newline";
    let company = "company ID: removed 1 leading space and 1 trailing tab";
    for expected in [public, private] {
        assert!(
            report.input_removed.iter().any(|r| r == expected),
            "{expected}\n{:#?}",
            report.input_removed
        );
    }
    assert!(
        report
            .input_removed
            .iter()
            .any(|r| r.starts_with("company ID: removed")),
        "{company}: {:#?}",
        report.input_removed
    );
    let input = report
        .stages
        .iter()
        .find(|s| s.id == StageId::Input)
        .expect("input stage");
    assert!(!input.summary.contains("nothing to trim"), "{input:?}");
    assert!(input.summary.contains(public), "{input:?}");

    let selected: Vec<&profile::Profile> = app.selected_profiles();
    let md = check::markdown(&report, &selected, "Demo…");
    assert!(md.contains("2 leading non-breaking spaces"), "{md}");
    assert!(md.contains("1 trailing zero-width space"), "{md}");
    assert!(md.contains("a pair of quotes"), "{md}");
    assert!(!md.contains(DEMO_PUBLIC_KEY) && !md.contains(DEMO_PRIVATE_KEY));
    let human = check::human(&report, check::Style { color: false });
    assert!(human.contains(private), "{human}");
}
