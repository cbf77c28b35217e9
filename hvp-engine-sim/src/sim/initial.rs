//! The state of a freshly installed Engine, the API root, and the vintage hosted-engine import.

use super::defaults::add_host_nics;
use super::routes::COLLS;
use super::util::{canon, new_id};
use super::{Sim, API};
use crate::schema::normalize;
use crate::store::Entity;
use serde_json::{json, Map, Value};

/// Id of the `Blank` template (fixed in every Engine).
pub const BLANK: &str = "00000000-0000-0000-0000-000000000000";

/// Id of the `none` scheduling policy (fixed in every Engine).
pub const SCHED_NONE: &str = "b4ed2332-a7ac-4d5f-9596-99a439cb2812";

/// Id of the `Default` MAC pool.
pub const MAC_POOL: &str = "58ca604b-017d-0374-0220-00000000014e";

/// Product version served in `product_info`.
pub const VERSION: (u32, u32, u32, u32, &str) = (4, 5, 6, 0, "4.5.6-1.el9");

/// CPU type names per cluster level (a subset of the Engine's list).
const CPU_TYPES: &[(&str, u32)] = &[
    ("Intel Nehalem Family", 3),
    ("Secure Intel Nehalem Family", 3),
    ("Intel Westmere Family", 4),
    ("Secure Intel Westmere Family", 4),
    ("Intel SandyBridge Family", 5),
    ("Secure Intel SandyBridge Family", 5),
    ("Intel IvyBridge Family", 6),
    ("Secure Intel IvyBridge Family", 6),
    ("Intel Haswell Family", 7),
    ("Secure Intel Haswell Family", 7),
    ("Intel Broadwell Family", 8),
    ("Secure Intel Broadwell Family", 8),
    ("Intel Skylake Client Family", 9),
    ("Secure Intel Skylake Client Family", 9),
    ("Intel Skylake Server Family", 10),
    ("Secure Intel Skylake Server Family", 10),
    ("Intel Cascadelake Server Family", 11),
    ("Secure Intel Cascadelake Server Family", 11),
    ("Intel Icelake Server Family", 12),
    ("Secure Intel Icelake Server Family", 12),
    ("AMD Opteron G4", 4),
    ("AMD Opteron G5", 5),
    ("AMD EPYC", 6),
    ("Secure AMD EPYC", 6),
];

fn put(sim: &mut Sim, coll: &str, ty: &str, body: Value) -> String {
    let id = body
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(new_id);
    let mut b = body;
    b["id"] = json!(id);
    let b =
        canon(ty, b).unwrap_or_else(|f| panic!("initial {ty} fails the type table: {}", f.detail));
    sim.store.insert(
        coll,
        Entity {
            id: id.clone(),
            body: b,
            meta: Map::new(),
        },
    );
    id
}

/// Fill a fresh store: data center and cluster `Default`, network `ovirtmgmt` (with its vNIC
/// profile and its management role in the cluster), template `Blank`, cluster levels, and the
/// seed hosts.
pub fn populate(sim: &mut Sim) {
    let dc = put(
        sim,
        "datacenters",
        "DataCenter",
        json!({"name": "Default", "description": "The default Data Center", "local": false,
        "quota_mode": "disabled", "status": "uninitialized", "storage_format": "v5",
        "supported_versions": {"version": [{"major": 4, "minor": 7}]}, "version": {"major": 4, "minor": 7}}),
    );
    for (id, name) in [
        (SCHED_NONE, "none"),
        ("20d25257-b4bd-4589-92a6-c4c5c5d3fd1a", "evenly_distributed"),
        ("5a2b0939-7d46-4b73-a469-e9c2c7fc6a53", "power_saving"),
        (
            "8d5d7bec-68de-4a67-b53e-0ac54686d579",
            "vm_evenly_distributed",
        ),
        (
            "7677771e-5eab-422e-83fa-dc04080d21b7",
            "cluster_maintenance",
        ),
    ] {
        put(
            sim,
            "schedulingpolicies",
            "SchedulingPolicy",
            json!({"id": id, "name": name, "locked": true, "default_policy": id == SCHED_NONE}),
        );
    }
    put(
        sim,
        "macpools",
        "MacPool",
        json!({"id": MAC_POOL, "name": "Default", "description": "Default MAC pool",
        "allow_duplicates": false, "default_pool": true, "ranges": {"range": [{"from": "56:6f:00:00:00:00", "to": "56:6f:ff:ff:ff:ff"}]}}),
    );
    let mut cluster = json!({"name": "Default", "description": "The default server cluster",
        "cpu": {"architecture": "x86_64", "type": "Intel Nehalem Family"}, "data_center": {"id": dc}});
    if let Some(m) = cluster.as_object_mut() {
        super::defaults::cluster_defaults(m);
    }
    let cl = put(sim, "clusters", "Cluster", cluster);
    let net = put(
        sim,
        "networks",
        "Network",
        json!({"name": "ovirtmgmt", "description": "Management Network", "mtu": 0, "stp": false,
        "usages": {"usage": ["vm"]}, "data_center": {"id": dc}}),
    );
    put(
        sim,
        "vnicprofiles",
        "VnicProfile",
        json!({"name": "ovirtmgmt", "pass_through": {"mode": "disabled"}, "port_mirroring": false, "network": {"id": net}}),
    );
    let cn = format!("clusters/{cl}/networks");
    sim.store.insert(
        &cn,
        Entity {
            id: net.clone(),
            body: json!({"id": net, "required": true, "display": false,
        "usages": {"usage": ["management", "display", "migration", "vm", "default_route"]}}),
            meta: Map::new(),
        },
    );
    put(
        sim,
        "templates",
        "Template",
        json!({"id": BLANK, "name": "Blank", "description": "Blank template", "status": "ok",
        "memory": 1_073_741_824u64, "os": {"type": "other"}, "type": "server", "stateless": false,
        "cpu": {"topology": {"cores": 1, "sockets": 1, "threads": 1}}, "version": {"version_name": "base version", "version_number": 1}}),
    );
    for (major, minor) in [(4, 6), (4, 7)] {
        let types: Vec<Value> = CPU_TYPES
            .iter()
            .map(|(n, l)| json!({"name": n, "level": l, "architecture": "x86_64"}))
            .collect();
        put(
            sim,
            "clusterlevels",
            "ClusterLevel",
            json!({"id": format!("{major}.{minor}"), "cpu_types": {"cpu_type": types}}),
        );
    }
    super::event(
        sim,
        9700,
        "normal",
        "Starting oVirt Engine (hvp-engine-sim).".into(),
        &[],
    );
    for name in sim.cfg.seed_hosts.clone() {
        let mut host = json!({"name": name, "address": name, "status": "up", "ovn_configured": true,
            "hosted_engine": {"active": true, "configured": true, "global_maintenance": false, "local_maintenance": false, "score": 3400},
            "cluster": {"id": cl}});
        if let Some(m) = host.as_object_mut() {
            super::defaults::host_defaults(m);
        }
        let h = put(sim, "hosts", "Host", host);
        add_host_nics(sim, &h, &cl);
    }
}

/// `GET /ovirt-engine/api`.
pub fn api_root(sim: &Sim) -> Value {
    let (major, minor, build, revision, full) = VERSION;
    let mut links = Vec::new();
    for d in COLLS.iter().filter(|d| !d.pattern.contains('/')) {
        links.push(json!({"href": format!("{API}/{}", d.pattern), "rel": d.pattern}));
        links.push(json!({"href": format!("{API}/{}?search={{query}}", d.pattern), "rel": format!("{}/search", d.pattern)}));
    }
    let count = |c: &str, st: Option<&str>| {
        sim.store
            .list(c)
            .iter()
            .filter(|e| st.is_none() || e.body.get("status").and_then(Value::as_str) == st)
            .count()
    };
    let root = json!({
        "product_info": {"instance_id": "6a4c2b1e-0000-4000-8000-00000000e51e", "name": "oVirt Engine", "vendor": "ovirt.org",
            "version": {"build": build, "full_version": full, "major": major, "minor": minor, "revision": revision}},
        "special_objects": {"blank_template": {"id": BLANK, "href": format!("{API}/templates/{BLANK}")}},
        "summary": {"hosts": {"active": count("hosts", Some("up")), "total": count("hosts", None)},
            "storage_domains": {"active": 0, "total": count("storagedomains", None)},
            "users": {"active": 1, "total": 1}, "vms": {"active": count("vms", Some("up")), "total": count("vms", None)}},
        "time": now_rfc3339(),
        "link": links,
    });
    normalize("Api", &root, "api", true).unwrap_or(root)
}

/// The vintage hosted-engine flow: once the data center is up the Engine imports its own
/// storage domain `engine_domain` and the `HostedEngine` VM.
pub fn import_hosted_engine(sim: &mut Sim, dc: &str) {
    if sim
        .store
        .by_name("storagedomains", "engine_domain")
        .is_some()
    {
        return;
    }
    let addr = sim
        .store
        .list("storagedomains")
        .iter()
        .find_map(|s| {
            s.body
                .pointer("/storage/address")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "localhost".into());
    let sd = put(
        sim,
        "storagedomains",
        "StorageDomain",
        json!({"name": "engine_domain", "type": "data", "status": "unattached", "master": false,
        "storage": {"type": "glusterfs", "address": addr, "path": "/engine", "vfs_type": "glusterfs"}, "storage_format": "v5", "external_status": "ok"}),
    );
    sim.store.insert(
        &format!("datacenters/{dc}/storagedomains"),
        Entity {
            id: sd.clone(),
            body: json!({"id": sd, "status": "active", "master": false}),
            meta: Map::new(),
        },
    );
    let cl = sim
        .store
        .list("clusters")
        .iter()
        .find(|c| c.body.pointer("/data_center/id").and_then(Value::as_str) == Some(dc))
        .map(|c| c.id.clone());
    if let Some(cl) = cl {
        put(
            sim,
            "vms",
            "Vm",
            json!({"name": "HostedEngine", "status": "up", "memory": 17_179_869_184u64, "type": "server", "origin": "managed_hosted_engine",
            "os": {"type": "other_linux"}, "cluster": {"id": cl}, "template": {"id": BLANK}}),
        );
    }
}

/// Now as the Engine writes dates.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
