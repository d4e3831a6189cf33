//! Plans of the actuals tests.

use offergraph::curves::{Linear, ResponseCurve};
use offergraph::{Channel, ModuleSpec, Money, Offer, Plan, Segment, ValueProposition};

/// One module "m": CPL 100 (linear), conversion 0.2, deal value 1000, margin 0.5; budget
/// `1000 × weeks`, so an even week spends 1000 and brings 10 leads and 2 deals.
pub fn one_module(weeks: usize) -> Plan {
    b2b(1, 100.0, 1_000.0 * weeks as f64)
}

/// `n` modules `m0…`, each its own segment, on one linear channel of CPL `cpl`: conversion 0.2,
/// deal value 1000, margin 0.5, equal shares of `budget`.
pub fn b2b(n: usize, cpl: f64, budget: f64) -> Plan {
    with_curve(n, Linear::new(cpl, None).expect("valid").into(), budget)
}

/// `n` modules as [`b2b`], on a channel with the given curve.
pub fn with_curve(n: usize, curve: ResponseCurve, budget: f64) -> Plan {
    let mut plan = Plan::new("b2b", Money::new(budget).expect("valid"));
    let keys: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
    for k in &keys {
        plan.add_part(Segment::new(k.as_str(), 1_000.0, 0.2).expect("valid")).expect("new");
    }
    plan.add_part(ValueProposition::new("fast", 1.0, keys.clone()).expect("valid")).expect("new");
    plan.add_part(Offer::new("install", 1_000.0, 0.5, 1.0).expect("valid")).expect("new");
    plan.add_part(Channel::new("search", curve, 1_000.0).expect("valid")).expect("new");
    for (i, k) in keys.iter().enumerate() {
        plan.add_module(ModuleSpec::new(k.as_str(), "fast", "install", "search").with_key(format!("m{i}")))
            .expect("new");
    }
    plan
}
