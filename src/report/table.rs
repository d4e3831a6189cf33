//! Plain-text tables for terminals and logs.

use std::fmt::Write;

use crate::Plan;
use crate::error::ReportError;
use crate::report::diff::ScenarioDiff;
use crate::report::evaluate::Evaluation;
use crate::report::figures::Figures;

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"))
}

fn row(out: &mut String, name: &str, on: &str, f: &Figures, mromi: &str) {
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "{name:<44} {on:>3} {:>10.0} {:>8.1} {:>8} {:>7.2} {:>12.0} {:>11.0} {:>8} {:>8}",
        f.spend,
        f.leads,
        num(f.cpl()),
        f.deals,
        f.revenue,
        f.gross_profit,
        pct(f.romi()),
        mromi
    );
}

fn header(out: &mut String) {
    let _ = writeln!(
        out,
        "{:<44} {:>3} {:>10} {:>8} {:>8} {:>7} {:>12} {:>11} {:>8} {:>8}",
        "module", "on", "spend", "leads", "CPL", "deals", "revenue", "gross", "ROMI", "mROMI"
    );
}

impl Evaluation {
    /// A fixed-width table: one row per module and a total row.
    ///
    /// # Errors
    /// [`ReportError::Stale`] when the plan has changed since the evaluation.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let table = plan.evaluate()?.table(&plan)?;
    /// assert!(table.lines().next().unwrap().starts_with("module"));
    /// assert_eq!(table.lines().count(), 1 + 6 + 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn table(&self, plan: &Plan) -> Result<String, ReportError> {
        self.check(plan)?;
        let mut out = String::new();
        header(&mut out);
        for (m, f) in plan.modules().zip(self.modules()) {
            let on = if f.active { "yes" } else { "no" };
            let mromi = if f.active { pct(f.marginal_romi()) } else { "-".to_owned() };
            row(&mut out, m.key(), on, &f.figures, &mromi);
        }
        row(&mut out, "TOTAL", "", self.total(), "");
        Ok(out)
    }
}

impl std::fmt::Display for ScenarioDiff {
    /// Changed modules with spend and gross-profit deltas, then the totals.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<44} {:>12} {:>12} {:>12} {:>10}",
            "module", "change", "Δ spend", "Δ gross", "ROMI after"
        )?;
        for m in &self.modules {
            let d = m.delta();
            if d == Figures::default() && m.change == crate::Change::Kept {
                continue;
            }
            writeln!(
                f,
                "{:<44} {:>12} {:>12.0} {:>12.0} {:>10}",
                m.key,
                m.change,
                d.spend,
                d.gross_profit,
                pct(m.after.romi())
            )?;
        }
        let d = self.total_delta();
        writeln!(
            f,
            "TOTAL: spend {:.0} -> {:.0} ({:+.0}), gross profit {:.0} -> {:.0} ({:+.0}), ROMI {} -> {}",
            self.total_before.spend,
            self.total_after.spend,
            d.spend,
            self.total_before.gross_profit,
            self.total_after.gross_profit,
            d.gross_profit,
            pct(self.total_before.romi()),
            pct(self.total_after.romi())
        )
    }
}
