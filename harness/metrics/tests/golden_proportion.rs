//! Golden tests: special functions vs SciPy, binomial intervals vs statsmodels, sample-size
//! planning vs a statsmodels-based search (fixtures from scripts/golden/gen_proportion.py).

mod common;
use common::{assert_close, cases, int, num};
use jiebang_metrics::proportion::{
    ProportionInterval, RatePlan, TargetSide, clopper_pearson_interval, sample_size_for_power,
    sample_size_to_decide, wilson_interval,
};
use jiebang_metrics::special::{
    beta_inc, beta_inc_inv, beta_inc_pair, ln_gamma, normal_cdf, normal_quantile,
};

#[test]
fn special_functions_match_scipy() {
    for c in cases("special_functions") {
        let want = num(&c, "value");
        let ctx = c.to_string();
        let got = match c["fn"].as_str().unwrap() {
            "beta_inc" => beta_inc(num(&c, "a"), num(&c, "b"), num(&c, "x")).unwrap(),
            "beta_inc_inv" => beta_inc_inv(num(&c, "a"), num(&c, "b"), num(&c, "p")).unwrap(),
            "ln_gamma" => ln_gamma(num(&c, "x")),
            "normal_cdf" => normal_cdf(num(&c, "x")),
            "normal_quantile" => normal_quantile(num(&c, "p")).unwrap(),
            other => panic!("unknown function {other}"),
        };
        assert_close(got, want, &ctx);
    }
}

#[test]
fn intervals_match_statsmodels() {
    for c in cases("proportion_intervals") {
        let (x, n, conf) = (
            num(&c, "successes"),
            num(&c, "trials"),
            num(&c, "confidence"),
        );
        let w = wilson_interval(x, n, conf).unwrap();
        let cp = clopper_pearson_interval(x, n, conf).unwrap();
        let ctx = c.to_string();
        let want_w = common::nums(&c, "wilson");
        let want_cp = common::nums(&c, "clopper_pearson");
        // At x = 0 (x = n) the Wilson lower (upper) end is exactly 0 (1); statsmodels'
        // formula leaves rounding noise of order 1e-19 there, so those ends are compared
        // absolutely.
        if x == 0.0 {
            assert!(w.lo == 0.0 && want_w[0].abs() < 1e-15, "wilson lo {ctx}");
        } else {
            assert_close(w.lo, want_w[0], &format!("wilson lo {ctx}"));
        }
        if x == n {
            assert!(
                w.hi == 1.0 && (want_w[1] - 1.0).abs() < 1e-15,
                "wilson hi {ctx}"
            );
        } else {
            assert_close(w.hi, want_w[1], &format!("wilson hi {ctx}"));
        }
        assert_close(cp.lo, want_cp[0], &format!("clopper-pearson lo {ctx}"));
        assert_close(cp.hi, want_cp[1], &format!("clopper-pearson hi {ctx}"));
    }
}

#[test]
fn sample_sizes_match_reference_search() {
    for c in cases("sample_size") {
        let side = match c["side"].as_str().unwrap() {
            "above" => TargetSide::Above,
            _ => TargetSide::Below,
        };
        let plan = RatePlan {
            expected: num(&c, "expected"),
            target: num(&c, "target"),
            side,
            confidence: num(&c, "confidence"),
        };
        let ctx = c.to_string();
        assert_eq!(
            sample_size_to_decide(&plan, ProportionInterval::Wilson).unwrap(),
            int(&c, "wilson"),
            "{ctx}"
        );
        assert_eq!(
            sample_size_to_decide(&plan, ProportionInterval::ClopperPearson).unwrap(),
            int(&c, "clopper_pearson"),
            "{ctx}"
        );
        assert_eq!(
            sample_size_for_power(&plan, 0.8).unwrap(),
            int(&c, "power_80"),
            "{ctx}"
        );
        assert_eq!(
            sample_size_for_power(&plan, 0.9).unwrap(),
            int(&c, "power_90"),
            "{ctx}"
        );
    }
}

/// Clopper–Pearson ends at up to 10⁹ trials against exact 50-digit values (mpmath;
/// fixture from scripts/golden/gen_clopper_pearson.py), to 12 significant digits.
#[test]
fn clopper_pearson_matches_exact_values_at_large_n() {
    for c in cases("clopper_pearson_exact") {
        let (x, n, conf) = (
            num(&c, "successes"),
            num(&c, "trials"),
            num(&c, "confidence"),
        );
        let cp = clopper_pearson_interval(x, n, conf).unwrap();
        let want = common::nums(&c, "clopper_pearson");
        let ctx = format!("{x}/{n} at {conf}");
        assert_close(cp.lo, want[0], &format!("clopper-pearson lo {ctx}"));
        assert_close(cp.hi, want[1], &format!("clopper-pearson hi {ctx}"));
    }
}

/// The same values to 14 significant digits: the precision the inverse is built for.
#[test]
fn clopper_pearson_keeps_14_digits_at_large_n() {
    let mut worst = (0.0_f64, String::new());
    for c in cases("clopper_pearson_exact") {
        let (x, n, conf) = (
            num(&c, "successes"),
            num(&c, "trials"),
            num(&c, "confidence"),
        );
        let cp = clopper_pearson_interval(x, n, conf).unwrap();
        let want = common::nums(&c, "clopper_pearson");
        for (end, got, want) in [("lo", cp.lo, want[0]), ("hi", cp.hi, want[1])] {
            let err = if want == 0.0 {
                got.abs()
            } else {
                ((got - want) / want).abs()
            };
            if err > 1e-14 {
                eprintln!("{end} {x}/{n} at {conf}: got {got:e}, want {want:e}, rel {err:.1e}");
            }
            if err > worst.0 {
                worst = (
                    err,
                    format!("{end} {x}/{n} at {conf}: got {got:e}, want {want:e}"),
                );
            }
        }
    }
    assert!(
        worst.0 <= 1e-14,
        "worst relative error {:e}: {}",
        worst.0,
        worst.1
    );
}

/// The incomplete beta function and its complement at a, b up to 10⁹ against exact values
/// (mpmath; fixture from scripts/golden/gen_clopper_pearson.py), to 11 significant digits:
/// near the mean with both parameters above 10⁸ the continued fraction's own rounding
/// leaves about 3e-12; the tails the Clopper–Pearson ends need are better than 1e-14.
#[test]
fn incomplete_beta_matches_exact_values_at_extreme_parameters() {
    let bits = |c: &serde_json::Value, key: &str| -> f64 {
        let text = c[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} missing in {c}"));
        f64::from_bits(text.parse().unwrap_or_else(|_| panic!("{key} in {c}")))
    };
    for c in cases("beta_inc_exact") {
        let (a, b, x) = (bits(&c, "a"), bits(&c, "b"), bits(&c, "x"));
        let (lower, upper) = beta_inc_pair(a, b, x).unwrap();
        for (side, got, want) in [
            ("lower", lower, bits(&c, "lower")),
            ("upper", upper, bits(&c, "upper")),
        ] {
            let err = ((got - want) / want).abs();
            assert!(
                err <= 1e-11,
                "I_x(a, b) {side}, a = {a:e}, b = {b:e}, x = {x:e}: got {got:e}, want {want:e} \
                 (rel err {err:e})"
            );
        }
    }
}
