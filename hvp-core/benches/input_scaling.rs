//! Input-size scaling (issue 11): each case at n and 4n, so a quadratic step shows as a 16x
//! time ratio instead of 4x. Cases: disks of one node (80,000 took 8 s when the duplicate
//! check was quadratic), duplicate disks (refused input), fragment arrays, unknown kernel
//! parameters. `cargo bench -p hvp-core --bench input_scaling` prints the figures.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use hvp_core::gdeploy_gen::{generate, OutputFormat};
use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::{plan_network, Mode};
use serde_json::{json, Value};
use std::hint::black_box;

fn disks(count: u64, duplicate: bool) -> Value {
    let disks: Vec<Value> = (0..count)
        .map(|i| {
            let name = if duplicate {
                "sdb".to_owned()
            } else {
                format!("sd{i}")
            };
            json!({"name": name, "size": (1u64 << 40) + i})
        })
        .collect();
    json!({"nodes": [{"name": "node0", "hvp_free_disks": disks}]})
}

fn probe(fragment: String, parameters: Value) -> ProbeDocument {
    serde_json::from_value(
        json!({"role": "node", "node_index": 0, "parameters": parameters,
        "fragments": [{"name": "f.sh", "text": fragment}],
        "nics": [{"name": "eth0", "carrier": true, "reaches": ["mgmt"]}]}),
    )
    .expect("a valid probe document")
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("input scaling");
    group.sample_size(10);
    for n in [5_000u64, 20_000] {
        let facts = disks(n, false);
        group.bench_with_input(BenchmarkId::new("disks of one node", n), &facts, |b, f| {
            b.iter(|| generate(black_box(f), OutputFormat::Ini).map(|g| g.output.len()))
        });
        let facts = disks(n, true);
        group.bench_with_input(BenchmarkId::new("duplicate disks", n), &facts, |b, f| {
            b.iter(|| generate(black_box(f), OutputFormat::Ini).is_err())
        });
        let array = format!(
            "x=( {} )\n",
            (0..n)
                .map(|i| format!("[k{i}]=v"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let doc = probe(array, json!({}));
        group.bench_with_input(BenchmarkId::new("fragment array", n), &doc, |b, d| {
            b.iter(|| plan_network(black_box(d), Mode::Compat).is_ok())
        });
        let parameters: serde_json::Map<String, Value> =
            (0..n).map(|i| (format!("hvp_x{i}"), json!("1"))).collect();
        let doc = probe(String::new(), Value::Object(parameters));
        group.bench_with_input(BenchmarkId::new("unknown parameters", n), &doc, |b, d| {
            b.iter(|| plan_network(black_box(d), Mode::Default).is_err())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
