//! [`Actuals`]: what a plan's modules really did, module × period, checked against the plan.

use std::collections::HashMap;

use crate::Plan;
use crate::error::{ActualsError, Cell};
use crate::model::setters;
use crate::numerics::ranges::{self, Range};
use crate::time::TimeModel;

/// What one module did in one period, as the books record it: leads in the period they
/// arrive, deals and revenue in the period they close.
///
/// # Example
/// ```
/// use offergraph::actuals::Observation;
/// let week = Observation::new(1_000.0, 30.0, 6.0, 60_000.0).with_processed(28.0);
/// assert_eq!(week.processed, Some(28.0));
/// assert_eq!(week.gross_profit, None); // revenue × the plan's margin is used then
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Observation {
    /// Money spent.
    pub spend: f64,
    /// Leads (consultations, applications) that arrived.
    pub leads: f64,
    /// Deals that closed.
    pub deals: f64,
    /// Revenue of the deals that closed.
    pub revenue: f64,
    /// Leads the sales team processed, when recorded.
    pub processed: Option<f64>,
    /// Gross profit of the deals that closed, when recorded.
    pub gross_profit: Option<f64>,
}

impl Observation {
    /// An observation of the four required figures.
    ///
    /// ```
    /// let o = offergraph::actuals::Observation::new(10.0, 2.0, 1.0, 50.0);
    /// assert_eq!((o.spend, o.leads, o.deals, o.revenue), (10.0, 2.0, 1.0, 50.0));
    /// ```
    pub fn new(spend: f64, leads: f64, deals: f64, revenue: f64) -> Observation {
        Observation { spend, leads, deals, revenue, processed: None, gross_profit: None }
    }
}

setters!(Observation {
    /// With the leads processed.
    ///
    /// ```
    /// let o = offergraph::actuals::Observation::new(10.0, 2.0, 1.0, 50.0).with_processed(2.0);
    /// assert_eq!(o.processed, Some(2.0));
    /// ```
    with_processed(processed: f64) sets Some(processed);
    /// With the gross profit.
    ///
    /// ```
    /// let o = offergraph::actuals::Observation::new(10.0, 2.0, 1.0, 50.0).with_gross_profit(10.0);
    /// assert_eq!(o.gross_profit, Some(10.0));
    /// ```
    with_gross_profit(gross_profit: f64) sets Some(gross_profit);
});

/// One row of an actuals table before it is checked: the period, the module's key and what it
/// did.
///
/// ```
/// use offergraph::actuals::{ActualRow, Actuals, Observation};
/// let plan = offergraph::sample::apartments()?;
/// let row = ActualRow::new(0, "families/playground/2-room/search", Observation::new(10.0, 2.0, 0.0, 0.0));
/// let actuals = Actuals::from_rows("script", vec![row], &plan, None)?;
/// assert_eq!(actuals.as_of_period(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ActualRow {
    period: usize,
    module: String,
    observation: Observation,
}

impl ActualRow {
    /// A row: `module` in `period` (0-based, in the plan's horizon) did `observation`.
    ///
    /// ```
    /// use offergraph::actuals::{ActualRow, Observation};
    /// let row = ActualRow::new(3, "m", Observation::new(1.0, 1.0, 0.0, 0.0));
    /// assert_eq!((row.period(), row.module()), (3, "m"));
    /// ```
    pub fn new(period: usize, module: impl Into<String>, observation: Observation) -> ActualRow {
        ActualRow { period, module: module.into(), observation }
    }

    /// The period.
    ///
    /// ```
    /// # use offergraph::actuals::{ActualRow, Observation};
    /// assert_eq!(ActualRow::new(3, "m", Observation::new(1.0, 1.0, 0.0, 0.0)).period(), 3);
    /// ```
    pub fn period(&self) -> usize {
        self.period
    }

    /// The module's key.
    ///
    /// ```
    /// # use offergraph::actuals::{ActualRow, Observation};
    /// assert_eq!(ActualRow::new(3, "m", Observation::new(1.0, 1.0, 0.0, 0.0)).module(), "m");
    /// ```
    pub fn module(&self) -> &str {
        &self.module
    }

    /// What the module did.
    ///
    /// ```
    /// # use offergraph::actuals::{ActualRow, Observation};
    /// assert_eq!(ActualRow::new(3, "m", Observation::new(1.0, 1.0, 0.0, 0.0)).observation().spend, 1.0);
    /// ```
    pub fn observation(&self) -> &Observation {
        &self.observation
    }
}

/// A plan's actuals: what each module did in each period of the plan's horizon, checked
/// against the plan. A cell without a row is "no data", never zero.
///
/// Read it with [`Actuals::from_csv`], [`Actuals::from_json`], [`Actuals::load`] or build it
/// from rows with [`Actuals::from_rows`]; every way checks the same rules (see
/// [`ActualsError`]). A plan without a time model has one period.
///
/// # Example
/// ```
/// use offergraph::actuals::Actuals;
/// let plan = offergraph::sample::apartments()?;
/// let csv = "module,period,spend,leads,deals,revenue\n\
///            families/playground/2-room/search,0,9000,4,1,95000\n";
/// let actuals = Actuals::from_csv("week.csv", csv, &plan, None)?;
/// assert_eq!(actuals.periods(), 1);
/// let search = actuals.module(&plan, "families/playground/2-room/search")?;
/// assert_eq!(search[0].map(|o| o.leads), Some(4.0));
/// assert!(actuals.module(&plan, "investors/yield/1-room/outdoor")?[0].is_none()); // no data
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Actuals {
    pub(crate) revision: u64,
    pub(crate) periods: usize,
    /// `[module * periods + t]`, plan order.
    pub(crate) cells: Vec<Option<Observation>>,
    pub(crate) as_of: usize,
}

/// One checked row and where it came from.
pub(crate) struct Located {
    pub row: usize,
    pub period: usize,
    pub module: String,
    pub observation: Observation,
}

impl Actuals {
    /// Checks `rows` against the plan (and its time model's horizon; one period without one).
    /// `name` stands for the file in messages; rows are numbered from 1 in the given order.
    ///
    /// # Errors
    /// [`ActualsError`] naming `name`, the row and the column: an amount or count outside its
    /// range (negative, NaN), gross profit above revenue, more deals (or leads processed) to
    /// date than leads to date, an unknown module, a duplicate (period, module), a period
    /// outside the horizon, no rows at all.
    ///
    /// ```
    /// use offergraph::actuals::{ActualRow, Actuals, Observation};
    /// let plan = offergraph::sample::apartments()?;
    /// let row = ActualRow::new(0, "families/playground/2-room/search", Observation::new(10.0, -2.0, 0.0, 0.0));
    /// let err = Actuals::from_rows("script", vec![row], &plan, None).unwrap_err();
    /// assert_eq!(err.to_string(), "script, row 1, column \"leads\": must be 0 or a number in [1e-6, 1e12], found -2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_rows(
        name: &str,
        rows: Vec<ActualRow>,
        plan: &Plan,
        time: Option<&TimeModel>,
    ) -> Result<Actuals, ActualsError> {
        let located = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| Located {
                row: i + 1,
                period: r.period,
                module: r.module,
                observation: r.observation,
            })
            .collect();
        Actuals::build(name, located, plan, time)
    }

    pub(crate) fn build(
        name: &str,
        rows: Vec<Located>,
        plan: &Plan,
        time: Option<&TimeModel>,
    ) -> Result<Actuals, ActualsError> {
        if rows.is_empty() {
            return Err(ActualsError::Empty { file: name.to_owned() });
        }
        let periods = time.map_or(1, |t| t.horizon().periods());
        let n = plan.module_count();
        let mut cells: Vec<Option<Observation>> = vec![None; n * periods];
        let mut origin = vec![0usize; n * periods];
        let mut as_of = 0;
        for r in &rows {
            let at = |column: &str| Cell::new(name, r.row, column);
            if r.period >= periods {
                return Err(ActualsError::PeriodOutOfRange { at: at("period"), period: r.period, periods });
            }
            let i = plan
                .index_of(&r.module)
                .map_err(|_| ActualsError::UnknownModule { at: at("module"), key: r.module.clone() })?;
            check_observation(&r.observation, &at)?;
            let slot = i * periods + r.period;
            if cells[slot].is_some() {
                return Err(ActualsError::Duplicate {
                    at: at("period"),
                    period: r.period,
                    module: r.module.clone(),
                    first: origin[slot],
                });
            }
            cells[slot] = Some(r.observation);
            origin[slot] = r.row;
            as_of = as_of.max(r.period);
        }
        // Figures to date, in period order per module: the first row where a bound breaks.
        for i in 0..n {
            let (mut leads, mut deals, mut processed) = (0.0, 0.0, 0.0);
            for t in 0..periods {
                let Some(o) = cells[i * periods + t] else { continue };
                leads += o.leads;
                deals += o.deals;
                processed += o.processed.unwrap_or(0.0);
                let at = |column: &str| Cell::new(name, origin[i * periods + t], column);
                for (figure, found) in [("deals", deals), ("processed", processed)] {
                    if found > leads {
                        return Err(ActualsError::Exceeds {
                            at: at(figure),
                            figure,
                            bound: "leads",
                            what: "to date",
                            found,
                            limit: leads,
                        });
                    }
                }
            }
        }
        Ok(Actuals { revision: plan.revision(), periods, cells, as_of })
    }

    /// Number of periods of the horizon the table was read for.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// let actuals = offergraph::actuals::Actuals::from_csv("w.csv", csv, &plan, None)?;
    /// assert_eq!(actuals.periods(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// The last period with data (of any module).
    ///
    /// ```
    /// use offergraph::actuals::Actuals;
    /// use offergraph::time::{Horizon, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let time = TimeModel::new(Horizon::weeks(4)?);
    /// let csv = "period,module,spend,leads,deals,revenue\n2,families/playground/2-room/search,1,1,0,0\n";
    /// assert_eq!(Actuals::from_csv("w.csv", csv, &plan, Some(&time))?.as_of_period(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_of_period(&self) -> usize {
        self.as_of
    }

    /// One module's observations per period (`None`: no data).
    ///
    /// # Errors
    /// [`ActualsError::Stale`] when the plan's modules changed since the table was read;
    /// [`ActualsError::Model`] when the plan has no such module.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// let actuals = offergraph::actuals::Actuals::from_csv("w.csv", csv, &plan, None)?;
    /// assert_eq!(actuals.module(&plan, "families/playground/2-room/search")?[0].map(|o| o.spend), Some(1.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module(&self, plan: &Plan, key: &str) -> Result<&[Option<Observation>], ActualsError> {
        let i = position(plan, self.revision, key)?;
        Ok(&self.cells[i * self.periods..(i + 1) * self.periods])
    }

    pub(crate) fn check(&self, plan: &Plan) -> Result<(), ActualsError> {
        if plan.revision() == self.revision { Ok(()) } else { Err(ActualsError::Stale) }
    }
}

/// The position of module `key` in a plan that must still be at `revision` (the one the table,
/// review or diagnosis was made for).
pub(crate) fn position(plan: &Plan, revision: u64, key: &str) -> Result<usize, ActualsError> {
    if plan.revision() != revision {
        return Err(ActualsError::Stale);
    }
    Ok(plan.index_of(key)?)
}

fn check_observation(o: &Observation, at: &dyn Fn(&str) -> Cell) -> Result<(), ActualsError> {
    let money = ranges::MONEY;
    let count = ranges::COUNT;
    let values: [(&str, Option<f64>, Range); 6] = [
        ("spend", Some(o.spend), money),
        ("leads", Some(o.leads), count),
        ("deals", Some(o.deals), count),
        ("revenue", Some(o.revenue), money),
        ("processed", o.processed, count),
        ("gross_profit", o.gross_profit, money),
    ];
    for (column, value, range) in values {
        if let Some(v) = value
            && let Err(expected) = range.check(v)
        {
            return Err(ActualsError::OutOfRange { at: at(column), found: v, expected });
        }
    }
    if let Some(gp) = o.gross_profit
        && gp > o.revenue
    {
        return Err(ActualsError::Exceeds {
            at: at("gross_profit"),
            figure: "gross_profit",
            bound: "revenue",
            what: "in the row",
            found: gp,
            limit: o.revenue,
        });
    }
    Ok(())
}

/// Column names, in the order messages list them.
pub(crate) const REQUIRED: [&str; 6] = ["period", "module", "spend", "leads", "deals", "revenue"];
pub(crate) const OPTIONAL: [&str; 2] = ["processed", "gross_profit"];

/// Looks a column up by name.
pub(crate) fn column_index(name: &str) -> Option<usize> {
    REQUIRED.iter().chain(OPTIONAL.iter()).position(|c| *c == name)
}

/// Keeps `HashMap` out of the public surface while the readers share one lookup type.
pub(crate) type Columns = HashMap<usize, usize>;
