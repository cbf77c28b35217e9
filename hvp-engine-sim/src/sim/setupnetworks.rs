//! Host network attachments: the `setupnetworks` rules and the required-network check.

use super::util::{canon, cluster_of_host, dc_of_cluster, new_id, new_mac};
use super::{Fault, Sim};
use crate::store::Entity;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

type R<T> = Result<T, Fault>;

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn cannot(why: String) -> Fault {
    Fault::conflict("setup", "Networks", &why)
}

/// Bonds to create or change: `host_nic{name, bonding{slaves{host_nic[name|id]}, options}}`.
pub fn apply_bonds(sim: &mut Sim, host: &str, bonds: &[Value], removed: &[Value]) -> R<()> {
    let coll = format!("hosts/{host}/nics");
    for b in removed {
        let id = find_nic(sim, host, b)?;
        sim.store.remove(&coll, &id);
    }
    for b in bonds {
        let Some(name) = s(b, "name") else {
            return Err(cannot("A bond needs a name.".into()));
        };
        let slaves: Vec<Value> = b
            .pointer("/bonding/slaves/host_nic")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut slave_ids = Vec::new();
        for sl in &slaves {
            slave_ids.push(json!({"id": find_nic(sim, host, sl)?}));
        }
        if slave_ids.len() < 2 && !slaves.is_empty() {
            return Err(cannot(format!("Bond {name} needs at least two slaves.")));
        }
        let options = b
            .pointer("/bonding/options")
            .cloned()
            .unwrap_or(json!({"option": []}));
        let existing = sim
            .store
            .list(&coll)
            .iter()
            .find(|n| s(&n.body, "name") == Some(name))
            .map(|n| n.id.clone());
        let id = existing.clone().unwrap_or_else(new_id);
        let body = json!({"id": id, "name": name, "bonding": {"options": options, "slaves": {"host_nic": slave_ids}},
                          "boot_protocol": "none", "bridged": false, "mac": {"address": new_mac()}, "mtu": 1500, "status": "up", "host": {"id": host}});
        let body = canon("HostNic", body)?;
        match existing {
            Some(_) => {
                if let Some(e) = sim.store.get_mut(&coll, &id) {
                    e.body = body;
                }
            }
            None => sim.store.insert(
                &coll,
                Entity {
                    id,
                    body,
                    meta: Map::new(),
                },
            ),
        }
    }
    Ok(())
}

fn find_nic(sim: &Sim, host: &str, r: &Value) -> R<String> {
    let coll = format!("hosts/{host}/nics");
    let hit = if let Some(id) = s(r, "id") {
        sim.store.get(&coll, id)
    } else if let Some(n) = s(r, "name") {
        sim.store.by_name(&coll, n)
    } else {
        return Err(cannot("A host NIC reference needs an id or a name.".into()));
    };
    hit.map(|e| e.id.clone()).ok_or_else(|| {
        cannot(format!(
            "Host NIC {} does not exist on the host.",
            s(r, "name").or(s(r, "id")).unwrap_or_default()
        ))
    })
}

/// Apply modified and removed attachments to a host as one transaction; returns the ids of the
/// modified attachments. `commit` false leaves the configuration unsaved until `commitnetconfig`.
pub fn apply(
    sim: &mut Sim,
    host: &str,
    modified: Vec<Value>,
    removed: Vec<String>,
    commit: bool,
) -> R<Vec<String>> {
    let status = sim
        .store
        .get("hosts", host)
        .and_then(|h| s(&h.body, "status").map(str::to_string))
        .unwrap_or_default();
    if !matches!(status.as_str(), "up" | "maintenance" | "non_operational") {
        return Err(cannot(format!(
            "Host status is {status}; it must be Up, Maintenance or NonOperational."
        )));
    }
    let cluster = cluster_of_host(sim, host).unwrap_or_default();
    let dc = dc_of_cluster(sim, &cluster).unwrap_or_default();
    let acoll = format!("hosts/{host}/networkattachments");
    let mut atts: Vec<Entity> = sim.store.list(&acoll).to_vec();
    for r in &removed {
        let before = atts.len();
        atts.retain(|a| &a.id != r);
        if atts.len() == before {
            return Err(cannot(format!(
                "Network attachment {r} does not exist on the host."
            )));
        }
    }
    let mut ids = Vec::new();
    for m in modified {
        let net = match m.get("network") {
            Some(n) => {
                let hit = sim.store.list("networks").iter().find(|e| {
                    e.body.pointer("/data_center/id").and_then(Value::as_str) == Some(dc.as_str())
                        && (s(n, "id") == Some(e.id.as_str())
                            || (s(n, "id").is_none()
                                && s(n, "name").is_some()
                                && s(n, "name") == s(&e.body, "name")))
                });
                hit.map(|e| e.id.clone()).ok_or_else(|| {
                    cannot(format!(
                        "Network {} does not exist in the host's Data Center.",
                        s(n, "name").or(s(n, "id")).unwrap_or_default()
                    ))
                })?
            }
            None => match s(&m, "id").and_then(|id| atts.iter().find(|a| a.id == id)) {
                Some(a) => a
                    .body
                    .pointer("/network/id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                None => return Err(cannot("A network attachment needs a network.".into())),
            },
        };
        if sim
            .store
            .get(&format!("clusters/{cluster}/networks"), &net)
            .is_none()
        {
            let name = sim
                .store
                .get("networks", &net)
                .and_then(|n| s(&n.body, "name").map(str::to_string))
                .unwrap_or_default();
            return Err(cannot(format!(
                "The following Networks are not attached to the Cluster: {name}."
            )));
        }
        let existing = match s(&m, "id") {
            Some(id) => Some(atts.iter().position(|a| a.id == id).ok_or_else(|| {
                cannot(format!(
                    "Network attachment {id} does not exist on the host."
                ))
            })?),
            None => atts.iter().position(|a| {
                a.body.pointer("/network/id").and_then(Value::as_str) == Some(net.as_str())
            }),
        };
        let nic = match m.get("host_nic") {
            Some(r) => find_nic(sim, host, r)?,
            None => match existing {
                Some(i) => atts[i]
                    .body
                    .pointer("/host_nic/id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                None => return Err(cannot("A new network attachment needs a host_nic.".into())),
            },
        };
        let mut body = match existing {
            Some(i) => atts[i].body.clone(),
            None => json!({"id": new_id()}),
        };
        for k in [
            "ip_address_assignments",
            "properties",
            "dns_resolver_configuration",
            "comment",
            "description",
        ] {
            if let Some(v) = m.get(k) {
                body[k] = v.clone();
            }
        }
        body["network"] = json!({"id": net});
        body["host_nic"] = json!({"id": nic});
        body["host"] = json!({"id": host});
        body["in_sync"] = json!(true);
        let body = canon("NetworkAttachment", body)?;
        let id = s(&body, "id").unwrap_or_default().to_string();
        match existing {
            Some(i) => atts[i].body = body,
            None => atts.push(Entity {
                id: id.clone(),
                body,
                meta: Map::new(),
            }),
        }
        ids.push(id);
    }
    // One untagged network per NIC.
    let mut untagged: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in &atts {
        let net = a
            .body
            .pointer("/network/id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let n = sim.store.get("networks", net);
        if n.is_some_and(|n| n.body.pointer("/vlan/id").is_none()) {
            let nic = a
                .body
                .pointer("/host_nic/id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            untagged.entry(nic).or_default().push(
                n.and_then(|n| s(&n.body, "name"))
                    .unwrap_or_default()
                    .to_string(),
            );
        }
    }
    if let Some((nic, nets)) = untagged.iter().find(|(_, v)| v.len() > 1) {
        let nic_name = sim
            .store
            .get(&format!("hosts/{host}/nics"), nic)
            .and_then(|n| s(&n.body, "name").map(str::to_string))
            .unwrap_or_default();
        return Err(cannot(format!(
            "Interface {nic_name} would carry more than one untagged network: {}.",
            nets.join(", ")
        )));
    }
    // Commit: attachments, NIC MTU and bridge flags, host flags.
    let ncoll = format!("hosts/{host}/nics");
    let nic_ids: Vec<String> = sim
        .store
        .list(&ncoll)
        .iter()
        .map(|n| n.id.clone())
        .collect();
    for nid in nic_ids {
        let on: Vec<&Entity> = atts
            .iter()
            .filter(|a| {
                a.body.pointer("/host_nic/id").and_then(Value::as_str) == Some(nid.as_str())
            })
            .collect();
        let mtu = on
            .iter()
            .filter_map(|a| {
                sim.store.get(
                    "networks",
                    a.body
                        .pointer("/network/id")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                )
            })
            .map(|n| {
                n.body
                    .get("mtu")
                    .and_then(Value::as_u64)
                    .filter(|m| *m > 0)
                    .unwrap_or(1500)
            })
            .max();
        let bridged = on.iter().any(|a| {
            sim.store
                .get(
                    "networks",
                    a.body
                        .pointer("/network/id")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                )
                .and_then(|n| n.body.pointer("/usages/usage"))
                .and_then(Value::as_array)
                .is_some_and(|u| u.iter().any(|x| x == "vm"))
        });
        if let Some(n) = sim.store.get_mut(&ncoll, &nid) {
            if let Some(m) = mtu {
                n.body["mtu"] = json!(m);
            }
            n.body["bridged"] = json!(bridged);
        }
    }
    sim.store.colls.insert(acoll, atts);
    if let Some(h) = sim.store.get_mut("hosts", host) {
        h.body["network_operation_in_progress"] = json!(true);
        if !commit {
            h.meta.insert("net_config_dirty".into(), json!(true));
        }
    }
    sim.store.schedule(
        "hosts",
        host,
        "network_operation_in_progress",
        false,
        2,
        json!(false),
    );
    check_required(sim, host, false);
    Ok(ids)
}

/// A host becoming up (`demote`) is `non_operational` while a required network of its cluster
/// has no attachment on it; a non-operational host is `up` again once all are attached.
pub fn check_required(sim: &mut Sim, host: &str, demote: bool) {
    let Some(h) = sim.store.get("hosts", host) else {
        return;
    };
    let st = s(&h.body, "status").unwrap_or_default().to_string();
    if !matches!(st.as_str(), "up" | "non_operational") {
        return;
    }
    let cluster = cluster_of_host(sim, host).unwrap_or_default();
    let attached: Vec<String> = sim
        .store
        .list(&format!("hosts/{host}/networkattachments"))
        .iter()
        .filter_map(|a| {
            a.body
                .pointer("/network/id")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    let missing: Vec<String> = sim
        .store
        .list(&format!("clusters/{cluster}/networks"))
        .iter()
        .filter(|n| n.body.get("required") == Some(&json!(true)) && !attached.contains(&n.id))
        .filter_map(|n| {
            sim.store
                .get("networks", &n.id)
                .and_then(|x| s(&x.body, "name").map(str::to_string))
        })
        .collect();
    if let Some(h) = sim.store.get_mut("hosts", host) {
        if missing.is_empty() {
            h.body["status"] = json!("up");
            if let Some(m) = h.body.as_object_mut() {
                m.remove("status_detail");
            }
        } else if demote || st == "non_operational" {
            h.body["status"] = json!("non_operational");
            h.body["status_detail"] = json!(format!(
                "network_unreachable: the host lacks required networks {}",
                missing.join(", ")
            ));
        }
    }
}
