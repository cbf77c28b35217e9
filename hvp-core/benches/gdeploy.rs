//! Plan + render of the gDeploy INI: the 3-node fixture, and a synthetic 3-node inventory with
//! 64 disks per node. Target: well under 1 ms for the 3-node case.

use criterion::{criterion_group, criterion_main, Criterion};
use hvp_core::gdeploy_gen::{generate, OutputFormat};
use serde_json::{json, Value};
use std::hint::black_box;

fn fixture() -> Value {
    serde_json::from_str(include_str!("../tests/fixtures/gdeploy/n3-d3-vdo.json"))
        .expect("the fixture is valid JSON")
}

fn synthetic(disks_per_node: usize) -> Value {
    let disks: Vec<Value> = (0..disks_per_node)
        .map(|i| json!({"name": format!("sd{}{}", (b'a' + (i / 26) as u8) as char, (b'a' + (i % 26) as u8) as char),
                         "size": 1_000_204_886_016u64 * (1 + (i as u64 % 8))}))
        .collect();
    json!({"nodes": (0..3).map(|n| json!({"name": format!("node{n}.gluster.private"), "hvp_free_disks": disks}))
               .collect::<Vec<_>>(),
           "vars": {"hvp_use_vdo": true}})
}

fn bench(c: &mut Criterion) {
    let three_nodes = fixture();
    let wide = synthetic(64);
    c.bench_function("plan+render ini, 3 nodes (n3-d3-vdo)", |b| {
        b.iter(|| generate(black_box(&three_nodes), OutputFormat::Ini).map(|g| g.output.len()))
    });
    c.bench_function("plan+render ini, 3 nodes x 64 disks", |b| {
        b.iter(|| generate(black_box(&wide), OutputFormat::Ini).map(|g| g.output.len()))
    });
    c.bench_function("plan+render json, 3 nodes x 64 disks", |b| {
        b.iter(|| generate(black_box(&wide), OutputFormat::Json).map(|g| g.output.len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
