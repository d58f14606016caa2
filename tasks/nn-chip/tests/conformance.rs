//! The conformance kit over this direction (one workload per suite, the fewest allowed).

#[test]
fn nn_chip_conforms() {
    jiebang_kit::assert_conforms(jiebang_nn_chip::task(), &jiebang_kit::Options::samples(1));
}
