//! The audit log (`/events`): what the Engine reports, newest first, as clients read it
//! (`list(max=1)` for the latest, `from=INDEX` for the ones after it).

use super::Sim;
use crate::store::Entity;
use serde_json::{json, Map, Value};

/// Append an event; `refs` are (element, id) pairs such as `("host", id)`.
pub fn emit(sim: &mut Sim, code: u32, severity: &str, description: String, refs: &[(&str, &str)]) {
    let index = sim.store.list("events").len() as u64 + 1;
    let mut body = json!({"id": index.to_string(), "code": code, "description": description, "index": index,
        "origin": "oVirt", "severity": severity, "time": super::initial::now_rfc3339()});
    if let Some(m) = body.as_object_mut() {
        for (k, id) in refs {
            m.insert((*k).to_string(), json!({"id": id}));
        }
    }
    let body = super::util::canon("Event", body).unwrap_or(Value::Null);
    sim.store.insert(
        "events",
        Entity {
            id: index.to_string(),
            body,
            meta: Map::new(),
        },
    );
}

/// The events after index `from`, newest first.
pub fn view(all: Vec<Entity>, from: Option<u64>) -> Vec<Entity> {
    let mut v: Vec<Entity> = all
        .into_iter()
        .filter(|e| {
            from.map_or(true, |f| {
                e.body.get("index").and_then(Value::as_u64).unwrap_or(0) > f
            })
        })
        .collect();
    v.reverse();
    v
}
