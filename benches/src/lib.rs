//! Benchmarks of kompetens live in `benches/`; see the README there.
