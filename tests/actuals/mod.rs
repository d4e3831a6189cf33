//! The actuals layer: reading and checking tables (exact messages), the gap decomposition and
//! the conjugate updates worked by hand, calibration written back and loaded again, and the
//! diagnosis targets on simulated data (false alarms, power, interval coverage, stability).

mod fixtures;
mod known;
mod read;
mod simulate;
mod verdicts;
