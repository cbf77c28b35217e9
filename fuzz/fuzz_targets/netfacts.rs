//! `hvp_network_facts`: Ansible interface facts and zone networks → the zone interfaces.
//! No panic, same answer twice, no raw control character in an error.
#![no_main]

use hvp_core::netfacts::{interfaces_from_facts, locate_zones, ZoneRequest};
use hvp_fuzz::assert_no_raw_control;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let zones: Vec<ZoneRequest> = value
        .get("zones")
        .and_then(Value::as_object)
        .map(|zones| {
            zones
                .iter()
                .filter_map(|(zone, net)| ZoneRequest::parse(zone, net.as_str()?).ok())
                .collect()
        })
        .unwrap_or_default();
    let facts = value.get("facts").unwrap_or(&value);
    match interfaces_from_facts(facts) {
        Ok(found) => {
            let first = format!("{:?}", locate_zones(&found.interfaces, &zones));
            assert_eq!(
                first,
                format!("{:?}", locate_zones(&found.interfaces, &zones))
            );
        }
        Err(error) => assert_no_raw_control("netfacts error", &error.to_string()),
    }
});
