//! Scenario files with an `uncertainty` section: any text `Scenario::from_json` accepts must run
//! the Monte Carlo (a few draws, statically and over time when the file has a time section)
//! without panicking, and every figure of an `Ok` run must be finite, its percentiles in order
//! and its probabilities in `[0, 1]`; the same seed must give the same run. Errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use offergraph::Scenario;
use offergraph::uncertainty::MonteCarlo;
use offergraph_fuzz as check;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(scenario) = Scenario::from_json(text) else { return };
    let options = MonteCarlo::new().with_draws(32).with_seed(3).with_target_romi(0.5);
    if let Ok(sim) = scenario.simulate(options) {
        check::simulation("simulate", &sim);
        let again = scenario.simulate(options).expect("a run that succeeded succeeds again");
        assert_eq!(format!("{:?}", again.total()), format!("{:?}", sim.total()), "not reproducible");
    }
    if let Some(Ok(sim)) = scenario.simulate_over_time(MonteCarlo::new().with_draws(8)) {
        check::simulation("simulate_over_time", &sim);
    }
});
