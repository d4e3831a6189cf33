//! What the page computes ([`Facts`]) and how each section writes it.

use std::fmt::Write as _;

use crate::actuals::{Actuals, DiagnoseOptions, Diagnosis};
use crate::curves::Curve;
use crate::error::{Error, PageError};
use crate::model::policy::OptimizePolicy;
use crate::model::select::GroupBy;
use crate::optimize::{BudgetKind, Measure, Objective};
use crate::page::charts::{self, Band, Bars, Line, palette};
use crate::page::format::{DASH, amount, escape, key, percent, probability};
use crate::report::{Evaluation, Figures};
use crate::time::TimeEvaluation;
use crate::uncertainty::{MonteCarlo, Simulation};
use crate::{Allocation, PartKind, Plan, Scenario, Warning};

/// Most modules the plan table lists (in plan order); the rest are counted.
const MAX_ROWS: usize = 500;
/// Most modules drawn as curves and bars (those with the largest spend, current or optimal).
const MAX_CHARTS: usize = 60;
/// Points on each response curve.
const CURVE_POINTS: usize = 48;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#282828;\
margin:0 auto;max-width:1180px;padding:20px 28px 48px;line-height:1.45;background:#fff}\
h1{font-size:26px;margin:8px 0 2px}h2{font-size:20px;margin:34px 0 8px;border-bottom:2px solid #e4e4e4;padding-bottom:4px}\
h3{font-size:16px;margin:18px 0 6px}.sub{color:#666;margin:0 0 12px}\
nav{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:14px;margin:8px 0 4px}nav a{color:#3168a8;text-decoration:none}\
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin:12px 0}\
.card{border:1px solid #e4e4e4;border-radius:6px;padding:8px 12px}.card .k{font-size:12px;color:#666}\
.card .v{font-size:20px;font-weight:600}\
table{border-collapse:collapse;font-size:13px;margin:8px 0;width:100%}\
th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}\
th{background:#f6f6f6;font-weight:600}td.l,th.l{text-align:left;white-space:normal;overflow-wrap:anywhere}td.k{min-width:240px}\
tr.total td{font-weight:600;border-top:2px solid #ccc}\
.scroll{overflow-x:auto}svg{max-width:100%;height:auto;display:block}\
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:14px}\
figure{margin:0;border:1px solid #eee;border-radius:6px;padding:6px}\
figcaption{font-size:12px;color:#444;padding:2px 4px;word-break:break-word}\
.absent{color:#777;font-style:italic}.warn{background:#fff6e6;border-left:4px solid #dd7828;padding:6px 10px;margin:6px 0;font-size:14px}\
.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin:0 4px 0 10px;vertical-align:-1px}\
.legend{font-size:13px;color:#444;margin:6px 0 2px}.sw.ln{height:3px;vertical-align:3px}.heat td{text-align:center;min-width:38px}\
.off{color:#999}.note{font-size:13px;color:#555}\
footer{margin-top:40px;font-size:12px;color:#777;border-top:1px solid #eee;padding-top:8px}";

/// Everything the page shows, computed once.
pub(crate) struct Facts<'a> {
    scenario: &'a Scenario,
    eval: Evaluation,
    /// Why the plan's budget cannot be allocated (the figures are then at zero spend).
    unallocated: Option<String>,
    policy: OptimizePolicy,
    /// The optimum's evaluation, or why there is none.
    optimum: Result<Evaluation, String>,
    time: Option<TimeEvaluation>,
    warnings: Vec<Warning>,
    diagnosis: Option<Diagnosis>,
    /// Whether actuals were given (the diagnosis is skipped when the budget cannot be allocated).
    given_actuals: bool,
    simulation: Option<Simulation>,
    monte_carlo: MonteCarlo,
}

impl<'a> Facts<'a> {
    pub(crate) fn new(
        scenario: &'a Scenario,
        actuals: Option<&Actuals>,
        diagnose: DiagnoseOptions,
        policy: Option<&OptimizePolicy>,
        monte_carlo: MonteCarlo,
    ) -> Result<Facts<'a>, Error> {
        let plan = scenario.plan();
        // A plan whose budget cannot be spent (no module, every module off, maxima too low) is
        // shown at zero spend with the reason, rather than refused: that is what needs fixing.
        let (alloc, unallocated) = match plan.allocate() {
            Ok(alloc) => (alloc, None),
            Err(e) => (Allocation::from_spend(plan, vec![0.0; plan.module_count()])?, Some(e.to_string())),
        };
        let eval = plan.evaluate_allocation(&alloc)?;
        let policy = policy.cloned().unwrap_or_else(|| plan.budget_policy().optimizing());
        let optimum = if plan.module_count() == 0 {
            Err("the plan has no module".to_owned())
        } else if !plan.modules().any(|m| m.is_active()) {
            Err("no module is active".to_owned())
        } else {
            match plan.optimize(&policy) {
                Ok(best) => Ok(plan.evaluate_allocation(best.allocation())?),
                Err(e) => Err(format!("the optimizer found no allocation: {e}")),
            }
        };
        let (time, warnings, diagnosis, simulation) = if unallocated.is_some() {
            // Time, actuals and the Monte Carlo all start from the allocation.
            (None, Vec::new(), None, None)
        } else {
            let time = scenario.evaluate_time().transpose()?;
            let warnings = scenario.warnings()?;
            let diagnosis =
                actuals.map(|a| Diagnosis::new(plan, scenario.time(), a, diagnose)).transpose()?;
            let simulation = if scenario.uncertainty().is_empty() {
                None
            } else if scenario.time().is_some() {
                scenario.simulate_over_time(monte_carlo).transpose()?
            } else {
                Some(scenario.simulate(monte_carlo)?)
            };
            (time, warnings, diagnosis, simulation)
        };
        Ok(Facts {
            scenario,
            eval,
            unallocated,
            policy,
            optimum,
            time,
            warnings,
            diagnosis,
            given_actuals: actuals.is_some(),
            simulation,
            monte_carlo,
        })
    }

    fn plan(&self) -> &'a Plan {
        self.scenario.plan()
    }

    /// The whole document.
    pub(crate) fn write(&self) -> Result<String, PageError> {
        let plan = self.plan();
        let mut out = String::with_capacity(256 * 1024);
        let name = escape(plan.name());
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{name} — offergraph report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <header><h1>{name}</h1><p class=\"sub\">Budget plan report: {} modules, budget {}</p>\n\
             <nav><a href=\"#summary\">Summary</a><a href=\"#plan\">Plan</a><a href=\"#curves\">Response curves</a>\
             <a href=\"#allocation\">Allocation</a><a href=\"#rollups\">Rollups</a><a href=\"#weekly\">Weekly ROMI</a>\
             <a href=\"#cohorts\">Cohorts</a><a href=\"#diagnosis\">Diagnosis</a><a href=\"#risk\">Risk</a></nav></header>\n",
            plan.module_count(),
            amount(plan.budget().get()),
        );
        self.summary(&mut out);
        self.plan_table(&mut out);
        self.curves(&mut out)?;
        self.allocation(&mut out)?;
        self.rollups(&mut out)?;
        self.weekly(&mut out)?;
        self.cohorts(&mut out);
        self.diagnosis(&mut out)?;
        self.risk(&mut out)?;
        let _ = write!(
            out,
            "<footer>Made by offergraph {} from the plan “{name}”. ROMI = (gross profit − spend) / spend; \
             marginal ROMI = v·r′(s) − 1 with v = conversion · deal value · margin. \
             Each section and its formulas: docs/report.md.</footer>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION"),
        );
        Ok(out)
    }

    /// Why a section is left out: `missing` when its input is missing, else that the budget
    /// cannot be allocated.
    fn absent(&self, missing: &'static str, given: bool) -> &'static str {
        if given && self.unallocated.is_some() {
            "the plan's budget cannot be allocated (see the summary)"
        } else {
            missing
        }
    }

    fn optimum(&self) -> Option<&Evaluation> {
        self.optimum.as_ref().ok()
    }

    fn summary(&self, out: &mut String) {
        let t = self.eval.total();
        let mut cards = vec![
            ("Budget", amount(self.plan().budget().get())),
            ("Spend", amount(t.spend)),
            ("Leads", amount(t.leads)),
            ("Deals", amount(t.deals)),
            ("Gross profit", amount(t.gross_profit)),
            ("Profit (GP − spend)", amount(t.profit())),
            ("ROMI", percent(t.romi())),
        ];
        if let Some(o) = self.optimum() {
            cards.push(("ROMI at the optimum", percent(o.total().romi())));
            cards.push(("Profit at the optimum", amount(o.total().profit())));
        }
        if let Some(time) = &self.time {
            cards.push(("Full-cycle ROMI", percent(time.full_cycle_romi())));
        }
        if let Some(sim) = &self.simulation {
            cards.push(("P(loss)", probability(sim.total().p_loss)));
        }
        out.push_str("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
        for (k, v) in cards {
            let _ =
                write!(out, "<div class=\"card\"><div class=\"k\">{k}</div><div class=\"v\">{v}</div></div>");
        }
        out.push_str("</div>\n");
        if let Some(why) = &self.unallocated {
            let _ = writeln!(
                out,
                "<p class=\"warn\">the budget cannot be allocated: {}; figures are at zero spend</p>",
                escape(why)
            );
        }
        for w in &self.warnings {
            let _ = writeln!(out, "<p class=\"warn\">{}</p>", escape(&w.to_string()));
        }
        out.push_str("</section>\n");
    }

    fn plan_table(&self, out: &mut String) {
        let plan = self.plan();
        let opt = self.optimum();
        out.push_str(
            "<section id=\"plan\"><h2>Plan</h2><p class=\"note\">Each module as allocated by the plan's budget \
             policy; the optimum's spend and marginal ROMI beside it. CPL = spend / leads; ROMI = (GP − spend) / spend.</p>\
             <div class=\"scroll\"><table><tr><th class=\"l\">module</th><th>spend</th><th>leads</th><th>CPL</th>\
             <th>deals</th><th>gross profit</th><th>ROMI</th><th>marginal ROMI</th><th>optimal spend</th>\
             <th>marginal ROMI at optimum</th></tr>\n",
        );
        for (i, (m, f)) in plan.modules().zip(self.eval.modules()).enumerate().take(MAX_ROWS) {
            let o = opt.and_then(|o| o.modules().get(i));
            let off = if m.is_active() { "" } else { " class=\"off\"" };
            let _ = writeln!(
                out,
                "<tr{off}><td class=\"l k\">{}{}</td>{}<td>{}</td><td>{}</td><td>{}</td></tr>",
                key(m.key()),
                if m.is_active() { "" } else { " (off)" },
                figure_cells(&f.figures),
                percent(f.marginal_romi()),
                o.map_or(DASH.to_owned(), |o| amount(o.figures.spend)),
                percent(o.and_then(|o| o.marginal_romi())),
            );
        }
        let t = self.eval.total();
        let _ = writeln!(
            out,
            "<tr class=\"total\"><td class=\"l\">total</td>{}<td></td><td>{}</td><td></td></tr></table></div>",
            figure_cells(t),
            opt.map_or(DASH.to_owned(), |o| amount(o.total().spend)),
        );
        if plan.module_count() > MAX_ROWS {
            let _ = writeln!(
                out,
                "<p class=\"note\">The first {MAX_ROWS} of {} modules, in plan order.</p>",
                plan.module_count()
            );
        }
        if plan.module_count() == 0 {
            out.push_str("<p class=\"absent\">The plan has no module yet.</p>");
        }
        out.push_str("</section>\n");
    }

    /// Plan positions of the modules to draw: the largest spend (current or optimal) first,
    /// ties in plan order, then back in plan order.
    fn charted(&self) -> Vec<usize> {
        let spend = |i: usize| {
            let now = self.eval.modules()[i].figures.spend;
            let best = self.optimum().and_then(|o| o.modules().get(i)).map_or(0.0, |o| o.figures.spend);
            now.max(best)
        };
        let mut order: Vec<usize> = (0..self.eval.modules().len()).collect();
        if order.len() > MAX_CHARTS {
            order.sort_by(|&a, &b| spend(b).total_cmp(&spend(a)).then(a.cmp(&b)));
            order.truncate(MAX_CHARTS);
            order.sort_unstable();
        }
        order
    }

    fn how_many(&self, shown: usize) -> String {
        let n = self.plan().module_count();
        if shown < n {
            format!(
                "<p class=\"note\">The {shown} modules with the largest spend (current or optimal) of {n}.</p>"
            )
        } else {
            String::new()
        }
    }

    fn legend(&self) -> String {
        let mut entries = vec![
            ("response curve r(s)", palette::CURRENT, "line"),
            ("current spend (the plan)", palette::CURRENT, "box"),
        ];
        if self.optimum().is_some() {
            entries.push(("optimal spend", palette::OPTIMAL, "box"));
        }
        entries.push(("break-even, dashed: leads = spend / v (ROMI 0)", palette::BREAK_EVEN, "line"));
        charts::legend(&entries)
    }

    fn curves(&self, out: &mut String) -> Result<(), PageError> {
        let plan = self.plan();
        out.push_str(
            "<section id=\"curves\"><h2>Response curves</h2><p class=\"note\">Expected leads r(s) for each spend s, \
             with the module's current and optimal spend. Marginal ROMI v·r′(s) − 1 is what the next unit of spend returns; \
             at an interior optimum it is the same for every funded module.</p>",
        );
        if plan.module_count() == 0 {
            left_out(out, "the plan has no module");
            return Ok(());
        }
        out.push_str(&self.legend());
        let modules: Vec<_> = plan.modules().collect();
        let charted = self.charted();
        out.push_str("<div class=\"grid\">\n");
        for &i in &charted {
            let m = &modules[i];
            let f = &self.eval.modules()[i];
            let o = self.optimum().and_then(|o| o.modules().get(i));
            let curve = &m.economics().curve;
            let now = f.figures.spend;
            let best = o.map(|o| o.figures.spend);
            let mut x_max = 1.6 * now.max(best.unwrap_or(0.0));
            if !(x_max > 0.0 && x_max.is_finite()) {
                let fallback = plan.budget().get() / plan.module_count().max(1) as f64;
                x_max = if fallback > 0.0 && fallback.is_finite() { fallback } else { 1.0 };
            }
            let points: Vec<(f64, f64)> = (0..=CURVE_POINTS)
                .map(|k| {
                    let s = x_max * k as f64 / CURVE_POINTS as f64;
                    (s, curve.leads(s))
                })
                .collect();
            let svg = charts::curve(
                &points,
                f.value_per_lead,
                (now, f.figures.leads),
                o.map(|o| (o.figures.spend, o.figures.leads)),
            )?;
            let _ = writeln!(
                out,
                "<figure>{svg}<figcaption><b>{}</b>{}<br>spend {}{} · leads {} · ROMI {} · marginal ROMI {}{}</figcaption></figure>",
                key(m.key()),
                if m.is_active() { "" } else { " (off)" },
                amount(now),
                best.map_or(String::new(), |b| format!(" → {} optimal", amount(b))),
                amount(f.figures.leads),
                percent(f.figures.romi()),
                percent(f.marginal_romi()),
                o.map_or(String::new(), |o| format!(" → {} at the optimum", percent(o.marginal_romi()))),
            );
        }
        out.push_str("</div>\n");
        out.push_str(&self.how_many(charted.len()));
        out.push_str("</section>\n");
        Ok(())
    }

    fn objective_text(&self) -> String {
        let objective = match self.policy.objective() {
            Objective::MaxProfit => "max profit (gross profit − spend)".to_owned(),
            Objective::MaxValueFixedBudget { measure } => {
                format!("the most {} for the budget", measure_name(measure))
            }
            Objective::MinSpendForTarget { measure, target } => {
                format!("the least spend for {} {}", amount(target), measure_name(measure))
            }
            Objective::TargetMarginalRomi(r) => format!("a marginal ROMI of {}", percent(Some(r))),
            Objective::TargetAverageRomi(r) => format!("an average ROMI of {}", percent(Some(r))),
        };
        let budget = match self.policy.budget_kind() {
            BudgetKind::Exactly => "the budget spent exactly",
            BudgetKind::AtMost => "the budget at most",
        };
        format!("{objective}, {budget}")
    }

    fn allocation(&self, out: &mut String) -> Result<(), PageError> {
        out.push_str("<section id=\"allocation\"><h2>Allocation before and after</h2>");
        let best = match &self.optimum {
            Ok(best) => best,
            Err(why) => {
                left_out(out, &escape(why));
                return Ok(());
            }
        };
        let (now, opt) = (self.eval.total(), best.total());
        let _ = write!(
            out,
            "<p class=\"note\">The plan's spend per module against the optimum of {}: profit {} → {}, ROMI {} → {}.</p>",
            self.objective_text(),
            amount(now.profit()),
            amount(opt.profit()),
            percent(now.romi()),
            percent(opt.romi()),
        );
        if self.scenario.time().is_some() {
            out.push_str(
                "<p class=\"note\">The optimum is static: one period, without the time model's sales capacity, lags or \
                 seasonality (give a policy with a capacity to respect the desk, or optimise over time with \
                 <code>TimeModel::optimize</code>).</p>",
            );
        }
        let charted = self.charted();
        let keys: Vec<&str> = self.plan().modules().map(|m| m.key()).collect();
        let labels: Vec<String> = charted.iter().map(|&i| keys[i].to_owned()).collect();
        let pick = |e: &Evaluation| charted.iter().map(|&i| e.modules()[i].figures.spend).collect::<Vec<_>>();
        let svg = charts::bars(
            "Spend per module: plan vs optimum",
            "spend",
            &labels,
            &[
                Bars { name: "plan", color: palette::CURRENT, values: pick(&self.eval) },
                Bars { name: "optimum", color: palette::OPTIMAL, values: pick(best) },
            ],
        )?;
        out.push_str(&svg);
        out.push_str(&self.how_many(charted.len()));
        out.push_str("</section>\n");
        Ok(())
    }

    /// Channel first, then every tag name in order of first appearance (parts, then modules).
    fn groupings(&self) -> Vec<GroupBy> {
        let plan = self.plan();
        let mut names: Vec<&str> = Vec::new();
        let mut add = |tags: &'a crate::Tags| {
            for k in tags.keys() {
                if !names.contains(&k.as_str()) {
                    names.push(k);
                }
            }
        };
        plan.parts::<crate::Segment>().for_each(|p| add(p.tags()));
        plan.parts::<crate::ValueProposition>().for_each(|p| add(p.tags()));
        plan.parts::<crate::Offer>().for_each(|p| add(p.tags()));
        plan.parts::<crate::Channel>().for_each(|p| add(p.tags()));
        plan.modules().for_each(|m| add(m.tags()));
        std::iter::once(GroupBy::Part(PartKind::Channel))
            .chain(names.into_iter().map(|n| GroupBy::Tag(n.to_owned())))
            .collect()
    }

    fn rollups(&self, out: &mut String) -> Result<(), PageError> {
        let plan = self.plan();
        out.push_str(
            "<section id=\"rollups\"><h2>Rollups</h2><p class=\"note\">The figures summed by channel and by every tag \
             (a region is a tag); ratios are ratios of sums.</p>",
        );
        if plan.module_count() == 0 {
            left_out(out, "the plan has no module");
            return Ok(());
        }
        for by in self.groupings() {
            let title = match &by {
                GroupBy::Part(kind) => format!("by {}", kind.name()),
                GroupBy::Tag(name) => format!("by tag “{name}”"),
            };
            // The evaluations were made for this plan: rollups cannot be stale.
            let now = self.eval.rollup(plan, &by).unwrap_or_default();
            let best = self.optimum().map(|o| o.rollup(plan, &by).unwrap_or_default());
            let _ = writeln!(
                out,
                "<h3>{}</h3><div class=\"scroll\"><table><tr><th class=\"l\">group</th><th>spend</th><th>leads</th><th>CPL</th>\
                 <th>gross profit</th><th>ROMI</th><th>optimal spend</th><th>ROMI at optimum</th></tr>",
                escape(&title)
            );
            for (key, f) in &now {
                let o: Option<&Figures> = best.as_ref().and_then(|b| b.get(key));
                let _ = writeln!(
                    out,
                    "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(key),
                    amount(f.spend),
                    amount(f.leads),
                    f.cpl().map_or(DASH.to_owned(), amount),
                    amount(f.gross_profit),
                    percent(f.romi()),
                    o.map_or(DASH.to_owned(), |o| amount(o.spend)),
                    percent(o.and_then(Figures::romi)),
                );
            }
            out.push_str("</table></div>\n");
            let labels: Vec<String> = now.keys().cloned().collect();
            let mut series = vec![Bars {
                name: "plan",
                color: palette::CURRENT,
                values: now.values().map(|f| f.spend).collect(),
            }];
            if let Some(b) = &best {
                series.push(Bars {
                    name: "optimum",
                    color: palette::OPTIMAL,
                    values: labels.iter().map(|k| b.get(k).map_or(0.0, |f| f.spend)).collect(),
                });
            }
            out.push_str(&charts::bars(&format!("Spend {title}"), "spend", &labels, &series)?);
        }
        out.push_str("</section>\n");
        Ok(())
    }

    fn weekly(&self, out: &mut String) -> Result<(), PageError> {
        out.push_str("<section id=\"weekly\"><h2>Weekly ROMI: naive vs full cycle</h2>");
        let Some(time) = &self.time else {
            left_out(out, self.absent("the scenario has no time model", self.scenario.time().is_some()));
            return Ok(());
        };
        let unit = time.unit().to_owned();
        let _ = write!(
            out,
            "<p class=\"note\">Naive: the gross profit of the deals that close in a {unit} over that {unit}'s spend, as a \
             dashboard shows it. Full cycle: the gross profit every deal a {unit}'s leads eventually bring, over that {unit}'s \
             spend — the figure to steer on when decisions take weeks. Full-cycle ROMI of the horizon: {}; ROMI of what \
             closes within it: {}.</p>",
            percent(time.full_cycle_romi()),
            percent(time.in_horizon().romi()),
        );
        let svg = charts::lines(
            &format!("ROMI per {unit}"),
            &unit,
            &[
                Line { name: "naive (closed this period)", color: palette::NAIVE, values: time.naive_romi() },
                Line {
                    name: "full cycle",
                    color: palette::CURRENT,
                    values: time.full_cycle_romi_by_period(),
                },
            ],
        )?;
        out.push_str(&svg);
        out.push_str("</section>\n");
        Ok(())
    }

    fn cohorts(&self, out: &mut String) {
        out.push_str("<section id=\"cohorts\"><h2>Cohorts</h2>");
        let Some(time) = &self.time else {
            left_out(out, self.absent("the scenario has no time model", self.scenario.time().is_some()));
            return;
        };
        let c = time.cohort();
        let n = c.periods();
        let unit = escape(time.unit());
        // Within the horizon and after it are shaded on their own scales (blue and grey): the
        // late cohorts' deals after the horizon would otherwise wash out the pattern within it.
        let within =
            (0..n).flat_map(|l| (0..n).map(move |k| (l, k))).map(|(l, k)| c.deals(l, k)).fold(0.0, f64::max);
        let after = (0..n).map(|l| c.deals(l, n)).fold(0.0, f64::max);
        let _ = write!(
            out,
            "<p class=\"note\">Deals by the {unit} of the lead (rows) and the {unit} the deal closes (columns). The darker \
             the cell, the more deals; “after” (grey, on its own scale) holds the deals that close beyond the horizon, \
             which the full-cycle ROMI counts and a dashboard of the horizon never sees.</p><div class=\"scroll\">\
             <table class=\"heat\"><tr><th class=\"l\">lead {unit}</th>"
        );
        for k in 0..n {
            let _ = write!(out, "<th>{}</th>", k + 1);
        }
        out.push_str("<th>after</th><th>total</th></tr>\n");
        let blue = palette::CURRENT;
        let grey = palette::NAIVE;
        for l in 0..n {
            let _ = write!(out, "<tr><td class=\"l\">{}</td>", l + 1);
            for k in 0..=n {
                let d = c.deals(l, k);
                let (max, colour) = if k < n { (within, blue) } else { (after, grey) };
                let share = if max > 0.0 && d.is_finite() { (d / max).clamp(0.0, 1.0) } else { 0.0 };
                // Cells that would read 0.00 stay blank.
                if share > 0.0005 && d >= 0.005 {
                    let ink = if share > 0.55 { "#fff" } else { "#282828" };
                    let _ = write!(
                        out,
                        "<td style=\"background:rgba({},{},{},{share:.3});color:{ink}\">{}</td>",
                        colour.0,
                        colour.1,
                        colour.2,
                        amount(d)
                    );
                } else {
                    out.push_str("<td></td>");
                }
            }
            let _ = writeln!(out, "<td><b>{}</b></td></tr>", amount(c.row_deals(l)));
        }
        out.push_str("</table></div></section>\n");
    }

    fn diagnosis(&self, out: &mut String) -> Result<(), PageError> {
        out.push_str("<section id=\"diagnosis\"><h2>Diagnosis of actuals</h2>");
        let Some(d) = &self.diagnosis else {
            left_out(out, self.absent("no actuals were given", self.given_actuals));
            return Ok(());
        };
        let _ = writeln!(
            out,
            "<p class=\"note\">As of period {}, each module's weak link (delivery, cost, capacity, conversion or deal value) \
             named when the evidence suffices, with the probability that it falls short of plan, and the verdict on full-cycle \
             ROMI (target {}); “none” means no link is short with enough evidence yet.</p>\
             <div class=\"scroll\"><table><tr><th class=\"l\">module</th><th>periods</th><th>verdict</th><th>P(verdict)</th>\
             <th>Weak link</th><th>P(weak link)</th><th>full-cycle ROMI P50 [P10, P90]</th><th class=\"l\">reason</th></tr>",
            d.as_of_period() + 1,
            percent(Some(d.options().target_romi())),
        );
        let mut rows = Vec::new();
        for m in d.modules() {
            let romi = m.full_cycle_romi.map_or(DASH.to_owned(), |q| {
                format!("{} [{}, {}]", percent(Some(q.p50)), percent(Some(q.p10)), percent(Some(q.p90)))
            });
            let _ = writeln!(
                out,
                "<tr><td class=\"l k\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{romi}</td>\
                 <td class=\"l\">{}</td></tr>",
                key(&m.key),
                m.periods,
                m.verdict.name().replace('_', " "),
                probability(m.verdict_probability),
                m.weak_link.map_or("none", |l| l.name()).replace('_', " "),
                if m.weak_link.is_some() { probability(m.probability) } else { DASH.to_owned() },
                escape(&m.reason),
            );
            if let Some(q) = m.full_cycle_romi {
                rows.push(Band { label: m.key.clone(), p10: q.p10, p50: q.p50, p90: q.p90 });
            }
        }
        out.push_str("</table></div>\n");
        if !rows.is_empty() && rows.len() <= MAX_CHARTS {
            out.push_str(&charts::bands(
                "Full-cycle ROMI to date, posterior P10–P90",
                "full-cycle ROMI",
                &rows,
            )?);
        }
        out.push_str("</section>\n");
        Ok(())
    }

    fn risk(&self, out: &mut String) -> Result<(), PageError> {
        out.push_str("<section id=\"risk\"><h2>Risk: P10–P90 bands</h2>");
        let Some(sim) = &self.simulation else {
            let why = self
                .absent("the scenario has no uncertainty section", !self.scenario.uncertainty().is_empty());
            left_out(out, why);
            return Ok(());
        };
        let _ = writeln!(
            out,
            "<p class=\"note\">Seeded Monte Carlo over the uncertainty section ({} draws, seed {}{}): profit and ROMI \
             as P10, P50 and P90, and the probability of a loss.</p><div class=\"scroll\"><table><tr><th class=\"l\">module</th>\
             <th>spend</th><th>profit P10</th><th>profit P50</th><th>profit P90</th><th>ROMI P10</th><th>ROMI P50</th>\
             <th>ROMI P90</th><th>P(loss)</th></tr>",
            amount(self.monte_carlo.draws() as f64),
            self.monte_carlo.seed(),
            if sim.is_over_time() { ", full cycle over the time model" } else { ", the plan as allocated" },
        );
        let plan = self.plan();
        let total = sim.total();
        let outcomes = plan.modules().map(|m| (m.key().to_owned(), false)).zip(sim.modules());
        let mut bands = vec![];
        for ((label, is_total), o) in outcomes.chain(std::iter::once((("total".to_owned(), true), total))) {
            let r = o.romi;
            let _ = writeln!(
                out,
                "<tr{}><td class=\"l k\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if is_total { " class=\"total\"" } else { "" },
                key(&label),
                amount(o.spend),
                amount(o.profit.p10),
                amount(o.profit.p50),
                amount(o.profit.p90),
                percent(r.map(|r| r.p10)),
                percent(r.map(|r| r.p50)),
                percent(r.map(|r| r.p90)),
                probability(o.p_loss),
            );
            if let Some(r) = r {
                bands.push(Band { label, p10: r.p10, p50: r.p50, p90: r.p90 });
            }
        }
        out.push_str("</table></div>\n");
        if bands.len() <= MAX_CHARTS + 1 && !bands.is_empty() {
            // The total on top.
            bands.rotate_right(1);
            out.push_str(&charts::bands("ROMI, P10–P90 across draws", "ROMI", &bands)?);
        }
        out.push_str("</section>\n");
        Ok(())
    }
}

fn measure_name(m: Measure) -> String {
    m.name().replace('_', " ")
}

/// The plan table's figure columns of a module or the total: spend, leads, CPL, deals, gross
/// profit and ROMI, one `<td>` each.
fn figure_cells(f: &Figures) -> String {
    format!(
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
        amount(f.spend),
        amount(f.leads),
        f.cpl().map_or(DASH.to_owned(), amount),
        amount(f.deals),
        amount(f.gross_profit),
        percent(f.romi()),
    )
}

/// Closes a section that does not apply with the one line saying why (`why`: HTML, escaped by
/// the caller where it holds user text).
fn left_out(out: &mut String, why: &str) {
    let _ = writeln!(out, "<p class=\"absent\">Left out: {why}.</p></section>");
}
