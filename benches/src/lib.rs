//! Benchmarks of the interaction core; see `benches/`.
