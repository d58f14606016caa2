//! The conformance kit over the example direction (docs/ADDING-A-DIRECTION.md, step 9).

#[test]
fn example_conforms() {
    jiebang_kit::assert_conforms(jiebang_example::task(), &jiebang_kit::Options::samples(40));
}
