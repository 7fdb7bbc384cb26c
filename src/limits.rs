//! ConnectWise's field limits: the longest value ConnectWise accepts in each field that cwsetup
//! proposes or lets a technician type. From the spec (API version 2025.8, "Max length: N" on
//! SecurityRole and ApiMember; `../shared/reference/ADMIN_API.md`, "Field limits"). A leaf: the
//! profiles, the check, the audit and both front ends read the same numbers.

/// One field's limit, named as a technician sees the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The field as ConnectWise's screen names it, e.g. "Role ID" (the security role's name).
    pub field: &'static str,
    /// The most characters ConnectWise accepts.
    pub max: usize,
}

/// A security role's name (ConnectWise's "Role ID" box): SecurityRole `name`, at most 30.
pub const ROLE_NAME: Limit = Limit {
    field: "security role name",
    max: 30,
};

/// An API member's identifier ("Member ID"): ApiMember `identifier`, at most 15.
pub const MEMBER_ID: Limit = Limit {
    field: "API member ID",
    max: 15,
};

/// An API member's name: ApiMember `name`, at most 30.
pub const MEMBER_NAME: Limit = Limit {
    field: "API member name",
    max: 30,
};

impl Limit {
    /// Characters as ConnectWise counts them: Unicode scalar values, after trimming the blanks
    /// that sanitizing removes anyway.
    pub fn count(self, value: &str) -> usize {
        value.trim().chars().count()
    }

    pub fn fits(self, value: &str) -> bool {
        self.count(value) <= self.max
    }

    /// "12/30": the count against the limit, as the wizard's fields show it.
    pub fn counter(self, value: &str) -> String {
        format!("{}/{}", self.count(value), self.max)
    }

    /// Why ConnectWise would refuse `value`, or `None` when it fits: "the security role name
    /// has 37 characters; ConnectWise accepts at most 30 (7 too many)". It names the field and
    /// both numbers, never the value (which may be anything pasted), and ends without a period.
    pub fn problem(self, value: &str) -> Option<String> {
        let count = self.count(value);
        (count > self.max).then(|| {
            format!(
                "the {} has {count} characters; ConnectWise accepts at most {} ({} too many)",
                self.field,
                self.max,
                count - self.max
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_the_specs_and_count_characters_not_bytes() {
        assert_eq!(
            (ROLE_NAME.max, MEMBER_ID.max, MEMBER_NAME.max),
            (30, 15, 30)
        );
        let thirty = "é".repeat(30);
        assert!(ROLE_NAME.fits(&thirty), "60 bytes, 30 characters");
        assert!(ROLE_NAME.problem(&thirty).is_none());
        let over = format!("{thirty}x");
        let problem = ROLE_NAME.problem(&over).expect("31 characters");
        assert!(problem.contains("31 characters") && problem.contains("at most 30"));
        assert!(problem.ends_with("(1 too many)"), "{problem}");
        assert_eq!(MEMBER_ID.counter("  S365 "), "4/15");
    }
}
