//! Reading actuals: CSV and JSON, columns in any order, and every rule's exact message.

use super::fixtures::one_module;
use offergraph::actuals::Actuals;
use offergraph::time::{Horizon, TimeModel};

const HEAD: &str = "period,module,spend,leads,deals,revenue";

fn err_csv(body: &str) -> String {
    let plan = one_module(4);
    let time = TimeModel::new(Horizon::weeks(4).expect("valid"));
    Actuals::from_csv("w.csv", body, &plan, Some(&time)).expect_err("invalid").to_string()
}

#[test]
fn csv_columns_in_any_order_with_optional_ones() {
    let plan = one_module(4);
    let time = TimeModel::new(Horizon::weeks(4).expect("valid"));
    let csv = "revenue,deals,gross_profit,leads,processed,spend,module,period\n\
               1000, 1, 400, 10, 9, 1000, m0, 2\n";
    let a = Actuals::from_csv("w.csv", csv, &plan, Some(&time)).expect("valid");
    let row = a.module(&plan, "m0").expect("module");
    assert!(row[0].is_none() && row[1].is_none() && row[3].is_none()); // missing rows: no data
    let o = row[2].expect("data");
    assert_eq!((o.spend, o.leads, o.deals, o.revenue), (1_000.0, 10.0, 1.0, 1_000.0));
    assert_eq!((o.processed, o.gross_profit), (Some(9.0), Some(400.0)));
    assert_eq!(a.as_of_period(), 2);
}

#[test]
fn json_rows_read_like_csv_rows() {
    let plan = one_module(4);
    let time = TimeModel::new(Horizon::weeks(4).expect("valid"));
    let json = r#"[{"period": 1, "module": "m0", "spend": 1000, "leads": 10, "deals": 2, "revenue": 2000}]"#;
    let a = Actuals::from_json("w.json", json, &plan, Some(&time)).expect("valid");
    assert_eq!(a.module(&plan, "m0").expect("module")[1].map(|o| o.deals), Some(2.0));
    let bad = r#"[{"period": 1, "module": "m0", "spend": 1000, "leads": null, "deals": 2, "revenue": 2000}]"#;
    let err = Actuals::from_json("w.json", bad, &plan, Some(&time)).expect_err("null");
    assert_eq!(
        err.to_string(),
        "w.json, row 1, column \"leads\": the cell is empty; give a value, or leave the whole row out for \"no data\""
    );
    let extra =
        r#"[{"period": 1, "module": "m0", "spend": 1, "leads": 1, "deals": 0, "revenue": 0, "note": 1}]"#;
    let err = Actuals::from_json("w.json", extra, &plan, Some(&time)).expect_err("unknown");
    assert!(err.to_string().starts_with("w.json, row 1, column \"note\": unknown column"), "{err}");
    let text = r#"[{"period": 1, "module": "m0", "spend": "lots", "leads": 1, "deals": 0, "revenue": 0}]"#;
    let err = Actuals::from_json("w.json", text, &plan, Some(&time)).expect_err("text");
    assert_eq!(err.to_string(), "w.json, row 1, column \"spend\": expected a number, found \"\"lots\"\"");
}

#[test]
fn every_rule_names_file_row_and_column() {
    let cases = [
        (
            format!("{HEAD}\n0,m0,1000,10,1,1000\n1,m0,-5,10,1,1000\n"),
            "w.csv, row 2, column \"spend\": must be 0 or a number in [1e-6, 1e15], found -5",
        ),
        (
            format!("{HEAD}\n0,m0,1000,10,4,1000\n1,m0,1000,2,9,1000\n"),
            "w.csv, row 2, column \"deals\": deals to date is 13, more than leads to date, 12",
        ),
        (
            format!("{HEAD}\n0,x,1000,10,1,1000\n"),
            "w.csv, row 1, column \"module\": the plan has no module \"x\"",
        ),
        (
            format!("{HEAD}\n0,m0,1000,10,1,1000\n0,m0,1000,10,1,1000\n"),
            "w.csv, row 2, column \"period\": period 0 of module \"m0\" was already given in row 1; give one row per period and module",
        ),
        (
            format!("{HEAD}\n4,m0,1000,10,1,1000\n"),
            "w.csv, row 1, column \"period\": period 4 is outside the plan's horizon of 4 period(s), 0 to 3",
        ),
        (
            format!("{HEAD}\n0,m0,,10,1,1000\n"),
            "w.csv, row 1, column \"spend\": the cell is empty; give a value, or leave the whole row out for \"no data\"",
        ),
        (
            format!("{HEAD}\n1.5,m0,1000,10,1,1000\n"),
            "w.csv, row 1, column \"period\": expected a 0-based period index (a whole number), found \"1.5\"",
        ),
        (
            format!("{HEAD}\n0,m0,NaN,10,1,1000\n"),
            "w.csv, row 1, column \"spend\": must be 0 or a number in [1e-6, 1e15], found NaN",
        ),
        (
            format!("{HEAD},gross_profit\n0,m0,1000,10,1,1000,1200\n"),
            "w.csv, row 1, column \"gross_profit\": gross_profit in the row is 1200, more than revenue in the row, 1000",
        ),
        (
            format!("{HEAD},processed\n0,m0,1000,10,1,1000,11\n"),
            "w.csv, row 1, column \"processed\": processed to date is 11, more than leads to date, 10",
        ),
        (
            "period,module,spend,leads,deals\n".to_owned(),
            "w.csv: the column \"revenue\" is missing; the table needs period, module, spend, leads, deals and revenue",
        ),
        (format!("{HEAD},leads\n"), "w.csv, row 0, column \"leads\": the column is named twice"),
        (format!("{HEAD}\n"), "w.csv: the table has no rows; give at least one period of one module"),
    ];
    for (csv, message) in cases {
        assert_eq!(err_csv(&csv), message, "{csv}");
    }
}

#[test]
fn a_plan_without_time_has_one_period() {
    let plan = one_module(1);
    let a =
        Actuals::from_csv("w.csv", &format!("{HEAD}\n0,m0,1000,10,1,1000\n"), &plan, None).expect("valid");
    assert_eq!(a.periods(), 1);
    let err =
        Actuals::from_csv("w.csv", &format!("{HEAD}\n1,m0,1000,10,1,1000\n"), &plan, None).expect_err("out");
    assert_eq!(
        err.to_string(),
        "w.csv, row 1, column \"period\": period 1 is outside the plan's horizon of 1 period(s), 0 to 0"
    );
}

/// A JSON table that does not parse names the line and column where the parser stopped, once,
/// as plan and problem files do (it carried serde's own "… at line 2 column 16").
#[test]
fn malformed_json_is_located_like_plan_files() {
    let plan = one_module(4);
    let err = Actuals::from_json("w.json", "[\n  {\"period\": 1,,}\n]", &plan, None).expect_err("syntax");
    assert_eq!(err.to_string(), "w.json: invalid JSON at line 2, column 16: key must be a string");
    let err = Actuals::from_json("w.json", "[\n  {\"period\": 1}", &plan, None).expect_err("unclosed");
    assert_eq!(err.to_string(), "w.json: invalid JSON at line 2, column 15: EOF while parsing a list");
}
