"""Golden vectors for Clopper-Pearson intervals at large n (clopper_pearson_exact.json) and
for the incomplete beta function at extreme parameters (beta_inc_exact.json), computed
exactly with mpmath.

The ends are Beta quantiles: lower = the alpha/2 quantile of Beta(x, n-x+1), upper = the
1-alpha/2 quantile of Beta(x+1, n-x). mpmath's betainc (a hypergeometric series) is far too
slow at n = 1e9, so the regularized incomplete beta is evaluated at 60 digits by its
continued fraction (checked here against mpmath.betainc wherever that is fast) and inverted
by Newton's method from SciPy's double-precision betaincinv until the step is below 1e-40.
"""
import struct

import mpmath as mp
import numpy as np
from scipy import special

from common import write_fixture

mp.mp.dps = 60

TRIALS = [10, 1000, 10**6, 10**9]
CONFIDENCES = ["0.9", "0.95", "0.99", "0.999999", "0.9999999"]


def log_front(a, b, x):
    """ln( x^a (1-x)^b / (a B(a,b)) )."""
    return a * mp.log(x) + b * mp.log1p(-x) - (mp.loggamma(a) + mp.loggamma(b)
                                                - mp.loggamma(a + b)) - mp.log(a)


def continued_fraction(a, b, x):
    """The continued fraction of I_x(a,b) / front (modified Lentz, 60 digits)."""
    tiny = mp.mpf(10) ** -200
    eps = mp.mpf(10) ** -55
    c = mp.mpf(1)
    d = 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    m = 0
    while True:
        m += 1
        for aa in (m * (b - m) * x / ((a - 1 + 2 * m) * (a + 2 * m)),
                   -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1 + 2 * m))):
            d = 1 + aa * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + aa / c
            if abs(c) < tiny:
                c = tiny
            delta = c * d
            h *= delta
        if abs(delta - 1) < eps:
            return h


def beta_inc(a, b, x):
    """Regularized incomplete beta I_x(a, b) to about 50 digits."""
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    if x < (a + 1) / (a + b + 2):
        return mp.exp(log_front(a, b, x)) * continued_fraction(a, b, x)
    return 1 - mp.exp(log_front(b, a, 1 - x)) * continued_fraction(b, a, 1 - x)


def density(a, b, x):
    return mp.exp((a - 1) * mp.log(x) + (b - 1) * mp.log1p(-x)
                  - (mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)))


def beta_quantile(a, b, q):
    """The x with I_x(a, b) = q, by Newton's method from SciPy's estimate, kept inside the
    bracket of the root (bisection when a step would leave it)."""
    a, b, q = mp.mpf(a), mp.mpf(b), mp.mpf(q)
    lo, hi = mp.mpf(0), mp.mpf(1)
    x = mp.mpf(float(special.betaincinv(float(a), float(b), float(q))))
    if not 0 < x < 1:
        x = a / (a + b)
    for _ in range(1000):
        g = beta_inc(a, b, x) - q
        if g > 0:
            hi = x
        else:
            lo = x
        nxt = x - g / density(a, b, x)
        if not lo < nxt < hi:
            nxt = (lo + hi) / 2
        if abs(nxt - x) < mp.mpf(10) ** -40 * nxt:
            return nxt
        x = nxt
    raise RuntimeError(f"Newton did not converge for a={a} b={b} q={q}")


def self_check():
    """The continued fraction agrees with mpmath.betainc where the latter is fast."""
    for a, b, x in [(2, 999, "0.004"), (1, 1000, "1e-4"), (30, 40, "0.45"), (999, 2, "0.998"),
                    (5, 96, "0.02"), (500, 501, "0.47")]:
        want = mp.betainc(a, b, 0, mp.mpf(x), regularized=True)
        got = beta_inc(a, b, mp.mpf(x))
        assert abs(got - want) <= mp.mpf(10) ** -45 * abs(want), (a, b, x, got, want)


def bits(v):
    """The IEEE-754 bit pattern of a double, as a decimal string: serde_json's default
    float parsing is not correctly rounded, and one ulp of x near 1 moves I_x(a,b) a lot."""
    return str(struct.unpack("<Q", struct.pack("<d", float(v)))[0])


def incomplete_beta():
    """I_x(a,b) and its complement at random a, b in [0.05, 1e9] (log-uniform, a third of
    the a's small integers), x the Beta quantile of a random tail probability in
    [1e-12, 0.49], on either side."""
    rng = np.random.default_rng(1412)
    cases = []
    while len(cases) < 240:
        a, b = 10 ** rng.uniform(-1.3, 9, 2)
        if rng.random() < 0.3:
            a = float(rng.integers(1, 21))
        p = 10 ** rng.uniform(-12, -0.31)
        x = float(special.betaincinv(a, b, p) if rng.random() < 0.5
                  else special.betainccinv(a, b, p))
        if not 0 < x < 1:
            continue
        value = beta_inc(a, b, mp.mpf(x))
        cases.append({"a": bits(a), "b": bits(b), "x": bits(x), "lower": bits(value),
                      "upper": bits(1 - value), "approx": [float(a), float(b), x, float(value)]})
    write_fixture("beta_inc_exact", "mpmath (60-digit continued fraction of the regularized "
                  "incomplete beta)", ["mpmath", "scipy", "numpy"],
                  "lower = I_x(a,b), upper = 1 - I_x(a,b); a, b, x, lower, upper are IEEE-754 "
                  "bit patterns (decimal strings); approx is for reading only", cases)


def main():
    self_check()
    incomplete_beta()
    cases = []
    for n in TRIALS:
        for x in sorted(x for x in {0, 1, 3, 17, n // 2, n - 1, n} if x <= n):
            for conf in CONFIDENCES:
                alpha = 1 - mp.mpf(float(conf))  # what the crate is given: the double nearest conf
                lo = mp.mpf(0) if x == 0 else beta_quantile(x, n - x + 1, alpha / 2)
                hi = mp.mpf(1) if x == n else beta_quantile(x + 1, n - x, 1 - alpha / 2)
                cases.append({"successes": x, "trials": n, "confidence": float(conf),
                              "clopper_pearson": [float(lo), float(hi)],
                              "clopper_pearson_50_digits": [mp.nstr(lo, 50), mp.nstr(hi, 50)]})
    write_fixture("clopper_pearson_exact", "mpmath (60-digit continued fraction of the "
                  "regularized incomplete beta, Newton-inverted)", ["mpmath", "scipy"],
                  "Clopper-Pearson: lower = Beta(x, n-x+1) quantile at alpha/2 (0 at x = 0), upper = "
                  "Beta(x+1, n-x) quantile at 1-alpha/2 (1 at x = n), alpha = 1 - confidence, confidence "
                  "the double the crate is given (so 0.9999999 means 0.99999990000000005…); "
                  "clopper_pearson is the 50-digit value rounded to double", cases)


if __name__ == "__main__":
    main()
