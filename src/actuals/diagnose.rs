//! [`Diagnosis`]: per module, the posterior of each link, the weak link, stability, full-cycle
//! ROMI with its uncertainty, and a verdict.

use rayon::prelude::*;

use crate::Plan;
use crate::actuals::options::DiagnoseOptions;
use crate::actuals::posterior::{Posterior, Quantiles, log_normal_quantiles};
use crate::actuals::replay::{Replay, Rows};
use crate::actuals::stability::Stability;
use crate::actuals::table::{Actuals, position};
use crate::actuals::verdict::{Evidence, Link, Verdict, decide};
use crate::curves::Curve;
use crate::error::ActualsError;
use crate::numerics::special::normal_cdf;
use crate::numerics::tol;
use crate::time::TimeModel;

/// How one link of a module compares with plan.
///
/// ```
/// use offergraph::actuals::{Link, LinkCheck};
/// let c = LinkCheck { link: Link::Cost, probability: 0.95, expected_shortfall: 1_200.0 };
/// assert_eq!(c.link.name(), "cost");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LinkCheck {
    /// The link.
    pub link: Link,
    /// Posterior probability that the link is worse than plan by more than the shortfall
    /// option (10%). Delivery and capacity are observed, not estimated: 0 or 1.
    pub probability: f64,
    /// Expected gross profit lost to date through this link, in money (at the actual values of
    /// the links before it).
    pub expected_shortfall: f64,
}

/// The diagnosis of one module.
///
/// # Example
/// ```
/// use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis, Link, Verdict};
/// let plan = offergraph::sample::apartments()?;
/// let key = "families/playground/2-room/search";
/// let csv = format!("period,module,spend,leads,deals,revenue\n0,{key},18000,8,1,95000\n");
/// let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", &csv, &plan, None)?, DiagnoseOptions::new())?;
/// let m = d.module(&plan, key)?;
/// assert_eq!((m.key.as_str(), m.periods, m.verdict), (key, 1, Verdict::Wait));
/// assert_eq!(m.links.map(|l| l.link), Link::ALL);
/// assert!(m.links.iter().all(|l| (0.0..=1.0).contains(&l.probability)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ModuleDiagnosis {
    /// The module's key.
    pub key: String,
    /// Periods with data.
    pub periods: usize,
    /// What to do.
    pub verdict: Verdict,
    /// The probability of what the verdict rests on (see `docs/actuals.md`).
    pub verdict_probability: f64,
    /// The weak link: the largest expected shortfall among links worse than plan with
    /// probability at least the probability option (0.9); `None` when no link is.
    pub weak_link: Option<Link>,
    /// The weak link's probability; without one, the largest probability among the links.
    pub probability: f64,
    /// One line naming the link and the numbers.
    pub reason: String,
    /// Stability of lead volume and cost per lead.
    pub stability: Stability,
    /// The links, in the funnel's order.
    pub links: [LinkCheck; 5],
    /// Posterior of the lead scale, the multiplier on the curve (plan: 1).
    pub lead_scale: Posterior,
    /// Posterior of the conversion.
    pub conversion: Posterior,
    /// Posterior of the (mean) deal value.
    pub deal_value: Posterior,
    /// Full-cycle ROMI of the spend made to date (`None` without spend).
    pub full_cycle_romi: Option<Quantiles>,
    /// Marginal ROMI of the next unit at the average spend per period with data (`None` without
    /// spend).
    pub marginal_romi: Option<Quantiles>,
    /// Max sustainable cost per lead at the target ROMI (full-cycle value per lead / (1 + target)).
    pub max_sustainable_cpl: Quantiles,
    /// Cost per lead to date (`None` without leads).
    pub cpl: Option<f64>,
}

/// The diagnosis of a plan against its actuals, one [`ModuleDiagnosis`] per module in plan order.
///
/// # Example
/// ```
/// use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis, Link};
/// use offergraph::time::{Horizon, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let time = TimeModel::new(Horizon::weeks(8)?);
/// let key = "families/playground/2-room/search";
/// // Spend and leads on plan (about 23 a week), but a third of the deals the plan expects.
/// let mut csv = String::from("period,module,spend,leads,deals,revenue\n");
/// for t in 0..8 {
///     csv += &format!("{t},{key},2250,23,1,95000\n");
/// }
/// let actuals = Actuals::from_csv("w.csv", &csv, &plan, Some(&time))?;
/// let d = Diagnosis::new(&plan, Some(&time), &actuals, DiagnoseOptions::new())?;
/// let m = d.module(&plan, key)?;
/// assert_eq!(m.weak_link, Some(Link::Conversion));
/// assert!(m.probability > 0.99 && m.conversion.quantile(0.5) < 0.1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnosis {
    pub(crate) revision: u64,
    pub(crate) as_of: usize,
    pub(crate) modules: Vec<ModuleDiagnosis>,
    pub(crate) options: DiagnoseOptions,
}

impl Diagnosis {
    /// Diagnoses every module of the plan against the actuals (read with the same time model).
    ///
    /// # Errors
    /// [`ActualsError::InvalidOption`] for an option out of range, and as
    /// [`Review::new`](crate::actuals::Review::new).
    ///
    /// # Complexity
    /// `O(N·T·L)` for `N` modules, `T` periods up to the last with data and lags of `L` periods;
    /// the modules are diagnosed in parallel (rayon), with the same answer on any number of
    /// threads.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis, Verdict};
    /// let plan = offergraph::sample::apartments()?;
    /// let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,18000,8,1,95000\n";
    /// let actuals = Actuals::from_csv("w.csv", csv, &plan, None)?;
    /// let d = Diagnosis::new(&plan, None, &actuals, DiagnoseOptions::new())?;
    /// assert_eq!(d.as_of_period(), 0);
    /// // One period is no evidence of stability.
    /// assert_eq!(d.modules()[0].verdict, Verdict::Wait);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        plan: &Plan,
        time: Option<&TimeModel>,
        actuals: &Actuals,
        options: DiagnoseOptions,
    ) -> Result<Diagnosis, ActualsError> {
        options.check()?;
        let replay = Replay::new(plan, time, actuals)?;
        let keys: Vec<&str> = plan.module_data().map(|d| d.key.as_str()).collect();
        // Modules are diagnosed independently, each from its own rows, and collected in plan
        // order: the answer is the same whatever the number of threads.
        let modules = (0..keys.len())
            .into_par_iter()
            .map_init(Rows::default, |rows, i| {
                replay.rows(plan, actuals, i, rows);
                diagnose_module(plan, i, keys[i], rows, replay.k, actuals, &options)
            })
            .collect();
        Ok(Diagnosis { revision: plan.revision(), as_of: actuals.as_of, modules, options })
    }

    /// The last period with data.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// # let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?, DiagnoseOptions::new())?;
    /// assert_eq!(d.as_of_period(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_of_period(&self) -> usize {
        self.as_of
    }

    /// Every module's diagnosis, in plan order.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// # let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?, DiagnoseOptions::new())?;
    /// assert_eq!(d.modules().len(), plan.module_count());
    /// assert_eq!(d.modules()[1].periods, 0); // no data: the prior, and `wait`
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modules(&self) -> &[ModuleDiagnosis] {
        &self.modules
    }

    /// One module's diagnosis.
    ///
    /// # Errors
    /// [`ActualsError::Stale`] when the plan changed since; [`ActualsError::Model`] when it has
    /// no such module.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// # let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?, DiagnoseOptions::new())?;
    /// assert!(d.module(&plan, "nope").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module(&self, plan: &Plan, key: &str) -> Result<&ModuleDiagnosis, ActualsError> {
        Ok(&self.modules[position(plan, self.revision, key)?])
    }

    /// The options it was made with.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// # let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?, DiagnoseOptions::new().with_target_romi(0.5))?;
    /// assert_eq!(d.options().target_romi(), 0.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn options(&self) -> &DiagnoseOptions {
        &self.options
    }
}

/// Sums over the periods with data, weighted by the discount.
#[derive(Default)]
struct Sums {
    periods: usize,
    leads: f64,
    expected_leads: f64,
    deals: f64,
    exposure: f64,
    /// Unweighted, for the ROMI and the link checks.
    spend0: f64,
    spend1: f64,
    leads1: f64,
    raw_leads: f64,
    gp: [f64; 6],
}

fn diagnose_module(
    plan: &Plan,
    i: usize,
    key: &str,
    f: &Rows,
    k: f64,
    actuals: &Actuals,
    o: &DiagnoseOptions,
) -> ModuleDiagnosis {
    let e = &plan.hot()[i].economics;
    let (w_n, t_n) = (f.spend0.len(), actuals.periods);
    let row = 0..w_n;
    let cell = |t: usize| actuals.cells[i * t_n + t];
    // The prior's unit: one period of the plan's own volume.
    let plan_leads = f.leads0[row.clone()].iter().sum::<f64>() / w_n as f64;
    let unit = plan_leads.max(tol::ACTUALS_MIN_EVIDENCE);
    let n0 = o.prior_periods() * unit;
    let c0 = e.conversion;
    let p0 = e.deal_value.max(crate::numerics::ranges::MONEY.min());
    let sigma2 = o.deal_value_sigma() * o.deal_value_sigma();
    // Variance of the log of an average of `d` log-normal deals (Fenton–Wilkinson).
    let spread = sigma2.exp_m1();
    let avg_var = |d: f64| (spread / d).ln_1p();
    let deals0 = (n0 * c0).max(tol::ACTUALS_MIN_EVIDENCE);
    let (mut prec, mut prec_mean) = (1.0 / avg_var(deals0), p0.ln() / avg_var(deals0));
    let mut s = Sums::default();
    let (mut obs_leads, mut obs_expected) = (Vec::new(), Vec::new());
    for t in 0..w_n {
        let Some(ob) = cell(t) else { continue };
        let at = t;
        let weight = o.discount().powi((actuals.as_of - t) as i32);
        s.periods += 1;
        s.leads += weight * ob.leads;
        s.expected_leads += weight * f.leads1[at];
        s.deals += weight * ob.deals;
        s.exposure += weight * f.exposure3[at];
        s.spend0 += f.spend0[at];
        s.spend1 += f.spend1[at];
        s.leads1 += f.leads1[at];
        s.raw_leads += ob.leads;
        for (k, g) in f.gp[at].iter().enumerate() {
            s.gp[k] += g;
        }
        if ob.deals > 0.0 {
            let v = avg_var(ob.deals);
            let y = (ob.revenue / ob.deals).max(crate::numerics::ranges::MONEY.min()).ln() + v / 2.0;
            prec += weight / v;
            prec_mean += weight * y / v;
        }
        if f.spend1[at] > 0.0 {
            obs_leads.push(ob.leads);
            obs_expected.push(f.leads1[at]);
        }
    }
    let lead_scale = Posterior::Gamma { shape: n0 + s.leads, rate: n0 + s.expected_leads };
    let conversion = Posterior::Beta {
        alpha: (n0 * c0).max(tol::ACTUALS_MIN_SHAPE) + s.deals,
        beta: (n0 * (1.0 - c0)).max(tol::ACTUALS_MIN_SHAPE) + (s.exposure - s.deals).max(0.0),
    };
    let deal_value = Posterior::LogNormal { median: (prec_mean / prec).exp(), sigma: prec.recip().sqrt() };
    let stability = Stability::of(&obs_leads, &obs_expected);
    // The links.
    let worse = 1.0 - o.shortfall();
    let observed = |ratio: f64| if ratio < worse { 1.0 } else { 0.0 };
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
    let g = s.gp;
    let links = [
        LinkCheck {
            link: Link::Delivery,
            probability: observed(ratio(s.spend1, s.spend0)),
            expected_shortfall: (g[0] - g[1]).max(0.0),
        },
        LinkCheck {
            link: Link::Cost,
            probability: lead_scale.prob_below(worse),
            expected_shortfall: lead_scale.expected_shortfall(1.0) * g[1],
        },
        LinkCheck {
            link: Link::Capacity,
            probability: observed(ratio(g[3], g[2])),
            expected_shortfall: (g[2] - g[3]).max(0.0),
        },
        LinkCheck {
            link: Link::Conversion,
            probability: if c0 > 0.0 { conversion.prob_below(worse * c0) } else { 0.0 },
            expected_shortfall: if c0 > 0.0 { conversion.expected_shortfall(c0) / c0 * g[3] } else { 0.0 },
        },
        LinkCheck {
            link: Link::DealValue,
            probability: deal_value.prob_below(worse * p0),
            expected_shortfall: deal_value.expected_shortfall(p0) / p0 * g[4],
        },
    ];
    let sure = o.probability();
    let weak = if s.periods == 0 {
        None
    } else {
        links
            .iter()
            .filter(|l| l.probability >= sure)
            .max_by(|a, b| a.expected_shortfall.total_cmp(&b.expected_shortfall))
    };
    let probability = match weak {
        Some(l) => l.probability,
        None => links.iter().map(|l| l.probability).fold(0.0, f64::max),
    };
    // Returns: ln(θ·c·p) is about normal with the summed log moments of the three links.
    let (mut mean, mut var) = (0.0, 0.0);
    for post in [lead_scale, conversion, deal_value] {
        let (m, v) = post.log_moments();
        mean += m;
        var += v;
    }
    let sd = var.max(0.0).sqrt();
    let processed: f64 = f.processed3[row.clone()].iter().sum();
    let arrived: f64 = f.leads2[row.clone()].iter().sum();
    let rho = ratio(processed, arrived);
    let per_x = e.margin * rho; // gross profit per lead per unit of θ·c·p
    let target = o.target_romi();
    let dist = |factor: f64| {
        // Quantiles and P(> target) of `θ·c·p·factor − 1`.
        let above = if factor > 0.0 { 1.0 - cdf_log((1.0 + target) / factor, mean, sd) } else { 0.0 };
        let positive = if factor > 0.0 { 1.0 - cdf_log(1.0 / factor, mean, sd) } else { 0.0 };
        (log_normal_quantiles(mean, sd, factor, 1.0), above, positive)
    };
    let spend = s.spend1;
    let curve = &e.curve;
    let (full, marginal, best) = if spend > 0.0 {
        let full = dist(per_x * s.leads1 / spend);
        // The next unit at the average spend and seasonality of the periods with spend.
        let (mut season, mut periods) = (0.0, 0.0f64);
        for t in 0..w_n {
            if cell(t).is_some() && f.spend1[t] > 0.0 {
                season += f.season[t];
                periods += 1.0;
            }
        }
        let periods = periods.max(1.0);
        let slope = season / periods * curve.derivative(k * spend / periods);
        let marginal = dist(per_x * slope);
        // Leads per unit of spend at the spend (a fraction of the one made) where full-cycle
        // ROMI is best; only a module below target needs it (scale down or switch off?).
        let best_per = || {
            if curve.is_concave() {
                // Returns per unit only fall with spend: the best is the first unit's, `r'(0)`.
                let weighted: f64 =
                    (0..w_n).filter(|&t| cell(t).is_some()).map(|t| f.season[t] * f.spend1[t]).sum();
                return (true, curve.derivative(0.0) * weighted / spend);
            }
            let mut best = (false, s.leads1 / spend);
            let mut scale = 1.0;
            for _ in 0..tol::BEST_SPEND_HALVINGS {
                scale /= 2.0;
                let leads: f64 = (0..w_n)
                    .filter(|&t| cell(t).is_some())
                    .map(|t| {
                        let at = t;
                        let s1 = f.spend1[at] * scale;
                        if s1 > 0.0 { f.season[at] * curve.leads(k * s1) / k } else { 0.0 }
                    })
                    .sum();
                let per = leads / (spend * scale);
                if per > best.1 * (1.0 + tol::BEST_SPEND_REL) {
                    best = (true, per);
                }
            }
            best
        };
        let best = if full.1 <= 1.0 - o.probability() {
            let (lower, per) = best_per();
            // An unbounded first-unit return (a Hill curve with shape below 1) beats any target.
            let above = if per.is_finite() { dist(per_x * per).1 } else { 1.0 };
            (lower && per > s.leads1 / spend * (1.0 + tol::BEST_SPEND_REL), above)
        } else {
            (false, 0.0)
        };
        (Some(full), Some(marginal), Some(best))
    } else {
        (None, None, None)
    };
    // Max sustainable CPL: c·p·m·ρ / (1 + target), with θ left out (it is the CPL's own link).
    let (mut cm, mut cv) = (0.0, 0.0);
    for post in [conversion, deal_value] {
        let (m, v) = post.log_moments();
        cm += m;
        cv += v;
    }
    let csd = cv.max(0.0).sqrt();
    let max_sustainable_cpl = log_normal_quantiles(cm, csd, per_x / (1.0 + target), 0.0);
    let cpl = (s.raw_leads > 0.0).then(|| spend / s.raw_leads);
    let weak_phrase = weak.map(|l| link_phrase(l, &s, &lead_scale, &conversion, &deal_value, c0, p0));
    let (verdict, verdict_probability, reason) = if s.periods == 0 {
        (Verdict::Wait, 0.0, "no data yet".to_owned())
    } else {
        let evidence = Evidence {
            periods: s.periods,
            stable: stability.stable,
            above: full.map_or(0.0, |x| x.1),
            marginal_above: marginal.map_or(0.0, |x| x.1),
            marginal_positive: marginal.map_or(0.0, |x| x.2),
            best_above: best.map_or(0.0, |x| x.1),
            best_is_lower: best.is_some_and(|x| x.0),
            romi: full.map(|x| (x.0.p10, x.0.p50, x.0.p90)),
            target,
            cpl,
            max_cpl: Some(max_sustainable_cpl.p50),
            weak: weak_phrase,
        };
        decide(&evidence, sure)
    };
    ModuleDiagnosis {
        key: key.to_owned(),
        periods: s.periods,
        verdict,
        verdict_probability,
        weak_link: weak.map(|l| l.link),
        probability,
        reason,
        stability,
        links,
        lead_scale,
        conversion,
        deal_value,
        full_cycle_romi: full.map(|x| x.0),
        marginal_romi: marginal.map(|x| x.0),
        max_sustainable_cpl,
        cpl,
    }
}

/// `P(X < x)` for `ln X ~ N(mean, sd²)`.
fn cdf_log(x: f64, mean: f64, sd: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if sd <= 0.0 {
        return if x.ln() > mean { 1.0 } else { 0.0 };
    }
    normal_cdf((x.ln() - mean) / sd)
}

/// The weak link in words, with the numbers: `"conversion 0.11 vs plan 0.20 (P = 0.97)"`.
fn link_phrase(
    l: &LinkCheck,
    s: &Sums,
    lead_scale: &Posterior,
    conversion: &Posterior,
    deal_value: &Posterior,
    c0: f64,
    p0: f64,
) -> String {
    let p = l.probability;
    match l.link {
        Link::Delivery => format!("delivery: spent {:.0} vs plan {:.0} (P = {p:.2})", s.spend1, s.spend0),
        Link::Cost => format!(
            "cost: {:.0} leads vs {:.0} the curve promises at the spend made, lead scale {:.2} (P = {p:.2})",
            s.raw_leads,
            s.leads1,
            lead_scale.quantile(0.5)
        ),
        Link::Capacity => format!(
            "capacity: {:.0}% of the expected gross profit processed (P = {p:.2})",
            100.0 * if s.gp[2] > 0.0 { s.gp[3] / s.gp[2] } else { 1.0 }
        ),
        Link::Conversion => {
            format!("conversion {:.3} vs plan {c0:.3} (P = {p:.2})", conversion.quantile(0.5))
        }
        Link::DealValue => format!("deal_value {:.0} vs plan {p0:.0} (P = {p:.2})", deal_value.quantile(0.5)),
    }
}
