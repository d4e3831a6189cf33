//! The seeded allocation problems of the optimizer's benches (`optimize`, `spatial_sweep`):
//! random Hill and exponential curves, overlapping channel caps and region floors, sales teams.

#![allow(dead_code)] // each bench uses its own subset

use offergraph::curves::{Exponential, Hill, ResponseCurve};
use offergraph::optimize::{Activity, Budget, Capacity, Group, Limit, Measure, Objective, Problem};

use crate::common::Lcg;

/// `n` modules from `seed`: with `sshape`, 80% S-curves (Hill `a ∈ [1.5, 3.5]`), the rest
/// concave; a budget of 60% of the curves' half-saturation spends, at most for max profit and
/// spent exactly for the other objectives.
pub fn fixture(n: usize, sshape: bool, objective: Objective, seed: u64) -> Problem {
    let mut g = Lcg(seed);
    let mut p = Problem::new(objective);
    let mut ksum = 0.0;
    for i in 0..n {
        let l = g.range(100.0, 2000.0);
        let k = g.range(1000.0, 20000.0);
        ksum += k;
        let curve: ResponseCurve = if sshape && g.next() < 0.8 {
            Hill::new(l, k, g.range(1.5, 3.5)).unwrap().into()
        } else if g.next() < 0.5 {
            Hill::new(l, k, g.range(0.5, 1.0)).unwrap().into()
        } else {
            Exponential::new(l, k).unwrap().into()
        };
        let hi = g.range(2.0, 6.0) * k;
        let v = g.range(5.0, 60.0);
        p.add_module(Activity::new(format!("m{i}"), curve, v).unwrap().with_bounds(0.0, hi).unwrap())
            .unwrap();
    }
    let b = 0.6 * ksum;
    let kind =
        if matches!(objective, Objective::MaxProfit) { Budget::at_most(b) } else { Budget::exactly(b) };
    p.set_budget(kind).unwrap();
    p
}

/// Channel caps and region floors that overlap: 4 channels (`i % 4`; channel 0 at most 15% of
/// the budget, the others 40%) and 5 regions (`i % 5`; region 0 at least 25%, the others 5%).
pub fn with_groups(mut p: Problem) -> Problem {
    let n = p.len();
    for ch in 0..4 {
        let m: Vec<usize> = (0..n).filter(|i| i % 4 == ch).collect();
        let cap = Limit::Share(if ch == 0 { 0.15 } else { 0.4 });
        p.add_group(Group::new(format!("channel {ch}"), m).with_cap(cap)).unwrap();
    }
    for r in 0..5 {
        let m: Vec<usize> = (0..n).filter(|i| i % 5 == r).collect();
        let floor = Limit::Share(if r == 0 { 0.25 } else { 0.05 });
        p.add_group(Group::new(format!("region {r}"), m).with_floor(floor)).unwrap();
    }
    p
}

/// One sales team for every module, able to take 30% of the curves' saturation levels (binds).
pub fn with_lead_capacity(mut p: Problem) -> Problem {
    use offergraph::curves::Curve;
    let n = p.len();
    let most: f64 = p.modules().iter().map(|m| m.curve().max_leads()).sum();
    p.add_capacity(Capacity::new("sales", (0..n).collect(), Measure::Leads, 0.3 * most)).unwrap();
    p
}

/// Five sales teams that overlap (team `k` takes the modules with `i % 5 == k` or
/// `i % 7 == k`), each able to take 30% of its members' saturation levels (they bind).
pub fn with_capacities(mut p: Problem) -> Problem {
    use offergraph::curves::Curve;
    let n = p.len();
    for k in 0..5 {
        let m: Vec<usize> = (0..n).filter(|i| i % 5 == k || i % 7 == k).collect();
        let most: f64 = m.iter().map(|&i| p.modules()[i].curve().max_leads()).sum();
        p.add_capacity(Capacity::new(format!("team {k}"), m, Measure::Leads, 0.3 * most)).unwrap();
    }
    p
}
