//! The "what" of an allocation: modules, objective and constraints.

use super::slope::Fast;
use crate::curves::{Curve, ResponseCurve};
use crate::error::OptimizeError;
use crate::numerics::ranges::{self, Range};

/// What a target, a capacity or a fixed-budget objective counts.
///
/// # Example
/// ```
/// use offergraph::optimize::Measure;
/// assert_eq!(Measure::default(), Measure::Leads);
/// assert_eq!(Measure::Deals.name(), "deals");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Measure {
    /// Leads `r(s)`.
    #[default]
    Leads,
    /// Deals `c · r(s)` (the module's deal rate times its leads).
    Deals,
    /// Gross profit `v · r(s)`.
    GrossProfit,
}

impl Measure {
    /// The name used in messages (`"leads"`, `"deals"`, `"gross profit"`).
    ///
    /// ```
    /// assert_eq!(offergraph::optimize::Measure::GrossProfit.name(), "gross profit");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Measure::Leads => "leads",
            Measure::Deals => "deals",
            Measure::GrossProfit => "gross profit",
        }
    }
}

/// What the allocation optimises.
///
/// All objectives are reported as a maximisation: [`Solution::objective`](super::Solution) is
/// the value maximised and `upper_bound` bounds it from above. The minimisation objective
/// ([`Objective::MinSpendForTarget`]) is reported negated (`objective = −total spend`).
///
/// # Example
/// ```
/// use offergraph::optimize::{Measure, Objective};
/// let o = Objective::MinSpendForTarget { measure: Measure::Leads, target: 500.0 };
/// assert_eq!(o.name(), "min_spend_for_target");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Objective {
    /// Maximise `Σ v·r(s) − Σ s` (total spend within the budget, if one is set).
    MaxProfit,
    /// Maximise `Σ measure(s)` for the budget (spent exactly with [`BudgetKind::Exactly`]).
    MaxValueFixedBudget {
        /// What to maximise.
        measure: Measure,
    },
    /// Minimise total spend such that `Σ measure(s) ≥ target`.
    MinSpendForTarget {
        /// What the target counts.
        measure: Measure,
        /// The target amount.
        target: f64,
    },
    /// Spend in each module until its marginal ROMI `v·r'(s) − 1` falls to the target (or the
    /// budget runs out): maximise `Σ v·r(s) − (1 + target)·Σ s`.
    TargetMarginalRomi(f64),
    /// The largest total spend whose overall ROMI `(Σ GP − Σ s)/Σ s` still meets the target,
    /// allocated to maximise gross profit.
    TargetAverageRomi(f64),
}

impl Objective {
    /// How the budget binds when the caller does not say: spent exactly for
    /// [`Objective::MaxValueFixedBudget`] (a fixed budget is spent, never silently left over), at
    /// most for every other objective.
    ///
    /// ```
    /// use offergraph::optimize::{BudgetKind, Measure, Objective};
    /// assert_eq!(Objective::MaxValueFixedBudget { measure: Measure::Leads }.default_budget_kind(), BudgetKind::Exactly);
    /// assert_eq!(Objective::MaxProfit.default_budget_kind(), BudgetKind::AtMost);
    /// ```
    pub fn default_budget_kind(&self) -> BudgetKind {
        match self {
            Objective::MaxValueFixedBudget { .. } => BudgetKind::Exactly,
            _ => BudgetKind::AtMost,
        }
    }

    /// The objective's name as in files and messages.
    ///
    /// ```
    /// assert_eq!(offergraph::optimize::Objective::MaxProfit.name(), "max_profit");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Objective::MaxProfit => "max_profit",
            Objective::MaxValueFixedBudget { .. } => "max_value_fixed_budget",
            Objective::MinSpendForTarget { .. } => "min_spend_for_target",
            Objective::TargetMarginalRomi(_) => "target_marginal_romi",
            Objective::TargetAverageRomi(_) => "target_average_romi",
        }
    }
}

/// Whether the budget must be spent exactly or is an upper limit.
///
/// ```
/// use offergraph::optimize::BudgetKind;
/// assert_eq!(BudgetKind::default(), BudgetKind::AtMost);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BudgetKind {
    /// `Σ s = budget`.
    Exactly,
    /// `Σ s ≤ budget`.
    #[default]
    AtMost,
}

/// The total budget.
///
/// ```
/// use offergraph::optimize::{Budget, BudgetKind};
/// let b = Budget::at_most(10_000.0);
/// assert_eq!((b.amount, b.kind), (10_000.0, BudgetKind::AtMost));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Amount of money.
    pub amount: f64,
    /// Equality or upper limit.
    pub kind: BudgetKind,
}

impl Budget {
    /// A budget that must be spent exactly.
    ///
    /// ```
    /// assert_eq!(offergraph::optimize::Budget::exactly(5.0).amount, 5.0);
    /// ```
    pub fn exactly(amount: f64) -> Budget {
        Budget { amount, kind: BudgetKind::Exactly }
    }
    /// A budget that total spend must not exceed.
    ///
    /// ```
    /// assert_eq!(offergraph::optimize::Budget::at_most(5.0).amount, 5.0);
    /// ```
    pub fn at_most(amount: f64) -> Budget {
        Budget { amount, kind: BudgetKind::AtMost }
    }
}

/// A group limit: an amount of money or a share of the budget.
///
/// ```
/// use offergraph::optimize::Limit;
/// assert_eq!(Limit::Share(0.4).resolve(Some(10_000.0)), 4_000.0);
/// assert_eq!(Limit::Money(100.0).resolve(None), 100.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Limit {
    /// An absolute amount of money.
    Money(f64),
    /// A share of the budget in `[0, 1]` (needs a budget).
    Share(f64),
}

impl Limit {
    /// The limit in money for the given budget (a share without a budget is unlimited).
    ///
    /// ```
    /// use offergraph::optimize::Limit;
    /// assert_eq!(Limit::Share(0.5).resolve(None), f64::INFINITY);
    /// ```
    pub fn resolve(self, budget: Option<f64>) -> f64 {
        match self {
            Limit::Money(m) => m,
            Limit::Share(x) => budget.map_or(f64::INFINITY, |b| x * b),
        }
    }
}

/// Caps and floors on the total spend of a set of modules (a channel, a region, a tag).
///
/// ```
/// use offergraph::optimize::{Group, Limit};
/// let g = Group::new("search", vec![0, 2]).with_cap(Limit::Share(0.4));
/// assert_eq!(g.members, vec![0, 2]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Name used in messages.
    pub name: String,
    /// Module indices.
    pub members: Vec<usize>,
    /// Upper limit on the members' total spend.
    pub cap: Option<Limit>,
    /// Lower limit on the members' total spend.
    pub floor: Option<Limit>,
}

impl Group {
    /// A group without limits.
    ///
    /// ```
    /// let g = offergraph::optimize::Group::new("north", vec![1]);
    /// assert!(g.cap.is_none() && g.floor.is_none());
    /// ```
    pub fn new(name: impl Into<String>, members: Vec<usize>) -> Group {
        Group { name: name.into(), members, cap: None, floor: None }
    }
    /// Sets the cap.
    ///
    /// ```
    /// use offergraph::optimize::{Group, Limit};
    /// assert_eq!(Group::new("g", vec![]).with_cap(Limit::Money(5.0)).cap, Some(Limit::Money(5.0)));
    /// ```
    pub fn with_cap(mut self, cap: Limit) -> Group {
        self.cap = Some(cap);
        self
    }
    /// Sets the floor.
    ///
    /// ```
    /// use offergraph::optimize::{Group, Limit};
    /// assert_eq!(Group::new("g", vec![]).with_floor(Limit::Money(5.0)).floor, Some(Limit::Money(5.0)));
    /// ```
    pub fn with_floor(mut self, floor: Limit) -> Group {
        self.floor = Some(floor);
        self
    }
}

/// Sales capacity: the members' total leads (or deals) must not exceed `limit`.
///
/// ```
/// use offergraph::optimize::{Capacity, Measure};
/// let c = Capacity::new("sales team", vec![0, 1], Measure::Leads, 900.0);
/// assert_eq!(c.limit, 900.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// Name used in messages.
    pub name: String,
    /// Module indices.
    pub members: Vec<usize>,
    /// Leads or deals.
    pub measure: Measure,
    /// The most the sales team can process in the period.
    pub limit: f64,
}

impl Capacity {
    /// A capacity constraint.
    ///
    /// ```
    /// use offergraph::optimize::{Capacity, Measure};
    /// assert_eq!(Capacity::new("s", vec![], Measure::Deals, 1.0).measure, Measure::Deals);
    /// ```
    pub fn new(name: impl Into<String>, members: Vec<usize>, measure: Measure, limit: f64) -> Self {
        Capacity { name: name.into(), members, measure, limit }
    }
}

/// One module of an allocation problem (an *activity*, as resource-allocation theory calls what
/// receives a share of the resource): its response curve, economics and spend bounds. Named
/// apart from the plan's [`ModuleSpec`](crate::ModuleSpec), which names parts, not curves.
///
/// Build it with [`Activity::new`] and the validating setters; a module is locked at a spend
/// when `lo == hi`, and a disabled module spends exactly 0 whatever its bounds.
///
/// # Example
/// ```
/// use offergraph::curves::{Hill, ResponseCurve};
/// use offergraph::optimize::Activity;
/// let m = Activity::new("search", Hill::new(1000.0, 5000.0, 1.0)?.into(), 12.0)?
///     .with_bounds(500.0, 8000.0)?;
/// assert_eq!((m.lo(), m.hi()), (500.0, 8000.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub(crate) name: String,
    pub(crate) curve: ResponseCurve,
    /// The curve's slope-equation data, computed once (every solve needs it).
    pub(crate) fast: Fast,
    pub(crate) value_per_lead: f64,
    deal_rate: f64,
    lo: f64,
    hi: f64,
    enabled: bool,
}

fn module_err(name: &str, field: &'static str, found: f64, expected: &'static str) -> OptimizeError {
    OptimizeError::InvalidModule { name: name.to_string(), field, found, expected }
}

fn check_field(name: &str, field: &'static str, x: f64, range: Range) -> Result<f64, OptimizeError> {
    range.check(x).map_err(|expected| module_err(name, field, x, expected))
}

fn check_value(name: &str, value_per_lead: f64) -> Result<(), OptimizeError> {
    check_field(name, "value_per_lead", value_per_lead, ranges::MONEY).map(drop)
}

fn check_rate(name: &str, rate: f64) -> Result<(), OptimizeError> {
    check_field(name, "deal_rate", rate, ranges::RATE).map(drop)
}

fn check_bounds(name: &str, lo: f64, hi: f64) -> Result<(), OptimizeError> {
    check_field(name, "lo", lo, ranges::MONEY)?;
    if hi != f64::INFINITY && !ranges::MONEY.contains(hi) {
        return Err(module_err(name, "hi", hi, "0, a number in [1e-6, 1e15] or infinity"));
    }
    if lo > hi {
        return Err(OptimizeError::BoundsReversed { name: name.to_string(), lo, hi });
    }
    Ok(())
}

fn check_locked(name: &str, spend: f64) -> Result<(), OptimizeError> {
    check_field(name, "lo", spend, ranges::MONEY).map(drop)
}

impl Activity {
    /// A module with bounds `[0, ∞)` and deal rate 1.
    ///
    /// # Errors
    /// [`OptimizeError::InvalidModule`] when `value_per_lead` is not finite or negative.
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::Activity;
    /// let m = Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?;
    /// assert_eq!(m.value_per_lead(), 3.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        name: impl Into<String>,
        curve: ResponseCurve,
        value_per_lead: f64,
    ) -> Result<Activity, OptimizeError> {
        let name = name.into();
        check_value(&name, value_per_lead)?;
        Ok(Activity {
            name,
            fast: Fast::of(&curve),
            curve,
            value_per_lead,
            deal_rate: 1.0,
            lo: 0.0,
            hi: f64::INFINITY,
            enabled: true,
        })
    }

    /// Sets the spend bounds `lo ≤ s ≤ hi` (`hi` may be infinite).
    ///
    /// # Errors
    /// [`OptimizeError::InvalidModule`] for NaN, negative or infinite `lo`, NaN or negative `hi`;
    /// [`OptimizeError::BoundsReversed`] when `lo > hi`.
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::Activity;
    /// let m = Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?;
    /// let err = m.with_bounds(5.0, 1.0).unwrap_err();
    /// assert!(err.to_string().contains("minimum spend 5 is above maximum 1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_bounds(mut self, lo: f64, hi: f64) -> Result<Activity, OptimizeError> {
        check_bounds(&self.name, lo, hi)?;
        self.lo = lo;
        self.hi = hi;
        Ok(self)
    }

    /// Locks the module at `spend` (`lo = hi = spend`).
    ///
    /// # Errors
    /// As [`Activity::with_bounds`].
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::Activity;
    /// let m = Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?.locked(40.0)?;
    /// assert!(m.is_locked());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn locked(self, spend: f64) -> Result<Activity, OptimizeError> {
        check_locked(&self.name, spend)?;
        self.with_bounds(spend, spend)
    }

    /// Sets the lead→deal conversion rate (used by deal targets and deal capacities).
    ///
    /// # Errors
    /// [`OptimizeError::InvalidModule`] when `rate` is not in `[0, 1]`.
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::Activity;
    /// let m = Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?.with_deal_rate(0.2)?;
    /// assert_eq!(m.deal_rate(), 0.2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_deal_rate(mut self, rate: f64) -> Result<Activity, OptimizeError> {
        check_rate(&self.name, rate)?;
        self.deal_rate = rate;
        Ok(self)
    }

    /// The module's name.
    ///
    /// ```
    /// use offergraph::{curves::Exponential, optimize::Activity};
    /// assert_eq!(Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 1.0)?.name(), "a");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The response curve.
    ///
    /// ```
    /// use offergraph::{curves::Exponential, optimize::Activity};
    /// let m = Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 1.0)?;
    /// assert_eq!(m.curve().family(), "exponential");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn curve(&self) -> &ResponseCurve {
        &self.curve
    }
    /// Value per lead `v = c·p·m`.
    ///
    /// ```
    /// use offergraph::{curves::Exponential, optimize::Activity};
    /// let m = Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 7.0)?;
    /// assert_eq!(m.value_per_lead(), 7.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn value_per_lead(&self) -> f64 {
        self.value_per_lead
    }
    /// Lead→deal conversion rate.
    ///
    /// ```
    /// use offergraph::{curves::Exponential, optimize::Activity};
    /// let m = Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 7.0)?;
    /// assert_eq!(m.deal_rate(), 1.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deal_rate(&self) -> f64 {
        self.deal_rate
    }
    /// Minimum spend.
    ///
    /// ```
    /// use offergraph::{curves::Exponential, optimize::Activity};
    /// let m = Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 7.0)?;
    /// assert_eq!(m.lo(), 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lo(&self) -> f64 {
        self.lo
    }
    /// Maximum spend.
    ///
    /// ```
    /// use offergraph::{curves::Exponential, optimize::Activity};
    /// let m = Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 7.0)?;
    /// assert_eq!(m.hi(), f64::INFINITY);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hi(&self) -> f64 {
        self.hi
    }
    /// `true` when `lo == hi`.
    ///
    /// ```
    /// use offergraph::{curves::Exponential, optimize::Activity};
    /// let m = Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 7.0)?;
    /// assert!(!m.is_locked());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_locked(&self) -> bool {
        self.lo >= self.hi
    }
    /// `false` when the module is switched off (spend forced to 0).
    ///
    /// ```
    /// use offergraph::{curves::Exponential, optimize::Activity};
    /// let m = Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 7.0)?;
    /// assert!(m.is_enabled());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }
    /// Effective bounds: `(0, 0)` when disabled.
    pub(crate) fn effective_bounds(&self) -> (f64, f64) {
        if self.enabled { (self.lo, self.hi) } else { (0.0, 0.0) }
    }
    /// Weight of the module in a measure.
    pub(crate) fn weight(&self, m: Measure) -> f64 {
        match m {
            Measure::Leads => 1.0,
            Measure::Deals => self.deal_rate,
            Measure::GrossProfit => self.value_per_lead,
        }
    }
}

/// An allocation problem: modules, an objective, a budget and side constraints.
///
/// The problem is the "what"; a [`Solver`](super::Solver) is the "how". Modules keep their index
/// for the life of the problem: switching one off ([`Problem::set_enabled`]) forces its spend to
/// 0 without reindexing, so a previous [`Solution`](super::Solution) can warm-start the next
/// solve.
///
/// # Example
/// ```
/// use offergraph::curves::Exponential;
/// use offergraph::optimize::{Budget, Activity, Objective, Problem};
/// let mut p = Problem::new(Objective::MaxProfit);
/// p.set_budget(Budget::at_most(1000.0))?;
/// let i = p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
/// assert_eq!((i, p.len()), (0, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub(crate) objective: Objective,
    pub(crate) budget: Option<Budget>,
    pub(crate) modules: Vec<Activity>,
    pub(crate) groups: Vec<Group>,
    pub(crate) capacities: Vec<Capacity>,
}

fn check_members(what: String, members: &[usize], n: usize) -> Result<(), OptimizeError> {
    match members.iter().find(|&&i| i >= n) {
        Some(&index) => Err(OptimizeError::UnknownModule { constraint: what, index, modules: n }),
        None => Ok(()),
    }
}

fn within(what: &'static str, x: f64, range: Range) -> Result<f64, OptimizeError> {
    range.check(x).map_err(|expected| OptimizeError::InvalidParameter { what, found: x, expected })
}

impl Problem {
    /// An empty problem with the given objective and no budget.
    ///
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// assert!(Problem::new(Objective::MaxProfit).is_empty());
    /// ```
    pub fn new(objective: Objective) -> Problem {
        Problem { objective, budget: None, modules: Vec::new(), groups: Vec::new(), capacities: Vec::new() }
    }

    /// Sets the budget.
    ///
    /// # Errors
    /// [`OptimizeError::InvalidParameter`] when the amount is NaN, infinite or negative.
    ///
    /// # Example
    /// ```
    /// use offergraph::optimize::{Budget, Objective, Problem};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.set_budget(Budget::exactly(100.0))?;
    /// assert_eq!(p.budget(), Some(Budget::exactly(100.0)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_budget(&mut self, budget: Budget) -> Result<(), OptimizeError> {
        within("budget", budget.amount, ranges::MONEY)?;
        self.budget = Some(budget);
        Ok(())
    }

    /// Replaces the objective.
    ///
    /// # Errors
    /// [`OptimizeError::InvalidParameter`] when a target lies outside its range: an amount in
    /// [`MONEY`](crate::ranges::MONEY), a ROMI in [`TARGET_ROMI`](crate::ranges::TARGET_ROMI).
    ///
    /// # Example
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.set_objective(Objective::TargetMarginalRomi(0.5))?;
    /// assert_eq!(p.objective(), Objective::TargetMarginalRomi(0.5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_objective(&mut self, objective: Objective) -> Result<(), OptimizeError> {
        validate_objective(&objective)?;
        self.objective = objective;
        Ok(())
    }

    /// Room for `additional` more modules (a caller that knows the count avoids regrowth).
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.modules.reserve(additional);
    }

    /// Adds a module from its parts with the checks of [`Activity::new`],
    /// [`Activity::with_deal_rate`] and [`Activity::with_bounds`] (or [`Activity::locked`] when
    /// `locked` is set, `lo` then being the spend), in that order. A plan adds thousands of
    /// modules at every re-optimization; a spec is large, and moving each through every builder
    /// step showed in the profile.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_module(
        &mut self,
        name: &str,
        curve: &ResponseCurve,
        value_per_lead: f64,
        deal_rate: f64,
        (lo, hi): (f64, f64),
        locked: bool,
        enabled: bool,
    ) -> Result<usize, OptimizeError> {
        check_value(name, value_per_lead)?;
        check_rate(name, deal_rate)?;
        if locked {
            check_locked(name, lo)?;
        }
        let hi = if locked { lo } else { hi };
        check_bounds(name, lo, hi)?;
        self.modules.push(Activity {
            name: name.to_string(),
            fast: Fast::of(curve),
            curve: curve.clone(),
            value_per_lead,
            deal_rate,
            lo,
            hi,
            enabled,
        });
        Ok(self.modules.len() - 1)
    }

    /// Adds a module and returns its index.
    ///
    /// # Errors
    /// Never fails today (the spec was validated when built); the `Result` leaves room for
    /// cross-checks.
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Activity, Objective, Problem};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// assert_eq!(p.add_module(Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 1.0)?)?, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_module(&mut self, spec: Activity) -> Result<usize, OptimizeError> {
        self.modules.push(spec);
        Ok(self.modules.len() - 1)
    }

    /// Switches module `index` on or off (off: its spend is forced to 0).
    ///
    /// # Errors
    /// [`OptimizeError::UnknownModule`] when `index` is out of range.
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Activity, Objective, Problem};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.add_module(Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 1.0)?)?;
    /// p.set_enabled(0, false)?;
    /// assert!(!p.module(0).unwrap().is_enabled());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_enabled(&mut self, index: usize, enabled: bool) -> Result<(), OptimizeError> {
        self.module_mut(index, "set_enabled")?.enabled = enabled;
        Ok(())
    }

    /// Replaces module `index` (for edits between warm-started solves).
    ///
    /// # Errors
    /// [`OptimizeError::UnknownModule`] when `index` is out of range.
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Activity, Objective, Problem};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// let m = Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 1.0)?;
    /// p.add_module(m.clone())?;
    /// p.replace_module(0, m.with_bounds(0.0, 5.0)?)?;
    /// assert_eq!(p.module(0).unwrap().hi(), 5.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replace_module(&mut self, index: usize, spec: Activity) -> Result<(), OptimizeError> {
        *self.module_mut(index, "replace_module")? = spec;
        Ok(())
    }

    /// Module `index` to edit; an out-of-range index is an error naming the edit (`what`).
    fn module_mut(&mut self, index: usize, what: &str) -> Result<&mut Activity, OptimizeError> {
        let modules = self.modules.len();
        self.modules.get_mut(index).ok_or_else(|| OptimizeError::UnknownModule {
            constraint: what.into(),
            index,
            modules,
        })
    }

    /// Adds a group cap/floor. Groups may share modules (a channel cap and a region floor); a
    /// module listed twice in one group counts once.
    ///
    /// # Errors
    /// [`OptimizeError::UnknownModule`] for a member out of range, [`OptimizeError::InvalidParameter`]
    /// for a NaN or negative limit (or a share outside `[0, 1]`).
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Group, Limit, Activity, Objective, Problem};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.add_module(Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 1.0)?)?;
    /// let err = p.add_group(Group::new("g", vec![3])).unwrap_err();
    /// assert_eq!(err.to_string(), "group \"g\" refers to module 3, but the problem has 1 modules");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_group(&mut self, group: Group) -> Result<(), OptimizeError> {
        check_members(format!("group {:?}", group.name), &group.members, self.modules.len())?;
        for lim in [group.cap, group.floor].into_iter().flatten() {
            match lim {
                Limit::Money(m) => {
                    within("group limit", m, ranges::MONEY)?;
                }
                Limit::Share(x) => {
                    within("group share", x, ranges::RATE)?;
                }
            }
        }
        self.groups.push(group);
        Ok(())
    }

    /// Adds a sales-capacity constraint (any number; they may share modules).
    ///
    /// # Errors
    /// [`OptimizeError::UnknownModule`], [`OptimizeError::InvalidParameter`] for a NaN or negative
    /// limit, [`OptimizeError::CapacityMeasure`] for a gross-profit measure.
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Capacity, Measure, Activity, Objective, Problem};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.add_module(Activity::new("a", Exponential::new(1.0, 1.0)?.into(), 1.0)?)?;
    /// p.add_capacity(Capacity::new("team", vec![0], Measure::Leads, 0.5))?;
    /// assert_eq!(p.capacities().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_capacity(&mut self, capacity: Capacity) -> Result<(), OptimizeError> {
        check_members(format!("capacity {:?}", capacity.name), &capacity.members, self.modules.len())?;
        within("capacity limit", capacity.limit, ranges::COUNT)?;
        if capacity.measure == Measure::GrossProfit {
            return Err(OptimizeError::CapacityMeasure { capacity: capacity.name });
        }
        self.capacities.push(capacity);
        Ok(())
    }

    /// The objective.
    ///
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// assert_eq!(Problem::new(Objective::MaxProfit).objective(), Objective::MaxProfit);
    /// ```
    pub fn objective(&self) -> Objective {
        self.objective
    }
    /// The budget, if set.
    ///
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// assert_eq!(Problem::new(Objective::MaxProfit).budget(), None);
    /// ```
    pub fn budget(&self) -> Option<Budget> {
        self.budget
    }
    /// Module `index`, if any.
    ///
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// assert!(Problem::new(Objective::MaxProfit).module(0).is_none());
    /// ```
    pub fn module(&self, index: usize) -> Option<&Activity> {
        self.modules.get(index)
    }
    /// All modules in index order.
    ///
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// assert!(Problem::new(Objective::MaxProfit).modules().is_empty());
    /// ```
    pub fn modules(&self) -> &[Activity] {
        &self.modules
    }
    /// The groups.
    ///
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// assert!(Problem::new(Objective::MaxProfit).groups().is_empty());
    /// ```
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }
    /// The capacity constraints.
    ///
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// assert!(Problem::new(Objective::MaxProfit).capacities().is_empty());
    /// ```
    pub fn capacities(&self) -> &[Capacity] {
        &self.capacities
    }
    /// Number of modules.
    ///
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// assert_eq!(Problem::new(Objective::MaxProfit).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.modules.len()
    }
    /// `true` when there are no modules.
    ///
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// assert!(Problem::new(Objective::MaxProfit).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }
    /// `true` when every enabled module's curve is concave.
    ///
    /// ```
    /// use offergraph::optimize::{Objective, Problem};
    /// assert!(Problem::new(Objective::MaxProfit).is_concave());
    /// ```
    pub fn is_concave(&self) -> bool {
        self.modules.iter().all(|m| !m.enabled || m.curve.is_concave())
    }
}

pub(crate) fn validate_objective(o: &Objective) -> Result<(), OptimizeError> {
    match *o {
        Objective::MinSpendForTarget { target, .. } => {
            within("target", target, ranges::MONEY)?;
        }
        Objective::TargetMarginalRomi(t) | Objective::TargetAverageRomi(t) => {
            within("romi target", t, ranges::TARGET_ROMI)?;
        }
        _ => {}
    }
    Ok(())
}
