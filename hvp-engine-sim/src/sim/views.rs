//! How stored entities are shown (attachments joined with what they attach) and the rules
//! that fire when a scheduled state change lands.

use super::util::{attached_dc, s};
use super::{setupnetworks, Sim};
use crate::store::{Entity, Transition};
use serde_json::{json, Value};

/// The body shown for an entity of `coll` (attachments joined with the entity they attach).
pub fn joined(sim: &Sim, coll: &str, e: &Entity) -> Value {
    let parts: Vec<&str> = coll.split('/').collect();
    match super::routes::pattern_of(coll).as_str() {
        "datacenters/{id}/storagedomains" => {
            let mut b = sim
                .store
                .get("storagedomains", &e.id)
                .map(|x| x.body.clone())
                .unwrap_or_else(|| json!({"id": e.id}));
            b["status"] = e.body["status"].clone();
            b["master"] = e.body.get("master").cloned().unwrap_or(json!(false));
            b["data_center"] = json!({"id": parts[1]});
            b["data_centers"] = json!({"data_center": [{"id": parts[1]}]});
            b
        }
        "clusters/{id}/networks" => {
            let mut b = sim
                .store
                .get("networks", &e.id)
                .map(|x| x.body.clone())
                .unwrap_or_else(|| json!({"id": e.id}));
            for k in ["required", "display", "usages"] {
                if let Some(v) = e.body.get(k) {
                    b[k] = v.clone();
                }
            }
            b["cluster"] = json!({"id": parts[1]});
            b
        }
        "storagedomains" => {
            let mut b = e.body.clone();
            if let Some(dc) = attached_dc(sim, &e.id) {
                if let Some(m) = b.as_object_mut() {
                    m.remove("status");
                    m.insert("data_centers".into(), json!({"data_center": [{"id": dc}]}));
                }
            }
            b
        }
        _ => e.body.clone(),
    }
}

/// Rules when a scheduled change lands.
pub fn on_transition(sim: &mut Sim, t: &Transition) {
    let pat = super::routes::pattern_of(&t.coll);
    match (pat.as_str(), t.key.as_str(), t.value.as_str()) {
        ("hosts", "status", Some("up")) => {
            setupnetworks::check_required(sim, &t.id, true);
            let name = sim
                .store
                .get("hosts", &t.id)
                .and_then(|h| s(&h.body, "name").map(str::to_string))
                .unwrap_or_default();
            let up = sim
                .store
                .get("hosts", &t.id)
                .is_some_and(|h| s(&h.body, "status") == Some("up"));
            if up {
                super::event(
                    sim,
                    13,
                    "normal",
                    format!("Host {name} is up."),
                    &[("host", &t.id)],
                );
            } else {
                super::event(
                    sim,
                    519,
                    "warning",
                    format!("Host {name} does not comply with the cluster networks."),
                    &[("host", &t.id)],
                );
            }
            if sim
                .store
                .get("hosts", &t.id)
                .is_some_and(|h| h.meta.get("deploy_hosted_engine") == Some(&json!(true)))
            {
                if let Some(h) = sim.store.get_mut("hosts", &t.id) {
                    h.body["hosted_engine"] = json!({"active": true, "configured": true, "global_maintenance": false, "local_maintenance": false, "score": 3400});
                }
            }
        }
        ("datacenters/{id}/storagedomains", "status", Some("active")) => {
            let dc = t.coll.split('/').nth(1).unwrap_or_default().to_string();
            let name = sim
                .store
                .get("storagedomains", &t.id)
                .and_then(|x| s(&x.body, "name").map(str::to_string))
                .unwrap_or_default();
            super::event(
                sim,
                966,
                "normal",
                format!("Storage Domain {name} was activated."),
                &[("storage_domain", &t.id), ("data_center", &dc)],
            );
            let is_data = sim
                .store
                .get("storagedomains", &t.id)
                .is_some_and(|sd| s(&sd.body, "type") == Some("data"));
            let dc_up = sim
                .store
                .get("datacenters", &dc)
                .is_some_and(|d| s(&d.body, "status") == Some("up"));
            if is_data && !dc_up {
                if let Some(d) = sim.store.get_mut("datacenters", &dc) {
                    d.body["status"] = json!("up");
                }
                if sim.cfg.vintage_he {
                    super::initial::import_hosted_engine(sim, &dc);
                }
            }
        }
        _ => {}
    }
}
