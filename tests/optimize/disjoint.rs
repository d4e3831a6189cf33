//! Disjoint capacities: the separable dual against the general one.

use super::general::CapSpec;
use super::*;

/// Modules split among `teams` disjoint capacities (team `t % (teams + 1) == teams` feeds none),
/// each limit a share of the leads its members bring at a reference split (a team without
/// members, or whose limit would fall below the accepted range, has no capacity).
fn disjoint_capacities(
    mods: &[(ResponseCurve, f64, f64, f64)],
    team: &[usize],
    teams: usize,
    share: f64,
    tight: f64,
) -> (Problem, Vec<CapSpec>) {
    use offergraph::curves::Curve;
    let x: Vec<f64> = mods.iter().map(|m| m.2 + share * (m.3 - m.2)).collect();
    let mut p = build(mods, Objective::MaxProfit, Some(Budget::at_most(x.iter().sum())));
    let mut caps = Vec::new();
    for t in 0..teams {
        let members: Vec<usize> = (0..mods.len()).filter(|&i| team[i] % (teams + 1) == t).collect();
        let minimum: f64 = members.iter().map(|&i| mods[i].0.leads(mods[i].2)).sum();
        let reference: f64 = members.iter().map(|&i| mods[i].0.leads(x[i])).sum();
        let limit = minimum + tight * (reference - minimum);
        if members.is_empty() || limit < 1e-6 {
            // no members, or a limit below the smallest count a capacity accepts (a random seed
            // drew one): the team is left out
            continue;
        }
        p.add_capacity(Capacity::new(format!("team {t}"), members.clone(), Measure::Leads, limit)).unwrap();
        caps.push((members, limit));
    }
    (p, caps)
}

/// The modules, the problem over them and its capacities.
type Case = (Vec<(ResponseCurve, f64, f64, f64)>, Problem, Vec<CapSpec>);

/// Modules on `curve`s with their disjoint capacities, as [`disjoint_capacities`] builds them.
fn disjoint_case(curve: impl Strategy<Value = ResponseCurve>) -> impl Strategy<Value = Case> {
    (modules(curve), prop::collection::vec(0usize..4, 8), 2usize..4, 0.05..0.95f64, 0.1..1.2f64).prop_map(
        |(mods, team, teams, share, tight)| {
            let (p, caps) = disjoint_capacities(&mods, &team, teams, share, tight);
            (mods, p, caps)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Several capacities with disjoint members take the separable path: optimal on concave
    /// curves, every constraint honoured, complementary slackness, and never below the general
    /// dual's answer on the same problem (which a redundant group forces).
    #[test]
    fn disjoint_capacities_are_optimal_and_match_the_general_dual(
        (mods, p, caps) in disjoint_case(any_concave()),
    ) {
        use offergraph::curves::Curve;
        let s = p.solve(SolveOptions::new()).unwrap();
        prop_assert!(s.status.is_optimal(), "{:?} gap {}", s.status, s.gap());
        prop_assert!(s.kkt_residual <= 1e-7, "kkt {}", s.kkt_residual);
        prop_assert!(s.total_spend() <= p.budget().unwrap().amount * (1.0 + 1e-12));
        for (x, m) in s.spend.iter().zip(&mods) {
            prop_assert!(*x >= m.2 && *x <= m.3);
        }
        prop_assert_eq!(s.capacity_multipliers.len(), caps.len());
        for (k, (members, limit)) in caps.iter().enumerate() {
            let used: f64 = members.iter().map(|&i| mods[i].0.leads(s.spend[i])).sum();
            prop_assert!(used <= limit * (1.0 + 1e-12), "team {k}: {used} > {limit}");
            let mu = s.capacity_multipliers[k];
            prop_assert!(mu >= 0.0);
            if mu > 1e-7 {
                prop_assert!(close_to(used, *limit, 1e-7), "team {k}: multiplier {mu} but {used} < {limit}");
            }
        }
        prop_assert!(close_to(value_of(&p, &s.spend, 1.0, |m| m.value_per_lead()), s.objective, 1e-9));
        let mut g = p.clone();
        let all: Vec<usize> = (0..mods.len()).collect();
        g.add_group(Group::new("everything", all).with_cap(Limit::Money(1e15))).unwrap();
        if let Ok(general) = g.solve(SolveOptions::new()) {
            prop_assert!(s.objective >= general.objective - 1e-7 * general.objective.abs().max(1.0),
                "separable {} below general {}", s.objective, general.objective);
            prop_assert!(s.objective <= general.upper_bound + 1e-9 * general.upper_bound.abs().max(1.0));
        }
        prop_assert_eq!(&p.solve(SolveOptions::new()).unwrap(), &s);
    }

    /// The same on S-curves: feasible, bounded, and certified to the requested gap.
    #[test]
    fn disjoint_capacities_on_s_curves_are_certified(
        (mods, p, caps) in disjoint_case(any_s_curve()),
    ) {
        use offergraph::curves::Curve;
        let s = p.solve(SolveOptions::new().with_tolerance(1e-6)).unwrap();
        prop_assert!(s.status.is_optimal(), "{:?} gap {}", s.status, s.gap());
        prop_assert!(s.gap() <= 1e-6 * s.objective.abs().max(1.0));
        prop_assert!(s.total_spend() <= p.budget().unwrap().amount * (1.0 + 1e-12));
        for (members, limit) in &caps {
            let used: f64 = members.iter().map(|&i| mods[i].0.leads(s.spend[i])).sum();
            prop_assert!(used <= limit * (1.0 + 1e-12), "{used} > {limit}");
        }
        prop_assert!(close_to(value_of(&p, &s.spend, 1.0, |m| m.value_per_lead()), s.objective, 1e-9));
    }
}
