//! The cluster CPU: one vendor, and the model with the lowest index.

use super::CpuError;
use serde::Serialize;
use serde_json::{Map, Value};

/// The `hvp_cluster_cpu` fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterCpu {
    /// The vendor every host shares.
    pub vendor: String,
    /// The model with the lowest index.
    pub model: String,
    /// Its index in libvirt's model list.
    pub model_index: usize,
    /// The oVirt CPU type for hosted-engine (`model_` + model), as the original passed it.
    pub cpu_type: String,
    /// The first host (in input order) that has this model.
    pub host: String,
}

struct Entry {
    host: String,
    vendor: String,
    model: String,
    model_index: usize,
    arch: Option<String>,
}

/// Chooses the cluster CPU from every host's `hvp_cpu` fact (host name -> fact, in inventory
/// order). All vendors (and arches, where given) must be equal; the common model is the one
/// with the lowest index, compared as a number; ties go to the first host. Every problem is
/// reported at once, naming the host.
pub fn cluster_cpu(hosts: &Map<String, Value>) -> Result<ClusterCpu, CpuError> {
    if hosts.is_empty() {
        return Err(CpuError::NoHosts);
    }
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for (host, fact) in hosts {
        match entry(host, fact) {
            Ok(entry) => entries.push(entry),
            Err(problem) => problems.push(problem),
        }
    }
    problems.extend(disagreement(&entries, "vendor", |e| {
        Some(e.vendor.as_str())
    }));
    problems.extend(disagreement(&entries, "architecture", |e| {
        e.arch.as_deref()
    }));
    if !problems.is_empty() {
        return Err(CpuError::Hosts(problems));
    }
    let lowest = entries
        .iter()
        .min_by_key(|entry| entry.model_index)
        .ok_or(CpuError::NoHosts)?;
    Ok(ClusterCpu {
        vendor: lowest.vendor.clone(),
        model: lowest.model.clone(),
        model_index: lowest.model_index,
        cpu_type: format!("model_{}", lowest.model),
        host: lowest.host.clone(),
    })
}

fn entry(host: &str, fact: &Value) -> Result<Entry, String> {
    let object = fact.as_object().ok_or_else(|| {
        format!("host {host}: its hvp_cpu must be a dictionary with vendor, model and model_index")
    })?;
    let text = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    };
    let mut missing = Vec::new();
    let vendor = text("vendor");
    let model = text("model");
    if vendor.is_none() {
        missing.push("vendor");
    }
    if model.is_none() {
        missing.push("model");
    }
    let index = match object.get("model_index") {
        Some(Value::Number(number)) => number.as_u64().and_then(|n| usize::try_from(n).ok()),
        Some(Value::String(text)) => text.trim().parse::<usize>().ok(),
        _ => None,
    };
    match (vendor, model, index) {
        (Some(vendor), Some(model), Some(model_index)) => Ok(Entry {
            host: host.to_owned(),
            vendor,
            model,
            model_index,
            arch: text("arch"),
        }),
        (_, model, None) if missing.is_empty() => Err(format!(
            "host {host}: CPU model '{}' has no index in libvirt's model list (`virsh cpu-models`); \
             update libvirt on that host or remove it from the cluster",
            model.unwrap_or_default()
        )),
        _ => Err(format!(
            "host {host}: its hvp_cpu lacks {}; run hvp_cpu_type on that host first",
            if missing.is_empty() {
                "model_index".to_owned()
            } else {
                missing.join(" and ")
            }
        )),
    }
}

/// One problem line when the hosts disagree on a field: every value with its hosts, and the
/// odd hosts (those outside the largest group; on a tie, the first host's group wins).
fn disagreement(
    entries: &[Entry],
    what: &str,
    field: impl Fn(&Entry) -> Option<&str>,
) -> Option<String> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for entry in entries {
        let Some(value) = field(entry) else { continue };
        match groups.iter_mut().find(|(known, _)| *known == value) {
            Some((_, hosts)) => hosts.push(&entry.host),
            None => groups.push((value, vec![&entry.host])),
        }
    }
    if groups.len() < 2 {
        return None;
    }
    let majority = groups
        .iter()
        .enumerate()
        .max_by(|(ia, a), (ib, b)| a.1.len().cmp(&b.1.len()).then(ib.cmp(ia)))
        .map(|(index, _)| index)
        .unwrap_or(0);
    let odd: Vec<&str> = groups
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != majority)
        .flat_map(|(_, (_, hosts))| hosts.iter().copied())
        .collect();
    let listing: Vec<String> = groups
        .iter()
        .map(|(value, hosts)| format!("{value} on {}", hosts.join(", ")))
        .collect();
    Some(format!(
        "all hosts of a cluster must have the same CPU {what}, but found {}; odd host(s): {} \
         (put them in another cluster or replace them)",
        listing.join("; "),
        odd.join(", ")
    ))
}
