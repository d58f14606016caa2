//! File names for what units name themselves: a unit's name can be any text (Chinese, markup,
//! `../`), so its folder in a round and its page on a site use a slug that is always safe.

use sha2::{Digest, Sha256};

/// A file-name-safe, stable slug for a unit name: the name's ASCII letters and digits in lower
/// case with runs of anything else as one `-` (at most 40 characters), then `-` and the first 32
/// hex digits (128 bits) of the sha256 of the exact name, so that no one can find a second name
/// with another unit's slug (a shorter digest was collided on purpose in review). A name with no
/// ASCII letter or digit (e.g. Chinese) becomes `unit-` and the digits.
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
    let hash = hex::encode(&Sha256::digest(name.as_bytes())[..16]);
    if base.is_empty() {
        format!("unit-{hash}")
    } else {
        format!("{base}-{hash}")
    }
}

/// The key two unit names are compared by for look-alikes: the letters and digits of the name in
/// lower case, everything else (spaces, punctuation, invisible characters) dropped — so "Acme
/// Imaging", "acme imaging " and "Acme-Imaging" are one unit name to a reader.
pub fn look_alike_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_stable_and_distinct() {
        let a = unit_slug("Acme Imaging Ltd.");
        assert!(a.starts_with("acme-imaging-ltd-") && a.len() == "acme-imaging-ltd-".len() + 32);
        assert_eq!(a, unit_slug("Acme Imaging Ltd."));
        assert_ne!(a, unit_slug("Acme Imaging Ltd"));
        let zh = unit_slug("北京某医疗科技有限公司");
        assert!(zh.starts_with("unit-") && zh.len() == 37, "{zh}");
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
            assert!(!s.starts_with('-') && !s.is_empty() && s.len() <= 73, "{s}");
        }
    }

    #[test]
    fn look_alikes_share_a_key() {
        let k = look_alike_key("Acme Imaging");
        for n in [
            "acme imaging ",
            "Acme-Imaging",
            "Acme\u{200b}Imaging",
            "ACME  IMAGING",
        ] {
            assert_eq!(look_alike_key(n), k, "{n}");
        }
        assert_ne!(look_alike_key("Acme Imagine"), k);
        assert_eq!(look_alike_key("甲 影像"), look_alike_key("甲影像"));
    }
}
