//! Errors raised by the actuals layer: reading and checking an actuals table, and diagnosing a
//! plan against it.

use crate::error::{CurveError, ModelError, TimeError};
use crate::numerics::Shown;

/// Where in an actuals table a value sits: the file (or the name the caller gave the table),
/// the 1-based data row (the header is not counted: row 1 is line 2 of a CSV file) and the
/// column.
///
/// ```
/// use offergraph::error::Cell;
/// let at = Cell::new("week.csv", 3, "leads");
/// assert_eq!(at.to_string(), "week.csv, row 3, column \"leads\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    file: String,
    row: usize,
    column: String,
}

impl Cell {
    /// A cell of `file`, data row `row` (1-based), column `column`.
    ///
    /// ```
    /// let at = offergraph::error::Cell::new("a.json", 1, "period");
    /// assert_eq!((at.file(), at.row(), at.column()), ("a.json", 1, "period"));
    /// ```
    pub fn new(file: impl Into<String>, row: usize, column: impl Into<String>) -> Cell {
        Cell { file: file.into(), row, column: column.into() }
    }

    /// The file, or the name the caller gave the table.
    ///
    /// ```
    /// assert_eq!(offergraph::error::Cell::new("a.csv", 2, "spend").file(), "a.csv");
    /// ```
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based data row (a CSV file's header is not counted).
    ///
    /// ```
    /// assert_eq!(offergraph::error::Cell::new("a.csv", 2, "spend").row(), 2);
    /// ```
    pub fn row(&self) -> usize {
        self.row
    }

    /// The column.
    ///
    /// ```
    /// assert_eq!(offergraph::error::Cell::new("a.csv", 2, "spend").column(), "spend");
    /// ```
    pub fn column(&self) -> &str {
        &self.column
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, row {}, column \"{}\"", self.file, self.row, self.column)
    }
}

/// Why an actuals table cannot be read, or a plan cannot be diagnosed against it.
///
/// # Design
/// Nothing in an actuals table is dropped or repaired silently: every value that cannot be
/// used is an error that names the file, the row and the column ([`Cell`]), the value found
/// and what was expected, so the message points at the cell to fix. Options of the diagnosis
/// are checked the same way. Errors of the time layer (the plan's schedule, its time model)
/// pass through unchanged.
///
/// # Example
/// ```
/// use offergraph::actuals::Actuals;
/// let plan = offergraph::sample::apartments()?;
/// let csv = "period,module,spend,leads,deals,revenue\n0,nowhere,1,1,0,0\n";
/// let err = Actuals::from_csv("week.csv", csv, &plan, None).unwrap_err();
/// assert_eq!(err.to_string(), "week.csv, row 1, column \"module\": the plan has no module \"nowhere\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ActualsError {
    /// The file could not be read.
    #[error("{file}: cannot be read: {reason}")]
    Io {
        /// The file.
        file: String,
        /// What the system said.
        reason: String,
    },
    /// A JSON table that does not parse, where the parser stopped (located as plan and problem
    /// files locate theirs).
    ///
    /// ```
    /// use offergraph::actuals::Actuals;
    /// let plan = offergraph::sample::apartments()?;
    /// let err = Actuals::from_json("w.json", "[\n  {\"period\": 0,,}\n]", &plan, None).unwrap_err();
    /// assert_eq!(err.to_string(), "w.json: invalid JSON at line 2, column 16: key must be a string");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[error("{file}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        /// The file.
        file: String,
        /// The parser's message.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The file is not well-formed CSV, or not of the expected shape.
    #[error("{file}: {reason}")]
    Malformed {
        /// The file.
        file: String,
        /// What is wrong, with the line or row where it was found.
        reason: String,
    },
    /// A required column is missing.
    #[error(
        "{file}: the column \"{column}\" is missing; the table needs period, module, spend, leads, deals and revenue"
    )]
    MissingColumn {
        /// The file.
        file: String,
        /// The column.
        column: &'static str,
    },
    /// A column the table does not know (in the header, or a field of a JSON row).
    #[error(
        "{at}: unknown column; the columns are period, module, spend, leads, deals, revenue, processed and gross_profit"
    )]
    UnknownColumn {
        /// Where.
        at: Cell,
    },
    /// A column named twice in the header.
    #[error("{at}: the column is named twice")]
    DuplicateColumn {
        /// Where (the second time).
        at: Cell,
    },
    /// An empty cell (or a JSON `null`); a missing row, not an empty cell, says "no data".
    #[error("{at}: the cell is empty; give a value, or leave the whole row out for \"no data\"")]
    EmptyCell {
        /// Where.
        at: Cell,
    },
    /// A cell that is not a number (or not a whole number, for `period`).
    #[error("{at}: expected {expected}, found \"{found}\"")]
    NotANumber {
        /// Where.
        at: Cell,
        /// The text found.
        found: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A number outside its accepted range (a negative count or amount, for instance).
    #[error("{at}: must be {expected}, found {}", Shown(*found))]
    OutOfRange {
        /// Where.
        at: Cell,
        /// The value found.
        found: f64,
        /// The accepted range.
        expected: &'static str,
    },
    /// A module key the plan does not have.
    #[error("{at}: the plan has no module \"{key}\"")]
    UnknownModule {
        /// Where.
        at: Cell,
        /// The key found.
        key: String,
    },
    /// Two rows for the same period and module.
    #[error(
        "{at}: period {period} of module \"{module}\" was already given in row {first}; give one row per period and module"
    )]
    Duplicate {
        /// Where (the second row).
        at: Cell,
        /// The period.
        period: usize,
        /// The module.
        module: String,
        /// The row that gave it first.
        first: usize,
    },
    /// A period outside the plan's horizon.
    #[error("{at}: period {period} is outside the plan's horizon of {periods} period(s), 0 to {}", periods - 1)]
    PeriodOutOfRange {
        /// Where.
        at: Cell,
        /// The period found.
        period: usize,
        /// The horizon's number of periods.
        periods: usize,
    },
    /// By this row a module has more of one figure to date than of another that bounds it
    /// (more deals than leads, more leads processed than leads arrived), or a row has more gross
    /// profit than revenue.
    #[error("{at}: {figure} {what} is {}, more than {bound} {what}, {}", Shown(*found), Shown(*limit))]
    Exceeds {
        /// Where.
        at: Cell,
        /// The figure (`deals`).
        figure: &'static str,
        /// The figure that bounds it (`leads`).
        bound: &'static str,
        /// `"to date"` (cumulative over the module's rows up to this one) or `"in the row"`.
        what: &'static str,
        /// The value found.
        found: f64,
        /// The bound.
        limit: f64,
    },
    /// The table has no row at all: there is nothing to diagnose.
    #[error("{file}: the table has no rows; give at least one period of one module")]
    Empty {
        /// The file.
        file: String,
    },
    /// The table was read for another version of the plan (modules added, removed or reordered).
    #[error("the actuals were read for another version of the plan; read them again for this plan")]
    Stale,
    /// The table's horizon differs from the time model's.
    #[error(
        "the actuals cover {found} period(s), but the plan's horizon has {periods}; read them with the same time model"
    )]
    PeriodsDiffer {
        /// The table's periods.
        found: usize,
        /// The time model's periods.
        periods: usize,
    },
    /// An option of the diagnosis outside its range.
    #[error("diagnosis option {option} must be {expected}, found {}", Shown(*found))]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// The value found.
        found: f64,
        /// The accepted range.
        expected: &'static str,
    },
    /// An error of the time layer (the plan's schedule or time model).
    #[error(transparent)]
    Time(#[from] TimeError),
    /// A model error while writing calibrated values into the plan.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// Calibration would scale a module's curve by its lead scale out of the range a plan file
    /// accepts (many leads at almost no spend, say); the plan is left as it was.
    #[error(
        "module \"{module}\": calibrating its curve by the observed lead scale {} leaves the accepted range ({source}); check the module's actuals, or set its curve by hand",
        Shown(*scale)
    )]
    CalibratedCurve {
        /// The module's key.
        module: String,
        /// The lead scale (the posterior's median) the curve was to be multiplied by.
        scale: f64,
        /// What the curve's constructor said.
        source: CurveError,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_file_row_column_and_value() {
        let at = || Cell::new("w.csv", 4, "deals");
        let cases = [
            (
                ActualsError::Exceeds {
                    at: at(),
                    figure: "deals",
                    bound: "leads",
                    what: "to date",
                    found: 12.0,
                    limit: 10.0,
                },
                "w.csv, row 4, column \"deals\": deals to date is 12, more than leads to date, 10",
            ),
            (
                ActualsError::OutOfRange { at: at(), found: -2.0, expected: "0 or a number in [1e-6, 1e12]" },
                "w.csv, row 4, column \"deals\": must be 0 or a number in [1e-6, 1e12], found -2",
            ),
            (
                ActualsError::PeriodOutOfRange { at: at(), period: 12, periods: 12 },
                "w.csv, row 4, column \"deals\": period 12 is outside the plan's horizon of 12 period(s), 0 to 11",
            ),
            (
                ActualsError::Duplicate { at: at(), period: 3, module: "m".into(), first: 2 },
                "w.csv, row 4, column \"deals\": period 3 of module \"m\" was already given in row 2; give one row per period and module",
            ),
            (
                ActualsError::EmptyCell { at: at() },
                "w.csv, row 4, column \"deals\": the cell is empty; give a value, or leave the whole row out for \"no data\"",
            ),
            (
                ActualsError::InvalidOption {
                    option: "threshold",
                    found: 1.5,
                    expected: "a number in [0, 1)",
                },
                "diagnosis option threshold must be a number in [0, 1), found 1.5",
            ),
        ];
        for (err, text) in cases {
            assert_eq!(err.to_string(), text);
        }
    }
}
