//! The handoff Markdown (`cwsetup role --format markdown`) names each profile's source and the
//! date its rows were read, and never a profile field's name in place of a link.

use cwsetup::profile;

#[test]
fn the_handoff_shows_each_source_and_date_and_no_field_names() {
    let all = profile::builtin();
    let pick = |id: &str| all.iter().find(|p| p.id == id).expect("shipped profile");
    let (datto, hudu) = (pick("datto-rmm"), pick("hudu"));
    let md = profile::render_markdown(&profile::merge(&[datto, hudu]), &[datto, hudu]);
    for p in [datto, hudu] {
        let url = p.source_url.as_deref().expect("source_url");
        let as_of = p.as_of.as_deref().expect("as_of");
        assert!(md.contains(url), "{} source missing:\n{md}", p.id);
        assert!(
            md.contains(&format!("read {as_of}")),
            "{} date missing:\n{md}",
            p.id
        );
    }
    for token in ["source_url", "source\\_url", "docs_url", "docs\\_url"] {
        assert!(
            !md.contains(token),
            "a field name reached the handoff: {token}\n{md}"
        );
    }
    // Every shipped profile names its source in its own handoff.
    for p in all {
        let md = profile::render_markdown(&profile::merge(&[p]), &[p]);
        assert!(md.contains("Source of the role rows"), "{}", p.id);
    }
}

#[test]
fn the_readme_lists_every_shipped_vendor_with_its_source() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    for p in profile::builtin() {
        let row = format!("| `{}` | {} | {} |", p.id, p.vendor, p.product);
        assert!(readme.contains(&row), "README's vendor table lacks {row}");
        let url = p.source_url.as_deref().expect("source_url");
        assert!(readme.contains(url), "README lacks {}'s source {url}", p.id);
    }
    assert!(readme.contains("cwsetup profiles validate"));
    assert!(readme.contains("assets/profiles/README.md"));
}

/// A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens.
fn heading_anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings (outside code blocks).
fn anchors_of(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut anchors = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            anchors.push(heading_anchor(line.trim_start_matches('#')));
        }
    }
    anchors
}

/// The relative link targets of a Markdown file: `[text](target)` and `[name]: target`, outside
/// code blocks and code spans; web and mail addresses are left out.
fn relative_links(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut links = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Code spans hold examples, not links.
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            links.push(after[..end].to_string());
            rest = &after[end..];
        }
        if let Some(definition) = prose.strip_prefix('[')
            && let Some((_, target)) = definition.split_once("]: ")
        {
            links.push(target.trim().to_string());
        }
    }
    links.retain(|l| {
        !(l.starts_with("http://") || l.starts_with("https://") || l.starts_with("mailto:"))
    });
    links
}

#[test]
fn every_relative_link_in_the_readme_and_docs_resolves() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.expect("docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    assert!(docs.len() >= 5, "docs/ holds only {docs:?}");
    files.extend(docs);
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read a Markdown file");
        for link in relative_links(&text) {
            let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                file.clone()
            } else {
                file.parent().expect("a folder").join(path)
            };
            assert!(
                target.exists(),
                "{}: the link {link} names {} which does not exist",
                file.display(),
                target.display()
            );
            if !anchor.is_empty() {
                let text = std::fs::read_to_string(&target).expect("read a link's target");
                assert!(
                    anchors_of(&text).iter().any(|a| a == anchor),
                    "{}: the link {link} names #{anchor}, which {} has no heading for",
                    file.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} relative links checked");
}

#[test]
fn heading_anchors_and_links_are_read_as_github_does() {
    assert_eq!(
        heading_anchor(" Several tools: the API member plan"),
        "several-tools-the-api-member-plan"
    );
    assert_eq!(heading_anchor(" `cwsetup audit`"), "cwsetup-audit");
    let text = "See [a](docs/a.md#b) and `[c](d.md)`.\n```\n[e](f.md)\n```\n[g]: g.md\n[h]: https://x.invalid\n";
    assert_eq!(relative_links(text), ["docs/a.md#b", "g.md"]);
}

// ------------------------------------------- what a technician is told to type, ConnectWise accepts

use std::time::Duration;

use crate::common::wizard::settings;
use cwsetup::limits::{MEMBER_ID, MEMBER_NAME, ROLE_NAME};
use cwsetup::profile::Profile;
use cwsetup::setup::content::ValueSource;
use cwsetup::wizard::app::{App, MemberPlan, StepId};

const PLANS: [MemberPlan; 4] = [
    MemberPlan::OneMemberKeyPerTool,
    MemberPlan::OneMemberSharedKey,
    MemberPlan::MemberPerTool,
    MemberPlan::ExistingMember,
];

fn wizard(ids: &[&str], plan: MemberPlan) -> App {
    let settings = settings(Duration::from_secs(10));
    let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let mut app = App::new(settings, profile::builtin().to_vec(), &ids);
    app.member_plan = plan;
    app
}

/// Every quoted value after `marker` in `text`: `Role ID: "S365 + V360 API"` gives the name.
fn quoted_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = text[at + marker.len()..].trim_start().strip_prefix('"')?;
            rest.split('"').next()
        })
        .collect()
}

/// One selection under one plan: every value the wizard shows to type into ConnectWise fits its
/// limit and is the profile's own; every role name in the steps and the handoff fits.
fn check_selection(selected: &[&Profile], plan: MemberPlan, failures: &mut Vec<String>) {
    let ids: Vec<&str> = selected.iter().map(|p| p.id.as_str()).collect();
    let app = wizard(&ids, plan);
    let at = format!("{ids:?} {plan:?}");
    let merged = profile::merge(selected);
    let mut role_names: Vec<String> = vec![merged.role_name.clone()];
    let mut portal_labels: Vec<String> = Vec::new();
    for step in StepId::ALL {
        let content = app.content(step);
        for value in content.values.iter().chain(&content.portal) {
            let ValueSource::Text(text) = &value.value else {
                continue;
            };
            // "(your existing API member's Member ID)": a placeholder, not a value to type.
            if text.starts_with('(') && text.ends_with(')') {
                continue;
            }
            let label = value.label.rsplit("] ").next().unwrap_or(&value.label);
            let own = |pick: &dyn Fn(&Profile) -> Option<String>| {
                selected
                    .iter()
                    .any(|p| pick(p).as_deref() == Some(text.as_str()))
            };
            let (limit, matches) = match label {
                "Role name" => (Some(ROLE_NAME), true),
                "Member ID" => (Some(MEMBER_ID), own(&|p| Some(p.member.member_id.clone()))),
                "Member name" => (Some(MEMBER_NAME), own(&|p| p.member.name.clone())),
                "First name" => (None, own(&|p| p.member.first_name.clone())),
                "Last name" => (None, own(&|p| p.member.last_name.clone())),
                "Key description" => (
                    None,
                    own(&|p| Some(p.key.description.clone()))
                        || *text
                            == selected
                                .iter()
                                .map(|p| p.key.description.trim())
                                .collect::<Vec<_>>()
                                .join(" + "),
                ),
                _ => (None, true),
            };
            if label == "Role name" {
                role_names.push(text.clone());
            }
            if let Some(problem) = limit.and_then(|l| l.problem(text)) {
                failures.push(format!("{at}: {step:?} {}: {problem}", value.label));
            }
            if !matches {
                failures.push(format!(
                    "{at}: {step:?} {} = {text:?} is no selected profile's",
                    value.label
                ));
            }
        }
        portal_labels.extend(content.portal.iter().map(|v| v.label.clone()));
        for item in content.checklist.iter().chain(&content.notes) {
            role_names.extend(quoted_after(item, "Role ID:").into_iter().map(String::from));
        }
    }
    let handoff = cwsetup::setup::content::handoff_markdown(selected, plan);
    role_names.extend(
        quoted_after(&handoff, "Role ID:")
            .into_iter()
            .map(|s| s.trim_matches('`').to_string()),
    );
    for name in role_names {
        if let Some(problem) = ROLE_NAME.problem(&name) {
            failures.push(format!("{at}: role name {name:?}: {problem}"));
        }
    }
    // The portal's fields, each as the vendor names it.
    for p in selected {
        for field in &p.integration.fields {
            if !portal_labels
                .iter()
                .any(|l| l.ends_with(field.label.as_str()))
            {
                failures.push(format!(
                    "{at}: portal field {:?} of {} missing",
                    field.label, p.id
                ));
            }
        }
    }
    // A member name given as first and last name is one field in ConnectWise.
    for p in selected {
        if let (Some(first), Some(last)) = (&p.member.first_name, &p.member.last_name) {
            let full = format!("{} {}", first.trim(), last.trim());
            if let Some(problem) = MEMBER_NAME.problem(&full) {
                failures.push(format!("{at}: {} member name: {problem}", p.id));
            }
        }
    }
}

#[test]
fn every_profile_alone_and_every_pair_under_every_plan_proposes_only_values_connectwise_accepts() {
    let all = profile::builtin();
    let mut failures = Vec::new();
    let mut walked = 0;
    for plan in PLANS {
        for (i, a) in all.iter().enumerate() {
            check_selection(&[a], plan, &mut failures);
            walked += 1;
            for b in &all[i + 1..] {
                check_selection(&[a, b], plan, &mut failures);
                walked += 1;
            }
        }
    }
    let n = all.len();
    assert_eq!(walked, PLANS.len() * (n + n * (n - 1) / 2));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_merged_role_name_of_one_two_or_three_profiles_fits_connectwise() {
    let all = profile::builtin();
    let mut longest = String::new();
    for (i, a) in all.iter().enumerate() {
        for (j, b) in all.iter().enumerate().skip(i + 1) {
            let pair = profile::merge(&[a, b]).role_name;
            for c in &all[j + 1..] {
                let name = profile::merge(&[a, b, c]).role_name;
                assert!(
                    ROLE_NAME.fits(&name),
                    "{name:?} ({}, {}, {})",
                    a.id,
                    b.id,
                    c.id
                );
                if name.chars().count() > longest.chars().count() {
                    longest = name;
                }
            }
            assert!(ROLE_NAME.fits(&pair), "{pair:?} ({}, {})", a.id, b.id);
            // Deterministic: the same selection always gives the same name.
            assert_eq!(pair, profile::merge(&[a, b]).role_name);
        }
    }
    let every: Vec<&Profile> = all.iter().collect();
    let name = profile::merge(&every).role_name;
    assert!(ROLE_NAME.fits(&name), "all {}: {name:?}", all.len());
    assert!(name.ends_with(" more API"), "{name}");
    assert!(!longest.is_empty());
}

/// Issue 25, item 6 and the duplicates polish: the handoff for several tools follows the plan.
/// Under "I already have an API member" nothing says "not listed: None" (the role may serve other
/// tools); a merged handoff says "cannot be seen again" and "Role ID" once each.
#[test]
fn the_handoff_follows_the_plan_and_says_each_thing_once() {
    let all = profile::builtin();
    let pick = |id: &str| all.iter().find(|p| p.id == id).expect("shipped profile");
    let tools = [pick("sync365"), pick("rewst"), pick("team-gps")];
    let existing = profile::render_handoff(
        &profile::merge(&tools),
        &tools,
        profile::HandoffMember::Existing,
    );
    assert!(!existing.contains("stays None"), "{existing}");
    assert!(!existing.contains("not listed: None"), "{existing}");
    assert!(
        existing.contains("keep the level the role already has"),
        "{existing}"
    );
    let merged = profile::render_handoff(
        &profile::merge(&tools),
        &tools,
        profile::HandoffMember::OneMember,
    );
    assert!(
        merged.contains("Every function not listed: None."),
        "{merged}"
    );
    // Section 2 (the member) names its Role ID once; the whole handoff says the private key is
    // shown once, once.
    let member =
        &merged[merged.find("## 2.").expect("section 2")..merged.find("## 3.").expect("3")];
    for (text, once) in [
        (merged.as_str(), "cannot be seen again"),
        (member, "Role ID"),
    ] {
        assert_eq!(text.matches(once).count(), 1, "{once:?}:\n{merged}");
    }
}
