//! The spatial branch and bound on many small problems: forty seeds of the
//! `sshape_groups_capacities` shape (20 modules, 80% S-curves, four channel caps, five region
//! floors, five overlapping sales teams) under three objectives, each solved once after a
//! warm-up run. It prints, per objective, the median, 90th percentile and slowest solve, how
//! many take over 100 ms, and the nodes; criterion's means hide exactly these tails.
//!
//! `cargo bench --bench spatial_sweep` (`-- N SEEDS` for another size or number of seeds).

use std::time::Instant;

use offergraph::optimize::{Measure, Objective, SolveOptions, Status};

#[path = "../tests/common.rs"]
mod common;
#[path = "support/fixtures.rs"]
mod fixtures;
use fixtures::{fixture, with_capacities, with_groups};

fn main() {
    // cargo passes `--bench` to a bench without criterion: the numbers are the ones after it
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(20);
    let seeds = args.get(1).copied().unwrap_or(40) as u64;
    let objectives = [
        ("max_profit", Objective::MaxProfit),
        ("max_gross_profit_fixed_budget", Objective::MaxValueFixedBudget { measure: Measure::GrossProfit }),
        ("target_marginal_romi_0.5", Objective::TargetMarginalRomi(0.5)),
    ];
    println!("spatial/sweep/{n}x{seeds}: ms per solve (median, p90, max), solves over 100 ms, nodes");
    for (name, objective) in objectives {
        let mut ms = Vec::new();
        let mut nodes = 0;
        let mut not_optimal = 0;
        for seed in 1..=seeds {
            let p = with_capacities(with_groups(fixture(n, true, objective, seed)));
            p.solve(SolveOptions::new()).expect("feasible");
            let start = Instant::now();
            let s = p.solve(SolveOptions::new()).expect("feasible");
            ms.push(start.elapsed().as_secs_f64() * 1e3);
            nodes += s.nodes;
            not_optimal += usize::from(s.status != Status::Optimal);
        }
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        let over = ms.iter().filter(|&&t| t > 100.0).count();
        println!(
            "{name:>30}: median {:6.1}  p90 {:6.1}  max {:6.1}  over 100 ms {over:2}/{seeds}  nodes {nodes}  not optimal {not_optimal}",
            at(0.5),
            at(0.9),
            at(1.0)
        );
    }
}
