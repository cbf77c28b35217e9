//! Create, update and remove rules per collection, the joined views of attachments, and the
//! rules that fire when a scheduled state change lands.

use super::routes::CollDef;
use super::{setupnetworks, Fault, Req, Sim};
use crate::schema::normalize;
use crate::store::{Entity, Transition};
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

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
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

fn any(_: &Entity) -> bool {
    true
}

fn unique(
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

fn obj(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    v.as_object_mut().expect("object")
}

fn default(m: &mut Map<String, Value>, k: &str, v: Value) {
    if !m.contains_key(k) || m[k].is_null() {
        m.insert(k.to_string(), v);
    }
}

/// Bring a body back to schema order after edits.
pub fn canon(ty: &str, v: Value) -> R<Value> {
    normalize(ty, &v, ty, false).map_err(|p| Fault::new(500, "Internal Server Error", p.join("; ")))
}

fn refers(e: &Entity, key: &str, id: &str) -> bool {
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

/// Create an entity in `coll`; returns the collection it was stored in and the entity.
pub fn create(
    sim: &mut Sim,
    coll: &str,
    d: &CollDef,
    mut body: Value,
    req: &Req,
) -> R<(String, Entity)> {
    let id = s(&body, "id").map(str::to_string).unwrap_or_else(new_id);
    let parent = coll.split('/').nth(1).unwrap_or_default().to_string();
    let name = s(&body, "name").map(str::to_string);
    let ty = d.ty;
    let mut meta = Map::new();
    let mut target = coll.to_string();
    match d.pattern {
        "datacenters" => {
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
        }
        "clusters" => {
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
        }
        "hosts" => {
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
            let after = sim.cfg.host_install_ticks;
            sim.store.schedule(
                coll,
                &id,
                "status",
                false,
                after,
                json!(if activate { "up" } else { "maintenance" }),
            );
            add_host_nics(sim, &id, &cl);
        }
        "storagedomains" => {
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
                .schedule(coll, &id, "status", false, 2, json!("unattached"));
        }
        "datacenters/{id}/storagedomains" => {
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
            if !dc_has_up_host(sim, &parent) {
                return Err(Fault::conflict(
                    "attach",
                    "Storage",
                    "There is no active Host in the Data Center.",
                ));
            }
            let first = s(&sde.body, "type") == Some("data")
                && !sim.store.list(coll).iter().any(|a| {
                    s(&a.body, "master") == Some("true")
                        || a.body.get("master") == Some(&json!(true))
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
            return Ok((target, e));
        }
        "clusters/{id}/networks" => {
            let dc = dc_of_cluster(sim, &parent).unwrap_or_default();
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
            return Ok((target, e));
        }
        "hosts/{id}/networkattachments" | "hosts/{id}/nics/{id}/networkattachments" => {
            let host = parent.clone();
            if d.pattern.contains("/nics/") {
                let nic = coll.split('/').nth(3).unwrap_or_default().to_string();
                obj(&mut body).insert("host_nic".into(), json!({"id": nic}));
            }
            let ids = setupnetworks::apply(sim, &host, vec![body], Vec::new(), true)?;
            target = format!("hosts/{host}/networkattachments");
            let aid = ids.into_iter().next().unwrap_or_default();
            let e = sim
                .store
                .get(&target, &aid)
                .cloned()
                .ok_or_else(|| Fault::not_found(aid))?;
            return Ok((target, e));
        }
        "hosts/{id}/fenceagents" => {
            let m = obj(&mut body);
            if let Some(p) = m.remove("password") {
                meta.insert("password".into(), p);
            }
            default(m, "order", json!(1));
            m.insert("host".into(), json!({"id": parent}));
        }
        "networks" => {
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
                body: canon(ty, with_id(body, &id))?,
                meta,
            };
            sim.store.insert(coll, e.clone());
            if vm {
                add_profile(sim, &id, name.as_deref().unwrap_or_default());
            }
            return Ok((target, e));
        }
        "vnicprofiles" => {
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
        }
        "openstacknetworkproviders" => {
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
        }
        "vms" => {
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
                .schedule(coll, &id, "status", false, 2, json!("down"));
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
        }
        "vms/{id}/diskattachments" => {
            let vm = parent.clone();
            let disk = body.get("disk").cloned().unwrap_or(Value::Null);
            let did =
                if let Some(did) = s(&disk, "id").filter(|d| sim.store.get("disks", d).is_some()) {
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
            return Ok((target, e));
        }
        "vms/{id}/nics" => {
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
        }
        "disks" => {
            let (_, e) = create_disk(sim, body)?;
            return Ok((target, e));
        }
        "vms/{id}/graphicsconsoles" => {
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
        }
        _ => {}
    }
    let e = Entity {
        id: id.clone(),
        body: canon(ty, with_id(body, &id))?,
        meta,
    };
    sim.store.insert(&target, e.clone());
    if d.pattern == "clusters" {
        attach_management_network(sim, &id);
    }
    let label = name.clone().unwrap_or_else(|| id.clone());
    match d.pattern {
        "hosts" => super::event(
            sim,
            42,
            "normal",
            format!("Host {label} was added by admin@internal."),
            &[("host", &id)],
        ),
        "storagedomains" => super::event(
            sim,
            956,
            "normal",
            format!("Storage Domain {label} was added by admin@internal."),
            &[("storage_domain", &id)],
        ),
        "vms" => super::event(
            sim,
            34,
            "normal",
            format!("VM {label} was created by admin@internal."),
            &[("vm", &id)],
        ),
        _ => {}
    }
    Ok((target, e))
}

/// What the Engine fills in for a cluster the client did not specify (clients read these back:
/// ovirt.ovirt's `ovirt_cluster` dereferences `ksm`, `fencing_policy`, `migration`, …).
pub fn cluster_defaults(m: &mut Map<String, Value>) {
    for (k, v) in [
        ("version", json!({"major": 4, "minor": 7})),
        ("virt_service", json!(true)),
        ("gluster_service", json!(false)),
        ("ballooning_enabled", json!(false)),
        ("threads_as_cores", json!(false)),
        ("ha_reservation", json!(false)),
        ("trusted_service", json!(false)),
        ("maintenance_reason_required", json!(false)),
        ("optional_reason", json!(false)),
        ("switch_type", json!("legacy")),
        ("firewall_type", json!("firewalld")),
        ("bios_type", json!("q35_ovmf")),
        ("ksm", json!({"enabled": true, "merge_across_nodes": true})),
        ("error_handling", json!({"on_error": "migrate"})),
        (
            "fencing_policy",
            json!({"enabled": true, "skip_if_connectivity_broken": {"enabled": false, "threshold": 50},
            "skip_if_gluster_bricks_up": false, "skip_if_gluster_quorum_not_met": false, "skip_if_sd_active": {"enabled": false}}),
        ),
        (
            "migration",
            json!({"auto_converge": "inherit", "bandwidth": {"assignment_method": "auto"}, "compressed": "inherit", "encrypted": "inherit"}),
        ),
        (
            "memory_policy",
            json!({"over_commit": {"percent": 100}, "transparent_hugepages": {"enabled": true}}),
        ),
        (
            "required_rng_sources",
            json!({"required_rng_source": ["urandom"]}),
        ),
        ("cpu", json!({"architecture": "undefined"})),
        (
            "scheduling_policy",
            json!({"id": super::initial::SCHED_NONE}),
        ),
        ("mac_pool", json!({"id": super::initial::MAC_POOL})),
    ] {
        default(m, k, v);
    }
}

/// What the Engine reports for every host (`ovirt_host` reads `power_management`, `spm`,
/// `os.custom_kernel_cmdline`, …).
pub fn host_defaults(m: &mut Map<String, Value>) {
    for (k, v) in [
        ("port", json!(54321)),
        ("type", json!("rhel")),
        ("protocol", json!("stomp")),
        ("spm", json!({"priority": 5, "status": "none"})),
        (
            "power_management",
            json!({"automatic_pm_enabled": true, "enabled": false, "kdump_detection": true}),
        ),
        (
            "os",
            json!({"custom_kernel_cmdline": "", "reported_kernel_cmdline": "", "type": "RHEL", "version": {"full_version": "9.4"}}),
        ),
        ("vgpu_placement", json!("consolidated")),
        ("kdump_status", json!("disabled")),
        ("ksm", json!({"enabled": false})),
        ("transparent_hugepages", json!({"enabled": true})),
        ("se_linux", json!({"mode": "enforcing"})),
        ("network_operation_in_progress", json!(false)),
        ("update_available", json!(false)),
        ("reinstallation_required", json!(false)),
        ("external_status", json!("ok")),
    ] {
        default(m, k, v);
    }
}

/// A new cluster carries its data center's management network (`ovirtmgmt`), as in the Engine.
fn attach_management_network(sim: &mut Sim, cluster: &str) {
    let Some(dc) = dc_of_cluster(sim, cluster) else {
        return;
    };
    let net = sim
        .store
        .list("networks")
        .iter()
        .find(|n| refers(n, "data_center", &dc) && s(&n.body, "name") == Some("ovirtmgmt"))
        .map(|n| n.id.clone());
    if let Some(net) = net {
        let body = json!({"id": net, "required": true, "display": false,
            "usages": {"usage": ["management", "display", "migration", "vm", "default_route"]}});
        sim.store.insert(
            &format!("clusters/{cluster}/networks"),
            Entity {
                id: net,
                body,
                meta: Map::new(),
            },
        );
    }
}

fn with_id(mut body: Value, id: &str) -> Value {
    obj(&mut body).insert("id".into(), json!(id));
    body
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

fn dc_has_up_host(sim: &Sim, dc: &str) -> bool {
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

/// Cluster usages of a network: the requested ones, plus `vm` for a VM network.
fn cluster_usages(sim: &Sim, net: &str, req: Option<&Value>) -> Vec<Value> {
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
fn take_roles(sim: &mut Sim, coll: &str, net: &str, usages: &[Value]) {
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

fn add_profile(sim: &mut Sim, net: &str, name: &str) {
    let pid = new_id();
    let body = json!({"id": pid, "name": name, "network": {"id": net}, "pass_through": {"mode": "disabled"}, "port_mirroring": false});
    sim.store.insert(
        "vnicprofiles",
        Entity {
            id: pid,
            body,
            meta: Map::new(),
        },
    );
}

/// The NICs a new host reports; the first carries the management network when the cluster has one.
pub fn add_host_nics(sim: &mut Sim, host: &str, cluster: &str) {
    let coll = format!("hosts/{host}/nics");
    let names = sim.cfg.host_nics.clone();
    let mut first_nic = None;
    for n in &names {
        let id = new_id();
        first_nic.get_or_insert(id.clone());
        let body = json!({"id": id, "name": n, "boot_protocol": "none", "bridged": false, "mac": {"address": new_mac()},
                          "mtu": 1500, "speed": 10_000_000_000u64, "status": "up", "host": {"id": host}});
        sim.store.insert(
            &coll,
            Entity {
                id,
                body,
                meta: Map::new(),
            },
        );
    }
    let mgmt = sim
        .store
        .list(&format!("clusters/{cluster}/networks"))
        .iter()
        .find(|n| {
            n.body
                .pointer("/usages/usage")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|u| u == "management"))
        })
        .map(|n| n.id.clone());
    if let (Some(net), Some(nic)) = (mgmt, first_nic) {
        let aid = new_id();
        let body = json!({"id": aid, "in_sync": true, "ip_address_assignments": {"ip_address_assignment": [{"assignment_method": "dhcp"}]},
                          "host": {"id": host}, "host_nic": {"id": nic}, "network": {"id": net}});
        sim.store.insert(
            &format!("hosts/{host}/networkattachments"),
            Entity {
                id: aid,
                body,
                meta: Map::new(),
            },
        );
        if let Some(n) = sim.store.get_mut(&coll, &nic) {
            n.body["bridged"] = json!(true);
            n.body["boot_protocol"] = json!("dhcp");
        }
    }
}

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
