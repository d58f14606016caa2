//! The conformance kit over this direction (8 cases per suite keeps it fast).

#[test]
fn medical_imaging_conforms() {
    jiebang_kit::assert_conforms(
        jiebang_medical_imaging::task(),
        &jiebang_kit::Options::samples(8),
    );
}
