//! Snapshots of every rendered file for the 3-node compat example and the 6-node balanced
//! example (AD mode). Files identical on several nodes are snapshotted once, named after the
//! first node; files that differ (public_addresses, the lock mount) once per distinct content.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use hvp_core::fileservices::{plan, render, FileServicesInput};

fn example(name: &str) -> FileServicesInput {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(format!("fileservices-{name}.json"));
    let value: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    FileServicesInput::from_value(&value).unwrap()
}

fn snapshot_all(name: &str) {
    let plan = plan(&example(name)).unwrap();
    // path -> content -> first node
    let mut seen: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for member in &plan.members {
        for file in render::node_files(&plan, &member.name).unwrap() {
            seen.entry(file.path)
                .or_default()
                .entry(file.content)
                .or_insert_with(|| member.name.clone());
        }
    }
    for (path, contents) in seen {
        for (content, node) in contents {
            let short = node.split('.').next().unwrap_or(&node).to_string();
            let snapshot = format!("{name}__{short}__{}", path.replace('/', "_"));
            insta::assert_snapshot!(snapshot, content);
        }
    }
    insta::assert_snapshot!(format!("{name}__dns"), render::dns_records(&plan));
}

#[test]
fn three_nodes_compat() {
    snapshot_all("3nodes");
}

#[test]
fn six_nodes_balanced_ad() {
    snapshot_all("6nodes-balanced");
}
