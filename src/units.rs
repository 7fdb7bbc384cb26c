//! Counts and sizes written for people: "1 character" / "2 characters", "8 MiB".
//! The one place messages get their plurals and byte sizes from.

/// "1 warning", "2 warnings": a count with its noun, singular or plural.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A size in bytes as people read it: "1 byte", "512 bytes", "4 KiB", "8 MiB", "1.5 MiB".
pub fn human_bytes(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    const GIB: u64 = 1024 * 1024 * 1024;
    let scaled = |unit: u64, name: &str| {
        if bytes.is_multiple_of(unit) {
            format!("{} {name}", bytes / unit)
        } else {
            let tenths = (bytes * 10 + unit / 2) / unit;
            if tenths.is_multiple_of(10) {
                format!("{} {name}", tenths / 10)
            } else {
                format!("{}.{} {name}", tenths / 10, tenths % 10)
            }
        }
    };
    if bytes >= GIB {
        scaled(GIB, "GiB")
    } else if bytes >= MIB {
        scaled(MIB, "MiB")
    } else if bytes >= KIB {
        scaled(KIB, "KiB")
    } else {
        plural(bytes as usize, "byte", "bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_bytes(8_388_608), "8 MiB");
        assert_eq!(human_bytes(4096), "4 KiB");
        assert_eq!(human_bytes(1), "1 byte");
        assert_eq!(human_bytes(0), "0 bytes");
        assert_eq!(human_bytes(1000), "1000 bytes");
        assert_eq!(human_bytes(1536 * 1024), "1.5 MiB");
        assert_eq!(human_bytes(3 * 1024 * 1024 * 1024), "3 GiB");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(plural(1, "character", "characters"), "1 character");
        assert_eq!(plural(0, "character", "characters"), "0 characters");
        assert_eq!(plural(2, "warning", "warnings"), "2 warnings");
    }
}
