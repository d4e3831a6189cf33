//! Every tolerance the crate uses, in one place.
//!
//! Changing a value here changes it everywhere; no other file hard-codes a tolerance. Crate-private:
//! callers set the solver's gap, node and time limits through `SolveOptions`, nothing else.

/// Relative tolerance to which a budget must be conserved (spent exactly) by an allocation.
///
/// ```
/// assert!(offergraph::tol::BUDGET_REL <= 1e-9);
/// ```
pub const BUDGET_REL: f64 = 1e-9;

/// Relative tolerance at which an iterative curve inversion stops (rising-CPL curve).
pub const INVERSION_REL: f64 = 1e-14;

/// Iteration cap for any bisection or Newton loop on one scalar equation.
///
/// Bisection on an `f64` interval reaches the resolution of the type in fewer steps than this.
pub const MAX_SCALAR_ITERS: usize = 200;

/// Returns `true` when `a` and `b` agree to `rel` relative to the larger magnitude (or to `rel`
/// absolutely when both are smaller than 1).
///
/// ```
/// use offergraph::tol;
/// assert!(tol::approx_eq(1.0, 1.0 + 1e-12, tol::BUDGET_REL));
/// assert!(!tol::approx_eq(1.0, 1.1, tol::BUDGET_REL));
/// ```
pub fn approx_eq(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

/// Default relative optimality gap of the allocation solver (`upper_bound − objective ≤
/// GAP_REL · max(|objective|, 1)` means optimal). One part in a million of the objective is
/// below anything a plan's inputs can tell apart, and it is what LP bounds certify reliably;
/// concave problems are solved exactly whatever the tolerance.
pub const GAP_REL: f64 = 1e-6;

/// Smallest relative gap the allocation solver accepts (below it rounding dominates).
pub const GAP_REL_MIN: f64 = 1e-12;

/// Default node limit of the allocation branch and bound: a bound on the work of every solve
/// (a node costs one relaxation, `O(N)` passes or one small LP), deterministic where a time
/// limit is not. The plans and samples of the test suite close their gap in far fewer.
pub const MAX_NODES: usize = 5_000;

/// Relative width at which the search for a multiplier (price) stops.
pub const PRICE_REL: f64 = 1e-15;

/// Largest step in `ln p` of the Newton step that starts a price search from the cost (a factor
/// of about 55 either way): the total's slope at the cost says little about prices far from it.
pub const PRICE_START_LOG_STEP: f64 = 4.0;

/// Relative step below a capacity multiplier inherited from a parent branch-and-bound node at
/// which the usage is probed: above the limit there means the multiplier already sits at a jump
/// of the usage, and the search is skipped.
pub const JUMP_REL: f64 = 1e-12;

/// Relative residual at which a sum constraint (budget, group limit, capacity) counts as met
/// by the multiplier search; the remainder is then placed exactly.
pub const SUM_REL: f64 = 1e-14;

/// Halley step (in `ln s`) below which the per-module slope iteration on a Hill curve stops:
/// Halley's iteration converges cubically, so after a step of `1e-6` the error is of order
/// `1e-18`, below `f64` rounding.
pub const SLOPE_HALLEY_STEP: f64 = 1e-6;

/// Spends below this (money units) count as zero when the KKT residual is measured: the
/// marginal of a curve with an unbounded start slope (Hill with `a < 1`) cannot be evaluated
/// reliably at a subnormal spend.
pub const SPEND_TINY: f64 = f64::MIN_POSITIVE;

/// Relative residual of a sum constraint below which the price search stops and applies its
/// last Newton step to the allocation linearly (the error left is second order, far below
/// [`SUM_REL`]); the remainder is then placed exactly.
pub const SUM_POLISH_REL: f64 = 1e-7;

/// Tail mass below which a parametric lead→deal lag (gamma, log-normal, geometric) is cut; the
/// cut mass is reported by `Lag::truncated_mass`.
pub const LAG_TAIL: f64 = 1e-12;

/// Longest support, in periods, of a parametric lag without an explicit cut (20 years of weeks).
pub const LAG_MAX_PERIODS: usize = 1040;

/// Smallest share of a parametric lag's mass that a cut (`Lag::with_max_periods`) must keep:
/// below it the renormalised weights would amplify rounding.
pub const LAG_KEPT_MIN: f64 = 1e-6;

/// How far from 1 explicit lag weights may sum before they are rejected (they are then
/// normalised exactly).
pub const LAG_SUM: f64 = 1e-6;

/// Relative size of the last term at which a power series or continued fraction stops (the
/// incomplete gamma behind the discretised lags).
pub const SERIES_REL: f64 = f64::EPSILON;

/// Relative excess over a sales team's capacity that the optimisation over time still counts as
/// "no over-sale" (rounding of the lead counts).
pub const CAPACITY_REL: f64 = 1e-9;

/// Iteration cap of the projected Newton search on the dual of a problem with overlapping
/// groups or several capacities (each iteration is one Newton step with its line search).
pub const MAX_DUAL_ITERS: usize = 200;

/// Most halvings of a step in the dual line search (Armijo backtracking).
pub const MAX_LINE_SEARCH: usize = 60;

/// Most sweeps of the cyclic primal repair over the violated constraints.
pub const MAX_REPAIR_SWEEPS: usize = 200;

/// Most sweeps of the repair of a spatial node's LP answer. A repair that settles does so
/// within about 35 sweeps on the benchmark problems (most within 5), and one that does not
/// oscillates to the end: the node's inner LP then gives its candidate. Ten sweeps lost the
/// slow repairs and doubled the nodes with an exact budget.
pub const SPATIAL_REPAIR_SWEEPS: usize = 40;

/// Relative overrun of a capacity by a spatial node's LP answer (its leads on the true curves
/// against the limit) beyond which the answer is not repaired: the repair would carry it far,
/// to a poor point, and the inner LP's answer, which meets the capacities by construction, is
/// the candidate instead. On the spatial sweep bench three trees of 120 changed, each smaller
/// (279 → 213 and 381 → 285 nodes on seed 32, 49 → 39 on seed 37); at 1 none changed.
pub const REPAIR_MAX_OVERRUN: f64 = 0.1;

/// The repair of a spatial node's LP answer stops as stalled when its violation (relative,
/// summed over the violated capacities and rows) has not fallen below this share of what it
/// was [`REPAIR_STALL_SWEEPS`] sweeps before. On the spatial sweep bench's problems the
/// repairs that settle late shrink it to at most 0.98 of that; those that never settle sit at
/// a constant violation after a few sweeps. A repair whose violation falls, but at a rate
/// that would not reach [`REPAIR_REL`] within its remaining sweeps, is stalled too (on seed 22
/// of the sweep such repairs ran all 40 sweeps a hundred times per solve, and failed). The
/// first stall turns on the exchange of spend within full capacities; the second ends the
/// repair.
pub const REPAIR_STALL: f64 = 0.99;

/// Relative gap between a spatial node's bound and the incumbent below which the node's
/// candidate is its repaired LP answer alone, without the inner LP's (lines over the curves
/// put that answer below the node's optimum, so it rarely beats an incumbent this near). On
/// the spatial sweep bench few nodes lie this far above a known incumbent: against 1% the
/// trees changed by at most ten nodes, and its slowest problem, which ran the inner LP at
/// 263 nodes for 13 small improvements, took about a tenth less time. A first incumbent far
/// from the optimum still gets the inner LP's help.
pub const INNER_LP_GAP: f64 = 1e-1;

/// How many sweeps back a repair's violation is compared ([`REPAIR_STALL`]).
pub const REPAIR_STALL_SWEEPS: usize = 5;

/// Relative violation of a group cap or floor, a capacity or an exact budget that the primal
/// repair leaves (far below [`BUDGET_REL`]).
pub const REPAIR_REL: f64 = 1e-13;

/// Relative constraint residual (slack of a row with a positive multiplier, or a violation) at
/// which the dual search of a problem with overlapping groups or several capacities counts as
/// converged, once its gap is certified.
pub const DUAL_RESIDUAL_REL: f64 = 1e-12;

/// Floor that keeps a scale or a divisor positive (`x.max(POSITIVE_FLOOR)`) where the quantity
/// may be 0: far below any figure the crate computes, far above the subnormals.
pub const POSITIVE_FLOOR: f64 = 1e-300;

/// Relative step of a central difference for a curve's second derivative (generic families), and
/// its absolute floor.
pub const FD_STEP_REL: f64 = 1e-6;

/// Absolute floor of the central-difference step ([`FD_STEP_REL`]).
pub const FD_STEP_MIN: f64 = 1e-9;

/// Shape from which a Gamma's quantile is the Wilson–Hilferty approximation rather than a search
/// on its CDF: its error in `z` is of order `1/k`, where the incomplete gamma's series would
/// soon need more terms than its cap (about `6·√k` near the median).
pub const GAMMA_WILSON_HILFERTY_SHAPE: f64 = 1e4;

/// Largest sum of a Beta's shapes whose quantile is a search on its CDF (statrs' continued
/// fraction needs about `√max(a, b)` of its 140 terms); above, an approximation.
pub const BETA_SEARCH_MAX_SUM: f64 = 1e4;

/// Smallest shape from which a Beta with large shapes is taken as logit-normal (skewness of the
/// logit below 0.1); below it, the smaller shape's Gamma over the larger shape.
pub const BETA_LOGIT_MIN_SHAPE: f64 = 100.0;

/// Relative width at which a quantile search stops.
pub const QUANTILE_REL: f64 = 1e-13;

/// Most doublings of an open interval while bracketing a root (an `f64` overflows after 1 024).
pub const MAX_DOUBLINGS: usize = 2_000;

/// Most doublings of an open budget (modules without upper bounds) while bracketing the least
/// budget that reaches a target, or the largest whose ROMI holds one: 2^200 times the start lies
/// far beyond any budget the crate accepts.
pub const BUDGET_DOUBLINGS: usize = 200;

/// Rounds that spread a budget's rounding remainder over the modules strictly inside their
/// bounds; a module that reaches a bound passes the rest to the next round.
pub const REMAINDER_ROUNDS: usize = 4;

/// Rounds that put a weighted allocation's rounding residual on one module within its bounds:
/// the second covers a module that could take only part.
pub const SETTLE_ROUNDS: usize = 2;

/// Rounds that move an amount into a group's members in proportion to their marginal values
/// (or their room); a member that reaches its ceiling passes its share to the next round.
pub const SHIFT_ROUNDS: usize = 8;

/// Newton steps that take a rounding-level excess of a capacity's usage off one module's spend
/// (the excess is a few ulps: one or two steps land, more mean the slope misleads).
pub const TRIM_NEWTON_STEPS: usize = 8;

/// A positive price below this is taken as zero when the price search goes down.
pub const PRICE_TINY: f64 = 1e-30;

/// Share of the gap tolerance that the smoothing of the general dual may bias its value by, at
/// the end of its continuation.
pub const SMOOTH_BIAS_SHARE: f64 = 1e-2;

/// Starting width of the general dual's smoothing, relative to the dual value per linear part.
pub const SMOOTH_START: f64 = 1e-3;

/// Factor by which the general dual's smoothing width shrinks once a width is solved.
pub const SMOOTH_NARROW: f64 = 30.0;

/// A smoothing width counts as solved when the Newton decrement (what is left to gain at it)
/// falls below this share of the smoothing's bias, or when a line search fails.
pub const SMOOTH_DECREMENT_SHARE: f64 = 0.1;

/// Largest move of a price in one step of the general dual, in units of its scale (half the
/// largest value per unit among the row's members, or the price itself when larger).
pub const DUAL_TRUST: f64 = 4.0;

/// Repairs in a row without a smaller certified gap after which the general dual stops,
/// though its residuals are above rounding level.
pub const DUAL_STALLS: usize = 3;

/// Share of the caller's gap tolerance to which a relaxation's dual is certified (the rest is
/// left to the branch and bound's own gap).
pub const RELAX_GAP_SHARE: f64 = 0.1;

/// Relative regularisation added to the diagonal of the general dual's Hessian.
pub const HESSIAN_REG_REL: f64 = 1e-12;

/// Sufficient decrease of an Armijo line search, as a share of the predicted decrease.
pub const ARMIJO: f64 = 1e-4;

/// Rounding allowed in an Armijo comparison, relative to the value.
pub const ARMIJO_ROUNDING: f64 = 1e-15;

/// Relative residual of a row of the general dual (a violation, or the slack of a free row) that
/// still counts as met.
pub const ROW_RESIDUAL_REL: f64 = 1e-6;

/// Relative margin that keeps a lower bound below every feasible value despite rounding.
pub const BOUND_MARGIN_REL: f64 = 1e-9;

/// Relative margin kept below a capacity when the repair fills it.
pub const CAPACITY_MARGIN_REL: f64 = 1e-12;

/// Multipliers below this share of the largest are dropped from an infeasibility certificate.
pub const CERTIFICATE_SIGNIFICANT: f64 = 1e-3;

/// Overshoot of a repair's Newton step, so that rounding lands inside the constraint.
pub const REPAIR_OVERSHOOT: f64 = 1e-9;

/// First capacity multiplier tried when no better start is known, relative to the largest
/// module weight (per unit of the capacity).
pub const MU_START: f64 = 1e-3;

/// First capacity multiplier of a block when no better start is known, relative to the
/// largest weight per unit of capacity.
pub const BLOCK_MU_START: f64 = 1e-2;

/// Width, relative to the budget tolerance, at which the search on the budget of a
/// minimum-spend or average-ROMI objective stops.
pub const BUDGET_SEARCH_REL: f64 = 1e-3;

/// Pivots of the spatial search's dense dual simplex between two recomputations of its basic
/// values and reduced costs from the tableau (the updates drift with rounding).
pub const SIMPLEX_REFRESH: usize = 50;

/// Smallest tableau entry the dense dual simplex pivots on (the LPs are scaled to numbers near
/// 1, so a smaller one is rounding, not a direction).
pub const SIMPLEX_PIVOT: f64 = 1e-9;

/// Dual feasibility tolerance of the dense dual simplex's ratio test (Harris's relaxation):
/// reduced costs may take the wrong sign by this much, which the bound, recomputed from the
/// row prices by weak duality, never trusts.
pub const SIMPLEX_DUAL: f64 = 1e-9;

/// Pivots allowed to one warm-started or cold solve of the dense dual simplex, per row.
pub const SIMPLEX_PIVOTS_PER_ROW: usize = 4;

/// Tableau entries (rows × columns) above which the spatial search solves a node's LP with
/// microlp instead: past this size (a megabyte) a cold sparse solve costs less than dense
/// pivots. A tableau holds only the rows its answers break, so this is rarely reached.
pub const SIMPLEX_MAX_ENTRIES: usize = 120_000;

/// Open nodes of the spatial search that may hold a tableau for a warm start (each holds at
/// most [`SIMPLEX_WARM_ENTRIES`] numbers: with the next, a bound of 256 MB); children pushed
/// past this many start cold. A thousand measured faster than 256 on the worst 20-module
/// problems with an exact budget (their search keeps several hundred nodes open).
pub const SIMPLEX_WARM_OPEN: usize = 1024;

/// The most numbers a tableau kept for a node's children may hold; a larger one is not kept
/// (its children start cold). The tableau a node keeps holds only the rows its answer touches,
/// a few dozen on 20 modules: about 10 000 numbers.
pub const SIMPLEX_WARM_ENTRIES: usize = 30_000;

/// Least share of a module's interval that a range reduction must cut before the box takes
/// it (a new interval costs the module new envelopes and starting lines).
pub const REDUCE_MIN_CUT: f64 = 0.1;

/// Tangent lines each module's envelope starts with in an LP relaxation node.
pub const LP_START_LINES: usize = 4;

/// LP solves per node. After each, tangents are added where the LP's answer lies off a curve;
/// they tighten the node's children (which keep them) whether or not the node re-solves, and
/// one solve per node measured fastest: a 20-module problem with caps, floors and five
/// capacities closes in the same number of nodes at a third of the time of four.
pub const LP_CUT_ROUNDS: usize = 1;

/// Rounds of a node LP's lazy rows: the rows its tableau lacks join when the answer breaks
/// them; after this many rounds every missing row joins at once (the answer is then the whole
/// LP's in any case).
pub const LP_LAZY_ROUNDS: usize = 8;

/// A node LP's row whose slack is more than this (in the LP's scaled units, where the numbers
/// are near 1) inside its bound leaves the tableau the node keeps for its children; it joins
/// again when a child's answer breaks it. Rows that bind with a basic slack (degenerate) stay.
pub const LP_LOOSE_ROW: f64 = 1e-9;

/// Lines kept per module and envelope in a node's LP (the newest; older ones stay valid but
/// only slow the LP down).
pub const LP_MAX_LINES: usize = 10;

/// Relative amount by which an LP answer must lie off a curve's envelope for a cut to be
/// added (below it the LP's own feasibility tolerance dominates).
pub const LP_CUT_REL: f64 = 1e-9;

/// Relative margin added to an LP bound for the LP solver's own tolerance (it answers within
/// [`LP_FEASIBILITY`] in scaled units).
pub const LP_BOUND_MARGIN_REL: f64 = 1e-8;

/// Relative margin by which a row combination must miss its bounds before the dense solver's
/// own certificate proves a node's LP infeasible (of the combination's terms: rounding in
/// forming it stays orders of magnitude below); a narrower miss goes to microlp.
pub const LP_FARKAS_MARGIN_REL: f64 = 1e-9;

/// Feasibility tolerance of the LP solver in the spatial search (its default is `1e-7`). An LP
/// answer may break a row by this much in scaled units, and where a capacity's shadow price is
/// large that is worth more than the gap tolerance: at `1e-7` a three-module problem's bound
/// stalled 4e-6 above its optimum (an LP trading 1e-4 leads over a capacity for 0.04 of profit).
pub const LP_FEASIBILITY: f64 = 1e-9;

/// Narrowest spend interval, relative to the LP's money scale (the widest module interval),
/// that the spatial search splits: a hundred times [`LP_FEASIBILITY`], below which the LP
/// solver's own slack on a module's spend hides the split from its answer.
pub const LP_SPEND_RESOLUTION: f64 = 1e-7;

/// Largest coefficient, relative to the row's unit, that an LP cut may carry (the LP solver is
/// reliable within six orders of magnitude); steeper tangents are left out.
pub const LP_COEF_MAX: f64 = 1e6;

/// Margin kept below a capacity's limit by an inner (safe) LP, so rounding cannot overshoot.
pub const LP_INNER_MARGIN_REL: f64 = 1e-9;

/// A constraint within this share of its limit counts as binding when the local polish picks
/// its active set.
pub const ACTIVE_REL: f64 = 1e-6;

/// Newton steps of one local polish in all (over its active sets and both attempts). On the
/// spatial sweep bench's problems a polish that reaches its KKT point takes a median of 24
/// steps (p90 92); one that does not would run about a thousand.
pub const POLISH_STEP_BUDGET: usize = 200;

/// Newton steps of the local polish on one active set's KKT system (within
/// [`POLISH_STEP_BUDGET`]).
pub const MAX_POLISH_STEPS: usize = 30;

/// A constraint within this share of its limit joins the local polish's active set on its
/// second attempt, when the constraints within [`ACTIVE_REL`] led Newton to nothing better.
pub const POLISH_NEARLY_ACTIVE: f64 = 1e-3;

/// Share of its box's width within which a module starts the local polish held at the bound
/// (Newton's multipliers free it when its marginal pulls it away).
pub const POLISH_NEAR_BOUND: f64 = 1e-4;

/// Share of the way to a module's bound that a Newton step of the local polish goes when its
/// full step would cross it (fraction to the boundary): the module reaches the bound only when
/// Newton keeps pushing it there.
pub const POLISH_TO_BOUNDARY: f64 = 0.9;

/// Largest problem (modules) solved by the LP-based spatial branch and bound; larger problems
/// with capacities take the general dual, whose bound tightens with size.
pub const SPATIAL_MAX_MODULES: usize = 60;

/// Nodes of the spatial search whose LPs run at once (in parallel where there are cores), the
/// best open ones. A constant, so the search and its answer are the same on any number of
/// threads; two keep both cores of a small machine busy while rarely solving a node that the
/// other's incumbent would have pruned.
pub const SPATIAL_BATCH: usize = 2;

/// Rounds of spinning between two yields of a thread that waits for the other in the spatial
/// search (`optimize/spatial/second.rs`): a few microseconds, so a waiting thread gives way to any
/// other that is ready to run without going to sleep.
pub const SECOND_SPINS: usize = 64;

/// How far, as a factor either way, a module's pseudo-cost rate may move its branching score
/// from the mean: history reorders the spatial search's candidates but never shuts one out.
/// Without a limit, a module whose first splits bought nothing was never split again and a
/// 20-module problem ran to the node limit; at 4, the bench generator's problems (13 seeds
/// each of 10, 20, 30 and 40 modules) close in 18–36% fewer nodes than by the score alone.
pub const PSEUDO_COST_SPREAD: f64 = 4.0;

/// Nodes each step of the infeasibility filter may use to decide whether a set of
/// constraints is still infeasible without one of them.
pub const IIS_NODES: usize = 200;

/// Nodes each search may use while an infeasible set's limits are moved to where the set
/// holds (a step that runs out counts as "not shown feasible").
pub const IIS_AMOUNT_NODES: usize = 50;

/// Searches per constraint of an infeasible set that place its feasible limit: half to find
/// its order of magnitude, the rest to bisect within it (to about 2^-10 of the move).
pub const IIS_AMOUNT_STEPS: usize = 20;

/// Nodes of the spatial search that decide a large problem whose general dual found no
/// feasible point (each node is an LP over every module).
pub const RESCUE_NODES: usize = 8;

/// Default strength of the actuals' priors, in periods of the plan's own evidence: the prior
/// weighs as much as this many periods of data at the plan's volumes (leads for the lead scale,
/// leads processed for the conversion, deals for the deal value). One period: a plan is a
/// considered guess, not a measurement. At 30 leads a week it puts the lead scale within ±18%
/// (one standard deviation) and a conversion of 0.2 within ±36% of plan, about how far plans
/// miss in practice; two periods would claim ±13% and ±26%, tighter than plans are.
pub const ACTUALS_PRIOR_PERIODS: f64 = 1.0;

/// Smallest prior evidence of a link (in leads or deals), so a module the plan gives no
/// volume still has a proper prior.
pub const ACTUALS_MIN_EVIDENCE: f64 = 0.5;

/// Smallest shape of a Beta or Gamma prior (a plan conversion of 0 or 1 still gives a proper
/// prior).
pub const ACTUALS_MIN_SHAPE: f64 = 1e-3;

/// Default shortfall against plan beyond which a link counts as worse than plan: 10%.
pub const WEAK_LINK_SHORTFALL: f64 = 0.1;

/// Default posterior probability at which a link is named weak, and at which a verdict counts
/// as sure ("high probability").
pub const WEAK_LINK_PROBABILITY: f64 = 0.9;

/// Default spread of one deal's value, the standard deviation of its log (a log-normal deal
/// value): a typical deal is within a factor `e^0.5 ≈ 1.65` of the median.
pub const DEAL_VALUE_SIGMA: f64 = 0.5;

/// False-alarm rate of each stability test (overdispersion, sustained shift) on a module whose
/// lead level is constant.
pub const STABILITY_ALPHA: f64 = 0.01;

/// Fewest periods with data and spend before stability can be judged.
pub const STABILITY_MIN_PERIODS: usize = 4;

/// Spend multiples tried (halving from the current spend) when looking for the spend at which a
/// module's full-cycle ROMI is best: `2^-40` is below any spend that matters.
pub const BEST_SPEND_HALVINGS: usize = 40;

/// Relative improvement of full-cycle return per unit of spend that makes a lower spend count as
/// better (below it, halving the spend is no better: a linear curve's returns are equal).
pub const BEST_SPEND_REL: f64 = 1e-9;

/// Most outer iterations (oracle calls) of the risk-aware allocation (`Uncertainty::optimize`):
/// each adds the oracle's answer and the master's aggregated allocation as columns. Concave
/// problems close the gap in a handful (3–15 on the bench's instances).
pub const RISK_MAX_ITERS: usize = 100;

/// Most oracle calls of the column generation on one branch-and-bound box of the risk-aware
/// allocation (its bound is valid whenever it stops).
pub const RISK_NODE_ITERS: usize = 30;

/// Most boxes the risk-aware allocation's branch and bound solves (S-curves or capacities that
/// leave a duality gap); the solve options' node limit applies too, whichever is lower.
pub const RISK_MAX_NODES: usize = 400;

/// Smallest spread of a module's spend across the columns the risk master mixes, relative to its
/// spend, that the branch and bound splits (below it the columns agree on the module).
pub const RISK_SPLIT_REL: f64 = 1e-9;

/// Most rows (vertices of the CVaR risk envelope) the risk master's matrix game may hold; each
/// round of its row generation adds one.
pub const RISK_MAX_ROWS: usize = 2_000;

/// Share of the requested gap to which the risk master's matrix game is solved (its row
/// generation stops when the game's value and the CVaR of its mixture agree to this share of
/// the gap tolerance); the master only steers, the certificate is recomputed from the draws.
pub const RISK_GAME_SHARE: f64 = 0.1;

/// Feasibility tolerance of the matrix-game LPs, whose entries are scaled to `[0, 1]`.
pub const GAME_FEASIBILITY: f64 = 1e-10;

/// Narrowest axis range of a chart on the HTML page, relative to the largest magnitude it
/// shows: the drawing library divides narrower ranges into no ticks.
#[cfg(feature = "report")]
pub const CHART_MIN_WIDTH_REL: f64 = 1e-6;

/// Absolute floor of [`CHART_MIN_WIDTH_REL`]'s width (an axis of zeros).
#[cfg(feature = "report")]
pub const CHART_MIN_WIDTH: f64 = 1e-9;

/// Distance from a whole number within which a period axis's tick is labelled as that period
/// (the drawing library places ticks by floating-point steps).
#[cfg(feature = "report")]
pub const CHART_WHOLE_TICK: f64 = 1e-9;
