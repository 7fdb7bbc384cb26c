//! Levels a vendor needs only while its own setup runs (ChatStyle's Table Setup Add): step 2
//! says so beside the role, and the Summary step's checklist ends with lowering them once the
//! vendor's setup is done.

use crate::profile::{self, MergedRow, Profile};

use super::step::MemberPlan;

/// Step 2's notes: one per row with setup-only levels.
pub fn role_step_notes(rows: &[MergedRow]) -> Vec<String> {
    rows.iter()
        .filter_map(|row| {
            Some(format!(
                "{} / {} is needed at this level only during setup: {}. The Summary step reminds you.",
                row.module,
                row.function,
                row.setup_phrase()?
            ))
        })
        .collect()
}

/// The Summary step's last items: for each role the plan creates (or the existing member's
/// role), each setup-only level to lower once the vendor's setup is done.
pub fn lower_after_setup(profiles: &[&Profile], plan: MemberPlan) -> Vec<String> {
    let roles: Vec<(String, Vec<MergedRow>)> = match plan {
        MemberPlan::MemberPerTool => profiles
            .iter()
            .map(|p| {
                let role = profile::merge(&[*p]);
                (format!("\"{}\"", role.role_name), role.rows)
            })
            .collect(),
        MemberPlan::ExistingMember => {
            vec![(
                "(the existing member's role)".to_string(),
                profile::merge(profiles).rows,
            )]
        }
        MemberPlan::OneMemberKeyPerTool | MemberPlan::OneMemberSharedKey => {
            let role = profile::merge(profiles);
            vec![(format!("\"{}\"", role.role_name), role.rows)]
        }
    };
    let mut items = Vec::new();
    for (role, rows) in roles {
        for row in rows {
            if let Some(phrase) = row.setup_phrase() {
                items.push(format!(
                    "When the vendor's setup is done: in System > Security Roles > {role} > {} > {}, {phrase}. Save the role.",
                    row.module, row.function
                ));
            }
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped(id: &str) -> &'static Profile {
        profile::find(id).expect("shipped")
    }

    #[test]
    fn the_summary_ends_with_lowering_chatstyles_add_after_setup() {
        for plan in [
            MemberPlan::OneMemberKeyPerTool,
            MemberPlan::OneMemberSharedKey,
            MemberPlan::MemberPerTool,
            MemberPlan::ExistingMember,
        ] {
            let items = lower_after_setup(&[shipped("chatstyle")], plan);
            assert_eq!(items.len(), 1, "{plan:?}: {items:?}");
            assert!(
                items[0].contains("System > Table Setup")
                    && items[0].contains("lower Add All → None")
                    && items[0].contains("After the initial setup, you can remove the Add access"),
                "{plan:?}: {}",
                items[0]
            );
        }
        assert!(
            lower_after_setup(&[shipped("smileback")], MemberPlan::OneMemberKeyPerTool).is_empty()
        );
        // CloudRadial Chat keeps Add on Table Setup after setup: one merged role has nothing to
        // lower, one role per tool still lowers ChatStyle's.
        let both = [shipped("chatstyle"), shipped("cloudradial-chat")];
        assert!(lower_after_setup(&both, MemberPlan::OneMemberKeyPerTool).is_empty());
        assert_eq!(lower_after_setup(&both, MemberPlan::MemberPerTool).len(), 1);
        let notes = role_step_notes(&profile::merge(&[shipped("chatstyle")]).rows);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].starts_with("System / Table Setup is needed at this level only during setup")
        );
    }
}
