//! The desired Engine state from storage plans written by the producer (format 2 outputs of
//! the `compat` and `balanced` policies, copied from its snapshots): the view reads exactly the
//! contract's fields and ignores the rest.

use hvp_core::engine::{desired_state, EngineInputs, Storage};
use serde_json::{json, Value};

fn read(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn state_with(storage_plan: Value) -> hvp_core::engine::DesiredState {
    let inputs: EngineInputs = serde_json::from_value(json!({
        "vars": {"hosts": [{"name": "pinkiepie.mgmt.private"}, {"name": "applejack.mgmt.private"}]},
        "network_plan": read("../examples/engine/network-plan.json"),
        "storage_plan": storage_plan,
    }))
    .unwrap();
    desired_state(&inputs).unwrap()
}

#[test]
fn compat_three_nodes() {
    let state = state_with(read(
        "tests/fixtures/engine/storage-plan-compat-3nodes.json",
    ));
    let vmstore = &state.storage_domains[0];
    assert_eq!(
        vmstore.storage,
        Storage::Glusterfs {
            address: "node0.gluster.private".into(),
            path: "/vmstore".into(),
            mount_options:
                "backup-volfile-servers=node1.gluster.private,fetch-attempts=2,log-level=WARNING"
                    .into(),
        }
    );
    assert_eq!(state.storage_domains[1].name, "iso_domain");
    assert_eq!(state.hosted_engine.unwrap().storage_domain, "engine_domain");
}

#[test]
fn balanced_six_nodes_lists_every_other_data_node_once() {
    let state = state_with(read(
        "tests/fixtures/engine/storage-plan-balanced-6nodes.json",
    ));
    let Storage::Glusterfs {
        address,
        mount_options,
        ..
    } = &state.storage_domains[0].storage
    else {
        panic!("vmstore is not on Gluster")
    };
    assert_eq!(address, "n1");
    assert_eq!(
        mount_options,
        "backup-volfile-servers=n3:n4:n5:n2,fetch-attempts=2,log-level=WARNING"
    );
    assert_eq!(
        state.storage_domains.len(),
        1,
        "no iso volume: no ISO domain"
    );
}
