//! The conformance kit over this direction (6 samples per suite keeps it fast).

#[test]
fn video_identity_conforms() {
    jiebang_kit::assert_conforms(
        jiebang_video_identity::task(),
        &jiebang_kit::Options::samples(6),
    );
}
