//! [`Simulation`]: a Monte Carlo run over a plan's uncertainty, static or over time, and what
//! it answers (per module, per group, in total, and the figures of every draw).

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::Plan;
use crate::budget::Allocation;
use crate::error::UncertaintyError;
use crate::model::select::GroupBy;
use crate::numerics::ranges;
use crate::report::Figures;
use crate::uncertainty::draws::Draws;
use crate::uncertainty::options::MonteCarlo;
use crate::uncertainty::section::Uncertainty;
use crate::uncertainty::stats::Outcome;

/// Draws a summing task takes at once (any value gives the same sums: each draw sums its
/// modules in plan order).
const BLOCK: usize = 512;

/// A Monte Carlo run: every module's figures over the draws, the plan's total, and what it takes
/// to summarise any group of modules.
///
/// Statically ([`Uncertainty::simulate`]) a draw is the plan evaluated at its allocation with
/// the draw's numbers: leads `L·r(s)`, deals `leads·c`, gross profit `deals·p·m`. Over time
/// ([`Uncertainty::simulate_over_time`]) a draw is the time model evaluated with them (seasonality,
/// capacity, lags), and its figures are full-cycle: the horizon's spend and leads and every deal
/// they bring.
///
/// # Example
/// ```
/// use offergraph::{GroupBy, PartKind};
/// use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, Uncertainty};
/// let plan = offergraph::sample::apartments()?;
/// let u = Uncertainty::new()
///     .with_part(PartKind::Channel, "social", Entry::new().with_lead_scale(Distribution::log_normal(0.8, 0.5)?));
/// let sim = u.simulate(&plan, MonteCarlo::new().with_draws(5_000).with_seed(1))?;
/// let by_channel = sim.rollup(&plan, &GroupBy::Part(PartKind::Channel))?;
/// // Search is certain, social is not.
/// assert_eq!(by_channel["search"].profit.p10, by_channel["search"].profit.p90);
/// assert!(by_channel["social"].profit.p10 < by_channel["social"].profit.p90);
/// assert!(sim.total().p_loss < 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Simulation {
    revision: u64,
    options: MonteCarlo,
    over_time: bool,
    modules: Vec<Outcome>,
    total: Outcome,
    source: Source,
}

/// Where each module's figures in each draw come from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    /// The draws and each module's spend and expected leads at it.
    Static { draws: Draws, spend: Vec<f64>, leads: Vec<f64> },
    /// Full-cycle leads, deals, revenue and gross profit computed per draw, each draw-major
    /// (`[draw · modules + module]`).
    Time { draws: usize, spend: Vec<f64>, figures: [Vec<f64>; 4] },
}

/// One module's (or group's) leads, deals, revenue and gross profit (in this order) over a run
/// of draws, with
/// the scratch its percentiles need.
#[derive(Debug, Clone)]
struct Block {
    figures: [Vec<f64>; 4],
    keys: Vec<u64>,
}

impl Block {
    fn new(len: usize) -> Block {
        Block { figures: std::array::from_fn(|_| vec![0.0; len]), keys: Vec::with_capacity(len) }
    }

    /// The outcome of these draws at `spend`: leads, deals and gross profit summarised.
    fn outcome(&mut self, spend: f64, target: f64) -> Outcome {
        let [leads, deals, _, gp] = &self.figures;
        Outcome::of(spend, [leads, deals, gp], target, &mut self.keys)
    }

    /// The figures of draw `k` at `spend`.
    fn at(&self, k: usize, spend: f64) -> Figures {
        let [leads, deals, revenue, gross_profit] = self.figures.each_ref().map(|v| v[k]);
        Figures { spend, leads, deals, revenue, gross_profit }
    }
}

/// `out[k] ·= by[k]`.
fn times(out: &mut [f64], by: &[f64]) {
    out.iter_mut().zip(by).for_each(|(o, x)| *o *= x);
}

impl Source {
    fn draws(&self) -> usize {
        match self {
            Source::Static { draws, .. } => draws.count(),
            Source::Time { draws, .. } => *draws,
        }
    }

    fn spend(&self) -> &[f64] {
        match self {
            Source::Static { spend, .. } | Source::Time { spend, .. } => spend,
        }
    }

    /// Module `i`'s figures in draws `from .. from + len` (`len` the block's length).
    fn fill(&self, i: usize, from: usize, b: &mut Block) {
        let [leads, deals, revenue, gp] = &mut b.figures;
        match self {
            Source::Static { draws, leads: r, .. } => {
                draws.lead_scale_into(i, from, leads);
                leads.iter_mut().for_each(|l| *l *= r[i]);
                draws.value_into(i, 0, from, deals);
                times(deals, leads);
                draws.value_into(i, 1, from, revenue);
                times(revenue, deals);
                // (deals·p)·m: the order of the deterministic evaluation, so a certain plan
                // gives its figures bit for bit.
                draws.value_into(i, 2, from, gp);
                times(gp, revenue);
            }
            Source::Time { figures, .. } => {
                let n = self.spend().len();
                for (all, out) in figures.iter().zip([leads, deals, revenue, gp]) {
                    for (j, o) in out.iter_mut().enumerate() {
                        *o = all[(from + j) * n + i];
                    }
                }
            }
        }
    }
}

impl Uncertainty {
    /// Runs the Monte Carlo over the plan as allocated by its budget policy: the allocation is
    /// made once, and each draw evaluates it with the draw's lead scales, conversions, deal
    /// values and margins.
    ///
    /// # Errors
    /// As [`Uncertainty::check`]; [`UncertaintyError::Draws`], [`UncertaintyError::TooLarge`]
    /// and [`UncertaintyError::InvalidValue`] (the target ROMI) for the options;
    /// [`UncertaintyError::Budget`] when the budget cannot be allocated.
    ///
    /// # Complexity
    /// `O(S·D)` draws for `S` random sources and `D` draws, then `O(N·D)` for `N` modules,
    /// parallel over draws and modules; memory `O((S + N)·D)` bounded by
    /// [`MAX_DRAW_CELLS`](crate::ranges::MAX_DRAW_CELLS).
    ///
    /// ```
    /// use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let key = "investors/yield/1-room/outdoor";
    /// let u = Uncertainty::new().with_module(key, Entry::new().with_conversion(Distribution::beta(1.0, 99.0)?));
    /// let sim = u.simulate(&plan, MonteCarlo::new().with_draws(4_000))?;
    /// let outdoor = sim.module(&plan, key)?;
    /// assert!(outdoor.p_loss > 0.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn simulate(&self, plan: &Plan, options: MonteCarlo) -> Result<Simulation, UncertaintyError> {
        check_target(options.target_romi())?;
        let alloc = plan.allocate()?;
        self.simulate_allocation(plan, &alloc, options)
    }

    /// Runs the Monte Carlo over the plan at a given allocation (an optimum, a what-if) instead
    /// of its budget policy's: the same draws as [`Uncertainty::simulate`] with these options.
    ///
    /// # Errors
    /// As [`Uncertainty::simulate`]; [`UncertaintyError::Report`] when the allocation was made
    /// for another set of modules than the plan has now.
    ///
    /// ```
    /// use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, RiskObjective, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let key = "investors/yield/1-room/outdoor";
    /// let u = Uncertainty::new().with_module(key, Entry::new().with_conversion(Distribution::beta(1.0, 99.0)?));
    /// let mc = MonteCarlo::new().with_draws(2_000);
    /// let safe = u.optimize(&plan, mc, RiskObjective::cvar(0.1)?)?;
    /// let sim = u.simulate_allocation(&plan, safe.allocation(), mc)?;
    /// assert!((sim.total().profit.mean - safe.mean).abs() <= 1e-6 * safe.mean.abs());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn simulate_allocation(
        &self,
        plan: &Plan,
        allocation: &Allocation,
        options: MonteCarlo,
    ) -> Result<Simulation, UncertaintyError> {
        check_target(options.target_romi())?;
        let draws = Draws::sample(self, plan, options.draws(), options.seed(), options.progress())?;
        let eval = plan.evaluate_allocation(allocation)?;
        let (spend, leads) = eval.modules().iter().map(|m| (m.figures.spend, m.figures.leads)).unzip();
        Simulation::new(plan, options, false, Source::Static { draws, spend, leads })
    }
}

pub(crate) fn check_target(target: f64) -> Result<(), UncertaintyError> {
    ranges::TARGET_ROMI.check(target).map(|_| ()).map_err(|expected| UncertaintyError::InvalidValue {
        what: "target ROMI".to_owned(),
        found: target,
        expected,
    })
}

impl Simulation {
    /// Summarises `source`: every module, in parallel, and the total.
    pub(crate) fn new(
        plan: &Plan,
        options: MonteCarlo,
        over_time: bool,
        source: Source,
    ) -> Result<Simulation, UncertaintyError> {
        let target = options.target_romi();
        let d_n = source.draws();
        let modules = (0..plan.module_count())
            .into_par_iter()
            .map_init(
                || Block::new(d_n),
                |b, i| {
                    source.fill(i, 0, b);
                    not_finite(plan.key_at(i), b)?;
                    Ok(b.outcome(source.spend()[i], target))
                },
            )
            .collect::<Result<Vec<_>, UncertaintyError>>()?;
        let total = group_outcomes(&source, &vec![0; plan.module_count()], &["(total)"], target)?.remove(0);
        Ok(Simulation { revision: plan.revision(), options, over_time, modules, total, source })
    }

    /// The options of the run.
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(3).with_seed(9))?;
    /// assert_eq!((sim.options().draws(), sim.options().seed()), (3, 9));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn options(&self) -> &MonteCarlo {
        &self.options
    }

    /// `true` for a run over time (full-cycle figures).
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// assert!(!Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(1))?.is_over_time());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_over_time(&self) -> bool {
        self.over_time
    }

    /// Every module's outcome, in plan order (switched-off modules included, with zero spend).
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// assert_eq!(Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(1))?.modules().len(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modules(&self) -> &[Outcome] {
        &self.modules
    }

    /// The plan's outcome: the figures of every draw summed over the modules.
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(1))?;
    /// assert!((sim.total().spend - 60_000.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn total(&self) -> &Outcome {
        &self.total
    }

    pub(crate) fn check(&self, plan: &Plan) -> Result<(), UncertaintyError> {
        if plan.revision() == self.revision && plan.module_count() == self.modules.len() {
            Ok(())
        } else {
            Err(UncertaintyError::Stale)
        }
    }

    fn index_of(&self, plan: &Plan, key: &str) -> Result<usize, UncertaintyError> {
        self.check(plan)?;
        plan.index_of(key).map_err(|_| UncertaintyError::UnknownKey { entity: "module", key: key.to_owned() })
    }

    /// One module's outcome, by key.
    ///
    /// # Errors
    /// [`UncertaintyError::Stale`] when the plan's modules changed since the run;
    /// [`UncertaintyError::UnknownKey`] for a missing module.
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(1))?;
    /// assert!(sim.module(&plan, "investors/yield/1-room/search")?.romi.is_some());
    /// assert_eq!(sim.module(&plan, "nope").unwrap_err().to_string(), "uncertainty refers to module \"nope\", which the plan does not have");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module(&self, plan: &Plan, key: &str) -> Result<&Outcome, UncertaintyError> {
        Ok(&self.modules[self.index_of(plan, key)?])
    }

    /// Outcomes by group (part or tag), in order of first appearance: each draw's figures are
    /// summed over the group's modules, then summarised, so a group's percentiles are those of
    /// its money, never sums of its modules' percentiles.
    ///
    /// # Errors
    /// [`UncertaintyError::Stale`] when the plan's modules changed since the run;
    /// [`UncertaintyError::NotFinite`] naming the group whose sum overflows (never for numbers
    /// within their ranges).
    ///
    /// ```
    /// use offergraph::{GroupBy, PartKind};
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(1))?;
    /// let by_region = sim.rollup(&plan, &GroupBy::Tag("region".into()))?;
    /// let spend: f64 = by_region.values().map(|o| o.spend).sum();
    /// assert!((spend - sim.total().spend).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rollup(&self, plan: &Plan, by: &GroupBy) -> Result<IndexMap<String, Outcome>, UncertaintyError> {
        self.check(plan)?;
        let mut index: IndexMap<&str, usize> = IndexMap::new();
        let group_of: Vec<usize> = plan
            .modules()
            .map(|m| {
                let next = index.len();
                *index.entry(by.key_of(plan, m.data)).or_insert(next)
            })
            .collect();
        let names: Vec<&str> = index.keys().copied().collect();
        let outcomes = group_outcomes(&self.source, &group_of, &names, self.options.target_romi())?;
        Ok(names.into_iter().map(str::to_owned).zip(outcomes).collect())
    }

    /// The figures of every draw of one module, in draw order.
    ///
    /// # Errors
    /// As [`Simulation::module`].
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(3))?;
    /// let draws = sim.module_draws(&plan, "investors/yield/1-room/search")?;
    /// assert_eq!(draws.len(), 3);
    /// assert!(draws[0].romi().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module_draws(&self, plan: &Plan, key: &str) -> Result<Vec<Figures>, UncertaintyError> {
        let i = self.index_of(plan, key)?;
        let mut b = Block::new(self.source.draws());
        self.source.fill(i, 0, &mut b);
        let spend = self.source.spend()[i];
        Ok((0..self.source.draws()).map(|k| b.at(k, spend)).collect())
    }

    /// The plan's figures in every draw, in draw order.
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(3))?;
    /// let draws = sim.total_draws();
    /// assert_eq!(draws[2], *plan.evaluate()?.total());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn total_draws(&self) -> Vec<Figures> {
        let b = group_sums(&self.source, &vec![0; self.modules.len()], 1).remove(0);
        (0..self.source.draws()).map(|k| b.at(k, self.total.spend)).collect()
    }
}

/// The first non-finite figure of a module's or group's draws, as an error naming it.
fn not_finite(name: &str, b: &Block) -> Result<(), UncertaintyError> {
    let names = ["leads", "deals", "revenue", "gross_profit"];
    for (figure, values) in names.into_iter().zip(&b.figures) {
        if let Some(draw) = values.iter().position(|x| !x.is_finite()) {
            return Err(UncertaintyError::NotFinite {
                module: name.to_owned(),
                figure,
                draw,
                found: values[draw],
            });
        }
    }
    Ok(())
}

/// Each group's figures in every draw: blocks of draws in parallel, and within a draw the
/// modules summed in plan order (the same sums whatever the thread count).
fn group_sums(source: &Source, group_of: &[usize], groups: usize) -> Vec<Block> {
    let d_n = source.draws();
    let blocks: Vec<Vec<Block>> = (0..d_n.div_ceil(BLOCK))
        .into_par_iter()
        .map(|k| {
            let (from, to) = (k * BLOCK, ((k + 1) * BLOCK).min(d_n));
            let mut b = Block::new(to - from);
            let mut acc = vec![Block::new(to - from); groups];
            for (i, &g) in group_of.iter().enumerate() {
                source.fill(i, from, &mut b);
                for (sum, x) in acc[g].figures.iter_mut().zip(&b.figures) {
                    sum.iter_mut().zip(x).for_each(|(a, x)| *a += x);
                }
            }
            acc
        })
        .collect();
    (0..groups)
        .map(|g| {
            let mut all = Block::new(0);
            for block in &blocks {
                for (sums, part) in all.figures.iter_mut().zip(&block[g].figures) {
                    sums.extend_from_slice(part);
                }
            }
            all
        })
        .collect()
}

/// Each group's outcome (the total is the one group of every module), or the first group whose
/// sums are not finite (each module's are, but a sum can overflow) as an error naming it.
fn group_outcomes(
    source: &Source,
    group_of: &[usize],
    names: &[&str],
    target: f64,
) -> Result<Vec<Outcome>, UncertaintyError> {
    let mut spend = vec![0.0; names.len()];
    for (&g, s) in group_of.iter().zip(source.spend()) {
        spend[g] += s;
    }
    let sums = group_sums(source, group_of, names.len());
    for (b, name) in sums.iter().zip(names) {
        not_finite(name, b)?;
    }
    Ok(sums.into_par_iter().zip(spend).map(|(mut b, s)| b.outcome(s, target)).collect())
}
