//! Reading an actuals table from CSV or JSON text: the same columns either way, checked the
//! same way ([`Actuals::build`]).

use std::path::Path;

use serde_json::Value;

use crate::Plan;
use crate::actuals::table::{Actuals, Columns, Located, OPTIONAL, Observation, REQUIRED, column_index};
use crate::error::{ActualsError, Cell};
use crate::time::TimeModel;

const PERIOD: &str = "a 0-based period index (a whole number)";
const NUMBER: &str = "a number";
const KEY: &str = "a module key (a string)";

impl Actuals {
    /// Reads a CSV table: a header row naming the columns in any order —
    /// `period,module,spend,leads,deals,revenue` required, `processed` and `gross_profit`
    /// optional — then one row per module and period. `name` stands for the file in messages.
    ///
    /// # Errors
    /// [`ActualsError`] naming `name`, the row and the column: malformed CSV, a missing,
    /// unknown or repeated column (row 0 is the header), an empty cell, a value that is not a
    /// number, and every rule of [`Actuals::from_rows`].
    ///
    /// ```
    /// use offergraph::actuals::Actuals;
    /// let plan = offergraph::sample::apartments()?;
    /// let csv = "period,module,spend,leads,deals,revenue,notes\n";
    /// let err = Actuals::from_csv("w.csv", csv, &plan, None).unwrap_err();
    /// assert_eq!(err.to_string(), "w.csv, row 0, column \"notes\": unknown column; the columns are period, module, spend, leads, deals, revenue, processed and gross_profit");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_csv(
        name: &str,
        text: &str,
        plan: &Plan,
        time: Option<&TimeModel>,
    ) -> Result<Actuals, ActualsError> {
        let mut reader =
            csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(text.as_bytes());
        let header = reader.headers().map_err(|e| malformed(name, &e))?.clone();
        let mut columns = Columns::new();
        for (j, title) in header.iter().enumerate() {
            let at = Cell::new(name, 0, title);
            let Some(c) = column_index(title) else { return Err(ActualsError::UnknownColumn { at }) };
            if columns.insert(c, j).is_some() {
                return Err(ActualsError::DuplicateColumn { at });
            }
        }
        for (c, column) in REQUIRED.iter().enumerate() {
            if !columns.contains_key(&c) {
                return Err(ActualsError::MissingColumn { file: name.to_owned(), column });
            }
        }
        let mut rows = Vec::new();
        for (k, record) in reader.records().enumerate() {
            let record = record.map_err(|e| malformed(name, &e))?;
            let row = k + 1;
            let text_of = |c: usize| -> Result<Option<&str>, ActualsError> {
                let Some(&j) = columns.get(&c) else { return Ok(None) };
                let cell = record.get(j).unwrap_or_default();
                if cell.is_empty() {
                    return Err(ActualsError::EmptyCell { at: Cell::new(name, row, column_name(c)) });
                }
                Ok(Some(cell))
            };
            let number = |c: usize| -> Result<Option<f64>, ActualsError> {
                text_of(c)?
                    .map(|s| s.parse::<f64>().map_err(|_| not_a_number(name, row, c, s, NUMBER)))
                    .transpose()
            };
            let period = text_of(0)?.unwrap_or_default();
            let period = period.parse::<usize>().map_err(|_| not_a_number(name, row, 0, period, PERIOD))?;
            let module = text_of(1)?.unwrap_or_default().to_owned();
            rows.push(Located { row, period, module, observation: observation(&number)? });
        }
        Actuals::build(name, rows, plan, time)
    }

    /// Reads a JSON table: an array of objects with the columns of [`Actuals::from_csv`] as
    /// fields (`period` a whole number, `module` a string, the rest numbers).
    ///
    /// # Errors
    /// As [`Actuals::from_csv`]; a `null` is an empty cell.
    ///
    /// ```
    /// use offergraph::actuals::Actuals;
    /// let plan = offergraph::sample::apartments()?;
    /// let json = r#"[{"period": 0, "module": "families/playground/2-room/search",
    ///                 "spend": 9000, "leads": 4, "deals": 1, "revenue": 95000, "gross_profit": 19000}]"#;
    /// let actuals = Actuals::from_json("w.json", json, &plan, None)?;
    /// let row = actuals.module(&plan, "families/playground/2-room/search")?[0].unwrap();
    /// assert_eq!(row.gross_profit, Some(19_000.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(
        name: &str,
        text: &str,
        plan: &Plan,
        time: Option<&TimeModel>,
    ) -> Result<Actuals, ActualsError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            let (message, line, column) = crate::error::json::locate(text, &e);
            ActualsError::Json { file: name.to_owned(), message, line, column }
        })?;
        let Value::Array(items) = value else {
            return Err(ActualsError::Malformed {
                file: name.to_owned(),
                reason: "expected an array of row objects".into(),
            });
        };
        let mut rows = Vec::with_capacity(items.len());
        for (k, item) in items.iter().enumerate() {
            let row = k + 1;
            let Value::Object(fields) = item else {
                return Err(ActualsError::Malformed {
                    file: name.to_owned(),
                    reason: format!("row {row} is not an object"),
                });
            };
            for key in fields.keys() {
                if column_index(key).is_none() {
                    return Err(ActualsError::UnknownColumn { at: Cell::new(name, row, key.as_str()) });
                }
            }
            let field = |c: usize| -> Result<Option<&Value>, ActualsError> {
                match fields.get(column_name(c)) {
                    None if c < REQUIRED.len() => Err(ActualsError::Malformed {
                        file: name.to_owned(),
                        reason: format!("row {row} has no \"{}\"", column_name(c)),
                    }),
                    None => Ok(None),
                    Some(Value::Null) => {
                        Err(ActualsError::EmptyCell { at: Cell::new(name, row, column_name(c)) })
                    }
                    Some(v) => Ok(Some(v)),
                }
            };
            let number = |c: usize| -> Result<Option<f64>, ActualsError> {
                field(c)?
                    .map(|v| v.as_f64().ok_or_else(|| not_a_number(name, row, c, &v.to_string(), NUMBER)))
                    .transpose()
            };
            let period = field(0)?.unwrap_or(&Value::Null);
            let period = period
                .as_u64()
                .and_then(|p| usize::try_from(p).ok())
                .ok_or_else(|| not_a_number(name, row, 0, &period.to_string(), PERIOD))?;
            let module = field(1)?.unwrap_or(&Value::Null);
            let module = module
                .as_str()
                .ok_or_else(|| not_a_number(name, row, 1, &module.to_string(), KEY))?
                .to_owned();
            rows.push(Located { row, period, module, observation: observation(&number)? });
        }
        Actuals::build(name, rows, plan, time)
    }

    /// Reads a table from a file: JSON when its name ends in `.json`, CSV otherwise. Messages
    /// name the file by its path.
    ///
    /// # Errors
    /// [`ActualsError::Io`] when the file cannot be read; otherwise as [`Actuals::from_csv`]
    /// and [`Actuals::from_json`].
    ///
    /// ```
    /// let plan = offergraph::sample::apartments()?;
    /// let err = offergraph::actuals::Actuals::load("no/such.csv", &plan, None).unwrap_err();
    /// assert!(err.to_string().starts_with("no/such.csv: cannot be read: "));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load(
        path: impl AsRef<Path>,
        plan: &Plan,
        time: Option<&TimeModel>,
    ) -> Result<Actuals, ActualsError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ActualsError::Io { file: name.clone(), reason: e.to_string() })?;
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            Actuals::from_json(&name, &text, plan, time)
        } else {
            Actuals::from_csv(&name, &text, plan, time)
        }
    }
}

/// The figures of a row from its cells by column index (required columns are known present).
fn observation(
    number: &dyn Fn(usize) -> Result<Option<f64>, ActualsError>,
) -> Result<Observation, ActualsError> {
    let required = |c| number(c).map(Option::unwrap_or_default);
    let mut o = Observation::new(required(2)?, required(3)?, required(4)?, required(5)?);
    o.processed = number(6)?;
    o.gross_profit = number(7)?;
    Ok(o)
}

fn column_name(c: usize) -> &'static str {
    REQUIRED.iter().chain(OPTIONAL.iter()).nth(c).copied().unwrap_or_default()
}

fn not_a_number(name: &str, row: usize, c: usize, found: &str, expected: &'static str) -> ActualsError {
    ActualsError::NotANumber { at: Cell::new(name, row, column_name(c)), found: found.to_owned(), expected }
}

fn malformed(name: &str, e: &dyn std::fmt::Display) -> ActualsError {
    ActualsError::Malformed { file: name.to_owned(), reason: e.to_string() }
}
