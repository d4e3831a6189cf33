//! The actuals layer: reading and checking tables (exact messages), the gap decomposition and
//! the conjugate updates worked by hand, calibration written back and loaded again (overrides and
//! the uncertainty section, whose Monte Carlo gives back the posteriors), and the
//! diagnosis targets on simulated data (false alarms, power, interval coverage, stability).

mod calibrated;
mod fixtures;
mod known;
mod read;
mod simulate;
mod verdicts;
