//! Close role names, for "no security role is named X; close names: ...".

use super::common::display;

/// Role names close to `wanted`: same letters and digits, one containing the other, or a small
/// edit distance; closest first, at most 5.
pub fn similar_names<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let want = norm(wanted);
    let limit = (want.chars().count() / 4).max(2);
    let mut scored: Vec<(usize, String)> = names
        .filter_map(|name| {
            let have = norm(name);
            if have.is_empty() || want.is_empty() {
                return None;
            }
            let distance = edit_distance(&want, &have);
            let close = distance <= limit || have.contains(&want) || want.contains(&have);
            close.then(|| (distance, display(name)))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(5).map(|(_, name)| name).collect()
}

/// Levenshtein distance over characters, bounded in cost by the short inputs it gets.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(100).collect();
    let b: Vec<char> = b.chars().take(100).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_role_names_are_suggested_closest_first() {
        let names = [
            "Admin",
            "Sync365 API",
            "Technician",
            "Sync 365 API role",
            "Sales",
        ];
        let close = similar_names("Sync 365 API", names.iter().copied());
        assert_eq!(close, ["Sync365 API", "Sync 365 API role"]);
        assert!(similar_names("Finance", names.iter().copied()).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
