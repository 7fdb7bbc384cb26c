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
