//! The links of the funnel, the verdicts, and the rule that turns a module's posterior into a
//! verdict with its probability and a one-line reason.

/// A link of the funnel, in the funnel's order.
///
/// ```
/// use offergraph::actuals::Link;
/// assert_eq!(Link::DealValue.name(), "deal_value");
/// assert_eq!(Link::ALL.len(), 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Link {
    /// Spend below plan: the channel did not absorb its budget.
    Delivery,
    /// Fewer leads than the curve promises at the spend made (cost per lead above plan).
    Cost,
    /// Leads lost or delayed by sales capacity.
    Capacity,
    /// Fewer deals than the processed leads should bring.
    Conversion,
    /// Less revenue per deal.
    DealValue,
}

impl Link {
    /// Every link, in the funnel's order.
    ///
    /// ```
    /// use offergraph::actuals::Link;
    /// assert_eq!(Link::ALL.map(Link::name), ["delivery", "cost", "capacity", "conversion", "deal_value"]);
    /// ```
    pub const ALL: [Link; 5] =
        [Link::Delivery, Link::Cost, Link::Capacity, Link::Conversion, Link::DealValue];

    /// The link's name as the diagnosis prints it.
    ///
    /// ```
    /// assert_eq!(offergraph::actuals::Link::Cost.name(), "cost");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Link::Delivery => "delivery",
            Link::Cost => "cost",
            Link::Capacity => "capacity",
            Link::Conversion => "conversion",
            Link::DealValue => "deal_value",
        }
    }
}

/// What to do with a module.
///
/// ```
/// use offergraph::actuals::Verdict;
/// assert_eq!(Verdict::ScaleUp.name(), "scale_up");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// Stable and above target; neither more nor less spend is clearly better.
    Keep,
    /// Stable, above target, and the next unit of spend still returns more than the target.
    ScaleUp,
    /// More spend than pays: the marginal return is below zero, or the module is below target
    /// at its spend but would be above it at a lower one.
    ScaleDown,
    /// Below target at any spend.
    SwitchOff,
    /// Stable, above target with high probability, marginal ROMI still positive but not above
    /// target: copy the module into new segments, stores or tiers rather than pour more in.
    Replicate,
    /// Not enough evidence yet, or not stable yet.
    Wait,
}

impl Verdict {
    /// The verdict's name as the diagnosis prints it.
    ///
    /// ```
    /// assert_eq!(offergraph::actuals::Verdict::SwitchOff.name(), "switch_off");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Keep => "keep",
            Verdict::ScaleUp => "scale_up",
            Verdict::ScaleDown => "scale_down",
            Verdict::SwitchOff => "switch_off",
            Verdict::Replicate => "replicate",
            Verdict::Wait => "wait",
        }
    }
}

/// What the verdict rule reads: probabilities of the module's returns and the facts for the
/// reason.
pub(crate) struct Evidence {
    pub periods: usize,
    pub stable: bool,
    /// `P(full-cycle ROMI > target)` at the spend made.
    pub above: f64,
    /// `P(marginal ROMI > target)`, `P(marginal ROMI > 0)`.
    pub marginal_above: f64,
    pub marginal_positive: f64,
    /// `P(full-cycle ROMI > target)` at the best spend, and whether that spend is below the one
    /// made.
    pub best_above: f64,
    pub best_is_lower: bool,
    /// Full-cycle ROMI P10, P50, P90 (`None` without spend).
    pub romi: Option<(f64, f64, f64)>,
    pub target: f64,
    /// Actual CPL to date and the max sustainable CPL at P50.
    pub cpl: Option<f64>,
    pub max_cpl: Option<f64>,
    /// The weak link's phrase (`"conversion 0.11 vs plan 0.20, P = 0.97"`), if any.
    pub weak: Option<String>,
}

/// The verdict, its probability and its reason.
pub(crate) fn decide(e: &Evidence, sure: f64) -> (Verdict, f64, String) {
    let pct = |x: f64| format!("{:.0}%", 100.0 * x);
    let weak = e.weak.as_ref().map_or(String::new(), |w| format!("; weak link {w}"));
    let cpl = match (e.cpl, e.max_cpl) {
        (Some(c), Some(m)) => format!("; CPL {c:.2} vs max sustainable {m:.2}"),
        _ => String::new(),
    };
    let Some((p10, p50, p90)) = e.romi else {
        return (
            Verdict::Wait,
            0.0,
            format!("no spend in {} period(s) with data: nothing to judge yet{weak}", e.periods),
        );
    };
    let romi = format!(
        "full-cycle ROMI {} (P10 {}, P90 {}) vs target {}",
        pct(p50),
        pct(p10),
        pct(p90),
        pct(e.target)
    );
    if e.above <= 1.0 - sure {
        if e.best_is_lower && e.best_above >= 0.5 {
            let p = 1.0 - e.above;
            return (
                Verdict::ScaleDown,
                p,
                format!(
                    "{romi}, below it with P = {p:.2} at the spend made but above it at a lower spend{cpl}{weak}"
                ),
            );
        }
        let p = 1.0 - e.best_above;
        return (Verdict::SwitchOff, p, format!("{romi}, below it at any spend with P = {p:.2}{cpl}{weak}"));
    }
    if e.above < sure {
        let p = e.above.max(1.0 - e.above);
        return (
            Verdict::Wait,
            p,
            format!(
                "{romi}, above it with P = {:.2} only after {} period(s): not enough evidence{weak}",
                e.above, e.periods
            ),
        );
    }
    if !e.stable {
        return (
            Verdict::Wait,
            e.above,
            format!(
                "{romi}, above it with P = {:.2}, but lead volume and cost are not stable yet over {} period(s){weak}",
                e.above, e.periods
            ),
        );
    }
    if e.marginal_above >= sure {
        let p = e.marginal_above.min(e.above);
        return (
            Verdict::ScaleUp,
            p,
            format!("{romi}, stable; the next unit of spend still beats the target with P = {p:.2}{weak}"),
        );
    }
    if 1.0 - e.marginal_positive >= sure {
        let p = 1.0 - e.marginal_positive;
        return (
            Verdict::ScaleDown,
            p,
            format!("{romi}, stable; but the next unit of spend loses money with P = {p:.2}{weak}"),
        );
    }
    if e.marginal_positive >= sure {
        let p = e.marginal_positive.min(e.above);
        return (
            Verdict::Replicate,
            p,
            format!(
                "{romi}, stable, above target with P = {p:.2}; marginal ROMI positive but below target: replicate rather than scale{weak}"
            ),
        );
    }
    (Verdict::Keep, e.above, format!("{romi}, stable, above target with P = {:.2}{weak}", e.above))
}
