//! Ansible module `hvp_network_facts`: the interface (NIC, bond or bridge) that carries each
//! zone on this host, with its address and prefix, from the host's interface facts and the zone
//! CIDRs. The matching is `hvp_core::netfacts`; this binary only reads options and prints.

use hvp_core::netfacts::{interfaces_from_facts, locate_zones, ZoneRequest};
use hvp_modules::ansible::{
    run, ArgumentSpec, ModuleFailure, ModuleResult, OptionKind, OptionSpec,
};
use serde_json::{Map, Value};
use std::process::ExitCode;

fn spec() -> ArgumentSpec {
    ArgumentSpec::new(vec![
        OptionSpec::new("interfaces", OptionKind::Dict).required(),
        OptionSpec::new("zones", OptionKind::Dict).required(),
    ])
}

/// The zone requests, in the order given; values must be strings (empty or null: absent).
fn zone_requests(zones: &Map<String, Value>) -> Result<Vec<ZoneRequest>, ModuleFailure> {
    zones
        .iter()
        .map(|(zone, value)| {
            let text = match value {
                Value::Null => String::new(),
                Value::String(text) => text.clone(),
                _ => {
                    return Err(ModuleFailure::new(format!(
                        "parameter 'zones': the value of zone {zone} must be a CIDR string such \
                         as 172.20.10.0/24 (or empty when the zone is absent)"
                    )))
                }
            };
            ZoneRequest::parse(zone, &text).map_err(|error| ModuleFailure::new(error.to_string()))
        })
        .collect()
}

fn main() -> ExitCode {
    run("hvp_network_facts", &spec(), |ctx| {
        let facts = ctx
            .params
            .value("interfaces")
            .cloned()
            .unwrap_or(Value::Null);
        let zones = ctx
            .params
            .value("zones")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let requests = zone_requests(&zones)?;
        let interfaces =
            interfaces_from_facts(&facts).map_err(|error| ModuleFailure::new(error.to_string()))?;
        let located = locate_zones(&interfaces.interfaces, &requests).map_err(|error| {
            ModuleFailure::new(error.to_string()).with(
                "interfaces_seen",
                interfaces
                    .interfaces
                    .iter()
                    .map(|i| i.name.clone())
                    .collect::<Vec<_>>(),
            )
        })?;
        // Zones in the order the task gave them.
        let mut located_map = Map::new();
        for request in &requests {
            if let Some(found) = located.get(&request.zone) {
                located_map.insert(
                    request.zone.clone(),
                    serde_json::to_value(found).unwrap_or(Value::Null),
                );
            }
        }
        let absent: Vec<String> = requests
            .iter()
            .filter(|r| r.network.is_none())
            .map(|r| r.zone.clone())
            .collect();
        let mut result = ModuleResult::new(false)
            .with("zones", Value::Object(located_map.clone()))
            .with("absent", &absent);
        for name in &interfaces.missing {
            result = result.warn(format!(
                "interface {name} is listed in the facts but has no facts of its own; it was \
                 not considered"
            ));
        }
        let mut facts = Map::new();
        facts.insert("hvp_network_zones".into(), Value::Object(located_map));
        Ok(result.facts(facts))
    })
}
