//! `--profile ID` and `--profile-file PATH`: the one routine that turns them into profiles, for
//! every mode (the wizard, plain mode, `check`, `audit` and `role`).
//!
//! One rule everywhere:
//! - each `--profile-file` is read once; its profile joins the catalogue, replacing the one with
//!   the same id (it is an edited copy), and is selected;
//! - a `--profile` id is matched ignoring ASCII case and surrounding spaces; an unknown id is an
//!   error that lists the known ones;
//! - a profile selected twice (by two ids, two files, or an id and a file) is an error, not a
//!   silent merge;
//! - the order given is kept: `--profile`s first, then the files.

use std::path::PathBuf;

use crate::profile::{self, Profile, ProfileError};

/// Which profiles can be named with `--profile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catalogue {
    /// The built-in profiles only, so `check`, `audit` and `role` give the same answer on every
    /// machine. Nothing named: [`profile::DEFAULT_PROFILE_ID`].
    BuiltIn,
    /// The built-in profiles and the roles saved from the wizard's role step (`s`), which step 1
    /// offers. Nothing named: nothing selected (the wizard preselects, plain mode asks).
    WithSaved,
}

/// The profiles to choose from and the ones chosen.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The catalogue with the `--profile-file`s in it.
    pub profiles: Vec<Profile>,
    /// The ids chosen, as the profiles spell them, in the order given.
    pub selected: Vec<String>,
}

impl Selection {
    /// The chosen profiles themselves, in the order given.
    pub fn chosen(&self) -> Vec<Profile> {
        self.selected
            .iter()
            .filter_map(|id| self.profiles.iter().find(|p| &p.id == id).cloned())
            .collect()
    }
}

/// Applies the rule above. Errors are ready to print (outside text sanitized).
pub fn select(
    catalogue: Catalogue,
    ids: &[String],
    files: &[PathBuf],
) -> Result<Selection, ProfileError> {
    let profiles = match catalogue {
        Catalogue::BuiltIn => profile::builtin().to_vec(),
        // A saved file that cannot be read is skipped here; `cwsetup profiles` names it.
        Catalogue::WithSaved => profile::builtin_and_saved().0,
    };
    select_from(profiles, catalogue, ids, files)
}

fn select_from(
    mut profiles: Vec<Profile>,
    catalogue: Catalogue,
    ids: &[String],
    files: &[PathBuf],
) -> Result<Selection, ProfileError> {
    let mut from_files = Vec::with_capacity(files.len());
    for path in files {
        let loaded = profile::load_file(path)?;
        let origin = crate::sanitize::display_text(&path.display().to_string());
        from_files.push((loaded.id.clone(), origin));
        match profiles.iter().position(|p| p.id == loaded.id) {
            Some(i) => profiles[i] = loaded,
            None => profiles.push(loaded),
        }
    }
    let mut selected: Vec<String> = Vec::with_capacity(ids.len() + files.len());
    let mut choose = |id: &str, origin: String| {
        if selected.iter().any(|s| s.eq_ignore_ascii_case(id)) {
            return Err(twice(id, origin));
        }
        selected.push(id.to_string());
        Ok(())
    };
    for id in ids {
        let wanted = id.trim();
        let Some(found) = profiles.iter().find(|p| p.id.eq_ignore_ascii_case(wanted)) else {
            return Err(ProfileError::UnknownId {
                id: id.clone(),
                known: profiles.iter().map(|p| p.id.clone()).collect(),
            }
            .for_display());
        };
        choose(
            &found.id,
            format!("--profile {}", crate::sanitize::display_text(id)),
        )?;
    }
    for (id, origin) in from_files {
        choose(&id, origin)?;
    }
    if selected.is_empty() && catalogue == Catalogue::BuiltIn {
        selected.push(profile::DEFAULT_PROFILE_ID.to_string());
    }
    Ok(Selection { profiles, selected })
}

fn twice(id: &str, origin: String) -> ProfileError {
    ProfileError::Invalid {
        name: origin,
        position: None,
        field: "id".to_string(),
        problem: format!(
            "profile `{}` is selected twice",
            crate::sanitize::display_text(id)
        ),
        fix: "pass each profile once (a --profile-file whose id matches a --profile replaces nothing: drop one of them)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn file_with_id(dir: &std::path::Path, name: &str, id: &str) -> PathBuf {
        let mut p = profile::find("sync365").expect("shipped").clone();
        p.id = id.to_string();
        let path = dir.join(name);
        std::fs::write(&path, p.to_json_pretty()).expect("written");
        path
    }

    #[test]
    fn nothing_named_is_sync365_headless_and_nothing_in_the_wizard() {
        let s = select(Catalogue::BuiltIn, &[], &[]).expect("default");
        assert_eq!(s.selected, [profile::DEFAULT_PROFILE_ID]);
        assert_eq!(s.chosen().len(), 1);
        let s = select_from(profile::builtin().to_vec(), Catalogue::WithSaved, &[], &[])
            .expect("empty");
        assert!(s.selected.is_empty());
    }

    #[test]
    fn ids_ignore_case_and_come_back_as_the_profile_spells_them() {
        let s = select(Catalogue::BuiltIn, &ids(&[" SYNC365 "]), &[]).expect("found");
        assert_eq!(s.selected, ["sync365"]);
    }

    #[test]
    fn a_profile_named_twice_is_refused_in_every_mode() {
        for catalogue in [Catalogue::BuiltIn, Catalogue::WithSaved] {
            let e = select_from(
                profile::builtin().to_vec(),
                catalogue,
                &ids(&["sync365", "Sync365"]),
                &[],
            )
            .expect_err("twice");
            assert!(
                e.to_string()
                    .contains("profile `sync365` is selected twice"),
                "{e}"
            );
        }
        // An id and a file with that id, or two files with one id: also twice.
        let dir = tempfile::tempdir().expect("temp dir");
        let a = file_with_id(dir.path(), "a.json", "mine");
        let b = file_with_id(dir.path(), "b.json", "mine");
        let e = select(
            Catalogue::BuiltIn,
            &ids(&["mine"]),
            std::slice::from_ref(&a),
        )
        .expect_err("id and file");
        assert!(e.to_string().contains("selected twice"), "{e}");
        let e = select(Catalogue::BuiltIn, &[], &[a.clone(), b]).expect_err("two files");
        assert!(e.to_string().contains("b.json"), "{e}");
    }

    #[test]
    fn a_file_replaces_the_profile_with_its_id_and_is_selected() {
        let dir = tempfile::tempdir().expect("temp dir");
        let edited = file_with_id(dir.path(), "edited.json", "sync365");
        let extra = file_with_id(dir.path(), "extra.json", "my-tool");
        let s = select(Catalogue::BuiltIn, &[], &[edited, extra]).expect("files");
        assert_eq!(s.selected, ["sync365", "my-tool"]);
        assert_eq!(
            s.profiles.iter().filter(|p| p.id == "sync365").count(),
            1,
            "replaced, not added"
        );
        assert_eq!(s.profiles.len(), profile::builtin().len() + 1);
    }

    #[test]
    fn an_unknown_id_names_the_known_ones_sanitized() {
        let e = select(Catalogue::BuiltIn, &ids(&["nope\u{1b}[2J"]), &[]).expect_err("unknown");
        let text = e.to_string();
        assert!(text.contains("no vendor profile"), "{text}");
        assert!(text.contains("sync365"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }
}
