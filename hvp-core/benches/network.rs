//! Network planning: probe document → plan → kickstart lines. The 6-NIC fixture and a
//! synthetic node with 64 NICs in a 40-node cluster. Target: well under 1 ms each, so the
//! planner is never noticeable in a kickstart %pre.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::{plan_network, render, Mode};
use serde_json::json;

fn fixture() -> ProbeDocument {
    ProbeDocument::from_json(include_str!(
        "../tests/fixtures/network/n02-bonds-interleaved.json"
    ))
    .expect("the fixture is a valid probe document")
}

fn synthetic(nics: usize) -> ProbeDocument {
    let zones = ["mgmt", "gluster", "lan", "internal"];
    let nics: Vec<_> = (0..nics)
        .map(|n| {
            json!({"name": format!("eth{n}"), "carrier": n % 7 != 0, "max_mtu": 9000,
                        "reaches": [zones[n % 4]]})
        })
        .collect();
    serde_json::from_value(json!({"role": "node", "node_index": 3,
        "parameters": {"hvp_nodecount": "40", "hvp_mgmt": "10.0.0.0/16", "hvp_gluster_mtu": "9000"},
        "nics": nics}))
    .expect("the synthetic document is valid")
}

fn bench(c: &mut Criterion) {
    let small = fixture();
    let wide = synthetic(64);
    c.bench_function("network plan+kickstart, 6 NICs (n02), compat", |b| {
        b.iter(|| {
            plan_network(black_box(&small), Mode::Compat).map(|p| render::kickstart(&p).len())
        })
    });
    c.bench_function("network plan+kickstart, 64 NICs x 40 nodes, compat", |b| {
        b.iter(|| plan_network(black_box(&wide), Mode::Compat).map(|p| render::kickstart(&p).len()))
    });
    c.bench_function("network plan+json, 64 NICs x 40 nodes, default", |b| {
        b.iter(|| plan_network(black_box(&wide), Mode::Default).map(|p| render::json(&p).len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
