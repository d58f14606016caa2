"""Golden vectors for special functions, binomial intervals and sample-size planning."""
import math

import numpy as np
from scipy import special, stats
from statsmodels.stats.proportion import proportion_confint, proportion_effectsize
from statsmodels.stats.power import NormalIndPower

from common import f, write_fixture


def special_functions():
    cases = []
    for a, b, x in [(1, 1, 0.3), (0.5, 0.5, 0.01), (2.5, 7.5, 0.2), (30, 40, 0.45),
                    (1, 1000, 1e-4), (999, 2, 0.998), (50, 5000, 0.012), (1e4, 1e4, 0.499),
                    (3, 1e5, 2e-5), (2e4, 3e4, 0.41), (0.1, 20, 0.5), (120, 0.7, 0.995)]:
        cases.append({"fn": "beta_inc", "a": f(a), "b": f(b), "x": f(x),
                      "value": f(special.betainc(a, b, x))})
    for a, b, p in [(1, 50, 0.025), (50, 1, 0.975), (3, 98, 0.025), (96, 5, 0.975),
                    (0.5, 0.5, 0.3), (1e3, 20, 0.025), (20, 1e3, 0.975), (5e3, 5e3, 1e-6),
                    (1, 1e5, 0.025), (1e5, 1, 0.975), (2.5, 1.5, 0.999999), (7, 3, 1e-12)]:
        cases.append({"fn": "beta_inc_inv", "a": f(a), "b": f(b), "p": f(p),
                      "value": f(special.betaincinv(a, b, p))})
    for x in [0.5, 1.0, 2.5, 9.5, 10.0, 33.3, 1e3, 1e6]:
        cases.append({"fn": "ln_gamma", "x": f(x), "value": f(special.gammaln(x))})
    for x in [-30.0, -8.0, -3.0, -1.0, -0.2, 0.0, 0.7, 1.5, 4.0, 12.0]:
        cases.append({"fn": "normal_cdf", "x": f(x), "value": f(stats.norm.cdf(x))})
    for p in [1e-300, 1e-50, 1e-10, 0.001, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999999]:
        cases.append({"fn": "normal_quantile", "p": f(p), "value": f(stats.norm.ppf(p))})
    write_fixture("special_functions", "scipy.special / scipy.stats", ["scipy"],
                  "betainc = regularized incomplete beta I_x(a,b); betaincinv its inverse in x; "
                  "gammaln; norm.cdf; norm.ppf", cases)


def intervals():
    cases = []
    pairs = [(0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (1, 100), (50, 100), (95, 100),
             (99, 100), (0, 1000), (1, 1000), (970, 1000), (999, 1000), (12345, 13000),
             (2, 100000), (99990, 100000), (4, 7), (1, 2)]
    for conf in [0.95, 0.99]:
        for x, n in pairs:
            alpha = 1 - conf
            wl, wh = proportion_confint(x, n, alpha=alpha, method="wilson")
            bl, bh = proportion_confint(x, n, alpha=alpha, method="beta")
            cases.append({"successes": x, "trials": n, "confidence": conf,
                          "wilson": [f(wl), f(wh)], "clopper_pearson": [f(bl), f(bh)]})
    write_fixture("proportion_intervals", "statsmodels.stats.proportion.proportion_confint",
                  ["statsmodels", "scipy"],
                  "method='wilson' and method='beta' (Clopper-Pearson), alpha = 1 - confidence", cases)


def decides(x_rate, target, side, n, conf, method):
    lo, hi = proportion_confint(x_rate * n, n, alpha=1 - conf, method=method)
    return lo > target if side == "above" else hi < target


def smallest_deciding_n(expected, target, side, conf, method):
    hi = 1
    while not decides(expected, target, side, hi, conf, method):
        hi *= 2
    lo = hi // 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if decides(expected, target, side, mid, conf, method):
            hi = mid
        else:
            lo = mid
    return hi


def sample_sizes():
    cases = []
    plans = [(0.98, 0.95, "above"), (0.97, 0.95, "above"), (0.99, 0.97, "above"),
             (0.93, 0.90, "above"), (0.002, 0.01, "below"), (0.02, 0.05, "below"),
             (0.96, 0.85, "above")]
    for expected, target, side in plans:
        conf = 0.95
        entry = {"expected": expected, "target": target, "side": side, "confidence": conf}
        for method, key in [("wilson", "wilson"), ("beta", "clopper_pearson")]:
            entry[key] = smallest_deciding_n(expected, target, side, conf, method)
        # Power-based size: closed form on the arcsine scale, and statsmodels' power at it.
        h = abs(proportion_effectsize(expected, target))
        alpha = (1 - conf) / 2
        for power in [0.8, 0.9]:
            n_real = ((stats.norm.isf(alpha) + stats.norm.ppf(power)) / h) ** 2
            n = math.ceil(n_real)
            achieved = NormalIndPower().power(effect_size=h, nobs1=n, alpha=alpha, ratio=0,
                                              alternative="larger")
            assert achieved >= power - 1e-9, (achieved, power)
            entry[f"power_{int(power*100)}"] = n
        cases.append(entry)
    write_fixture("sample_size", "statsmodels proportion_confint (search) and NormalIndPower",
                  ["statsmodels", "scipy"],
                  "interval sizes: smallest n whose interval at count = expected*n excludes the "
                  "target (found by doubling + bisection with statsmodels intervals); power sizes: "
                  "ceil(((z_{1-alpha} + z_power)/h)^2) with h = proportion_effectsize, alpha = "
                  "(1-confidence)/2, checked with NormalIndPower(ratio=0).power", cases)


def main():
    special_functions()
    intervals()
    sample_sizes()


if __name__ == "__main__":
    main()
