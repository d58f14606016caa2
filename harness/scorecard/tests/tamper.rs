//! Tamper detection: every single-byte change to a sealed scorecard is rejected, forged and
//! untrusted signatures are rejected, and schema versions outside the readable range are named.

use jiebang_scorecard::*;

fn sealed(key: Option<&KeyPair>) -> Vec<u8> {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/sample.scorecard.json"
    ))
    .unwrap();
    let v = verify_bytes("golden", &bytes, None).unwrap();
    let mut sc = v.scorecard;
    seal(&mut sc, key).unwrap()
}

#[test]
fn every_single_byte_change_is_rejected() {
    let key = KeyPair::from_seed("agency", [9u8; 32]);
    let bytes = sealed(Some(&key));
    let trusted = [key.public()];
    assert!(verify_bytes("x", &bytes, Some(&trusted)).is_ok());
    for i in 0..bytes.len() {
        for delta in [1u8, 0x20] {
            let mut b = bytes.clone();
            b[i] ^= delta;
            assert!(
                verify_bytes("x", &b, Some(&trusted)).is_err(),
                "flipping byte {i} ({:?}) by {delta:#x} was accepted",
                bytes[i] as char
            );
        }
    }
}

#[test]
fn unsigned_scorecard_changes_are_caught_by_id() {
    let bytes = sealed(None);
    let text = String::from_utf8(bytes.clone()).unwrap();
    let edited = text.replacen("\"answered\":99", "\"answered\":98", 1);
    assert_ne!(text, edited);
    let err = verify_bytes("x", edited.as_bytes(), None).unwrap_err();
    assert!(matches!(err, ScorecardError::IdMismatch { .. }), "{err}");
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_slice::<serde_json::Value>(&bytes).unwrap())
            .unwrap();
    let err = verify_bytes("x", pretty.as_bytes(), None).unwrap_err();
    assert!(matches!(err, ScorecardError::NotCanonical { .. }), "{err}");
}

#[test]
fn untrusted_and_forged_signatures_are_rejected() {
    let agency = KeyPair::from_seed("agency", [1u8; 32]);
    let mallory = KeyPair::from_seed("agency", [2u8; 32]);
    let bytes = sealed(Some(&mallory));
    let err = verify_bytes("x", &bytes, Some(&[agency.public()])).unwrap_err();
    assert!(matches!(err, ScorecardError::UntrustedKey { .. }), "{err}");
    assert!(err.to_string().contains("untrusted key"));

    // A signature copied from another scorecard does not verify for this id.
    let mut sc = verify_bytes("x", &sealed(None), None).unwrap().scorecard;
    let other = verify_bytes("x", &bytes, None).unwrap().scorecard;
    sc.run.duration_s = 2.0;
    seal(&mut sc, None).unwrap();
    sc.signature = other.signature;
    let mut forged = to_canonical_bytes(&sc).unwrap();
    forged.push(b'\n');
    let err = verify_bytes("x", &forged, None).unwrap_err();
    assert!(matches!(err, ScorecardError::BadSignature { .. }), "{err}");

    // A signed scorecard with no trust list given still has its signature checked.
    let ok = verify_bytes("x", &bytes, None).unwrap();
    assert!(matches!(
        ok.signature,
        SignatureCheck::ValidUnchecked { .. }
    ));
    // With a trust list, unsigned scorecards are refused.
    let err = verify_bytes("x", &sealed(None), Some(&[agency.public()])).unwrap_err();
    assert!(matches!(err, ScorecardError::Unsigned { .. }), "{err}");
    assert!(
        err.to_string().starts_with("unsigned; ") && !err.to_string().contains("nobody"),
        "{err}"
    );
}

#[test]
fn schema_versions_out_of_range_are_named() {
    let text = String::from_utf8(sealed(None)).unwrap();
    for (v, word) in [("0", "too old"), ("2", "too new")] {
        let t = text.replacen(
            "\"schema_version\":1",
            &format!("\"schema_version\":{v}"),
            1,
        );
        let err = verify_bytes("card.json", t.as_bytes(), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains(word) && err.contains("card.json"), "{err}");
    }
    let t = text
        .replacen(",\"schema_version\":1", "", 1)
        .replacen("\"schema_version\":1,", "", 1);
    let err = verify_bytes("card.json", t.as_bytes(), None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("schema_version") && err.contains("missing"),
        "{err}"
    );
}

#[test]
fn key_files_round_trip_and_bad_keys_are_named() {
    let k = KeyPair::from_seed("agency", [3u8; 32]);
    let back = KeyPair::from_file_text("a.key", &k.to_file_text()).unwrap();
    assert_eq!(back.public(), k.public());
    let p = PublicKey::from_file_text("a.pub", &k.public().to_file_text()).unwrap();
    assert_eq!(p, k.public());
    let err = KeyPair::from_file_text("a.pub", &k.public().to_file_text())
        .err()
        .unwrap();
    assert!(err.to_string().contains("secret key"), "{err}");
    let err = PublicKey::from_hex("k", "abcd").unwrap_err().to_string();
    assert!(err.contains("32 bytes"), "{err}");
    let nan = {
        let bytes = sealed(None);
        let mut sc = verify_bytes("x", &bytes, None).unwrap().scorecard;
        sc.run.duration_s = f64::NAN;
        seal(&mut sc, None).unwrap_err().to_string()
    };
    assert!(nan.contains("run.duration_s"), "{nan}");
}
