//! Rule-based allocation: fixed amounts, then weights within per-module bounds.
//!
//! The weighted share solves `Σ clamp(λ·wᵢ, minᵢ, maxᵢ) = rest` for the water level `λ` exactly,
//! by sweeping the sorted breakpoints of that piecewise-linear function. The budget is spent in
//! full (to [`tol::BUDGET_REL`]) or the call says why it cannot be.

use crate::Plan;
use crate::error::BudgetError;
use crate::error::ReportError;
use crate::model::policy::BudgetPolicy;
use crate::model::rule::Share;
use crate::numerics::ranges;
use crate::numerics::tol;

/// Spend per module, in plan order (zero for inactive modules).
///
/// # Example
/// ```
/// # let plan = offergraph::sample::apartments()?;
/// let alloc = plan.allocate()?;
/// assert!((alloc.total() - plan.budget().get()).abs() <= 1e-9 * plan.budget().get());
/// assert_eq!(alloc.spend().len(), plan.module_count());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    /// The plan revision it was made for (see `Plan::revision`).
    revision: u64,
    spend: Vec<f64>,
}

impl Allocation {
    /// Spend per module in plan order.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert!(plan.allocate()?.spend().iter().all(|&s| s >= 0.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn spend(&self) -> &[f64] {
        &self.spend
    }

    /// Spend of one module by key.
    ///
    /// # Errors
    /// [`ReportError::Stale`] when the plan's modules changed since the allocation;
    /// [`ModelError::Unknown`](crate::error::ModelError::Unknown) for a missing module.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let alloc = plan.allocate()?;
    /// assert_eq!(alloc.spend_of(&plan, "families/playground/2-room/search")?, 15_000.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn spend_of(&self, plan: &Plan, key: &str) -> Result<f64, crate::Error> {
        self.check(plan)?;
        Ok(self.spend[plan.index_of(key)?])
    }

    /// An allocation the crate computed itself for `plan` (spends already valid).
    pub(crate) fn from_parts(plan: &Plan, spend: Vec<f64>) -> Allocation {
        Allocation { revision: plan.revision(), spend }
    }

    /// Checks that the allocation still lines up with the plan's modules.
    pub(crate) fn check(&self, plan: &Plan) -> Result<(), ReportError> {
        if self.revision == plan.revision() && self.spend.len() == plan.module_count() {
            Ok(())
        } else {
            Err(ReportError::Stale { what: "allocation" })
        }
    }

    /// Total spend.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert!(plan.allocate()?.total() > 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn total(&self) -> f64 {
        self.spend.iter().sum()
    }

    /// Builds an allocation from explicit spends in plan order (for what-if evaluation).
    ///
    /// # Errors
    /// [`BudgetError::LengthMismatch`] when the lengths differ, [`BudgetError::InvalidSpend`]
    /// for a negative or non-finite amount.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let alloc = offergraph::Allocation::from_spend(&plan, vec![1000.0; 6])?;
    /// assert_eq!(alloc.total(), 6000.0);
    /// assert!(offergraph::Allocation::from_spend(&plan, vec![1.0]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_spend(plan: &Plan, spend: Vec<f64>) -> Result<Allocation, BudgetError> {
        if spend.len() != plan.module_count() {
            return Err(BudgetError::LengthMismatch { found: spend.len(), expected: plan.module_count() });
        }
        for (m, &s) in plan.modules().zip(&spend) {
            if !ranges::MONEY.contains(s) {
                return Err(BudgetError::InvalidSpend { module: m.key().to_owned(), found: s });
            }
        }
        Ok(Allocation { revision: plan.revision(), spend })
    }
}

/// One weighted module: weight, bounds, and its position in the output.
struct Weighted {
    at: usize,
    w: f64,
    lo: f64,
    hi: f64,
}

impl Plan {
    /// Splits the budget among the active modules by the plan's [`BudgetPolicy`].
    ///
    /// With [`BudgetPolicy::Rules`]: active fixed modules get their amounts; what is left goes to
    /// active weighted modules in proportion to their weights, within their minima and maxima
    /// (water-filling). Inactive modules get nothing, so switching modules off redistributes their
    /// budget among the rest. The total equals the budget to within
    /// [`tol::BUDGET_REL`], or the call fails.
    ///
    /// # Errors
    /// [`BudgetError::FixedExceedBudget`], [`BudgetError::MinimaExceed`],
    /// [`BudgetError::CannotAbsorb`].
    ///
    /// Complexity: `O(n)` when no bound binds, `O(n log n)` otherwise.
    ///
    /// ```
    /// use offergraph::PartKind;
    /// # let mut plan = offergraph::sample::apartments()?;
    /// plan.set_part_enabled(PartKind::Channel, "social", false)?;
    /// let alloc = plan.allocate()?;
    /// assert!((alloc.total() - 60_000.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allocate(&self) -> Result<Allocation, BudgetError> {
        match self.budget_policy() {
            BudgetPolicy::Rules => self.allocate_by_rules(),
            BudgetPolicy::Optimize(policy) => Ok(self.optimize(policy)?.allocation().clone()),
        }
    }

    fn allocate_by_rules(&self) -> Result<Allocation, BudgetError> {
        let budget = self.budget().get();
        let mut spend = vec![0.0; self.module_count()];
        // One pass over the hot array: fixed amounts go straight in; weighted modules are summed.
        let (mut fixed, mut weights, mut minima, mut capacity, mut bounded) = (0.0, 0.0, 0.0, 0.0, false);
        for (s, h) in spend.iter_mut().zip(self.hot()) {
            if !h.active {
                continue;
            }
            match h.rule.share() {
                Share::Fixed(a) => {
                    *s = a;
                    fixed += a;
                }
                Share::Weight(w) => {
                    let (lo, hi) = (h.rule.min(), h.rule.upper());
                    weights += w;
                    minima += lo;
                    // A module with weight 0 never grows past its minimum.
                    capacity += if w > 0.0 { hi } else { lo };
                    bounded |= lo > 0.0 || hi.is_finite();
                }
            }
        }
        let slack = tol::BUDGET_REL * budget.max(1.0);
        if fixed > budget + slack {
            return Err(BudgetError::FixedExceedBudget { fixed, budget });
        }
        let rest = (budget - fixed).max(0.0);
        if minima > rest + slack {
            return Err(BudgetError::MinimaExceed { minima, available: rest });
        }
        if capacity < rest - slack {
            return Err(BudgetError::CannotAbsorb { capacity, available: rest });
        }
        let weighted = || {
            self.hot().iter().enumerate().filter(|(_, h)| h.active).filter_map(|(at, h)| {
                match h.rule.share() {
                    Share::Weight(w) => Some((at, w)),
                    _ => None,
                }
            })
        };
        if !bounded {
            // No bound anywhere: a plain proportional split (capacity > 0 guarantees weights > 0
            // whenever something is left to spend).
            let mut sum = 0.0;
            if weights > 0.0 {
                for (at, w) in weighted() {
                    spend[at] = rest * (w / weights);
                    sum += spend[at];
                }
            }
            let ms: Vec<Weighted> = weighted()
                .filter(|&(_, w)| w > 0.0)
                .take(1)
                .map(|(at, w)| Weighted { at, w, lo: 0.0, hi: f64::INFINITY })
                .collect();
            settle(&ms, &mut spend, rest, sum);
            return Ok(Allocation { revision: self.revision(), spend });
        }
        let ms: Vec<Weighted> = weighted()
            .map(|(at, w)| {
                let rule = &self.hot()[at].rule;
                Weighted { at, w, lo: rule.min(), hi: rule.upper() }
            })
            .collect();
        let level = water_level(&ms, rest);
        let mut sum = 0.0;
        for m in &ms {
            spend[m.at] = (level * m.w).clamp(m.lo, m.hi);
            sum += spend[m.at];
        }
        settle(&ms, &mut spend, rest, sum);
        Ok(Allocation { revision: self.revision(), spend })
    }
}

/// The `λ` with `Σ clamp(λ·wᵢ, loᵢ, hiᵢ) = rest`; the caller has checked that it exists.
fn water_level(ms: &[Weighted], rest: f64) -> f64 {
    let total_w: f64 = ms.iter().map(|m| m.w).sum();
    if total_w <= 0.0 {
        return 0.0;
    }
    // Fast path: nobody hits a bound.
    let guess = rest / total_w;
    if ms.iter().all(|m| (m.w > 0.0 || m.lo <= 0.0) && m.lo <= guess * m.w && guess * m.w <= m.hi) {
        return guess;
    }
    // Sweep: F(λ) = Σ clamp(λ wᵢ, loᵢ, hiᵢ) is piecewise linear and non-decreasing; its slope
    // gains wᵢ at loᵢ/wᵢ and loses it at hiᵢ/wᵢ.
    let mut events: Vec<(f64, f64)> = Vec::with_capacity(2 * ms.len());
    for m in ms.iter().filter(|m| m.w > 0.0) {
        events.push((m.lo / m.w, m.w));
        if m.hi.is_finite() {
            events.push((m.hi / m.w, -m.w));
        }
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let (mut level, mut value, mut slope) = (0.0, ms.iter().map(|m| m.lo).sum::<f64>(), 0.0);
    for (at, dw) in events {
        let next = value + slope * (at - level);
        if next >= rest && slope > 0.0 {
            return level + (rest - value) / slope;
        }
        level = at;
        value = next;
        slope += dw;
    }
    if slope > 0.0 { level + (rest - value) / slope } else { level }
}

/// Puts the rounding residual on the first module of `ms` that can take it within its bounds (a
/// second round covers a module that could take only part), so the budget is conserved to the
/// last bits. `sum` is the current total of the weighted spends.
fn settle(ms: &[Weighted], spend: &mut [f64], rest: f64, mut sum: f64) {
    for _ in 0..tol::SETTLE_ROUNDS {
        let residual = rest - sum;
        for m in ms {
            let s = spend[m.at];
            let moved = (s + residual).clamp(m.lo, m.hi);
            // Bitwise: any movement at all means this module took (part of) the residual.
            if moved.to_bits() != s.to_bits() {
                spend[m.at] = moved;
                sum += moved - s;
                break;
            }
        }
    }
}
