//! Entity actions (`POST …/{id}/{action}`) and their state rules.

use super::routes::pattern_of;
use super::util::resolve;
use super::{setupnetworks, Fault, Reply, Req, Sim};
use serde_json::{json, Value};

type R<T> = Result<T, Fault>;

fn done() -> Reply {
    Reply::One {
        status: 200,
        tag: "action".into(),
        value: json!({"status": "complete"}),
    }
}

fn status(sim: &Sim, coll: &str, id: &str) -> String {
    sim.lookup(coll, id)
        .ok()
        .and_then(|e| {
            e.body
                .get("status")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_default()
}

fn set(sim: &mut Sim, coll: &str, id: &str, st: &str) {
    sim.store.cancel(coll, id, "status");
    if let Some(e) = sim.store.get_mut(coll, id) {
        e.body["status"] = json!(st);
    }
}

/// Run action `action` on `coll/id`.
pub fn run(sim: &mut Sim, coll: &str, id: &str, action: &str, body: &Value, req: &Req) -> R<Reply> {
    sim.lookup(coll, id)?;
    let st = status(sim, coll, id);
    let list = |k: &str, item: &str| {
        body.get(k)
            .and_then(|w| w.get(item))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    match (pattern_of(coll).as_str(), action) {
        ("hosts", "activate") => {
            if !matches!(st.as_str(), "maintenance" | "non_operational" | "down") {
                return Err(Fault::conflict(
                    "activate",
                    "Host",
                    &format!("Host status is {st}."),
                ));
            }
            set(sim, coll, id, "activating");
            sim.store
                .schedule(coll, id, "status", false, 1, json!("up"));
        }
        ("hosts", "deactivate") => {
            if !matches!(
                st.as_str(),
                "up" | "non_operational" | "non_responsive" | "install_failed"
            ) {
                return Err(Fault::conflict(
                    "deactivate",
                    "Host",
                    &format!("Host status is {st}."),
                ));
            }
            set(sim, coll, id, "preparing_for_maintenance");
            sim.store
                .schedule(coll, id, "status", false, 1, json!("maintenance"));
        }
        ("hosts", "install") | ("hosts", "upgrade") => {
            if !matches!(
                st.as_str(),
                "maintenance" | "install_failed" | "non_operational" | "down"
            ) {
                return Err(Fault::conflict(
                    action,
                    "Host",
                    &format!("Host must be in Maintenance, it is {st}."),
                ));
            }
            if body.get("deploy_hosted_engine") == Some(&json!(true))
                || req.qbool("deploy_hosted_engine") == Some(true)
            {
                if let Some(h) = sim.store.get_mut(coll, id) {
                    h.meta.insert("deploy_hosted_engine".into(), json!(true));
                }
            }
            set(sim, coll, id, "installing");
            let activate = body
                .get("activate")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            super::schedule_install_end(sim, coll, id, activate);
        }
        ("hosts", "setupnetworks") => {
            let removed: Vec<String> = list("removed_network_attachments", "network_attachment")
                .iter()
                .filter_map(|a| a.get("id").and_then(Value::as_str).map(str::to_string))
                .collect();
            setupnetworks::apply_bonds(
                sim,
                id,
                &list("modified_bonds", "host_nic"),
                &list("removed_bonds", "host_nic"),
            )?;
            let commit = body
                .get("commit_on_success")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let mut modified = list("modified_network_attachments", "network_attachment");
            modified.extend(list(
                "synchronized_network_attachments",
                "network_attachment",
            ));
            setupnetworks::apply(sim, id, modified, removed, commit)?;
        }
        ("hosts", "commitnetconfig") => {
            if let Some(h) = sim.store.get_mut(coll, id) {
                h.meta.remove("net_config_dirty");
            }
        }
        ("hosts", "syncallnetworks") | ("hosts", "refresh") => {}
        ("datacenters/{id}/storagedomains", "activate") => {
            if !matches!(st.as_str(), "maintenance" | "inactive" | "unknown") {
                return Err(Fault::conflict(
                    "activate",
                    "Storage",
                    &format!("Storage Domain status is {st}."),
                ));
            }
            set(sim, coll, id, "activating");
            sim.store
                .schedule(coll, id, "status", false, 1, json!("active"));
        }
        ("datacenters/{id}/storagedomains", "deactivate") => {
            if st != "active" {
                return Err(Fault::conflict(
                    "deactivate",
                    "Storage",
                    &format!("Storage Domain status is {st}."),
                ));
            }
            set(sim, coll, id, "preparing_for_maintenance");
            sim.store
                .schedule(coll, id, "status", false, 1, json!("maintenance"));
        }
        ("vms", "start") => {
            if st != "down" && st != "paused" && st != "suspended" {
                let why = if st == "image_locked" {
                    "VM is locked (image_locked)."
                } else {
                    "VM is running."
                };
                return Err(Fault::conflict("run", "VM", why));
            }
            set(sim, coll, id, "wait_for_launch");
            sim.store
                .schedule(coll, id, "status", false, 1, json!("powering_up"));
            sim.store
                .schedule(coll, id, "status", false, 2, json!("up"));
        }
        ("vms", "stop") | ("vms", "shutdown") => {
            if matches!(st.as_str(), "down" | "image_locked") {
                return Err(Fault::conflict(action, "VM", "VM is not running."));
            }
            set(sim, coll, id, "powering_down");
            sim.store
                .schedule(coll, id, "status", false, 1, json!("down"));
        }
        ("openstacknetworkproviders/{id}/networks", "import") => {
            let dc = resolve(
                sim,
                "datacenters",
                body.get("data_center"),
                "DataCenter",
                &|_| true,
            )?;
            let on = sim.lookup(coll, id)?;
            let name = on
                .body
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let provider = coll.split('/').nth(1).unwrap_or_default().to_string();
            let exists = sim.store.list("networks").iter().any(|n| {
                n.body.get("name").and_then(Value::as_str) == Some(name.as_str())
                    && n.body.pointer("/data_center/id").and_then(Value::as_str)
                        == Some(dc.as_str())
            });
            if exists {
                return Err(Fault::conflict(
                    "import",
                    "Network",
                    "The Network name is already in use in the Data Center.",
                ));
            }
            let nid = super::util::new_id();
            let nb = json!({"id": nid, "name": name, "data_center": {"id": dc}, "external_provider": {"id": provider}, "usages": {"usage": ["vm"]}, "mtu": 0, "stp": false});
            let nb = super::util::canon("Network", nb)?;
            sim.store.insert(
                "networks",
                crate::store::Entity {
                    id: nid.clone(),
                    body: nb,
                    meta: Default::default(),
                },
            );
            let pid = super::util::new_id();
            let pb = json!({"id": pid, "name": name, "network": {"id": nid}});
            sim.store.insert(
                "vnicprofiles",
                crate::store::Entity {
                    id: pid,
                    body: pb,
                    meta: Default::default(),
                },
            );
        }
        _ => {
            return Err(Fault::new(
                501,
                "Not Implemented",
                format!("hvp-engine-sim does not implement the `{action}` action of {coll}"),
            ));
        }
    }
    Ok(done())
}
