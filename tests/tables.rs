//! Text tables size their columns to their content (issue 12: keys of 50–68 characters were cut
//! to a 44-character column and every row was misaligned).

use offergraph::{Scenario, ScenarioDiff};

fn b2b() -> Scenario {
    Scenario::load(format!("{}/tests/cases/b2b-12-weeks.json", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Where (in characters) a line's second column ends: every line of an aligned table ends it
/// at the same place.
fn second_column_end(line: &str) -> usize {
    let key_end = line.find(' ').unwrap();
    let rest = &line[key_end..];
    let start = rest.find(|c: char| c != ' ').unwrap();
    let width = rest[start..].find(' ').unwrap_or(rest.len() - start);
    line[..key_end].chars().count() + start + width
}

#[test]
fn the_evaluation_table_fits_the_longest_key_and_keeps_every_row_aligned() {
    let scenario = b2b();
    let plan = scenario.plan();
    let table = plan.evaluate().unwrap().table(plan).unwrap();
    let longest = plan.modules().map(|m| m.key().chars().count()).max().unwrap();
    assert_eq!(longest, 60, "longer than the 44 characters tables used to cut keys to");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 1 + 24 + 1);
    for m in plan.modules() {
        assert!(lines.iter().any(|l| l.starts_with(&format!("{} ", m.key()))), "{} is cut", m.key());
    }
    let ends: Vec<usize> = lines[..lines.len() - 1].iter().map(|l| second_column_end(l)).collect();
    assert!(ends.iter().all(|&e| e == longest + 4), "{ends:?}\n{table}");
    // Every module row is as long as the header.
    let width = lines[0].chars().count();
    assert!(lines[1..25].iter().all(|l| l.chars().count() == width), "{table}");
}

#[test]
fn the_scenario_diff_and_the_period_diff_align_long_keys() {
    let before = b2b();
    let mut after = before.clone();
    let key = "guangdong-manufacturing/manufacturing-uptime/premium/search";
    after.edit(|p| p.set_module_enabled(key, false)).unwrap();
    let (a, b) = (before.plan().evaluate().unwrap(), after.plan().evaluate().unwrap());
    let diff = ScenarioDiff::new((before.plan(), &a), (after.plan(), &b)).unwrap().to_string();
    let lines: Vec<&str> = diff.lines().collect();
    let row = lines.iter().find(|l| l.starts_with(&format!("{key} "))).unwrap();
    assert!(row.contains(" switched off "), "{diff}");
    let width = lines[0].chars().count();
    assert!(lines[1..lines.len() - 1].iter().all(|l| l.chars().count() == width), "{diff}");
    let time = before.compare(&after).unwrap().time.unwrap().to_string();
    let lines: Vec<&str> = time.lines().collect();
    assert_eq!(lines.len(), 13);
    assert!(lines.iter().all(|l| l.chars().count() == lines[0].chars().count()), "{time}");
}
