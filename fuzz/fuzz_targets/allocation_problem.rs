//! `allocation-problem/v2` and `v1` files: any text `ProblemFile::from_json` and `to_problem` accept must
//! solve (with bounded work, as `examples/solve.rs` does) without panicking, and an `Ok`
//! solution's objective, upper bound, spends, leads and multipliers must be finite.
#![no_main]

use libfuzzer_sys::fuzz_target;
use offergraph::file::ProblemFile;
use offergraph_fuzz as check;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(problem) = ProblemFile::from_json(text).and_then(|f| f.to_problem()) else { return };
    if let Ok(s) = problem.solve(check::solve_options()) {
        check::solution("solve", &s);
    }
});
