//! What the benchmarks share.

pub mod incidents;
