//! Reading Ansible's interface facts (`ansible_facts.<iface>` as `setup` gathers them).

use std::net::Ipv4Addr;

use serde_json::{Map, Value};

use super::error::NetFactsError;

/// An IPv4 address with its prefix length, as one `ipv4` / `ipv4_secondaries` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Fact {
    /// The address.
    pub address: Ipv4Addr,
    /// Prefix length (from `prefix`, else from `netmask`).
    pub prefix: u8,
}

/// The facts of one interface that the zone lookup uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceFacts {
    /// Interface name (`device`, e.g. `eth0`, `bond0`, `ovirtmgmt`).
    pub name: String,
    /// Ansible's `type`: `ether`, `bonding`, `bridge`, `loopback`, ...
    pub kind: Option<String>,
    /// Ansible's `active`.
    pub active: Option<bool>,
    /// The primary IPv4 address.
    pub ipv4: Option<Ipv4Fact>,
    /// Further IPv4 addresses (`ipv4_secondaries`).
    pub ipv4_secondaries: Vec<Ipv4Fact>,
}

/// The interfaces read from a facts value, with notes on entries that were skipped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Interfaces {
    /// Interfaces sorted by name.
    pub interfaces: Vec<InterfaceFacts>,
    /// Interfaces listed in `interfaces` whose facts were not found.
    pub missing: Vec<String>,
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(_) => "a number".into(),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a dictionary".into(),
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn ipv4_fact(interface: &str, value: &Value) -> Result<Option<Ipv4Fact>, NetFactsError> {
    let bad = |problem: String| NetFactsError::BadInterface {
        interface: interface.to_owned(),
        problem,
    };
    let Some(entry) = value.as_object() else {
        return Err(bad(format!(
            "ipv4 must be a dictionary, got {}",
            describe(value)
        )));
    };
    let Some(address) = entry.get("address").and_then(text) else {
        return Ok(None);
    };
    let address: Ipv4Addr = address
        .parse()
        .map_err(|_| bad(format!("ipv4 address '{address}' is not an IPv4 address")))?;
    let prefix = match entry.get("prefix").and_then(text) {
        Some(prefix) => prefix
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= 32)
            .ok_or_else(|| bad(format!("ipv4 prefix '{prefix}' is not 0..32")))?,
        None => {
            let netmask = entry.get("netmask").and_then(text).unwrap_or_default();
            netmask
                .parse::<Ipv4Addr>()
                .ok()
                .and_then(|mask| ipnet::ipv4_mask_to_prefix(mask).ok())
                .ok_or_else(|| {
                    bad(format!(
                        "ipv4 of {address} has neither a prefix nor a valid netmask ('{netmask}')"
                    ))
                })?
        }
    };
    Ok(Some(Ipv4Fact { address, prefix }))
}

fn interface(key: &str, value: &Value) -> Result<InterfaceFacts, NetFactsError> {
    let facts = value
        .as_object()
        .ok_or_else(|| NetFactsError::BadInterface {
            interface: key.to_owned(),
            problem: format!("its facts must be a dictionary, got {}", describe(value)),
        })?;
    let name = facts
        .get("device")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| key.strip_prefix("ansible_").unwrap_or(key).to_owned());
    let ipv4 = match facts.get("ipv4") {
        Some(value) if !value.is_null() => ipv4_fact(&name, value)?,
        _ => None,
    };
    let mut ipv4_secondaries = Vec::new();
    if let Some(list) = facts.get("ipv4_secondaries").and_then(Value::as_array) {
        for entry in list {
            ipv4_secondaries.extend(ipv4_fact(&name, entry)?);
        }
    }
    Ok(InterfaceFacts {
        kind: facts.get("type").and_then(Value::as_str).map(str::to_owned),
        active: facts.get("active").and_then(Value::as_bool),
        ipv4,
        ipv4_secondaries,
        name,
    })
}

/// The key under which `setup` stores an interface's facts: `-` and `:` become `_`.
fn fact_key(name: &str) -> String {
    name.replace(['-', ':'], "_")
}

/// Looks up the interfaces of a whole `ansible_facts` (with or without `ansible_` prefixes).
fn from_whole_facts(
    facts: &Map<String, Value>,
    names: &[Value],
) -> Result<Interfaces, NetFactsError> {
    let mut found = Interfaces::default();
    for name in names.iter().filter_map(Value::as_str) {
        let key = fact_key(name);
        let value = facts
            .get(&key)
            .or_else(|| facts.get(&format!("ansible_{key}")))
            .or_else(|| facts.get(name));
        match value {
            Some(value) => found.interfaces.push(interface(name, value)?),
            None => found.missing.push(name.to_owned()),
        }
    }
    Ok(found)
}

/// Reads interface facts: either a host's whole `ansible_facts` (recognised by its
/// `interfaces` / `ansible_interfaces` list) or a dictionary of interface name → facts.
pub fn interfaces_from_facts(value: &Value) -> Result<Interfaces, NetFactsError> {
    let facts = value
        .as_object()
        .ok_or_else(|| NetFactsError::NotFacts(describe(value)))?;
    let listed = facts
        .get("interfaces")
        .or_else(|| facts.get("ansible_interfaces"))
        .and_then(Value::as_array);
    let mut found = match listed {
        Some(names) => from_whole_facts(facts, names)?,
        None => Interfaces {
            interfaces: facts
                .iter()
                .map(|(key, value)| interface(key, value))
                .collect::<Result<_, _>>()?,
            missing: Vec::new(),
        },
    };
    found.interfaces.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_dictionary_of_interfaces() {
        let found = interfaces_from_facts(&json!({
            "eth1": {"device": "eth1", "type": "ether", "active": true,
                     "ipv4": {"address": "172.20.11.10", "netmask": "255.255.255.0"},
                     "ipv4_secondaries": [{"address": "172.20.12.10", "prefix": "25"}]},
            "ansible_bond0": {"type": "bonding", "ipv4": {"address": "10.0.0.1", "prefix": 16}},
            "eth9": {"device": "eth9", "active": false}
        }))
        .unwrap();
        let names: Vec<_> = found.interfaces.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["bond0", "eth1", "eth9"]);
        assert_eq!(found.interfaces[0].ipv4.unwrap().prefix, 16);
        assert_eq!(found.interfaces[1].ipv4.unwrap().prefix, 24);
        assert_eq!(found.interfaces[1].ipv4_secondaries[0].prefix, 25);
        assert_eq!(found.interfaces[2].ipv4, None);
        assert_eq!(found.interfaces[1].kind.as_deref(), Some("ether"));
    }

    #[test]
    fn reads_whole_facts_with_and_without_prefix() {
        for facts in [
            json!({"interfaces": ["eth-a", "lo", "gone"], "eth_a": {"device": "eth-a"},
                   "lo": {"device": "lo"}, "hostname": "x"}),
            json!({"ansible_interfaces": ["eth-a", "lo", "gone"],
                   "ansible_eth_a": {"device": "eth-a"}, "ansible_lo": {"device": "lo"}}),
        ] {
            let found = interfaces_from_facts(&facts).unwrap();
            let names: Vec<_> = found.interfaces.iter().map(|i| i.name.as_str()).collect();
            assert_eq!(names, ["eth-a", "lo"]);
            assert_eq!(found.missing, ["gone"]);
        }
    }

    #[test]
    fn bad_facts_name_the_interface() {
        let error = interfaces_from_facts(&json!({"eth0": {"ipv4": {"address": "1.2.3"}}}))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("interface eth0") && error.contains("1.2.3"),
            "{error}"
        );
        let error = interfaces_from_facts(&json!({"eth0": {"ipv4": {"address": "1.2.3.4"}}}))
            .unwrap_err()
            .to_string();
        assert!(error.contains("netmask"), "{error}");
        let error = interfaces_from_facts(&json!(["eth0"]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("got a list"), "{error}");
    }
}
