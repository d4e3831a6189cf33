#!/usr/bin/env python3
"""Write allocation-problem/v1 files for the SLSQP comparison (fixed seeds).

Usage: python3 benches/slsqp/generate.py [OUT_DIR]   (default benches/slsqp/problems)
Mixes: concave (Hill a in [0.5, 1] and exponential) and sshape (Hill a in [1.5, 3.5] with some
exponential); objectives: max_response_fixed_budget (eq), max_profit (le) and
max_profit_lead_capacity (le, leads capped at 30% of the curves' saturation levels, which binds);
N in {10, 100, 1000}.
"""
import json
import os
import random
import sys


def module(rng, i, mix):
    L = rng.uniform(100.0, 2000.0)
    k = rng.uniform(1000.0, 20000.0)
    v = rng.uniform(5.0, 60.0)
    if mix == "concave":
        curve = ({"type": "hill", "L": L, "k": k, "a": rng.uniform(0.5, 1.0)}
                 if rng.random() < 0.5 else {"type": "exponential", "L": L, "k": k})
    else:
        curve = ({"type": "hill", "L": L, "k": k, "a": rng.uniform(1.5, 3.5)}
                 if rng.random() < 0.8 else {"type": "exponential", "L": L, "k": k})
    return {"name": f"m{i}", "curve": curve, "value_per_lead": v, "lo": 0.0,
            "hi": rng.uniform(2.0, 6.0) * k, "notes": "generated"}


def problem(n, mix, objective, seed):
    rng = random.Random(seed)
    mods = [module(rng, i, mix) for i in range(n)]
    budget = 0.6 * sum(m["curve"]["k"] for m in mods)
    capacity = 0.3 * sum(m["curve"]["L"] for m in mods) if objective.endswith("capacity") else None
    return {
        "format": "allocation-problem/v1",
        "id": f"{objective}-{mix}-{n}",
        "objective": objective,
        "constraints": {"budget": budget,
                        "budget_type": "eq" if objective == "max_response_fixed_budget" else "le",
                        "lead_capacity": capacity},
        "modules": mods,
        "meta": {"seed": seed, "generator": "benches/slsqp/generate.py"},
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "problems")
    os.makedirs(out, exist_ok=True)
    seed = 12345
    for objective in ("max_response_fixed_budget", "max_profit", "max_profit_lead_capacity"):
        for mix in ("concave", "sshape"):
            for n in (10, 100, 1000):
                seed += 1
                p = problem(n, mix, objective, seed)
                with open(os.path.join(out, p["id"] + ".json"), "w") as f:
                    json.dump(p, f)
    print(out)


if __name__ == "__main__":
    main()
