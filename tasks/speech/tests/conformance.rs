//! The conformance kit over this direction (4 utterances per suite keeps it fast; the
//! supplied-dataset suite is checked for its catalogue ids only).

#[test]
fn speech_conforms() {
    jiebang_kit::assert_conforms(jiebang_speech::task(), &jiebang_kit::Options::samples(4));
}
