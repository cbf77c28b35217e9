//! The Engine's state: entities per collection path, the tick counter and the scheduled
//! state transitions; saved atomically and reloaded with `--state`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// One stored entity: its normalised body (no `href`, no links) and hidden bookkeeping.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entity {
    /// The entity's id (also `body.id`).
    pub id: String,
    /// The body in the JSON wire shape, keys in schema order.
    pub body: Value,
    /// Server-side facts the API does not show (per-DC status of a storage domain, …).
    #[serde(default)]
    pub meta: Map<String, Value>,
}

/// A state change due at a tick: `key` of `body` (or of `meta` with `meta: true`) becomes `value`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Transition {
    /// Tick at which it applies.
    pub at: u64,
    /// Collection path of the entity (`hosts`, `datacenters/ID/storagedomains`).
    pub coll: String,
    /// Entity id.
    pub id: String,
    /// Field name.
    pub key: String,
    /// Whether `key` is in `meta`.
    #[serde(default)]
    pub meta: bool,
    /// New value.
    pub value: Value,
}

/// All state that persists.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Store {
    /// Requests seen so far (the clock of the state machines).
    pub tick: u64,
    /// Entities by collection path, in creation order.
    pub colls: BTreeMap<String, Vec<Entity>>,
    /// Pending transitions.
    pub transitions: Vec<Transition>,
}

/// Errors of loading and saving the state file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing failed.
    #[error("state file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a state document.
    #[error("state file {path} is not a hvp-engine-sim state: {source}")]
    Parse {
        /// The file.
        path: String,
        /// The cause.
        source: serde_json::Error,
    },
}

impl Store {
    /// Load a state file.
    pub fn load(path: &Path) -> Result<Store, StoreError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| StoreError::Io {
            path: p.clone(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| StoreError::Parse { path: p, source })
    }

    /// Save atomically: temp file (mode 0600) in the same directory, fsync, rename.
    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        let p = path.display().to_string();
        let io = |source| StoreError::Io {
            path: p.clone(),
            source,
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
        let text = serde_json::to_vec_pretty(self).unwrap_or_default();
        // 0600: provider and fence-agent passwords are part of the state.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io)?;
        f.write_all(&text).map_err(io)?;
        f.sync_all().map_err(io)?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// The entities of a collection.
    pub fn list(&self, coll: &str) -> &[Entity] {
        self.colls.get(coll).map(Vec::as_slice).unwrap_or(&[])
    }

    /// One entity.
    pub fn get(&self, coll: &str, id: &str) -> Option<&Entity> {
        self.list(coll).iter().find(|e| e.id == id)
    }

    /// One entity, mutable.
    pub fn get_mut(&mut self, coll: &str, id: &str) -> Option<&mut Entity> {
        self.colls.get_mut(coll)?.iter_mut().find(|e| e.id == id)
    }

    /// Find by `name` (exact).
    pub fn by_name(&self, coll: &str, name: &str) -> Option<&Entity> {
        self.list(coll)
            .iter()
            .find(|e| e.body.get("name").and_then(Value::as_str) == Some(name))
    }

    /// Add an entity.
    pub fn insert(&mut self, coll: &str, e: Entity) {
        self.colls.entry(coll.to_string()).or_default().push(e);
    }

    /// Remove an entity and every collection below it; true when it existed.
    pub fn remove(&mut self, coll: &str, id: &str) -> bool {
        let Some(v) = self.colls.get_mut(coll) else {
            return false;
        };
        let before = v.len();
        v.retain(|e| e.id != id);
        let found = v.len() != before;
        if found {
            let prefix = format!("{coll}/{id}/");
            self.colls.retain(|k, _| !k.starts_with(&prefix));
            self.transitions
                .retain(|t| !(t.id == id || t.coll.starts_with(&prefix)));
        }
        found
    }

    /// Schedule `key := value` on an entity `after` ticks from now; it replaces any pending
    /// change of the same field.
    pub fn schedule(
        &mut self,
        coll: &str,
        id: &str,
        key: &str,
        meta: bool,
        after: u64,
        value: Value,
    ) {
        self.transitions.push(Transition {
            at: self.tick + after,
            coll: coll.to_string(),
            id: id.to_string(),
            key: key.to_string(),
            meta,
            value,
        });
    }

    /// Drop pending changes of one field.
    pub fn cancel(&mut self, coll: &str, id: &str, key: &str) {
        self.transitions
            .retain(|t| !(t.coll == coll && t.id == id && t.key == key));
    }

    /// Advance the clock one tick and apply due transitions; returns the applied ones.
    pub fn advance(&mut self) -> Vec<Transition> {
        self.tick += 1;
        let now = self.tick;
        let (due, keep): (Vec<Transition>, Vec<Transition>) =
            self.transitions.drain(..).partition(|t| t.at <= now);
        self.transitions = keep;
        let mut applied = Vec::new();
        for t in due {
            if let Some(e) = self.get_mut(&t.coll, &t.id) {
                if t.meta {
                    e.meta.insert(t.key.clone(), t.value.clone());
                } else if let Some(m) = e.body.as_object_mut() {
                    m.insert(t.key.clone(), t.value.clone());
                }
                applied.push(t);
            }
        }
        applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn transitions_apply_at_their_tick_and_state_round_trips() {
        let mut s = Store::default();
        s.insert(
            "hosts",
            Entity {
                id: "h".into(),
                body: json!({"id": "h", "status": "installing"}),
                meta: Map::new(),
            },
        );
        s.schedule("hosts", "h", "status", false, 2, json!("up"));
        assert!(s.advance().is_empty());
        assert_eq!(s.advance().len(), 1);
        assert_eq!(s.get("hosts", "h").unwrap().body["status"], json!("up"));
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("state.json");
        s.save(&f).unwrap();
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let back = Store::load(&f).unwrap();
        assert_eq!(back.tick, 2);
        assert_eq!(back.list("hosts").len(), 1);
    }
}
