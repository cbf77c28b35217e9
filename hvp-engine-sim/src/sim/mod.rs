//! The simulated Engine: routing, generic collection operations, rendering, and the clock.
//! Entity-specific rules live in the sibling modules.

mod actions;
mod checks;
mod create;
mod defaults;
mod events;
mod fault;
mod initial;
pub mod routes;
pub mod search;
mod setupnetworks;
mod update;
mod util;
mod views;

pub use fault::Fault;

use crate::model::table;
use crate::schema::normalize;
use crate::store::{Entity, Store, Transition};
use routes::{def, top_level, CollDef};
use serde_json::{json, Map, Value};

/// API path prefix.
pub const API: &str = "/ovirt-engine/api";

/// How the simulated Engine behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// NIC names every new host reports (the first carries `ovirtmgmt`).
    pub host_nics: Vec<String>,
    /// Hosts present from the start, `up` in cluster `Default` (as `hosted-engine --deploy` leaves them).
    pub seed_hosts: Vec<String>,
    /// Ticks from `installing` to `up` for a new host.
    pub host_install_ticks: u64,
    /// Vintage hosted-engine flow: the first active data domain makes `engine_domain` and
    /// `HostedEngine` appear.
    pub vintage_he: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host_nics: ["eth0", "eth1", "eth2", "eth3"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            seed_hosts: Vec::new(),
            host_install_ticks: 3,
            vintage_he: false,
        }
    }
}

/// HTTP methods the API serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET or HEAD.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

/// One API request, body parsed.
#[derive(Debug, Clone)]
pub struct Req {
    /// Method.
    pub method: Method,
    /// Path segments below `/ovirt-engine/api`.
    pub segs: Vec<String>,
    /// Query parameters.
    pub query: Vec<(String, String)>,
    /// Body: root element name (`None` for JSON) and tree.
    pub body: Option<(Option<String>, Value)>,
}

impl Req {
    /// A query parameter.
    pub fn q(&self, k: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }
    /// A boolean query parameter.
    pub fn qbool(&self, k: &str) -> Option<bool> {
        self.q(k).map(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// A successful reply.
#[derive(Debug, Clone)]
pub enum Reply {
    /// One object with root element `tag`.
    One {
        /// HTTP status (200, 201).
        status: u16,
        /// Root element.
        tag: String,
        /// Body.
        value: Value,
    },
    /// A list with root `tag` and items `item`.
    Many {
        /// Root element (`data_centers`).
        tag: String,
        /// Item element (`data_center`).
        item: String,
        /// Items.
        items: Vec<Value>,
    },
    /// 200 with an empty body (delete).
    Empty,
}

/// The Engine.
pub struct Sim {
    /// Persistent state.
    pub store: Store,
    /// Behaviour.
    pub cfg: Config,
}

type R<T> = Result<T, Fault>;

impl Sim {
    /// A freshly installed Engine.
    pub fn fresh(cfg: Config) -> Sim {
        let mut sim = Sim {
            store: Store::default(),
            cfg,
        };
        initial::populate(&mut sim);
        sim
    }

    /// Serve one authenticated API request; advances the clock by one tick first.
    pub fn handle(&mut self, req: &Req) -> R<Reply> {
        let applied = self.store.advance();
        self.after_transitions(applied);
        let segs: Vec<&str> = req
            .segs
            .iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        if segs.is_empty() {
            return match req.method {
                Method::Get => Ok(Reply::One {
                    status: 200,
                    tag: "api".into(),
                    value: initial::api_root(self),
                }),
                _ => Err(Fault::new(
                    405,
                    "Method Not Allowed",
                    "the API root only answers GET",
                )),
            };
        }
        checks::check_query(&segs, req)?;
        let n = segs.len();
        if n % 2 == 1 {
            let coll = segs.join("/");
            if def(&coll).is_some() {
                self.check_parents(&segs)?;
                return match req.method {
                    Method::Get => self.list(&coll, req),
                    Method::Post => self.add(&coll, req),
                    _ => Err(Fault::new(
                        405,
                        "Method Not Allowed",
                        format!("{} on a collection", method_name(req.method)),
                    )),
                };
            }
            if n >= 3 {
                let coll = segs[..n - 2].join("/");
                let id = segs[n - 2];
                let action = segs[n - 1];
                if let Some(d) = def(&coll) {
                    self.check_parents(&segs[..n - 1])?;
                    if req.method == Method::Get {
                        if let Some(reply) = unserved_subcollection(d.service, action) {
                            return Ok(reply);
                        }
                    }
                    if req.method != Method::Post {
                        return Err(Fault::new(
                            405,
                            "Method Not Allowed",
                            format!("action `{action}` needs POST"),
                        ));
                    }
                    if !table().actions(d.service).iter().any(|a| a == action) {
                        return Err(Fault::not_found(format!(
                            "no collection or action `{action}` below {coll}/{id}"
                        )));
                    }
                    let body = self.action_body(req)?;
                    return actions::run(self, &coll, id, action, &body, req);
                }
            }
            return Err(Fault::not_found(format!(
                "unknown path {API}/{}",
                segs.join("/")
            )));
        }
        let coll = segs[..n - 1].join("/");
        let id = segs[n - 1];
        let Some(d) = def(&coll) else {
            return Err(Fault::not_found(format!(
                "unknown path {API}/{}",
                segs.join("/")
            )));
        };
        self.check_parents(&segs)?;
        match req.method {
            Method::Get => {
                let e = self.lookup(&coll, id)?;
                Ok(Reply::One {
                    status: 200,
                    tag: tag_of(d.ty),
                    value: self.render(&coll, &e)?,
                })
            }
            Method::Put => self.update(&coll, id, req),
            Method::Delete => self.delete(&coll, id),
            Method::Post => Err(Fault::new(405, "Method Not Allowed", "POST on an entity")),
        }
    }

    /// Every `coll/id` pair above the last segment must exist.
    fn check_parents(&self, segs: &[&str]) -> R<()> {
        let mut i = 1;
        while i + 1 < segs.len() {
            let coll = segs[..i].join("/");
            let id = segs[i];
            if self.lookup(&coll, id).is_err() {
                return Err(Fault::not_found(format!(
                    "{} {id} not found",
                    tag_of(def(&coll).map(|d| d.ty).unwrap_or("entity"))
                )));
            }
            i += 2;
        }
        Ok(())
    }

    /// An entity of a stored collection or a view.
    pub fn lookup(&self, coll: &str, id: &str) -> R<Entity> {
        self.entities(coll)
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| {
                Fault::not_found(format!(
                    "{} with id {id} not found in {coll}",
                    tag_of(def(coll).map(|d| d.ty).unwrap_or("entity"))
                ))
            })
    }

    /// The entities of a collection (views computed).
    pub fn entities(&self, coll: &str) -> Vec<Entity> {
        let Some(d) = def(coll) else {
            return Vec::new();
        };
        if d.stored {
            return self.store.list(coll).to_vec();
        }
        let parts: Vec<&str> = coll.split('/').collect();
        let parent = parts.get(1).copied().unwrap_or_default();
        let refers = |e: &Entity, key: &str, id: &str| {
            e.body
                .get(key)
                .and_then(|r| r.get("id"))
                .and_then(Value::as_str)
                == Some(id)
        };
        match d.pattern {
            "datacenters/{id}/clusters" => self
                .store
                .list("clusters")
                .iter()
                .filter(|e| refers(e, "data_center", parent))
                .cloned()
                .collect(),
            "datacenters/{id}/networks" => self
                .store
                .list("networks")
                .iter()
                .filter(|e| refers(e, "data_center", parent))
                .cloned()
                .collect(),
            "networks/{id}/vnicprofiles" => self
                .store
                .list("vnicprofiles")
                .iter()
                .filter(|e| refers(e, "network", parent))
                .cloned()
                .collect(),
            "hosts/{id}/nics/{id}/networkattachments" => {
                let nic = parts.get(3).copied().unwrap_or_default();
                self.store
                    .list(&format!("hosts/{parent}/networkattachments"))
                    .iter()
                    .filter(|e| refers(e, "host_nic", nic))
                    .cloned()
                    .collect()
            }
            "clusters/{id}/externalnetworkproviders" => {
                let Some(c) = self.store.get("clusters", parent) else {
                    return Vec::new();
                };
                let ids: Vec<String> = c
                    .body
                    .pointer("/external_network_providers/external_provider")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|p| p.get("id").and_then(Value::as_str).map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                self.store
                    .list("openstacknetworkproviders")
                    .iter()
                    .filter(|p| ids.contains(&p.id))
                    .cloned()
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    fn list(&self, coll: &str, req: &Req) -> R<Reply> {
        let d = def(coll).ok_or_else(|| Fault::not_found(coll.to_string()))?;
        let mut ents = self.entities(coll);
        if d.pattern == "events" {
            let from = match req.q("from") {
                Some(f) => Some(
                    f.parse::<u64>()
                        .map_err(|_| Fault::bad(format!("from `{f}` is not an event index")))?,
                ),
                None => None,
            };
            ents = events::view(ents, from);
        }
        if let Some(s) = req.q("search").filter(|s| !s.trim().is_empty()) {
            let fields = search_fields(d.pattern);
            if fields.is_empty() {
                return Err(Fault::bad(format!(
                    "{coll} cannot be searched; list it and filter"
                )));
            }
            let terms =
                search::parse(s, fields).map_err(|e| Fault::bad(format!("search `{s}`: {e}")))?;
            let cs = req.qbool("case_sensitive").unwrap_or(false);
            ents.retain(|e| {
                terms.iter().all(|t| {
                    self.field_values(d.pattern, e, &t.field)
                        .iter()
                        .any(|v| search::glob(&t.value, v, cs))
                })
            });
        }
        if let Some(m) = req.q("max") {
            let m: usize = m
                .parse()
                .map_err(|_| Fault::bad(format!("max `{m}` is not a number")))?;
            ents.truncate(m);
        }
        let mut items = Vec::new();
        for e in &ents {
            items.push(self.render(coll, e)?);
        }
        let t = table().ty(d.ty).ok_or_else(|| Fault::bad("type"))?;
        Ok(Reply::Many {
            tag: t.collection_tag.clone().unwrap_or_default(),
            item: t.tag.clone().unwrap_or_default(),
            items,
        })
    }

    /// Values a search field has on an entity.
    fn field_values(&self, pattern: &str, e: &Entity, field: &str) -> Vec<String> {
        let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
        let name_of = |coll: &str, r: Option<&Value>| -> Option<String> {
            let id = r?.get("id")?.as_str()?;
            s(self.store.get(coll, id)?.body.get("name"))
        };
        let dc_of_cluster = |cid: Option<&Value>| -> Option<String> {
            let id = cid?.get("id")?.as_str()?;
            name_of(
                "datacenters",
                self.store.get("clusters", id)?.body.get("data_center"),
            )
        };
        let v: Vec<Option<String>> = match field {
            "name" => vec![s(e.body.get("name"))],
            "id" => vec![Some(e.id.clone())],
            "status" => vec![s(e.body.get("status"))],
            "type" => vec![s(e.body.get("type"))],
            "address" => vec![s(e.body.get("address"))],
            "cluster" => vec![name_of("clusters", e.body.get("cluster"))],
            "clusters.name" => self
                .store
                .list("clusters")
                .iter()
                .filter(|c| {
                    c.body.pointer("/data_center/id").and_then(Value::as_str) == Some(e.id.as_str())
                })
                .map(|c| s(c.body.get("name")))
                .collect(),
            "storage.name" => e
                .body
                .pointer("/storage_domains/storage_domain")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|r| name_of("storagedomains", Some(r)))
                        .collect()
                })
                .unwrap_or_default(),
            "datacenter" => match pattern {
                "networks" | "clusters" => vec![name_of("datacenters", e.body.get("data_center"))],
                "hosts" | "vms" => vec![dc_of_cluster(e.body.get("cluster"))],
                // Blank belongs to every data center.
                "templates" => self
                    .store
                    .list("datacenters")
                    .iter()
                    .map(|dc| s(dc.body.get("name")))
                    .collect(),
                "storagedomains" => self
                    .store
                    .list("datacenters")
                    .iter()
                    .filter(|dc| {
                        self.store
                            .get(&format!("datacenters/{}/storagedomains", dc.id), &e.id)
                            .is_some()
                    })
                    .map(|dc| s(dc.body.get("name")))
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        v.into_iter().flatten().collect()
    }

    fn body_of(&self, req: &Req, expect_tag: &str) -> R<Value> {
        let Some((root, v)) = &req.body else {
            return Err(Fault::bad(format!(
                "the request needs a <{expect_tag}> body"
            )));
        };
        if let Some(r) = root {
            if r != expect_tag {
                return Err(Fault::bad(format!(
                    "body root element is <{r}>, expected <{expect_tag}>"
                )));
            }
        }
        Ok(v.clone())
    }

    fn action_body(&self, req: &Req) -> R<Value> {
        let v = match &req.body {
            None => Value::Object(Map::new()),
            Some(_) => self.body_of(req, "action")?,
        };
        normalize("Action", &v, "action", false).map_err(|p| Fault::bad(p.join("; ")))
    }

    fn add(&mut self, coll: &str, req: &Req) -> R<Reply> {
        let d = def(coll).ok_or_else(|| Fault::not_found(coll.to_string()))?;
        if !d.add {
            return Err(Fault::new(
                405,
                "Method Not Allowed",
                format!("{coll} is read-only"),
            ));
        }
        let tag = body_tag(d);
        let raw = self.body_of(req, &tag)?;
        let mut body = normalize(d.ty, &raw, &tag, false).map_err(|p| Fault::bad(p.join("; ")))?;
        checks::check_mandatory(d, &tag, &body)?;
        if let Some(m) = body.as_object_mut() {
            m.remove("href");
            m.remove("status");
        }
        let (target, ent) = create::create(self, coll, d, body, req)?;
        let out = self.render(&target, &ent)?;
        Ok(Reply::One {
            status: 201,
            tag: tag_of(def(&target).map(|d| d.ty).unwrap_or(d.ty)),
            value: out,
        })
    }

    fn update(&mut self, coll: &str, id: &str, req: &Req) -> R<Reply> {
        let d = def(coll).ok_or_else(|| Fault::not_found(coll.to_string()))?;
        let tag = body_tag(d);
        let raw = self.body_of(req, &tag)?;
        let mut patch = normalize(d.ty, &raw, &tag, false).map_err(|p| Fault::bad(p.join("; ")))?;
        if let Some(m) = patch.as_object_mut() {
            for k in ["href", "status", "id"] {
                m.remove(k);
            }
        }
        let (target, tid) = update::update(self, coll, d, id, patch)?;
        let e = self.lookup(&target, &tid)?;
        Ok(Reply::One {
            status: 200,
            tag: tag_of(d.ty),
            value: self.render(coll, &self.lookup(coll, id).unwrap_or(e))?,
        })
    }

    fn delete(&mut self, coll: &str, id: &str) -> R<Reply> {
        let d = def(coll).ok_or_else(|| Fault::not_found(coll.to_string()))?;
        self.lookup(coll, id)?;
        update::remove(self, coll, d, id)?;
        Ok(Reply::Empty)
    }

    /// The reply form of an entity: stored body (joined for attachment views) + `href`,
    /// `actions`, `link`s and `href`s of references; checked against the type table.
    pub fn render(&self, coll: &str, e: &Entity) -> R<Value> {
        let d = def(coll).ok_or_else(|| Fault::not_found(coll.to_string()))?;
        let mut body = views::joined(self, coll, e);
        if !d.stored {
            // A view may show entities of a richer type (providers as `external_provider`).
            if let (Some(m), Some(t)) = (body.as_object_mut(), table().ty(d.ty)) {
                m.retain(|k, _| t.attributes.contains_key(k));
            }
        }
        let href = format!("{API}/{coll}/{}", e.id);
        let m = body
            .as_object_mut()
            .ok_or_else(|| Fault::new(500, "Internal Server Error", "entity is not an object"))?;
        m.insert("href".into(), json!(href));
        let t = table();
        let acts: Vec<Value> = t
            .actions(d.service)
            .iter()
            .map(|a| json!({"href": format!("{href}/{a}"), "rel": a}))
            .collect();
        if !acts.is_empty() {
            m.insert("actions".into(), json!({ "link": acts }));
        }
        let links: Vec<Value> = t
            .links(d.service)
            .iter()
            .map(|l| json!({"href": format!("{href}/{l}"), "rel": l}))
            .collect();
        if !links.is_empty() {
            m.insert("link".into(), Value::Array(links));
        }
        self.add_hrefs(d.ty, &mut body);
        normalize(d.ty, &body, &tag_of(d.ty), true).map_err(|p| {
            Fault::new(
                500,
                "Internal Server Error",
                format!("reply fails the type table: {}", p.join("; ")),
            )
        })
    }

    /// Fill `href` of references that carry an `id`.
    fn add_hrefs(&self, ty: &str, v: &mut Value) {
        let t = table();
        let Some(m) = v.as_object_mut() else { return };
        for (k, child) in m.iter_mut() {
            let Some(a) = t.attr(ty, k) else { continue };
            if !t.types.contains_key(&a.kind) {
                continue;
            }
            let items: Vec<&mut Value> = if a.list {
                match child.as_object_mut().and_then(|w| w.values_mut().next()) {
                    Some(Value::Array(arr)) => arr.iter_mut().collect(),
                    _ => Vec::new(),
                }
            } else {
                vec![child]
            };
            for it in items {
                if let Some(obj) = it.as_object_mut() {
                    if let (Some(id), false) = (
                        obj.get("id").and_then(Value::as_str).map(str::to_string),
                        obj.contains_key("href"),
                    ) {
                        if let Some(h) = self.href_of(&a.kind, &id) {
                            obj.insert("href".into(), json!(h));
                        }
                    }
                }
                self.add_hrefs(&a.kind, it);
            }
        }
    }

    /// The `href` of an entity of type `ty` with id `id`.
    pub fn href_of(&self, ty: &str, id: &str) -> Option<String> {
        if let Some(c) = top_level(ty) {
            if self.store.get(c, id).is_some() {
                return Some(format!("{API}/{c}/{id}"));
            }
        }
        self.store
            .colls
            .iter()
            .filter(|(k, _)| def(k).is_some_and(|d| d.ty == ty))
            .find(|(_, v)| v.iter().any(|e| e.id == id))
            .map(|(k, _)| format!("{API}/{k}/{id}"))
    }

    /// Force the status of the entity at `path` (`hosts/ID`, `datacenters/DC/storagedomains/SD`),
    /// checked against the type's status enum; pending status changes are dropped.
    pub fn force_status(&mut self, path: &str, status: &str) -> R<()> {
        let (coll, id) = path
            .trim_matches('/')
            .rsplit_once('/')
            .ok_or_else(|| Fault::bad(format!("path `{path}` is not COLLECTION/ID")))?;
        let d = def(coll)
            .filter(|d| d.stored)
            .ok_or_else(|| Fault::not_found(format!("no stored collection {coll}")))?;
        self.lookup(coll, id)?;
        let v = normalize(d.ty, &json!({ "status": status }), &tag_of(d.ty), false)
            .map_err(|p| Fault::bad(p.join("; ")))?;
        self.store.cancel(coll, id, "status");
        if let Some(e) = self.store.get_mut(coll, id) {
            e.body["status"] = v["status"].clone();
        }
        Ok(())
    }

    /// Rules that fire when scheduled changes land.
    pub fn after_transitions(&mut self, applied: Vec<Transition>) {
        for t in applied {
            views::on_transition(self, &t);
        }
    }
}

/// A sub-collection the model has but the server does not keep (NUMA nodes, tags, …): an
/// empty list of the right type, as an Engine shows for an entity that has none.
fn unserved_subcollection(service: &str, seg: &str) -> Option<Reply> {
    let t = table();
    let sub = t.services.get(service)?.locators.get(seg)?;
    let ty = t.services.get(sub)?.list_type.clone()?;
    let td = t.ty(&ty)?;
    Some(Reply::Many {
        tag: td.collection_tag.clone()?,
        item: td.tag.clone()?,
        items: Vec::new(),
    })
}

/// Record an event (see [`events::emit`]).
pub fn event(sim: &mut Sim, code: u32, severity: &str, description: String, refs: &[(&str, &str)]) {
    events::emit(sim, code, severity, description, refs);
}

/// Schedules the end of a host's installation (add or reinstall): `up`, or `maintenance` when
/// the client asked not to activate it, after the configured install ticks.
pub fn schedule_install_end(sim: &mut Sim, coll: &str, id: &str, activate: bool) {
    let after = sim.cfg.host_install_ticks;
    sim.store.schedule(
        coll,
        id,
        "status",
        false,
        after,
        json!(if activate { "up" } else { "maintenance" }),
    );
}

/// The name of a method, for messages.
pub fn method_name(m: Method) -> &'static str {
    match m {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
    }
}

/// The element name of one object of type `ty`.
pub fn tag_of(ty: &str) -> String {
    table()
        .ty(ty)
        .and_then(|t| t.tag.clone())
        .unwrap_or_else(|| ty.to_string())
}

fn body_tag(d: &CollDef) -> String {
    tag_of(d.ty)
}

/// Search fields per collection.
fn search_fields(pattern: &str) -> &'static [&'static str] {
    match pattern {
        "datacenters" => &["name", "id", "status", "clusters.name"],
        "clusters" => &["name", "id", "datacenter"],
        "hosts" => &["name", "id", "status", "cluster", "datacenter", "address"],
        "storagedomains" => &["name", "id", "status", "type", "datacenter"],
        "networks" => &["name", "id", "datacenter"],
        "templates" => &["name", "id", "status", "datacenter"],
        "disks" => &["name", "id", "status", "storage.name"],
        "openstacknetworkproviders" => &["name", "id"],
        "vms" => &["name", "id", "status", "cluster", "datacenter"],
        "events" => &["severity", "correlation_id"],
        "jobs" => &["correlation_id"],
        _ => &[],
    }
}
