//! Lead routing among sales reps: the same lead flow under different distribution policies.
//!
//! Each rep has a capacity (leads per period) and a conversion rate. A policy decides how many
//! of a period's leads each rep receives; a rep processes at most its capacity, and the rest of
//! what it received is lost. Expected deals are `Σ processed × conversion`.

use crate::error::TimeError;
use crate::numerics::ranges;

/// A sales rep: leads it can process per period and its lead→deal conversion.
///
/// # Example
/// ```
/// use offergraph::time::Rep;
/// let anna = Rep::new("anna", 40.0, 0.27)?;
/// assert_eq!((anna.capacity(), anna.conversion()), (40.0, 0.27));
/// assert_eq!(Rep::new("bob", 40.0, 1.4).unwrap_err().to_string(),
///     "rep \"bob\" conversion must be 0 or a number in [1e-9, 1], found 1.4");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Rep {
    key: String,
    capacity: f64,
    conversion: f64,
}

impl Rep {
    /// A rep handling up to `capacity` leads a period, converting a share `conversion` of them.
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] for a capacity outside [`ranges::COUNT`]
    /// or a conversion outside [`ranges::RATE`].
    ///
    /// ```
    /// assert!(offergraph::time::Rep::new("x", f64::NAN, 0.1).is_err());
    /// ```
    pub fn new(key: impl Into<String>, capacity: f64, conversion: f64) -> Result<Rep, TimeError> {
        let key = key.into();
        let invalid = |what: &str, found: f64, expected| TimeError::InvalidValue {
            what: format!("rep \"{key}\" {what}"),
            found,
            expected,
        };
        let capacity = ranges::COUNT.check(capacity).map_err(|e| invalid("capacity", capacity, e))?;
        let conversion = ranges::RATE.check(conversion).map_err(|e| invalid("conversion", conversion, e))?;
        Ok(Rep { key, capacity, conversion })
    }

    /// The rep's key.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Rep::new("anna", 1.0, 0.1)?.key(), "anna");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Leads per period.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Rep::new("anna", 12.0, 0.1)?.capacity(), 12.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn capacity(&self) -> f64 {
        self.capacity
    }

    /// Lead→deal conversion.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Rep::new("anna", 12.0, 0.1)?.conversion(), 0.1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn conversion(&self) -> f64 {
        self.conversion
    }
}

/// How a period's leads are distributed among reps.
///
/// ```
/// use offergraph::time::RoutingPolicy;
/// assert_eq!(RoutingPolicy::ALL.len(), 3);
/// assert_eq!(RoutingPolicy::BestFirst.name(), "best_first");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RoutingPolicy {
    /// Every rep gets the same share, whatever its capacity (what a simple queue does).
    #[default]
    RoundRobin,
    /// Best-converting rep first, up to its capacity, then the next best.
    BestFirst,
    /// Shares proportional to capacity.
    CapacityProportional,
}

impl RoutingPolicy {
    /// Every policy, in a fixed order.
    pub const ALL: [RoutingPolicy; 3] =
        [RoutingPolicy::RoundRobin, RoutingPolicy::BestFirst, RoutingPolicy::CapacityProportional];

    /// Lowercase name (`"round_robin"`, `"best_first"`, `"capacity_proportional"`).
    ///
    /// ```
    /// assert_eq!(offergraph::time::RoutingPolicy::RoundRobin.name(), "round_robin");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            RoutingPolicy::RoundRobin => "round_robin",
            RoutingPolicy::BestFirst => "best_first",
            RoutingPolicy::CapacityProportional => "capacity_proportional",
        }
    }
}

/// A team of reps to route leads among.
///
/// # Example
/// ```
/// use offergraph::time::{Rep, Routing, RoutingPolicy};
/// let team = Routing::new(vec![Rep::new("anna", 30.0, 0.27)?, Rep::new("bob", 30.0, 0.14)?])?;
/// let outcomes = team.compare(&[40.0, 70.0])?;
/// let best = outcomes.iter().max_by(|a, b| a.deals.total_cmp(&b.deals)).unwrap();
/// assert_eq!(best.policy, RoutingPolicy::BestFirst);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Routing {
    reps: Vec<Rep>,
}

/// What one policy does with a lead flow.
///
/// Per-rep series are laid out `[rep * periods + t]`.
///
/// ```
/// use offergraph::time::{Rep, Routing, RoutingPolicy};
/// let team = Routing::new(vec![Rep::new("anna", 10.0, 0.5)?])?;
/// let o = team.route(RoutingPolicy::RoundRobin, &[15.0])?;
/// assert_eq!((o.processed[0], o.lost, o.deals), (10.0, 5.0, 5.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct RoutingOutcome {
    /// The policy.
    #[serde(serialize_with = "policy_name")]
    pub policy: RoutingPolicy,
    /// Number of periods of the flow.
    pub periods: usize,
    /// Leads each rep received per period.
    pub assigned: Vec<f64>,
    /// Leads each rep processed per period (at most its capacity).
    pub processed: Vec<f64>,
    /// Expected deals per period.
    pub deals_per_period: Vec<f64>,
    /// Leads lost per period.
    pub lost_per_period: Vec<f64>,
    /// Expected deals over the flow.
    pub deals: f64,
    /// Leads lost over the flow.
    pub lost: f64,
}

fn policy_name<S: serde::Serializer>(p: &RoutingPolicy, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(p.name())
}

impl Routing {
    /// A team of reps.
    ///
    /// # Errors
    /// [`TimeError::AllZero`] without reps; [`TimeError::Duplicate`] when two reps share a key.
    ///
    /// ```
    /// use offergraph::time::{Rep, Routing};
    /// let err = Routing::new(vec![Rep::new("a", 1.0, 0.1)?, Rep::new("a", 2.0, 0.1)?]).unwrap_err();
    /// assert_eq!(err.to_string(), "duplicate rep \"a\" in the time model");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(reps: Vec<Rep>) -> Result<Routing, TimeError> {
        if reps.is_empty() {
            return Err(TimeError::AllZero { what: "reps".into() });
        }
        for (i, r) in reps.iter().enumerate() {
            if reps[..i].iter().any(|q| q.key == r.key) {
                return Err(TimeError::Duplicate { entity: "rep", key: r.key.clone() });
            }
        }
        Ok(Routing { reps })
    }

    /// The reps.
    ///
    /// ```
    /// use offergraph::time::{Rep, Routing};
    /// assert_eq!(Routing::new(vec![Rep::new("a", 1.0, 0.1)?])?.reps().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reps(&self) -> &[Rep] {
        &self.reps
    }

    /// Routes a lead flow (leads arriving per period) by one policy.
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] for a NaN, infinite or negative lead count.
    ///
    /// # Complexity
    /// `O(T · R log R)` for `T` periods and `R` reps.
    ///
    /// ```
    /// use offergraph::time::{Rep, Routing, RoutingPolicy};
    /// let team = Routing::new(vec![Rep::new("a", 10.0, 0.3)?, Rep::new("b", 30.0, 0.1)?])?;
    /// // 40 leads: round robin gives 20 each, so "a" loses 10; by capacity nobody loses any.
    /// assert_eq!(team.route(RoutingPolicy::RoundRobin, &[40.0])?.lost, 10.0);
    /// assert_eq!(team.route(RoutingPolicy::CapacityProportional, &[40.0])?.lost, 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route(&self, policy: RoutingPolicy, leads: &[f64]) -> Result<RoutingOutcome, TimeError> {
        if let Some((t, &x)) = leads.iter().enumerate().find(|(_, x)| !(x.is_finite() && **x >= 0.0)) {
            return Err(TimeError::InvalidValue {
                what: format!("leads to route in period {t}"),
                found: x,
                expected: "a finite number >= 0",
            });
        }
        let (n, periods) = (self.reps.len(), leads.len());
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| self.reps[b].conversion.total_cmp(&self.reps[a].conversion));
        let total_cap: f64 = self.reps.iter().map(|r| r.capacity).sum();
        let mut out = RoutingOutcome {
            policy,
            periods,
            assigned: vec![0.0; n * periods],
            processed: vec![0.0; n * periods],
            deals_per_period: vec![0.0; periods],
            lost_per_period: vec![0.0; periods],
            deals: 0.0,
            lost: 0.0,
        };
        for (t, &l) in leads.iter().enumerate() {
            let mut given = vec![0.0; n];
            match policy {
                RoutingPolicy::RoundRobin => given.iter_mut().for_each(|g| *g = l / n as f64),
                RoutingPolicy::BestFirst => {
                    let mut left = l;
                    for &r in &order {
                        let x = left.min(self.reps[r].capacity);
                        given[r] = x;
                        left -= x;
                    }
                    // Leads nobody can take still reach the best rep's queue (and are lost there).
                    given[order[0]] += left.max(0.0);
                }
                RoutingPolicy::CapacityProportional => {
                    for (r, g) in given.iter_mut().enumerate() {
                        *g = if total_cap > 0.0 {
                            l * self.reps[r].capacity / total_cap
                        } else {
                            l / n as f64
                        };
                    }
                }
            }
            for (r, rep) in self.reps.iter().enumerate() {
                let done = given[r].min(rep.capacity);
                out.assigned[r * periods + t] = given[r];
                out.processed[r * periods + t] = done;
                out.deals_per_period[t] += done * rep.conversion;
                out.lost_per_period[t] += given[r] - done;
            }
            out.deals += out.deals_per_period[t];
            out.lost += out.lost_per_period[t];
        }
        Ok(out)
    }

    /// Routes the same lead flow by every policy ([`RoutingPolicy::ALL`] order).
    ///
    /// # Errors
    /// As [`Routing::route`].
    ///
    /// ```
    /// use offergraph::time::{Rep, Routing};
    /// let team = Routing::new(vec![Rep::new("a", 10.0, 0.3)?])?;
    /// assert_eq!(team.compare(&[5.0, 5.0])?.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compare(&self, leads: &[f64]) -> Result<Vec<RoutingOutcome>, TimeError> {
        RoutingPolicy::ALL.iter().map(|&p| self.route(p, leads)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;
    use proptest::prelude::*;

    #[test]
    fn three_policies_by_hand() {
        // anna: 30 leads at 27%; bob: 50 leads at 14%. 60 leads arrive.
        let team = Routing::new(vec![
            Rep::new("anna", 30.0, 0.27).expect("valid"),
            Rep::new("bob", 50.0, 0.14).expect("valid"),
        ])
        .expect("valid");
        let [rr, best, prop] =
            [RoutingPolicy::RoundRobin, RoutingPolicy::BestFirst, RoutingPolicy::CapacityProportional]
                .map(|p| team.route(p, &[60.0]).expect("valid"));
        // Round robin: 30 each, both within capacity: 30·0.27 + 30·0.14.
        assert!(tol::approx_eq(rr.deals, 12.3, 1e-12));
        // Best first: anna 30, bob 30 — the same here.
        assert!(tol::approx_eq(best.deals, 12.3, 1e-12));
        // By capacity: 22.5 and 37.5.
        assert!(tol::approx_eq(prop.deals, 22.5 * 0.27 + 37.5 * 0.14, 1e-12));
        assert!(tol::approx_eq(prop.lost, 0.0, 1e-12));
        // 100 leads: round robin gives anna 50 (20 lost); best first fills anna then bob (20 lost).
        let rr = team.route(RoutingPolicy::RoundRobin, &[100.0]).expect("valid");
        assert!(tol::approx_eq(rr.lost, 20.0, 1e-12));
        assert!(tol::approx_eq(rr.deals, 30.0 * 0.27 + 50.0 * 0.14, 1e-12));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn no_policy_processes_more_than_reps_can(
            reps in proptest::collection::vec((0.0..100.0f64, 0.0..1.0f64), 1..6),
            leads in proptest::collection::vec(0.0..400.0f64, 1..10),
        ) {
            let team = Routing::new(reps.iter().enumerate()
                .map(|(i, &(c, v))| Rep::new(format!("r{i}"), c, v).expect("valid")).collect()).expect("valid");
            for o in team.compare(&leads).expect("valid") {
                for (r, rep) in team.reps().iter().enumerate() {
                    for t in 0..leads.len() {
                        prop_assert!(o.processed[r * leads.len() + t] <= rep.capacity() * (1.0 + 1e-12));
                    }
                }
                let done: f64 = o.processed.iter().sum();
                prop_assert!(tol::approx_eq(done + o.lost, leads.iter().sum::<f64>(), 1e-9));
                let best: f64 = team.reps().iter().map(|r| r.capacity() * r.conversion()).sum();
                prop_assert!(o.deals <= best * leads.len() as f64 + 1e-9);
            }
        }
    }
}
