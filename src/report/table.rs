//! Plain-text tables for terminals and logs.

use std::fmt::Write;

use crate::Plan;
use crate::error::ReportError;
use crate::report::diff::ScenarioDiff;
use crate::report::evaluate::Evaluation;
use crate::report::figures::Figures;

pub(crate) fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"))
}

/// Writes a table whose columns are sized to their content (the widest cell, header included):
/// the header, then one line per row; in every line the first cell is left-aligned, every other
/// cell right-aligned, one space apart, with no trailing blanks. Every text table of the crate is
/// written by it.
pub(crate) fn write_table<const N: usize>(
    out: &mut impl Write,
    header: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> std::fmt::Result {
    let rows: Vec<[String; N]> = rows.into_iter().collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    line(out, widths, header)?;
    for row in &rows {
        line(out, widths, row.each_ref().map(String::as_str))?;
    }
    Ok(())
}

fn line<const N: usize>(out: &mut impl Write, widths: [usize; N], cells: [&str; N]) -> std::fmt::Result {
    let mut text = String::new();
    for (i, (cell, width)) in cells.into_iter().zip(widths).enumerate() {
        // Writing to a String cannot fail.
        let _ = if i == 0 { write!(text, "{cell:<width$}") } else { write!(text, " {cell:>width$}") };
    }
    // An empty last cell (the total's mROMI) leaves no trailing blanks.
    writeln!(out, "{}", text.trim_end())
}

/// One line of the evaluation table: module, on, spend, leads, CPL, deals, revenue, gross,
/// ROMI, mROMI.
fn evaluation_row(name: &str, on: &str, f: &Figures, mromi: String) -> [String; 10] {
    [
        name.to_owned(),
        on.to_owned(),
        format!("{:.0}", f.spend),
        format!("{:.1}", f.leads),
        num(f.cpl()),
        format!("{:.2}", f.deals),
        format!("{:.0}", f.revenue),
        format!("{:.0}", f.gross_profit),
        pct(f.romi()),
        mromi,
    ]
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
        let modules = plan.modules().zip(self.modules()).map(|(m, f)| {
            let on = if f.active { "yes" } else { "no" };
            let mromi = if f.active { pct(f.marginal_romi()) } else { "-".to_owned() };
            evaluation_row(m.key(), on, &f.figures, mromi)
        });
        let total = evaluation_row("TOTAL", "", self.total(), String::new());
        let mut out = String::new();
        let header = ["module", "on", "spend", "leads", "CPL", "deals", "revenue", "gross", "ROMI", "mROMI"];
        // Writing to a String cannot fail.
        let _ = write_table(&mut out, header, modules.chain([total]));
        Ok(out)
    }
}

impl std::fmt::Display for ScenarioDiff {
    /// Changed modules with spend and gross-profit deltas, then the totals.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let changed = self.modules.iter().filter_map(|m| {
            let d = m.delta();
            let unchanged = d == Figures::default() && m.change == crate::Change::Kept;
            (!unchanged).then(|| {
                let (spend, gross) = (format!("{:.0}", d.spend), format!("{:.0}", d.gross_profit));
                [m.key.clone(), m.change.to_string(), spend, gross, pct(m.after.romi())]
            })
        });
        let header = ["module", "change", "Δ spend", "Δ gross", "ROMI after"];
        write_table(f, header, changed)?;
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
