//! The balanced policy: plan, and plan + render, for 3 nodes, 64 nodes × 12 disks and
//! 600 nodes × 24 disks (sizes 2/4/8/12 TB in a fixed pattern, as `scripts/gen-facts.py`).
//! Prints the figures; `make bench` adds the whole-process figures of the CLI.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use hvp_core::facts::FactsDocument;
use hvp_core::gdeploy_gen::{generate, plan_layout, OutputFormat};
use serde_json::{json, Value};
use std::hint::black_box;
use std::time::Duration;

const SIZES: [u64; 4] = [
    2_000_398_934_016,
    4_000_787_030_016,
    8_001_563_222_016,
    12_000_138_625_024,
];

fn disk_name(index: usize) -> String {
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    let mut i = index + 1;
    let mut name = Vec::new();
    loop {
        name.insert(0, letters[i % 26]);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    format!("sd{}", String::from_utf8_lossy(&name))
}

/// `nodes` nodes with `disks` disks each.
pub fn synthetic(nodes: usize, disks: usize) -> Value {
    json!({
        "nodes": (0..nodes).map(|n| json!({
            "name": format!("node{n}.gluster.private"),
            "hvp_free_disks": (0..disks).map(|d| json!({
                "name": disk_name(d), "size": SIZES[(n + d) % SIZES.len()]})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "vars": {"hvp_layout_policy": "balanced"},
    })
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("balanced");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for (nodes, disks) in [(3usize, 3usize), (64, 12), (600, 24)] {
        let facts = synthetic(nodes, disks);
        let document = FactsDocument::from_value(&facts).expect("valid facts");
        let label = format!("{nodes}x{disks}");
        group.bench_with_input(
            BenchmarkId::new("plan", &label),
            &document,
            |b, document| {
                b.iter(|| plan_layout(black_box(document)).map(|plan| plan.volumes.len()))
            },
        );
        for format in [
            OutputFormat::Json,
            OutputFormat::Table,
            OutputFormat::Ini,
            OutputFormat::Commands,
            OutputFormat::GlusterAnsible,
        ] {
            group.bench_with_input(
                BenchmarkId::new(format!("plan+{}", format.name()), &label),
                &facts,
                |b, facts| b.iter(|| generate(black_box(facts), format).map(|g| g.output.len())),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
