//! The umbrella error for callers that want `?` across layers.

use crate::error::{
    ActualsError, BudgetError, CurveError, ModelError, MoneyError, OptimizeError, PlanError, RateError,
    ReportError, TimeError, UncertaintyError,
};

/// Any offergraph error.
///
/// # Design
/// Each layer has its own enum so a caller can match on exactly what a call can return; this
/// wrapper is for callers that just want `?` across layers. Whichever layer passed it on, an
/// error arrives in the variant of the layer that raised it: a [`ModelError`] inside a
/// [`PlanError`], a [`BudgetError`] or a [`TimeError`] becomes `Error::Model`, so there is one
/// place to match it. Context a layer adds (the file a plan came from) is kept.
///
/// # Example
/// ```
/// use offergraph::optimize::{Objective, Problem, SolveOptions};
/// fn run() -> Result<f64, offergraph::Error> {
///     let plan = offergraph::sample::apartments()?;
///     let budget = offergraph::Money::new(plan.budget().get())?;
///     let solved = Problem::new(Objective::MaxProfit).solve(SolveOptions::new())?;
///     Ok(plan.evaluate()?.total().spend - budget.get() + solved.objective)
/// }
/// assert_eq!(run()?, 0.0);
/// # Ok::<(), offergraph::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A curve error.
    #[error(transparent)]
    Curve(#[from] CurveError),
    /// A model error.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A budget error.
    #[error(transparent)]
    Budget(BudgetError),
    /// A report error.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A plan-file error.
    #[error(transparent)]
    Plan(PlanError),
    /// A time-layer error.
    #[error(transparent)]
    Time(TimeError),
    /// An uncertainty or Monte Carlo error (boxed, so that it does not make every result of the
    /// crate larger).
    #[error(transparent)]
    Uncertainty(Box<UncertaintyError>),
    /// An optimizer error (a [`Problem`](crate::optimize::Problem) or its solve).
    #[error(transparent)]
    Optimize(#[from] OptimizeError),
    /// An invalid amount of money.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// An invalid rate.
    #[error(transparent)]
    Rate(#[from] RateError),
    /// An actuals table or its diagnosis.
    #[error(transparent)]
    Actuals(ActualsError),
    /// A selector, limit, objective or variant written as text that does not parse.
    #[error(transparent)]
    Syntax(#[from] crate::error::SyntaxError),
    /// The HTML report's options or charts (feature `report`).
    #[cfg(feature = "report")]
    #[cfg_attr(docsrs, doc(cfg(feature = "report")))]
    #[error(transparent)]
    Page(#[from] crate::error::PageError),
}

impl From<ActualsError> for Error {
    fn from(e: ActualsError) -> Error {
        match e {
            ActualsError::Time(t) => t.into(),
            ActualsError::Model(m) => Error::Model(m),
            e => Error::Actuals(e),
        }
    }
}

impl From<BudgetError> for Error {
    fn from(e: BudgetError) -> Error {
        match e {
            BudgetError::Policy(m) => Error::Model(m),
            BudgetError::Optimize(o) => Error::Optimize(o),
            e => Error::Budget(e),
        }
    }
}

impl From<TimeError> for Error {
    fn from(e: TimeError) -> Error {
        match e {
            TimeError::Budget(b) => b.into(),
            TimeError::Report(r) => Error::Report(r),
            TimeError::Optimize(o) => Error::Optimize(o),
            e => Error::Time(e),
        }
    }
}

impl From<UncertaintyError> for Error {
    fn from(e: UncertaintyError) -> Error {
        match e {
            UncertaintyError::Budget(b) => b.into(),
            UncertaintyError::Report(r) => Error::Report(r),
            UncertaintyError::Time(t) => (*t).into(),
            e => Error::Uncertainty(Box::new(e)),
        }
    }
}

impl From<PlanError> for Error {
    fn from(e: PlanError) -> Error {
        match e {
            PlanError::Model(m) => Error::Model(m),
            PlanError::Time(t) => t.into(),
            PlanError::Uncertainty(u) => (*u).into(),
            PlanError::Budget(b) => b.into(),
            e => Error::Plan(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_error_arrives_as_a_model_error_whichever_layer_passed_it() {
        let model = ModelError::EmptyKey { entity: "segment" };
        for e in [
            Error::from(model.clone()),
            Error::from(PlanError::Model(model.clone())),
            Error::from(BudgetError::Policy(model.clone())),
            Error::from(TimeError::Budget(BudgetError::Policy(model.clone()))),
            Error::from(PlanError::Time(TimeError::Budget(BudgetError::Policy(model.clone())))),
        ] {
            assert_eq!(e, Error::Model(model.clone()));
        }
        // Context stays: an error inside a named file is a plan error.
        let in_file = PlanError::InFile { path: "p.json".into(), source: Box::new(PlanError::Model(model)) };
        assert!(matches!(Error::from(in_file), Error::Plan(PlanError::InFile { .. })));
    }
}
