//! Numeric helpers shared by every layer: the one place tolerances live.

pub mod tol;
