//! Create rules per collection: references resolved, uniqueness, mandatory defaults, initial
//! state and the transitions it starts.

use super::defaults::{
    add_host_nics, add_profile, attach_management_network, cluster_defaults, host_defaults,
};
use super::routes::CollDef;
use super::util::{
    any, attached_dc, canon, dc_has_up_host, dc_of_cluster, default, new_id, new_mac, obj, refers,
    resolve, s, unique, with_id,
};
use super::{setupnetworks, Fault, Req, Sim};
use crate::store::Entity;
use serde_json::{json, Map, Value};

type R<T> = Result<T, Fault>;

/// What the per-collection rules decided: insert the body (with hidden facts, into a
/// collection), or the entity is already stored.
enum Step {
    /// Insert `body` with `meta` into `target`.
    Insert(Value, Map<String, Value>, String),
    /// Already stored in the collection.
    Done(String, Entity),
}

/// The add being served.
struct Cx {
    /// Collection path.
    coll: String,
    /// Id of the new entity (given or new).
    id: String,
    /// Id of the parent entity (`hosts/{parent}/…`).
    parent: String,
    /// Name in the body.
    name: Option<String>,
    /// Model type.
    ty: &'static str,
}

/// Create an entity in `coll`; returns the collection it was stored in and the entity.
pub fn create(
    sim: &mut Sim,
    coll: &str,
    d: &CollDef,
    body: Value,
    req: &Req,
) -> R<(String, Entity)> {
    let cx = Cx {
        id: s(&body, "id").map(str::to_string).unwrap_or_else(new_id),
        parent: coll.split('/').nth(1).unwrap_or_default().to_string(),
        name: s(&body, "name").map(str::to_string),
        coll: coll.to_string(),
        ty: d.ty,
    };
    let step = match d.pattern {
        "datacenters" => add_data_center(sim, &cx, body)?,
        "clusters" => add_cluster(sim, &cx, body)?,
        "hosts" => add_host(sim, &cx, body, req)?,
        "storagedomains" => add_storage_domain(sim, &cx, body)?,
        "datacenters/{id}/storagedomains" => add_attached_storage_domain(sim, &cx, body)?,
        "clusters/{id}/networks" => add_cluster_network(sim, &cx, body)?,
        "hosts/{id}/networkattachments" | "hosts/{id}/nics/{id}/networkattachments" => {
            add_network_attachment(sim, &cx, d, body)?
        }
        "hosts/{id}/fenceagents" => add_fence_agent(&cx, body)?,
        "networks" => add_network(sim, &cx, body)?,
        "vnicprofiles" => add_vnic_profile(sim, &cx, body)?,
        "openstacknetworkproviders" => add_provider(sim, &cx, body)?,
        "vms" => add_vm(sim, &cx, body)?,
        "vms/{id}/diskattachments" => add_disk_attachment(sim, &cx, body)?,
        "vms/{id}/nics" => add_vm_nic(sim, &cx, body)?,
        "disks" => add_disk(sim, &cx, body)?,
        "vms/{id}/graphicsconsoles" => add_console(sim, &cx, body)?,
        _ => Step::Insert(body, Map::new(), coll.to_string()),
    };
    let (body, meta, target) = match step {
        Step::Done(target, e) => return Ok((target, e)),
        Step::Insert(body, meta, target) => (body, meta, target),
    };
    let Cx { id, name, ty, .. } = &cx;
    let e = Entity {
        id: id.clone(),
        body: canon(ty, with_id(body, id))?,
        meta,
    };
    sim.store.insert(&target, e.clone());
    if d.pattern == "clusters" {
        attach_management_network(sim, id);
    }
    let label = name.clone().unwrap_or_else(|| id.clone());
    // The audit event the Engine logs for the addition: (code, noun, verb, event link).
    let added = match d.pattern {
        "hosts" => Some((42, "Host", "was added", "host")),
        "storagedomains" => Some((956, "Storage Domain", "was added", "storage_domain")),
        "vms" => Some((34, "VM", "was created", "vm")),
        _ => None,
    };
    if let Some((code, noun, verb, link)) = added {
        super::event(
            sim,
            code,
            "normal",
            format!("{noun} {label} {verb} by admin@internal."),
            &[(link, id)],
        );
    }
    Ok((target, e))
}

/// Adding to `datacenters`.
fn add_data_center(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx { coll, name, .. } = cx;
    unique(
        sim,
        coll,
        name.as_deref().unwrap_or_default(),
        "Data Center",
        &any,
        None,
    )?;
    let m = obj(&mut body);
    default(m, "local", json!(false));
    default(m, "version", json!({"major": 4, "minor": 7}));
    default(m, "quota_mode", json!("disabled"));
    default(m, "storage_format", json!("v5"));
    m.insert("status".into(), json!("uninitialized"));
    m.insert(
        "supported_versions".into(),
        json!({"version": [{"major": 4, "minor": 7}]}),
    );
    Ok(Step::Insert(body, Map::new(), cx.coll.clone()))
}

/// Adding to `clusters`.
fn add_cluster(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx { coll, name, .. } = cx;
    unique(
        sim,
        coll,
        name.as_deref().unwrap_or_default(),
        "Cluster",
        &any,
        None,
    )?;
    let dc = resolve(
        sim,
        "datacenters",
        body.get("data_center"),
        "DataCenter",
        &any,
    )?;
    let m = obj(&mut body);
    m.insert("data_center".into(), json!({"id": dc}));
    cluster_defaults(m);
    Ok(Step::Insert(body, Map::new(), cx.coll.clone()))
}

/// Adding to `hosts`.
fn add_host(sim: &mut Sim, cx: &Cx, mut body: Value, req: &Req) -> R<Step> {
    let Cx { coll, id, name, .. } = cx;
    let mut meta = Map::new();
    unique(
        sim,
        coll,
        name.as_deref().unwrap_or_default(),
        "Host",
        &any,
        None,
    )?;
    let cl = resolve(sim, "clusters", body.get("cluster"), "Cluster", &any)?;
    let m = obj(&mut body);
    m.remove("root_password");
    if let Some(ssh) = m.get_mut("ssh").and_then(Value::as_object_mut) {
        if let Some(u) = ssh.get_mut("user").and_then(Value::as_object_mut) {
            u.remove("password");
        }
    }
    m.insert("cluster".into(), json!({"id": cl}));
    host_defaults(m);
    m.insert("status".into(), json!("installing"));
    m.insert("network_operation_in_progress".into(), json!(false));
    m.insert("ovn_configured".into(), json!(false));
    let deploy = req.qbool("deploy_hosted_engine").unwrap_or(false);
    meta.insert("deploy_hosted_engine".into(), json!(deploy));
    let activate = req.qbool("activate").unwrap_or(true);
    super::schedule_install_end(sim, coll, id, activate);
    add_host_nics(sim, id, &cl);
    Ok(Step::Insert(body, meta, cx.coll.clone()))
}

/// Adding to `storagedomains`.
fn add_storage_domain(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx { coll, id, name, .. } = cx;
    unique(
        sim,
        coll,
        name.as_deref().unwrap_or_default(),
        "Storage Domain",
        &any,
        None,
    )?;
    let host = resolve(sim, "hosts", body.get("host"), "Host", &any)?;
    let hs = sim
        .store
        .get("hosts", &host)
        .and_then(|h| s(&h.body, "status").map(str::to_string))
        .unwrap_or_default();
    if hs != "up" {
        return Err(Fault::conflict(
            "add",
            "Storage",
            &format!("Host status is {hs}, it must be Up to connect the storage."),
        ));
    }
    let m = obj(&mut body);
    m.remove("host");
    if let Some(st) = m.get_mut("storage").and_then(Value::as_object_mut) {
        if st.get("type").and_then(Value::as_str) == Some("glusterfs")
            && !st.contains_key("vfs_type")
        {
            st.insert("vfs_type".into(), json!("glusterfs"));
        }
    }
    for (k, v) in [
        ("available", json!(1_099_511_627_776u64)),
        ("used", json!(10_737_418_240u64)),
        ("committed", json!(0)),
        ("master", json!(false)),
        ("backup", json!(false)),
        ("storage_format", json!("v5")),
        ("block_size", json!(512)),
        ("warning_low_space_indicator", json!(10)),
        ("critical_space_action_blocker", json!(5)),
        ("wipe_after_delete", json!(false)),
        ("discard_after_delete", json!(false)),
        ("external_status", json!("ok")),
    ] {
        default(m, k, v);
    }
    m.insert("status".into(), json!("locked"));
    sim.store
        .schedule(coll, id, "status", false, 2, json!("unattached"));
    Ok(Step::Insert(body, Map::new(), cx.coll.clone()))
}

/// Adding to `datacenters/{id}/storagedomains`.
fn add_attached_storage_domain(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx { coll, parent, .. } = cx;
    let meta = Map::new();
    let target = coll.to_string();
    let sd = resolve(sim, "storagedomains", Some(&body), "StorageDomain", &any)?;
    let sde = sim
        .store
        .get("storagedomains", &sd)
        .cloned()
        .ok_or_else(|| Fault::not_found(sd.clone()))?;
    if sim.store.get(coll, &sd).is_some() {
        return Err(Fault::conflict(
            "attach",
            "Storage",
            "Storage Domain is already attached to this Data Center.",
        ));
    }
    if attached_dc(sim, &sd).is_some() {
        return Err(Fault::conflict(
            "attach",
            "Storage",
            "Storage Domain is already attached to another Data Center.",
        ));
    }
    match s(&sde.body, "status") {
        Some("unattached") => {}
        other => {
            return Err(Fault::conflict(
                "attach",
                "Storage",
                &format!("Storage Domain status is {}.", other.unwrap_or("unknown")),
            ))
        }
    }
    if !dc_has_up_host(sim, parent) {
        return Err(Fault::conflict(
            "attach",
            "Storage",
            "There is no active Host in the Data Center.",
        ));
    }
    let first = s(&sde.body, "type") == Some("data")
        && !sim.store.list(coll).iter().any(|a| {
            s(&a.body, "master") == Some("true") || a.body.get("master") == Some(&json!(true))
        });
    body = json!({"id": sd, "status": "locked", "master": first});
    sim.store
        .schedule(coll, &sd, "status", false, 2, json!("active"));
    let e = Entity {
        id: sd.clone(),
        body,
        meta,
    };
    sim.store.insert(coll, e.clone());
    Ok(Step::Done(target, e))
}

/// Adding to `clusters/{id}/networks`.
fn add_cluster_network(sim: &mut Sim, cx: &Cx, body: Value) -> R<Step> {
    let Cx { coll, parent, .. } = cx;
    let meta = Map::new();
    let target = coll.to_string();
    let dc = dc_of_cluster(sim, parent).unwrap_or_default();
    let net = resolve(sim, "networks", Some(&body), "Network", &|e| {
        refers(e, "data_center", &dc)
    })?;
    if sim.store.get(coll, &net).is_some() {
        return Err(Fault::conflict(
            "add",
            "Network",
            "The Network is already attached to the Cluster.",
        ));
    }
    let usages = cluster_usages(sim, &net, body.get("usages"));
    let required = body.get("required").cloned().unwrap_or(json!(true));
    let display = body.get("display").cloned().unwrap_or(json!(false));
    take_roles(sim, coll, &net, &usages);
    let e = Entity {
        id: net.clone(),
        body: json!({"id": net, "required": required, "display": display, "usages": {"usage": usages}}),
        meta,
    };
    sim.store.insert(coll, e.clone());
    Ok(Step::Done(target, e))
}

/// Adding to `hosts/{id}/networkattachments` or `hosts/{id}/nics/{id}/networkattachments`.
fn add_network_attachment(sim: &mut Sim, cx: &Cx, d: &CollDef, mut body: Value) -> R<Step> {
    let Cx { coll, parent, .. } = cx;
    let host = parent.clone();
    if d.pattern.contains("/nics/") {
        let nic = coll.split('/').nth(3).unwrap_or_default().to_string();
        obj(&mut body).insert("host_nic".into(), json!({"id": nic}));
    }
    let ids = setupnetworks::apply(sim, &host, vec![body], Vec::new(), true)?;
    let target = format!("hosts/{host}/networkattachments");
    let aid = ids.into_iter().next().unwrap_or_default();
    let e = sim
        .store
        .get(&target, &aid)
        .cloned()
        .ok_or_else(|| Fault::not_found(aid))?;
    Ok(Step::Done(target, e))
}

/// Adding to `hosts/{id}/fenceagents`.
fn add_fence_agent(cx: &Cx, mut body: Value) -> R<Step> {
    let Cx { parent, .. } = cx;
    let mut meta = Map::new();
    let m = obj(&mut body);
    if let Some(p) = m.remove("password") {
        meta.insert("password".into(), p);
    }
    default(m, "order", json!(1));
    m.insert("host".into(), json!({"id": parent}));
    Ok(Step::Insert(body, meta, cx.coll.clone()))
}

/// Adding to `networks`.
fn add_network(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx {
        coll, id, name, ty, ..
    } = cx;
    let meta = Map::new();
    let target = coll.to_string();
    let dc = resolve(
        sim,
        "datacenters",
        body.get("data_center"),
        "DataCenter",
        &any,
    )?;
    unique(
        sim,
        coll,
        name.as_deref().unwrap_or_default(),
        "Network",
        &|e| refers(e, "data_center", &dc),
        None,
    )?;
    if let Some(p) = body.get("external_provider").cloned() {
        let pid = resolve(
            sim,
            "openstacknetworkproviders",
            Some(&p),
            "OpenStackNetworkProvider",
            &any,
        )?;
        obj(&mut body).insert("external_provider".into(), json!({"id": pid}));
    }
    let m = obj(&mut body);
    m.insert("data_center".into(), json!({"id": dc}));
    default(m, "usages", json!({"usage": ["vm"]}));
    default(m, "mtu", json!(0));
    default(m, "stp", json!(false));
    default(m, "description", json!(""));
    let vm = m["usages"]["usage"]
        .as_array()
        .is_some_and(|a| a.iter().any(|u| u == "vm"));
    let e = Entity {
        id: id.clone(),
        body: canon(ty, with_id(body, id))?,
        meta,
    };
    sim.store.insert(coll, e.clone());
    if vm {
        add_profile(sim, id, name.as_deref().unwrap_or_default());
    }
    Ok(Step::Done(target, e))
}

/// Adding to `vnicprofiles`.
fn add_vnic_profile(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx { coll, name, .. } = cx;
    let net = resolve(sim, "networks", body.get("network"), "Network", &any)?;
    unique(
        sim,
        coll,
        name.as_deref().unwrap_or_default(),
        "VnicProfile",
        &|e| refers(e, "network", &net),
        None,
    )?;
    obj(&mut body).insert("network".into(), json!({"id": net}));
    Ok(Step::Insert(body, Map::new(), cx.coll.clone()))
}

/// Adding to `openstacknetworkproviders`.
fn add_provider(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx { coll, name, .. } = cx;
    let mut meta = Map::new();
    unique(
        sim,
        coll,
        name.as_deref().unwrap_or_default(),
        "Provider",
        &any,
        None,
    )?;
    let m = obj(&mut body);
    if let Some(p) = m.remove("password") {
        meta.insert("password".into(), p);
    }
    default(m, "requires_authentication", json!(false));
    default(m, "read_only", json!(false));
    default(m, "type", json!("external"));
    default(m, "plugin_type", json!("open_vswitch"));
    default(m, "unmanaged", json!(false));
    default(m, "auto_sync", json!(false));
    Ok(Step::Insert(body, meta, cx.coll.clone()))
}

/// Adding to `vms`.
fn add_vm(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx { coll, id, name, .. } = cx;
    let meta = Map::new();
    unique(
        sim,
        coll,
        name.as_deref().unwrap_or_default(),
        "VM",
        &any,
        None,
    )?;
    let cl = resolve(sim, "clusters", body.get("cluster"), "Cluster", &any)?;
    let tp = resolve(sim, "templates", body.get("template"), "Template", &any)?;
    let m = obj(&mut body);
    m.insert("cluster".into(), json!({"id": cl}));
    m.insert("template".into(), json!({"id": tp}));
    default(m, "memory", json!(1_073_741_824u64));
    default(
        m,
        "cpu",
        json!({"topology": {"cores": 1, "sockets": 1, "threads": 1}}),
    );
    default(m, "type", json!("server"));
    default(m, "os", json!({"type": "other"}));
    default(m, "stateless", json!(false));
    default(m, "delete_protected", json!(false));
    default(
        m,
        "high_availability",
        json!({"enabled": false, "priority": 0}),
    );
    m.insert("status".into(), json!("image_locked"));
    sim.store
        .schedule(coll, id, "status", false, 2, json!("down"));
    let protocol = body
        .pointer("/display/type")
        .and_then(Value::as_str)
        .unwrap_or("vnc")
        .to_string();
    let gc = new_id();
    sim.store.insert(
        &format!("vms/{id}/graphicsconsoles"),
        Entity {
            id: gc.clone(),
            body: json!({"id": gc, "protocol": protocol, "vm": {"id": id}}),
            meta: Map::new(),
        },
    );
    let cd = "00000000-0000-0000-0000-000000000000";
    sim.store.insert(
        &format!("vms/{id}/cdroms"),
        Entity {
            id: cd.into(),
            body: json!({"id": cd, "vm": {"id": id}}),
            meta: Map::new(),
        },
    );
    Ok(Step::Insert(body, meta, cx.coll.clone()))
}

/// Adding to `vms/{id}/diskattachments`.
fn add_disk_attachment(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx {
        coll, parent, ty, ..
    } = cx;
    let meta = Map::new();
    let target = coll.to_string();
    let vm = parent.clone();
    let disk = body.get("disk").cloned().unwrap_or(Value::Null);
    let did = if let Some(did) = s(&disk, "id").filter(|d| sim.store.get("disks", d).is_some()) {
        did.to_string()
    } else {
        let (_, de) = create_disk(sim, disk)?;
        de.id
    };
    if sim.store.get(coll, &did).is_some() {
        return Err(Fault::conflict(
            "attach",
            "Disk",
            "The disk is already attached to the VM.",
        ));
    }
    let m = obj(&mut body);
    m.insert("id".into(), json!(did));
    m.insert("disk".into(), json!({"id": did}));
    m.insert("vm".into(), json!({"id": vm}));
    default(m, "active", json!(true));
    default(m, "bootable", json!(false));
    default(m, "pass_discard", json!(false));
    default(m, "read_only", json!(false));
    default(m, "uses_scsi_reservation", json!(false));
    let e = Entity {
        id: did.clone(),
        body: canon(ty, body)?,
        meta,
    };
    sim.store.insert(coll, e.clone());
    Ok(Step::Done(target, e))
}

/// Adding to `vms/{id}/nics`.
fn add_vm_nic(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx {
        coll, parent, name, ..
    } = cx;
    unique(
        sim,
        coll,
        name.as_deref().unwrap_or_default(),
        "Interface",
        &any,
        None,
    )?;
    let vm = parent.clone();
    if let Some(p) = body.get("vnic_profile").cloned() {
        let pid = resolve(sim, "vnicprofiles", Some(&p), "VnicProfile", &any)?;
        obj(&mut body).insert("vnic_profile".into(), json!({"id": pid}));
    }
    let m = obj(&mut body);
    m.insert("vm".into(), json!({"id": vm}));
    default(m, "interface", json!("virtio"));
    default(m, "linked", json!(true));
    default(m, "plugged", json!(true));
    default(m, "mac", json!({"address": new_mac()}));
    Ok(Step::Insert(body, Map::new(), cx.coll.clone()))
}

/// Adding to `disks`.
fn add_disk(sim: &mut Sim, cx: &Cx, body: Value) -> R<Step> {
    let target = cx.coll.clone();
    let (_, e) = create_disk(sim, body)?;
    Ok(Step::Done(target, e))
}

/// Adding to `vms/{id}/graphicsconsoles`.
fn add_console(sim: &mut Sim, cx: &Cx, mut body: Value) -> R<Step> {
    let Cx { coll, parent, .. } = cx;
    let protocol = s(&body, "protocol").unwrap_or_default().to_string();
    if sim
        .store
        .list(coll)
        .iter()
        .any(|c| s(&c.body, "protocol") == Some(protocol.as_str()))
    {
        return Err(Fault::conflict(
            "add",
            "Graphics Console",
            "The VM already has a console of this protocol.",
        ));
    }
    obj(&mut body).insert("vm".into(), json!({"id": parent}));
    Ok(Step::Insert(body, Map::new(), cx.coll.clone()))
}

fn create_disk(sim: &mut Sim, mut disk: Value) -> R<(String, Entity)> {
    let id = new_id();
    let sds = disk
        .pointer("/storage_domains/storage_domain")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(first) = sds.first() else {
        return Err(Fault::incomplete(
            "disk",
            "add",
            &["storage_domains".to_string()],
        ));
    };
    let sd = resolve(sim, "storagedomains", Some(first), "StorageDomain", &any)?;
    let active = attached_dc(sim, &sd)
        .and_then(|dc| {
            sim.store
                .get(&format!("datacenters/{dc}/storagedomains"), &sd)
                .map(|a| s(&a.body, "status") == Some("active"))
        })
        .unwrap_or(false);
    if !active {
        return Err(Fault::conflict(
            "add",
            "Virtual Disk",
            "Storage Domain is not active in a Data Center.",
        ));
    }
    if disk.get("provisioned_size").is_none() {
        return Err(Fault::incomplete(
            "disk",
            "add",
            &["provisioned_size".to_string()],
        ));
    }
    let m = obj(&mut disk);
    m.insert(
        "storage_domains".into(),
        json!({"storage_domain": [{"id": sd}]}),
    );
    default(m, "format", json!("cow"));
    default(m, "sparse", json!(true));
    default(m, "shareable", json!(false));
    default(m, "wipe_after_delete", json!(false));
    default(m, "content_type", json!("data"));
    default(m, "storage_type", json!("image"));
    let size = m["provisioned_size"].clone();
    default(m, "actual_size", json!(0));
    default(m, "total_size", size);
    m.insert("status".into(), json!("locked"));
    sim.store
        .schedule("disks", &id, "status", false, 2, json!("ok"));
    let e = Entity {
        id: id.clone(),
        body: canon("Disk", with_id(disk, &id))?,
        meta: Map::new(),
    };
    sim.store.insert("disks", e.clone());
    Ok(("disks".into(), e))
}

/// Cluster usages of a network: the requested ones, plus `vm` for a VM network.
pub fn cluster_usages(sim: &Sim, net: &str, req: Option<&Value>) -> Vec<Value> {
    let mut u: Vec<Value> = req
        .and_then(|r| r.get("usage"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let is_vm = sim
        .store
        .get("networks", net)
        .and_then(|n| n.body.pointer("/usages/usage"))
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|x| x == "vm"));
    if is_vm && !u.iter().any(|x| x == "vm") {
        u.push(json!("vm"));
    }
    u.dedup();
    u
}

/// One display/migration/gluster/management/default_route network per cluster: taking a role
/// moves it away from the other networks of the cluster.
pub fn take_roles(sim: &mut Sim, coll: &str, net: &str, usages: &[Value]) {
    let exclusive = [
        "display",
        "migration",
        "gluster",
        "management",
        "default_route",
    ];
    let taken: Vec<&Value> = usages
        .iter()
        .filter(|u| u.as_str().is_some_and(|x| exclusive.contains(&x)))
        .collect();
    if taken.is_empty() {
        return;
    }
    if let Some(v) = sim.store.colls.get_mut(coll) {
        for e in v.iter_mut().filter(|e| e.id != net) {
            if let Some(a) = e
                .body
                .pointer_mut("/usages/usage")
                .and_then(Value::as_array_mut)
            {
                a.retain(|u| !taken.contains(&u));
            }
        }
    }
}
