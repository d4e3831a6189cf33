//! Optimal budget allocation: the solvers land here.
