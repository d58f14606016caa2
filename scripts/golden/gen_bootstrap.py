"""Golden vectors for bootstrap intervals: given data and a fixed set of replicate values,
SciPy's `scipy.stats.bootstrap` (fed the replicates through `bootstrap_result`, with
`n_resamples=0`) computes the percentile and BCa intervals; jiebang recomputes them from
the same replicates and its own jackknife of the data."""
import numpy as np
from scipy import stats

from common import f, write_fixture


class GivenDistribution:
    def __init__(self, values):
        self.bootstrap_distribution = values


def main():
    rng = np.random.default_rng(7)
    cases = []
    specs = [
        ("mean_skewed_40", rng.lognormal(0.0, 1.0, 40), "mean"),
        ("mean_normal_25", rng.normal(3.0, 2.0, 25), "mean"),
        ("std_exp_60", rng.exponential(2.0, 60), "std"),
        ("mean_binary_80", (rng.random(80) < 0.9).astype(float), "mean"),
    ]
    for name, data, stat in specs:
        fn = {"mean": np.mean, "std": np.std}[stat]
        reps = np.array([fn(data[rng.integers(0, len(data), len(data))]) for _ in range(999)])
        entry = {"name": name, "statistic": stat, "data": [f(v) for v in data],
                 "replicates": [f(v) for v in reps]}
        for conf in [0.95, 0.9]:
            for method in ["percentile", "BCa"]:
                res = stats.bootstrap((data,), lambda x, axis: fn(x, axis=axis), n_resamples=0,
                                      bootstrap_result=GivenDistribution(reps),
                                      confidence_level=conf, method=method)
                ci = res.confidence_interval
                entry[f"{method.lower()}_{int(conf*100)}"] = [f(ci.low), f(ci.high)]
        cases.append(entry)
    write_fixture("bootstrap_intervals", "scipy.stats.bootstrap (bootstrap_result given, "
                  "n_resamples=0)", ["scipy", "numpy"],
                  "percentile: linear quantiles at alpha/2, 1-alpha/2; BCa: scipy's _bca_interval "
                  "(jackknife acceleration, z0 from the mean percentile of the estimate); std is "
                  "the population standard deviation (ddof=0)", cases)


if __name__ == "__main__":
    main()
