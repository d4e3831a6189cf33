"""Side-by-side on the same Monte Carlo draws: offergraph's risk-aware allocation vs scipy SLSQP
maximising the CVaR of total profit as PyMC-Marketing's BudgetOptimizer would.

    cargo run --release --example risk_export -- /tmp/cvar
    python3 benches/slsqp/cvar.py /tmp/cvar

Each `cvar-N-D.json` holds the modules' curves, the budget (spent exactly), the weight of every
module in every draw (`w[i][d]`: a draw's profit is `sum_i w[i][d] * r_i(s_i) - sum_i s_i`), the
level alpha and our answer with its solve time (the median of warm solves).

SLSQP gets what PyMC-Marketing's `BudgetOptimizer` gives it: x0 = the equal split, bounds
[0, budget] per module, the budget as an equality constraint, the utility
`pymc_marketing.mmm.utility.conditional_value_at_risk(1 - alpha)` of the profit samples (the mean
of the samples at or below their type-7 quantile at alpha) maximised, with its gradient (the
mean of the gradients of the tail draws, what automatic differentiation of that utility gives),
ftol=1e-9, maxiter=1000. Both allocations are then re-evaluated here with the same formulas:
the CVaR as offergraph defines it (Rockafellar-Uryasev, the mean of the worst alpha share of the
draws, a fractional draw included), and PyMC-Marketing's. SLSQP's time is the median of 3 runs
(one run when it takes over 10 s).
"""

import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize


def curves(p):
    m = p["modules"]
    L = np.array([x["curve"]["L"] for x in m])
    k = np.array([x["curve"]["k"] for x in m])
    a = np.array([x["curve"].get("a", 1.0) for x in m])
    hill = np.array([x["curve"]["type"] == "hill" for x in m])
    if any(x["curve"]["type"] not in ("hill", "exponential") for x in m):
        raise SystemExit("only hill and exponential curves are handled")

    def r(s):
        s = np.maximum(s, 0.0)
        t = s / k
        return np.where(hill, L * t**a / (1.0 + t**a), L * (1.0 - np.exp(-s / k)))

    def dr(s):
        s = np.maximum(s, 1e-300)
        t = s / k
        x = t**a
        return np.where(hill, L * a / s * x / (1.0 + x) ** 2, L / k * np.exp(-s / k))

    return r, dr


def cvar_ru(profit, alpha):
    """The mean of the worst alpha share of the draws (Rockafellar-Uryasev at its optimum)."""
    q = np.sort(profit)
    share = alpha * len(q)
    m = min(int(np.floor(share)), len(q))
    rest = (share - m) * q[m] if m < len(q) else 0.0
    return (q[:m].sum() + rest) / share


def quantile7(x, q):
    s = np.sort(x)
    idx = q * (len(s) - 1)
    lo, hi = int(np.floor(idx)), int(np.ceil(idx))
    wt = idx - lo
    return (1 - wt) * s[lo] + wt * s[hi]


def cvar_pymc(profit, alpha):
    """pymc_marketing.mmm.utility.conditional_value_at_risk(confidence_level = 1 - alpha)."""
    var = quantile7(profit, alpha)
    mask = profit <= var
    return profit[mask].mean(), mask


def run(path):
    p = json.loads(Path(path).read_text())
    w = np.array(p["w"])
    alpha, budget = p["alpha"], p["budget"]
    n = w.shape[0]
    r, dr = curves(p)

    def profit(s):
        return r(s) @ w - s.sum()

    def f(s):
        val, _ = cvar_pymc(profit(s), alpha)
        return -val

    def g(s):
        _, mask = cvar_pymc(profit(s), alpha)
        return -(dr(s) * w[:, mask].mean(axis=1) - 1.0)

    x0 = np.full(n, budget / n)
    cons = [{"type": "eq", "fun": lambda s: s.sum() - budget, "jac": lambda s: np.ones(n)}]
    runs = []
    res = None
    for _ in range(3):
        t = time.perf_counter()
        res = minimize(f, x0, jac=g, method="SLSQP", bounds=[(0.0, budget)] * n, constraints=cons,
                       options={"ftol": 1e-9, "maxiter": 1000})
        runs.append(time.perf_counter() - t)
        if runs[-1] > 10.0:
            break
    slsqp_s = float(np.median(runs))
    ours = np.array(p["ours"]["spend"])
    theirs = np.clip(res.x, 0.0, budget)
    feasible = abs(theirs.sum() - budget) <= 1e-6 * budget
    row = {
        "n": n, "draws": w.shape[1], "alpha": alpha,
        "ours_ru": cvar_ru(profit(ours), alpha), "slsqp_ru": cvar_ru(profit(theirs), alpha),
        "ours_pymc": cvar_pymc(profit(ours), alpha)[0], "slsqp_pymc": cvar_pymc(profit(theirs), alpha)[0],
        "status": p["ours"]["status"], "gap": p["ours"]["upper_bound"] - p["ours"]["cvar"],
        "exit": f"{res.status}: {res.message}", "feasible": feasible,
        "ours_s": p["ours"]["seconds"], "slsqp_s": slsqp_s,
    }
    return row


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: cvar.py DIR (the files of `cargo run --release --example risk_export -- DIR`)")
    files = sorted(Path(sys.argv[1]).glob("cvar-*.json"), key=lambda q: [int(x) for x in q.stem.split("-")[1:]])
    print("| N | draws | α | our CVaR | SLSQP CVaR | rel. diff (ours − SLSQP) | ours, PyMC's CVaR | SLSQP, PyMC's CVaR "
          "| our status (gap) | SLSQP exit | our s | SLSQP s | speed-up |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|")
    for path in files:
        x = run(path)
        rel = (x["ours_ru"] - x["slsqp_ru"]) / max(abs(x["slsqp_ru"]), 1.0)
        note = "" if x["feasible"] else " (SLSQP breaks the budget)"
        print(f"| {x['n']} | {x['draws']} | {x['alpha']} | {x['ours_ru']:.2f} | {x['slsqp_ru']:.2f}{note} | {rel:+.3e} "
              f"| {x['ours_pymc']:.2f} | {x['slsqp_pymc']:.2f} | {x['status']} ({x['gap']:.1e}) | {x['exit']} "
              f"| {x['ours_s']:.2e} | {x['slsqp_s']:.2e} | {x['slsqp_s'] / x['ours_s']:.0f}× |")


if __name__ == "__main__":
    main()
