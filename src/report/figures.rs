//! The figures every report shows, by the formulas of `docs/model.md` ("Figures").

use serde::{Deserialize, Serialize};

use crate::error::ReportError;
use crate::numerics::ranges;

/// Additive figures of a module, a group of modules or a whole plan.
///
/// Only additive quantities are stored; ratios (CPL, ROMI, ROAS…) are computed from them, so a
/// rollup's ROMI is the ROMI of its sums, never an average of ROMIs.
///
/// # Example
/// ```
/// use offergraph::Figures;
/// let f = Figures { spend: 1000.0, leads: 20.0, deals: 2.0, revenue: 5000.0, gross_profit: 2300.0 };
/// assert_eq!(f.cpl(), Some(50.0));
/// assert_eq!(f.romi(), Some(1.3));
/// assert_eq!(f.roas(), Some(5.0));
/// // Figures add up field by field; ratios of the sum are ratios of sums.
/// let both = f + Figures { spend: 1000.0, leads: 5.0, ..Figures::default() };
/// assert_eq!(both.cpl(), Some(80.0));
/// assert_eq!((both - f).leads, 5.0);
/// assert_eq!([f, f].into_iter().sum::<Figures>().spend, 2000.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(into = "crate::report::json::FiguresJson", from = "crate::report::json::FiguresJson")]
pub struct Figures {
    /// Money spent.
    pub spend: f64,
    /// Expected leads `r(s)`.
    pub leads: f64,
    /// Expected deals `r(s)·c`.
    pub deals: f64,
    /// Revenue `deals·p`.
    pub revenue: f64,
    /// Gross profit `revenue·m`.
    pub gross_profit: f64,
}

impl Figures {
    /// Figures of `leads` bringing `deals` at a deal value and margin: `revenue = deals·p`,
    /// `gross profit = revenue·m`.
    ///
    /// ```
    /// let f = offergraph::Figures::from_deals(1_000.0, 20.0, 2.0, 5_000.0, 0.3);
    /// assert_eq!((f.revenue, f.gross_profit), (10_000.0, 3_000.0));
    /// ```
    pub fn from_deals(spend: f64, leads: f64, deals: f64, deal_value: f64, margin: f64) -> Figures {
        let revenue = deals * deal_value;
        Figures { spend, leads, deals, revenue, gross_profit: revenue * margin }
    }

    /// The first field that is NaN or infinite, with its name.
    pub(crate) fn first_not_finite(&self) -> Option<(&'static str, f64)> {
        [
            ("spend", self.spend),
            ("leads", self.leads),
            ("deals", self.deals),
            ("revenue", self.revenue),
            ("gross_profit", self.gross_profit),
        ]
        .into_iter()
        .find(|(_, x)| !x.is_finite())
    }

    /// Deals, revenue and gross profit only (what closes, with no spend or leads).
    pub(crate) fn closing(deals: f64, revenue: f64, gross_profit: f64) -> Figures {
        Figures { deals, revenue, gross_profit, ..Figures::default() }
    }

    /// Cost per lead `s / r(s)`; `None` without leads.
    ///
    /// ```
    /// assert_eq!(offergraph::Figures::default().cpl(), None);
    /// ```
    pub fn cpl(&self) -> Option<f64> {
        ratio(self.spend, self.leads)
    }

    /// ROMI `(GP − s) / s`; `None` without spend.
    ///
    /// ```
    /// let f = offergraph::Figures { spend: 100.0, gross_profit: 230.0, ..Default::default() };
    /// assert_eq!(f.romi(), Some(1.3));
    /// ```
    pub fn romi(&self) -> Option<f64> {
        ratio(self.gross_profit - self.spend, self.spend)
    }

    /// ROAS `revenue / s`; `None` without spend.
    ///
    /// ```
    /// let f = offergraph::Figures { spend: 100.0, revenue: 400.0, ..Default::default() };
    /// assert_eq!(f.roas(), Some(4.0));
    /// ```
    pub fn roas(&self) -> Option<f64> {
        ratio(self.revenue, self.spend)
    }

    /// Profit after marketing `GP − s`.
    ///
    /// ```
    /// let f = offergraph::Figures { spend: 100.0, gross_profit: 250.0, ..Default::default() };
    /// assert_eq!(f.profit(), 150.0);
    /// ```
    pub fn profit(&self) -> f64 {
        self.gross_profit - self.spend
    }

    /// Average gross profit per lead `GP / leads`; `None` without leads.
    ///
    /// ```
    /// let f = offergraph::Figures { leads: 10.0, gross_profit: 250.0, ..Default::default() };
    /// assert_eq!(f.value_per_lead(), Some(25.0));
    /// ```
    pub fn value_per_lead(&self) -> Option<f64> {
        ratio(self.gross_profit, self.leads)
    }

    /// Max sustainable CPL `v / (1 + target)` with `v` the average value per lead; `None` without
    /// leads.
    ///
    /// # Errors
    /// [`ReportError::InvalidTargetRomi`] unless `target_romi` lies in
    /// [`TARGET_ROMI`](crate::ranges::TARGET_ROMI).
    ///
    /// ```
    /// let f = offergraph::Figures { leads: 10.0, gross_profit: 2500.0, ..Default::default() };
    /// assert_eq!(f.max_sustainable_cpl(0.25)?, Some(200.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_sustainable_cpl(&self, target_romi: f64) -> Result<Option<f64>, ReportError> {
        let factor = check_target(target_romi)?;
        Ok(self.value_per_lead().map(|v| v / factor))
    }
}

/// Field-by-field `+`, `+=`, `−` and `Sum` for a struct of additive `f64` figures, so every
/// figure type adds up the same way.
macro_rules! additive {
    ($t:ident { $($f:ident),+ $(,)? }) => {
        impl std::ops::Add for $t {
            type Output = $t;
            fn add(self, o: $t) -> $t {
                $t { $($f: self.$f + o.$f),+ }
            }
        }
        impl std::ops::AddAssign for $t {
            fn add_assign(&mut self, o: $t) {
                $(self.$f += o.$f;)+
            }
        }
        impl std::ops::Sub for $t {
            type Output = $t;
            fn sub(self, o: $t) -> $t {
                $t { $($f: self.$f - o.$f),+ }
            }
        }
        impl std::iter::Sum for $t {
            fn sum<I: Iterator<Item = $t>>(iter: I) -> $t {
                iter.fold($t::default(), |a, b| a + b)
            }
        }
    };
}
pub(crate) use additive;

additive!(Figures { spend, leads, deals, revenue, gross_profit });

/// `1 + target_romi`, for a target within [`ranges::TARGET_ROMI`] (the range the optimizer, the
/// diagnosis and the Monte Carlo accept too).
pub(crate) fn check_target(target_romi: f64) -> Result<f64, ReportError> {
    if ranges::TARGET_ROMI.contains(target_romi) {
        Ok(1.0 + target_romi)
    } else {
        Err(ReportError::InvalidTargetRomi { found: target_romi })
    }
}

/// `num / den`; `None` when `den` is not positive or the quotient overflows.
fn ratio(num: f64, den: f64) -> Option<f64> {
    let q = num / den;
    (den > 0.0 && q.is_finite()).then_some(q)
}

/// A module's figures plus the marginal quantities only a single curve has.
///
/// # Example
/// ```
/// # let plan = offergraph::sample::apartments()?;
/// let eval = plan.evaluate()?;
/// let m = &eval.modules()[0];
/// let v = m.value_per_lead;
/// let slope = m.marginal_leads().expect("a finite slope at a positive spend");
/// assert!((m.marginal_romi().unwrap() - (v * slope - 1.0)).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(into = "crate::report::json::ModuleFiguresJson", from = "crate::report::json::ModuleFiguresJson")]
pub struct ModuleFigures {
    /// Whether the module was active.
    pub active: bool,
    /// Additive figures.
    pub figures: Figures,
    /// `r'(s)`, `+∞` where the curve is steeper than any line; read through
    /// [`ModuleFigures::marginal_leads`], written to files as `null` then. Kept as a plain `f64`
    /// so that a million modules' figures stay 64 bytes each.
    pub(crate) slope: f64,
    /// `v = c·p·m`: gross profit per lead.
    pub value_per_lead: f64,
}

impl ModuleFigures {
    /// `r'(s)`: leads bought by the next unit of money; `None` where the curve is steeper than
    /// any line (at zero spend on a Hill curve with `a < 1`).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let m = plan.evaluate()?.modules()[0];
    /// assert!(m.marginal_leads().is_some_and(|slope| slope > 0.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn marginal_leads(&self) -> Option<f64> {
        self.slope.is_finite().then_some(self.slope)
    }

    /// Marginal CPL `1 / r'(s)`: `0` where the slope is unbounded, `None` where the curve is flat.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let m = plan.evaluate()?.modules()[0];
    /// assert!(m.marginal_cpl().unwrap() > m.figures.cpl().unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn marginal_cpl(&self) -> Option<f64> {
        match self.marginal_leads() {
            None => Some(0.0),
            Some(slope) => ratio(1.0, slope),
        }
    }

    /// Marginal ROMI `v·r'(s) − 1`: what the next unit of spend returns; `None` where the slope
    /// is unbounded.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let m = plan.evaluate()?.modules()[0];
    /// assert!(m.marginal_romi().unwrap() < m.figures.romi().unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn marginal_romi(&self) -> Option<f64> {
        self.marginal_leads().map(|slope| self.value_per_lead * slope - 1.0)
    }

    /// Max sustainable CPL `v / (1 + target)` for this module's value per lead.
    ///
    /// # Errors
    /// [`ReportError::InvalidTargetRomi`] unless `target_romi` lies in
    /// [`TARGET_ROMI`](crate::ranges::TARGET_ROMI).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let m = plan.evaluate()?.modules()[0];
    /// assert_eq!(m.max_sustainable_cpl(0.0)?, m.value_per_lead);
    /// assert!(m.max_sustainable_cpl(f64::NAN).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_sustainable_cpl(&self, target_romi: f64) -> Result<f64, ReportError> {
        Ok(self.value_per_lead / check_target(target_romi)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unbounded_slope_is_none_and_written_as_null() {
        let figures = Figures::default();
        let steep = ModuleFigures { active: true, figures, slope: f64::INFINITY, value_per_lead: 2.0 };
        assert_eq!(
            (steep.marginal_leads(), steep.marginal_romi(), steep.marginal_cpl()),
            (None, None, Some(0.0))
        );
        let json = serde_json::to_string(&steep).expect("serializes");
        assert!(json.contains(r#""marginal_leads":null"#), "{json}");
        let flat = ModuleFigures { slope: 0.0, ..steep };
        assert_eq!(
            (flat.marginal_leads(), flat.marginal_romi(), flat.marginal_cpl()),
            (Some(0.0), Some(-1.0), None)
        );
        assert!(serde_json::to_string(&flat).expect("serializes").contains(r#""marginal_leads":0.0"#));
        assert_eq!(std::mem::size_of::<ModuleFigures>(), 64);
    }
}
