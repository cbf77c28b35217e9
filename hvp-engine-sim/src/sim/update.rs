//! Update (`PUT`) and remove (`DELETE`) rules per collection.

use super::create::{cluster_usages, take_roles};
use super::defaults::add_profile;
use super::routes::CollDef;
use super::util::{any, attached_dc, canon, obj, refers, resolve, s, unique};
use super::{setupnetworks, Fault, Sim};
use serde_json::{json, Value};

type R<T> = Result<T, Fault>;

fn deep_merge(dst: &mut Value, patch: &Value) {
    match (dst, patch) {
        (Value::Object(d), Value::Object(p)) => {
            for (k, v) in p {
                let is_list_wrapper = v
                    .as_object()
                    .is_some_and(|o| o.len() == 1 && o.values().all(Value::is_array));
                match d.get_mut(k) {
                    Some(existing) if v.is_object() && !is_list_wrapper && existing.is_object() => {
                        deep_merge(existing, v)
                    }
                    _ => {
                        d.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (d, p) => *d = p.clone(),
    }
}

/// Apply a PUT; returns the collection and id holding the change.
pub fn update(
    sim: &mut Sim,
    coll: &str,
    d: &CollDef,
    id: &str,
    mut patch: Value,
) -> R<(String, String)> {
    let parent = coll.split('/').nth(1).unwrap_or_default().to_string();
    let read_only = matches!(
        d.pattern,
        "datacenters/{id}/storagedomains"
            | "hosts/{id}/nics"
            | "templates"
            | "clusterlevels"
            | "events"
            | "jobs"
    );
    if (!d.stored || read_only) && d.pattern != "hosts/{id}/nics/{id}/networkattachments" {
        return Err(Fault::new(
            405,
            "Method Not Allowed",
            format!("{} entities cannot be updated here", d.ty),
        ));
    }
    let cur = sim.lookup(coll, id)?;
    if let Some(name) = s(&patch, "name").map(str::to_string) {
        let scope_dc =
            s(cur.body.get("data_center").unwrap_or(&Value::Null), "id").map(str::to_string);
        match d.pattern {
            "networks" => unique(
                sim,
                coll,
                &name,
                "Network",
                &|e| {
                    scope_dc
                        .as_deref()
                        .is_some_and(|dc| refers(e, "data_center", dc))
                },
                Some(id),
            )?,
            "clusters/{id}/networks" => {}
            _ => unique(sim, coll, &name, d.ty, &any, Some(id))?,
        }
    }
    match d.pattern {
        "clusters/{id}/networks" => {
            let usages = match patch.get("usages") {
                Some(u) => cluster_usages(sim, id, Some(u)),
                None => cur
                    .body
                    .pointer("/usages/usage")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
            };
            take_roles(sim, coll, id, &usages);
            let e = sim
                .store
                .get_mut(coll, id)
                .ok_or_else(|| Fault::not_found(id.to_string()))?;
            for k in ["required", "display"] {
                if let Some(v) = patch.get(k) {
                    e.body[k] = v.clone();
                }
            }
            e.body["usages"] = json!({"usage": usages});
            return Ok((coll.to_string(), id.to_string()));
        }
        "hosts/{id}/networkattachments" | "hosts/{id}/nics/{id}/networkattachments" => {
            obj(&mut patch).insert("id".into(), json!(id));
            setupnetworks::apply(sim, &parent, vec![patch], Vec::new(), true)?;
            return Ok((format!("hosts/{parent}/networkattachments"), id.to_string()));
        }
        "clusters" => {
            if let Some(dcref) = patch.get("data_center").cloned() {
                let dc = resolve(sim, "datacenters", Some(&dcref), "DataCenter", &any)?;
                obj(&mut patch).insert("data_center".into(), json!({"id": dc}));
            }
            if let Some(list) = patch
                .pointer("/external_network_providers/external_provider")
                .and_then(Value::as_array)
                .cloned()
            {
                let mut ids = Vec::new();
                for p in &list {
                    ids.push(json!({"id": resolve(sim, "openstacknetworkproviders", Some(p), "Provider", &any)?}));
                }
                obj(&mut patch).insert(
                    "external_network_providers".into(),
                    json!({"external_provider": ids}),
                );
            }
        }
        "hosts" => {
            let m = obj(&mut patch);
            m.remove("root_password");
            if let Some(cref) = m.get("cluster").cloned() {
                let cl = resolve(sim, "clusters", Some(&cref), "Cluster", &any)?;
                obj(&mut patch).insert("cluster".into(), json!({"id": cl}));
            }
        }
        "openstacknetworkproviders" | "hosts/{id}/fenceagents" => {
            if let Some(p) = obj(&mut patch).remove("password") {
                if let Some(e) = sim.store.get_mut(coll, id) {
                    e.meta.insert("password".into(), p);
                }
            }
        }
        "vms/{id}/nics" => {
            if let Some(p) = patch.get("vnic_profile").cloned() {
                let pid = resolve(sim, "vnicprofiles", Some(&p), "VnicProfile", &any)?;
                obj(&mut patch).insert("vnic_profile".into(), json!({"id": pid}));
            }
        }
        "vms" => {
            for (k, c) in [("cluster", "clusters"), ("template", "templates")] {
                if let Some(r) = patch.get(k).cloned() {
                    let rid = resolve(sim, c, Some(&r), k, &any)?;
                    obj(&mut patch).insert(k.into(), json!({"id": rid}));
                }
            }
        }
        "networks" => {
            if let Some(m) = patch.as_object_mut() {
                m.remove("data_center");
            }
        }
        _ => {}
    }
    let mut body = cur.body.clone();
    deep_merge(&mut body, &patch);
    let body = canon(d.ty, body)?;
    let became_vm = d.pattern == "networks"
        && body
            .pointer("/usages/usage")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|u| u == "vm"))
        && !sim
            .store
            .list("vnicprofiles")
            .iter()
            .any(|p| refers(p, "network", id));
    if let Some(e) = sim.store.get_mut(coll, id) {
        e.body = body.clone();
    }
    if became_vm {
        add_profile(sim, id, s(&body, "name").unwrap_or_default());
    }
    Ok((coll.to_string(), id.to_string()))
}

/// Apply a DELETE.
pub fn remove(sim: &mut Sim, coll: &str, d: &CollDef, id: &str) -> R<()> {
    let parent = coll.split('/').nth(1).unwrap_or_default().to_string();
    let cur = sim.lookup(coll, id)?;
    let st = s(&cur.body, "status").unwrap_or_default().to_string();
    match d.pattern {
        "hosts"
            if !matches!(
                st.as_str(),
                "maintenance" | "install_failed" | "non_operational" | "down"
            ) =>
        {
            return Err(Fault::conflict(
                "remove",
                "Host",
                &format!(
                    "Host {} must be in Maintenance, it is {st}.",
                    s(&cur.body, "name").unwrap_or_default()
                ),
            ));
        }
        "vms" => {
            if cur.body.get("delete_protected") == Some(&json!(true)) {
                return Err(Fault::conflict("remove", "VM", "Delete protection is enabled. In order to delete, disable Delete protection first."));
            }
            if st != "down" {
                return Err(Fault::conflict("remove", "VM", "VM is running."));
            }
            let atts: Vec<String> = sim
                .store
                .list(&format!("vms/{id}/diskattachments"))
                .iter()
                .map(|a| a.id.clone())
                .collect();
            for a in atts {
                sim.store.remove("disks", &a);
            }
        }
        "vms/{id}/diskattachments" => {
            sim.store.remove("disks", id);
        }
        "clusters" => {
            let busy = sim
                .store
                .list("hosts")
                .iter()
                .any(|h| refers(h, "cluster", id))
                || sim
                    .store
                    .list("vms")
                    .iter()
                    .any(|v| refers(v, "cluster", id));
            if busy {
                return Err(Fault::conflict(
                    "remove",
                    "Cluster",
                    "Cluster is not empty (hosts or VMs).",
                ));
            }
        }
        "datacenters"
            if !sim
                .store
                .list(&format!("datacenters/{id}/storagedomains"))
                .is_empty() =>
        {
            return Err(Fault::conflict(
                "remove",
                "Data Center",
                "Storage Domains are attached to the Data Center.",
            ));
        }
        "storagedomains" if attached_dc(sim, id).is_some() => {
            return Err(Fault::conflict(
                "remove",
                "Storage",
                "Storage Domain is attached to a Data Center; detach it first.",
            ));
        }
        "datacenters/{id}/storagedomains" => {
            if st != "maintenance" {
                return Err(Fault::conflict(
                    "detach",
                    "Storage",
                    &format!("Storage Domain status is {st}, it must be Maintenance."),
                ));
            }
            if let Some(sd) = sim.store.get_mut("storagedomains", id) {
                sd.body["status"] = json!("unattached");
            }
        }
        "clusters/{id}/networks"
            if cur
                .body
                .pointer("/usages/usage")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|u| u == "management")) =>
        {
            return Err(Fault::conflict(
                "detach",
                "Network",
                "The management network cannot be detached from the Cluster.",
            ));
        }
        "networks" => {
            let used = sim
                .store
                .colls
                .iter()
                .filter(|(k, _)| k.ends_with("/networkattachments"))
                .any(|(_, v)| v.iter().any(|a| refers(a, "network", id)));
            if used {
                return Err(Fault::conflict(
                    "remove",
                    "Network",
                    "The Network is attached to hosts.",
                ));
            }
            let clusters: Vec<String> = sim
                .store
                .list("clusters")
                .iter()
                .map(|c| c.id.clone())
                .collect();
            for c in clusters {
                sim.store.remove(&format!("clusters/{c}/networks"), id);
            }
            let profiles: Vec<String> = sim
                .store
                .list("vnicprofiles")
                .iter()
                .filter(|p| refers(p, "network", id))
                .map(|p| p.id.clone())
                .collect();
            for p in profiles {
                sim.store.remove("vnicprofiles", &p);
            }
        }
        "hosts/{id}/networkattachments" | "hosts/{id}/nics/{id}/networkattachments" => {
            setupnetworks::apply(sim, &parent, Vec::new(), vec![id.to_string()], true)?;
            return Ok(());
        }
        "templates" => {
            return Err(Fault::conflict(
                "remove",
                "Template",
                "The Blank template cannot be removed.",
            ))
        }
        _ => {}
    }
    sim.store.remove(coll, id);
    Ok(())
}
