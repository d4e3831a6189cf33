#!/usr/bin/env python3
"""Side-by-side: offergraph's solver vs scipy SLSQP (as PyMC-Marketing's BudgetOptimizer calls it).

Usage:
    cargo build --release --example solve
    python3 benches/slsqp/generate.py /tmp/slsqp
    python3 benches/slsqp/compare.py /tmp/slsqp [path/to/solve]

SLSQP gets x0 = equal split of the budget (clipped to bounds), the bounds, the budget as an
equality (eq) or inequality (le) constraint, the lead capacity (when set) as a nonlinear
inequality, analytic gradients, ftol=1e-9, maxiter=1000. Both allocations are re-evaluated here
from the returned spends with the same formulas; an SLSQP answer that breaks a constraint is
marked infeasible.

Timing: both sides time the solve alone in a warm process. Ours is the median of 21 solves
(`solve --repeat 21`); SLSQP's is the median of 3 runs when one run takes under a second (it is
deterministic, so only the time varies), else one run. The cold first solve of a fresh process
(page faults, cold caches) is shown in its own column.
Prints a markdown table. SLSQP results are cached next to the problems (`<dir>/slsqp-cache.txt`,
keyed by file name and size) because the N = 1000 runs take minutes; delete the cache to re-run.
"""
import glob
import json
import os
import subprocess
import sys
import time

import numpy as np
from scipy.optimize import minimize


def curves(p):
    L = np.array([m["curve"]["L"] for m in p["modules"]])
    k = np.array([m["curve"]["k"] for m in p["modules"]])
    a = np.array([m["curve"].get("a", 1.0) for m in p["modules"]])
    hill = np.array([m["curve"]["type"] == "hill" for m in p["modules"]])
    v = np.array([m["value_per_lead"] for m in p["modules"]])
    lo = np.array([m["lo"] for m in p["modules"]])
    hi = np.array([m["hi"] for m in p["modules"]])

    def r(s):
        s = np.maximum(s, 0.0)
        t = s / k
        h = L * t**a / (1.0 + t**a)
        e = L * (1.0 - np.exp(-s / k))
        return np.where(hill, h, e)

    def dr(s):
        s = np.maximum(s, 1e-300)
        t = s / k
        x = t**a
        h = L * a / s * x / (1.0 + x) ** 2
        e = L / k * np.exp(-s / k)
        return np.where(hill, h, e)

    return r, dr, v, lo, hi


def total_leads(p, s):
    r, _, _, _, _ = curves(p)
    return float(np.sum(r(np.asarray(s))))


def objective_value(p, s):
    r, _, v, _, _ = curves(p)
    s = np.asarray(s)
    val = float(np.sum(v * r(s)))
    if p["objective"] != "max_response_fixed_budget":
        val -= float(np.sum(s))
    return val


def slsqp(p):
    r, dr, v, lo, hi = curves(p)
    B = p["constraints"]["budget"]
    n = len(lo)
    profit = p["objective"] != "max_response_fixed_budget"
    x0 = np.clip(np.full(n, B / n), lo, hi)

    def f(s):
        val = np.sum(v * r(s)) - (np.sum(s) if profit else 0.0)
        return -val

    def g(s):
        return -(v * dr(s) - (1.0 if profit else 0.0))

    if p["constraints"]["budget_type"] == "eq":
        cons = [{"type": "eq", "fun": lambda s: np.sum(s) - B, "jac": lambda s: np.ones(n)}]
    else:
        cons = [{"type": "ineq", "fun": lambda s: B - np.sum(s), "jac": lambda s: -np.ones(n)}]
    cap = p["constraints"].get("lead_capacity")
    if cap is not None:
        cons.append({"type": "ineq", "fun": lambda s: cap - np.sum(r(s)), "jac": lambda s: -dr(s)})

    def run():
        t0 = time.perf_counter()
        res = minimize(f, x0, jac=g, method="SLSQP", bounds=list(zip(lo, hi)), constraints=cons,
                       options={"ftol": 1e-9, "maxiter": 1000})
        return res, time.perf_counter() - t0

    res, dt = run()
    if dt < 1.0:
        times = [dt] + [run()[1] for _ in range(2)]
        dt = sorted(times)[1]
    s = np.clip(res.x, lo, hi)
    feasible = (abs(np.sum(s) - B) <= 1e-6 * B) if p["constraints"]["budget_type"] == "eq" \
        else (np.sum(s) <= B * (1 + 1e-6))
    if cap is not None:
        feasible = feasible and total_leads(p, s) <= cap * (1 + 1e-6)
    return objective_value(p, s), dt, feasible, f"{res.status}: {res.message}"


def ours(p_path, exe):
    out = subprocess.run([exe, p_path, "--repeat", "21"], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "/tmp/slsqp"
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    exe = sys.argv[2] if len(sys.argv) > 2 else os.path.join(target, "release", "examples", "solve")
    print("| problem | N | our objective | SLSQP objective | rel. diff (ours − SLSQP) | our status "
          "| SLSQP exit | our solve s | our cold first solve s | SLSQP s | speed-up |")
    print("|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|")
    files = sorted(glob.glob(os.path.join(d, "*.json")),
                   key=lambda f: (os.path.basename(f).rsplit("-", 1)[0], int(f.rsplit("-", 1)[1][:-5])))
    worst = float("inf")
    speedups = []
    cache_path = os.path.join(d, "slsqp-cache.txt")
    cache = json.load(open(cache_path)) if os.path.exists(cache_path) else {}
    for path in files:
        p = json.load(open(path))
        o = ours(path, exe)
        our_obj = objective_value(p, o["spend"])
        cap = p["constraints"].get("lead_capacity")
        if cap is not None and total_leads(p, o["spend"]) > cap * (1 + 1e-9):
            print(f"ours breaks the lead capacity on {path}", file=sys.stderr)
            sys.exit(1)
        key = f"{os.path.basename(path)}:{os.path.getsize(path)}:median3"
        if key not in cache:
            s_obj, s_t, feas, exit_msg = slsqp(p)
            cache[key] = [float(s_obj), float(s_t), bool(feas), exit_msg]
            json.dump(cache, open(cache_path, "w"))
        s_obj, s_t, feas = cache[key][:3]
        exit_msg = cache[key][3] if len(cache[key]) > 3 else "not recorded"
        rel = (our_obj - s_obj) / max(abs(s_obj), 1.0)
        worst = min(worst, rel)
        n = len(p["modules"])
        if n == 100:
            speedups.append(s_t / max(o["solve_seconds"], 1e-9))
        note = "" if feas else " (SLSQP infeasible)"
        print(f"| {p['id']} | {n} | {our_obj:.6f} | {s_obj:.6f}{note} | {rel:+.3e} | {o['status']} | {exit_msg} | "
              f"{o['solve_seconds']:.2e} | {o['first_solve_seconds']:.2e} | {s_t:.2e} | "
              f"{s_t / max(o['solve_seconds'], 1e-9):.0f}× |")
    print(f"\nsmallest relative difference (negative = ours below SLSQP): {worst:+.3e}")
    print(f"smallest speed-up at N = 100: {min(speedups):.0f}×" if speedups else "")


if __name__ == "__main__":
    main()
