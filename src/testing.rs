//! Proptest strategies and invariant checkers (filled below).
