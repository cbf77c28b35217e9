//! The CPU inputs of `hvp_cpu_type`: `virsh capabilities` XML, the `virsh cpu-models` list,
//! and the per-host facts the cluster decision reads. No panic, same answer twice.
#![no_main]

use hvp_core::cpu::{cluster_cpu, host_cpu, parse_cpu_models};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first line is the model list (comma separated), the rest the capabilities XML.
    let (models, xml) = text.split_once('\n').unwrap_or(("", text));
    let models = parse_cpu_models(&models.replace(',', "\n"));
    let first = format!("{:?}", host_cpu(xml, &models));
    assert_eq!(first, format!("{:?}", host_cpu(xml, &models)));
    if let Ok(Value::Object(hosts)) = serde_json::from_str::<Value>(text) {
        let first = format!("{:?}", cluster_cpu(&hosts));
        assert_eq!(first, format!("{:?}", cluster_cpu(&hosts)));
    }
});
