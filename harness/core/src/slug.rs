//! File names for what units name themselves: a unit's name can be any text (Chinese, markup,
//! `../`), so its folder in a round and its page on a site use a slug that is always safe.

use sha2::{Digest, Sha256};

/// A file-name-safe, stable slug for a unit name: the name's ASCII letters and digits in lower
/// case with runs of anything else as one `-` (at most 40 characters), then `-` and the first 8
/// hex digits of the sha256 of the exact name, so two names never share a slug by spelling
/// alone. A name with no ASCII letter or digit (e.g. Chinese) becomes `unit-` and the digits.
pub fn unit_slug(name: &str) -> String {
    let mut base = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c.to_ascii_lowercase());
        } else if !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
        if base.len() >= 40 {
            break;
        }
    }
    let base = base.trim_end_matches('-');
    let hash = hex::encode(&Sha256::digest(name.as_bytes())[..4]);
    if base.is_empty() {
        format!("unit-{hash}")
    } else {
        format!("{base}-{hash}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_stable_and_distinct() {
        let a = unit_slug("Acme Imaging Ltd.");
        assert!(a.starts_with("acme-imaging-ltd-") && a.len() == "acme-imaging-ltd-".len() + 8);
        assert_eq!(a, unit_slug("Acme Imaging Ltd."));
        assert_ne!(a, unit_slug("Acme Imaging Ltd"));
        let zh = unit_slug("北京某医疗科技有限公司");
        assert!(zh.starts_with("unit-") && zh.len() == 13, "{zh}");
        for hostile in [
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "a/b\\c\0d",
            "",
        ] {
            let s = unit_slug(hostile);
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{s}"
            );
            assert!(!s.starts_with('-') && !s.is_empty() && s.len() <= 49, "{s}");
        }
    }
}
