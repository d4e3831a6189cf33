//! Labelled shadow prices (issue 12): every multiplier of the plan optimum and the optimum over
//! time names its constraint — which capacity, which team in which period, which group.

use offergraph::optimize::{Constraint, Limit, Measure, Objective, SolveOptions};
use offergraph::time::{TimeConstraint, TimeOptimizeOptions};
use offergraph::{GroupBy, OptimizePolicy, PartKind, Scenario, Selector};

fn policy(desk: f64) -> OptimizePolicy {
    let search = Selector::new(GroupBy::Part(PartKind::Channel), "search");
    let social = Selector::new(GroupBy::Part(PartKind::Channel), "social");
    OptimizePolicy::new(Objective::MaxProfit)
        .with_capacity("desk", Some(search), Measure::Leads, desk)
        .with_cap(social, Limit::Money(5_000.0))
}

#[test]
fn the_plan_optimum_labels_every_multiplier_and_the_desk_price_is_the_marginal_value() {
    let plan = offergraph::sample::apartments().unwrap();
    let best = plan.optimize(&policy(40.0)).unwrap();
    let prices = best.shadow_prices();
    let labels: Vec<String> = prices.iter().map(|p| p.constraint.to_string()).collect();
    assert_eq!(labels, ["budget", "capacity \"desk\"", "group channel \"social\""]);
    let s = best.solution();
    assert_eq!(prices[1].value, s.capacity_multipliers[0]);
    assert_eq!(prices[2].value, s.group_multipliers[0]);
    // One more lead of desk capacity is worth its price (central difference).
    let (lo, hi) = (plan.optimize(&policy(39.5)).unwrap(), plan.optimize(&policy(40.5)).unwrap());
    let slope = hi.solution().objective - lo.solution().objective;
    assert!(prices[1].value > 1.0, "the desk binds: {}", prices[1].value);
    assert!((slope - prices[1].value).abs() <= 1e-3 * prices[1].value, "{slope} vs {}", prices[1].value);
    // The social cap binds too: its price is the marginal ROMI it holds back.
    assert!(prices[2].value > 0.0);
    assert!(matches!(&prices[2].constraint, Constraint::Group { name } if name == "channel \"social\""));
}

#[test]
fn the_time_optimum_labels_each_capacity_by_team_and_period() {
    let path = format!("{}/tests/cases/b2b-12-weeks.json", env!("CARGO_MANIFEST_DIR"));
    let scenario = Scenario::load(path).unwrap();
    let model = scenario.time().unwrap();
    let options = TimeOptimizeOptions::new()
        .with_objective(Objective::MaxProfit)
        .with_solve_options(SolveOptions::new());
    let best = model.optimize(scenario.plan(), options).unwrap();
    let prices = best.shadow_prices();
    assert_eq!(prices[0].constraint, TimeConstraint::Budget);
    assert_eq!(prices.len(), 13);
    let sales = best.evaluation().team("sales").unwrap();
    for (t, p) in prices[1..].iter().enumerate() {
        assert_eq!(p.constraint, TimeConstraint::Capacity { team: "sales".into(), period: t });
        assert_eq!(p.value, best.solution().capacity_multipliers[t]);
        // Complementary slackness: a week with room has no price; a priced week is full.
        if p.value > 1e-6 {
            assert!((sales.arrivals[t] - sales.capacity[t]).abs() <= 1e-6 * sales.capacity[t], "period {t}");
        } else {
            assert!(p.value >= -1e-9, "period {t}: {}", p.value);
        }
    }
    assert!(prices[1..].iter().any(|p| p.value > 100.0), "the desk binds in some week: {prices:?}");
}

#[test]
fn period_caps_are_labelled_by_period() {
    let plan = offergraph::sample::apartments().unwrap();
    let model = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(3).unwrap());
    let options = TimeOptimizeOptions::new().with_period_caps(vec![10_000.0, 20_000.0, 30_000.0]);
    let best = model.optimize(&plan, options).unwrap();
    let labels: Vec<String> = best.shadow_prices().iter().map(|p| p.constraint.to_string()).collect();
    assert_eq!(
        labels,
        ["budget", "spending cap of period 0", "spending cap of period 1", "spending cap of period 2"]
    );
    // The first week's cap of 10 000 binds: spending there is worth more than the budget price.
    assert!(best.shadow_prices()[1].value > 0.0);
}

#[test]
fn a_solution_read_against_another_problem_is_refused() {
    use offergraph::curves::Exponential;
    use offergraph::optimize::{Activity, Capacity, Problem};
    let mut p = Problem::new(Objective::MaxProfit);
    p.add_module(Activity::new("a", Exponential::new(100.0, 50.0).unwrap().into(), 3.0).unwrap()).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    p.add_capacity(Capacity::new("desk", vec![0], Measure::Leads, 5.0)).unwrap();
    assert_eq!(
        s.shadow_prices(&p).unwrap_err().to_string(),
        "the solution has 0 capacity multipliers, but the problem has 1; read a solution against the problem it solves"
    );
}
