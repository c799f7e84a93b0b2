#!/usr/bin/python3
"""Reference values for stats.NegBinRate (TestNegBinAgainstStatsmodels).

Intercept-only NB2 regression of counts on their exposure, fitted by
statsmodels (not by the Go code): y ~ NB(mu = t * exp(b0), alpha), with
Var(y) = mu + alpha * mu^2 (alpha = 1/theta). The data sets are drawn here
with a fixed seed and written with the fit to reference.json.

Run with the system Python (statsmodels 0.13): /usr/bin/python3 make_reference.py
"""
import json

import numpy as np
import statsmodels.api as sm

rng = np.random.default_rng(20261202)


def dataset(name, n, theta, rate, tlo, thi):
    t = np.round(rng.uniform(tlo, thi, n), 6)
    if theta is None:
        lam = rate * t
    else:
        lam = rng.gamma(theta, rate * t / theta)
    y = rng.poisson(lam)
    return name, [int(v) for v in y], [float(v) for v in t]


sets = [
    dataset("overdispersed_200", 200, 0.8, 0.5, 0.2, 2.0),
    dataset("mild_50", 50, 5.0, 1.2, 0.5, 2.0),
    dataset("many_zeros_25", 25, 0.3, 0.4, 0.1, 2.0),
    dataset("recidivism_like_600", 600, 0.6, 0.45, 0.05, 2.0),
]
out = []
for name, y, t in sets:
    model = sm.NegativeBinomial(np.array(y), np.ones((len(y), 1)), exposure=np.array(t), loglike_method="nb2")
    # BFGS from statsmodels' own start, then Newton from there (Newton
    # alone can step to a negative alpha on the small sets).
    start = model.fit(method="bfgs", maxiter=5000, gtol=1e-10, disp=False)
    fit = model.fit(start_params=start.params, method="newton", maxiter=500, tol=1e-14, disp=False)
    b0, alpha = fit.params
    se = fit.bse[0]
    llf = fit.llf
    poisson = False
    if not np.isfinite(b0) or alpha < 1e-8:
        # The likelihood is largest at alpha = 0 (no overdispersion; the
        # NB log-likelihood falls as alpha grows from 0, checked below):
        # the maximum is the Poisson fit.
        pois = sm.GLM(np.array(y), np.ones((len(y), 1)), family=sm.families.Poisson(), exposure=np.array(t)).fit(tol=1e-14)
        b0, se, alpha, llf, poisson = pois.params[0], pois.bse[0], 0.0, pois.llf, True
        assert model.loglike(np.array([b0, 1e-6])) < llf + 1e-9 and model.loglike(np.array([b0, 1e-4])) < model.loglike(np.array([b0, 1e-6]))
    out.append({
        "name": name, "y": y, "t": t,
        "beta": float(b0), "se": float(se), "alpha": float(alpha), "loglik": float(llf), "poisson": poisson,
        "rate": float(np.exp(b0)), "lower": float(np.exp(b0 - 1.959963984540054 * se)),
        "upper": float(np.exp(b0 + 1.959963984540054 * se)),
        "converged": bool(fit.mle_retvals["converged"]),
    })
with open("reference.json", "w") as f:
    json.dump({"statsmodels": sm.__version__, "fits": out}, f, indent=1)
    f.write("\n")
