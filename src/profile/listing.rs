//! The list of profiles as `cwsetup profiles` prints it: which match a search, as a table or
//! as JSON. Pure functions; the command itself is in `cli`.

use super::model::Profile;
use super::probes::name_key;

/// The profiles whose id, vendor or product contains `search` (case-insensitive, trimmed), or
/// does once spaces, dots, dashes and other punctuation are left out of both ("checkpoint"
/// finds Check Point, "cloudim" Cloud.im); all of them for an empty search.
pub fn matching<'a>(profiles: &'a [Profile], search: &str) -> Vec<&'a Profile> {
    let needle = search.trim().to_lowercase();
    let squeezed = name_key(&needle);
    profiles
        .iter()
        .filter(|p| {
            needle.is_empty()
                || [&p.id, &p.vendor, &p.product].iter().any(|f| {
                    f.to_lowercase().contains(&needle)
                        || (!squeezed.is_empty() && name_key(f).contains(&squeezed))
                })
        })
        .collect()
}

/// `[{"id","vendor","product","source_url","as_of"}]`, pretty-printed, with a final newline.
pub fn profiles_json(profiles: &[&Profile]) -> String {
    let list: Vec<serde_json::Value> = profiles
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id,
                "vendor": p.vendor,
                "product": p.product,
                "source_url": p.source_url,
                "as_of": p.as_of,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&list).expect("strings and nulls always serialize");
    text.push('\n');
    text
}

/// An aligned table: id, vendor, product, as of, source; every cell sanitized.
pub fn profiles_table(profiles: &[&Profile]) -> String {
    let headers = ["ID", "VENDOR", "PRODUCT", "AS OF", "SOURCE"];
    let rows: Vec<[&str; 5]> = profiles
        .iter()
        .map(|p| {
            [
                p.id.as_str(),
                p.vendor.as_str(),
                p.product.as_str(),
                p.as_of.as_deref().unwrap_or("-"),
                p.source_url.as_deref().unwrap_or("-"),
            ]
        })
        .collect();
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(&headers).chain(rows.iter()) {
        text.push_str(&format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}\n",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        ));
    }
    // Built-in text today, but the one sanitizer guards every table cwsetup prints.
    crate::sanitize::display_lines(&text)
}
