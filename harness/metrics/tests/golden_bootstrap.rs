//! Golden tests: percentile and BCa intervals vs SciPy's `bootstrap`, fed the same replicate
//! values (fixtures from scripts/golden/gen_bootstrap.py).

mod common;
use common::{assert_close, cases, nums};
use jiebang_metrics::Result;
use jiebang_metrics::bootstrap::{Units, bca_interval, jackknife_values, percentile_interval};

fn statistic(name: &str, data: &[f64], idx: &[usize]) -> Result<f64> {
    let n = idx.len() as f64;
    let mean = idx.iter().map(|&i| data[i]).sum::<f64>() / n;
    Ok(match name {
        "mean" => mean,
        "std" => (idx.iter().map(|&i| (data[i] - mean).powi(2)).sum::<f64>() / n).sqrt(),
        other => panic!("unknown statistic {other}"),
    })
}

#[test]
fn percentile_and_bca_match_scipy() {
    for c in cases("bootstrap_intervals") {
        let name = c["name"].as_str().unwrap();
        let stat = c["statistic"].as_str().unwrap();
        let data = nums(&c, "data");
        let reps = nums(&c, "replicates");
        let all: Vec<usize> = (0..data.len()).collect();
        let estimate = statistic(stat, &data, &all).unwrap();
        let mut f = |idx: &[usize]| statistic(stat, &data, idx);
        let jack = jackknife_values(&Units::samples(data.len()), &mut f).unwrap();
        for conf in [95u32, 90] {
            let confidence = conf as f64 / 100.0;
            let p = percentile_interval(&reps, confidence).unwrap();
            let want = nums(&c, &format!("percentile_{conf}"));
            assert_close(p.lo, want[0], &format!("{name} percentile {conf} lo"));
            assert_close(p.hi, want[1], &format!("{name} percentile {conf} hi"));
            let (b, _, _) = bca_interval(estimate, &reps, &jack, confidence).unwrap();
            let want = nums(&c, &format!("bca_{conf}"));
            assert_close(b.lo, want[0], &format!("{name} BCa {conf} lo"));
            assert_close(b.hi, want[1], &format!("{name} BCa {conf} hi"));
        }
    }
}
