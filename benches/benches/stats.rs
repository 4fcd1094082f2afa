//! Benchmark: Cronbach's α with item statistics on 100,000 respondents × 30
//! items with 2 % missing answers (pairwise and listwise), data generated
//! deterministically; and a Wilcoxon test on 10,000 pairs.
#![allow(missing_docs, clippy::unwrap_used)]
use criterion::{criterion_group, criterion_main, Criterion};
use kompetens::stats::{cronbach_alpha, wilcoxon, AlphaOptions, MissingPolicy, WilcoxonOptions};
use ndarray::Array2;

/// xorshift64*: a small deterministic generator (no extra dependency).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Likert 1..=5 answers driven by one latent trait per respondent, so the
/// items correlate (α around 0.9), with `missing` share of NaN.
fn likert(n: usize, k: usize, missing: f64, seed: u64) -> Array2<f64> {
    let mut rng = Rng(seed);
    let mut data = Array2::<f64>::zeros((n, k));
    for mut row in data.rows_mut() {
        let trait_ = rng.unit() * 4.0;
        for v in row.iter_mut() {
            *v = if rng.unit() < missing {
                f64::NAN
            } else {
                (1.0 + trait_ + (rng.unit() - 0.5) * 2.0)
                    .round()
                    .clamp(1.0, 5.0)
            };
        }
    }
    data
}

fn bench_stats(c: &mut Criterion) {
    let data = likert(100_000, 30, 0.02, 42);
    let mut group = c.benchmark_group("stats");
    group.sample_size(20);
    group.bench_function("cronbach_alpha pairwise 100k x 30, 2% missing", |b| {
        b.iter(|| cronbach_alpha(data.view(), &AlphaOptions::default()).unwrap())
    });
    // The same answers in column-major layout (as a pandas DataFrame hands
    // them over) and moved off whole numbers (the floating-point path).
    let fortran = data.t().as_standard_layout().into_owned().reversed_axes();
    group.bench_function("cronbach_alpha pairwise 100k x 30, column-major", |b| {
        b.iter(|| cronbach_alpha(fortran.view(), &AlphaOptions::default()).unwrap())
    });
    let fractional = data.mapv(|x| x + 0.25);
    group.bench_function(
        "cronbach_alpha pairwise 100k x 30, not whole numbers",
        |b| b.iter(|| cronbach_alpha(fractional.view(), &AlphaOptions::default()).unwrap()),
    );
    let listwise = AlphaOptions {
        missing: MissingPolicy::Listwise,
        ..AlphaOptions::default()
    };
    group.bench_function("cronbach_alpha listwise 100k x 30, 2% missing", |b| {
        b.iter(|| cronbach_alpha(data.view(), &listwise).unwrap())
    });
    let before: Vec<f64> = data.column(0).to_vec()[..10_000].to_vec();
    let after: Vec<f64> = data.column(1).to_vec()[..10_000].to_vec();
    group.bench_function("wilcoxon 10k pairs", |b| {
        b.iter(|| wilcoxon(&before, &after, &WilcoxonOptions::default()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench_stats);
criterion_main!(benches);
