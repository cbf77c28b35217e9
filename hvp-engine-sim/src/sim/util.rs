//! Small helpers shared by the entity rules: ids, MACs, references, uniqueness, defaults.

use super::{Fault, Sim};
use crate::schema::normalize;
use crate::store::Entity;
use serde_json::{json, Map, Value};

type R<T> = Result<T, Fault>;

/// A new UUID.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A new locally administered MAC address in oVirt's default pool prefix.
pub fn new_mac() -> String {
    let b = *uuid::Uuid::new_v4().as_bytes();
    format!("56:6f:{:02x}:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2], b[3])
}

pub fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// Find the entity a reference (`{"id": …}` or `{"name": …}`) points at in `coll`,
/// restricted by `scope` (e.g. networks of one data center).
pub fn resolve(
    sim: &Sim,
    coll: &str,
    r: Option<&Value>,
    label: &str,
    scope: &dyn Fn(&Entity) -> bool,
) -> R<String> {
    let Some(r) = r else {
        return Err(Fault::bad(format!(
            "a {label} reference (id or name) is required"
        )));
    };
    if let Some(id) = s(r, "id") {
        return sim
            .store
            .list(coll)
            .iter()
            .find(|e| e.id == id && scope(e))
            .map(|e| e.id.clone())
            .ok_or_else(|| Fault::not_found(format!("Entity not found: {label}: id={id}")));
    }
    if let Some(name) = s(r, "name") {
        let hits: Vec<&Entity> = sim
            .store
            .list(coll)
            .iter()
            .filter(|e| s(&e.body, "name") == Some(name) && scope(e))
            .collect();
        return match hits.as_slice() {
            [one] => Ok(one.id.clone()),
            [] => Err(Fault::not_found(format!(
                "Entity not found: {label}: name={name}"
            ))),
            _ => Err(Fault::conflict(
                "resolve",
                label,
                &format!("The name {name} is ambiguous, use the id."),
            )),
        };
    }
    Err(Fault::bad(format!(
        "the {label} reference needs an id or a name"
    )))
}

pub fn any(_: &Entity) -> bool {
    true
}

pub fn unique(
    sim: &Sim,
    coll: &str,
    name: &str,
    label: &str,
    scope: &dyn Fn(&Entity) -> bool,
    except: Option<&str>,
) -> R<()> {
    if sim
        .store
        .list(coll)
        .iter()
        .any(|e| s(&e.body, "name") == Some(name) && scope(e) && Some(e.id.as_str()) != except)
    {
        let verb = if except.is_some() { "edit" } else { "add" };
        return Err(Fault::conflict(
            verb,
            label,
            &format!("The {label} name is already in use."),
        ));
    }
    Ok(())
}

pub fn obj(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    v.as_object_mut().expect("object")
}

pub fn default(m: &mut Map<String, Value>, k: &str, v: Value) {
    if !m.contains_key(k) || m[k].is_null() {
        m.insert(k.to_string(), v);
    }
}

/// Bring a body back to schema order after edits.
pub fn canon(ty: &str, v: Value) -> R<Value> {
    normalize(ty, &v, ty, false).map_err(|p| Fault::new(500, "Internal Server Error", p.join("; ")))
}

pub fn refers(e: &Entity, key: &str, id: &str) -> bool {
    e.body
        .get(key)
        .and_then(|r| r.get("id"))
        .and_then(Value::as_str)
        == Some(id)
}

/// The data center of a cluster.
pub fn dc_of_cluster(sim: &Sim, cluster: &str) -> Option<String> {
    sim.store
        .get("clusters", cluster)
        .and_then(|c| c.body.pointer("/data_center/id"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The cluster of a host.
pub fn cluster_of_host(sim: &Sim, host: &str) -> Option<String> {
    sim.store
        .get("hosts", host)
        .and_then(|h| h.body.pointer("/cluster/id"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

pub fn with_id(mut body: Value, id: &str) -> Value {
    obj(&mut body).insert("id".into(), json!(id));
    body
}

/// The data center a storage domain is attached to.
pub fn attached_dc(sim: &Sim, sd: &str) -> Option<String> {
    sim.store
        .list("datacenters")
        .iter()
        .find(|dc| {
            sim.store
                .get(&format!("datacenters/{}/storagedomains", dc.id), sd)
                .is_some()
        })
        .map(|dc| dc.id.clone())
}

pub fn dc_has_up_host(sim: &Sim, dc: &str) -> bool {
    sim.store.list("hosts").iter().any(|h| {
        s(&h.body, "status") == Some("up")
            && h.body
                .pointer("/cluster/id")
                .and_then(Value::as_str)
                .and_then(|c| dc_of_cluster(sim, c))
                .as_deref()
                == Some(dc)
    })
}
