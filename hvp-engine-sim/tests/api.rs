//! The real binary on a random port: authentication, content negotiation, fresh state,
//! search, validation, faults and state machines.

mod common;

use common::Sim;
use serde_json::{json, Value};

#[test]
fn authentication_token_logout_and_basic() {
    let mut s = Sim::start(&[]);
    assert_eq!(s.req("GET", "", "xml", None).status, 401, "no token");
    let bad = s.sso("wrong");
    assert!(bad.json()["error"].is_string(), "{}", bad.text);
    assert_ne!(bad.status, 200);
    s.login();
    let root = s.req("GET", "", "xml", None);
    assert_eq!(root.status, 200);
    assert!(root.ctype.contains("xml"));
    let tok = s.token.clone().unwrap();
    let out = s.req(
        "POST",
        "/ovirt-engine/services/sso-logout",
        "json",
        Some(&format!("scope=ovirt-app-api&token={tok}")),
    );
    assert_eq!(out.status, 200);
    assert!(out.json().get("error").is_none());
    assert_eq!(s.req("GET", "", "xml", None).status, 401, "token revoked");
    // Basic credentials are accepted too.
    let s2 = Sim::start(&[]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let r = agent
        .get(&s2.url("/ovirt-engine/api"))
        .header("Authorization", "Basic YWRtaW5AaW50ZXJuYWw6cHc=")
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // The request log never holds the password.
    let log = serde_json::to_string(&s.log()).unwrap();
    assert!(log.contains("/ovirt-engine/sso/oauth/token"));
    assert!(
        !log.contains("password=pw") && !log.contains("\"pw\""),
        "{log}"
    );
}

#[test]
fn root_in_xml_and_json_with_product_version() {
    let s = Sim::up(&[]);
    let x = s.req("GET", "", "xml", None);
    assert!(
        x.text.contains("<api>")
            && x.text.contains("<major>4</major>")
            && x.text.contains("<minor>5</minor>"),
        "{}",
        x.text
    );
    assert!(x.text.contains(r#"<blank_template href="/ovirt-engine/api/templates/00000000-0000-0000-0000-000000000000""#), "{}", x.text);
    let j = s.get("");
    assert_eq!(j["product_info"]["version"]["major"], json!(4));
    assert!(j["product_info"]["version"]["full_version"]
        .as_str()
        .unwrap()
        .starts_with("4.5."));
    assert!(j["link"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["rel"] == "datacenters"));
}

#[test]
fn fresh_engine_state_and_search() {
    let s = Sim::up(&[]);
    let dc = s.find("datacenters", "Default");
    assert_eq!(dc["status"], "uninitialized");
    let cl = s.find("clusters", "Default");
    assert_eq!(cl["data_center"]["id"], dc["id"]);
    assert!(cl["data_center"]["href"]
        .as_str()
        .unwrap()
        .starts_with("/ovirt-engine/api/datacenters/"));
    let net = s.find("networks", "ovirtmgmt");
    assert_eq!(net["usages"]["usage"], json!(["vm"]));
    let t = s.find("templates", "Blank");
    assert_eq!(t["id"], "00000000-0000-0000-0000-000000000000");
    let cn = s.get(&format!("clusters/{}/networks", cl["id"].as_str().unwrap()));
    assert_eq!(cn["network"][0]["name"], "ovirtmgmt");
    assert_eq!(cn["network"][0]["required"], json!(true));
    // Unquoted, case-insensitive by default, case-sensitive on request, wildcard, conjunction.
    assert_eq!(
        s.get("datacenters?search=name%3Ddefault")["data_center"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(s
        .get("datacenters?search=name%3Ddefault&case_sensitive=true")
        .get("data_center")
        .is_none_or(|v| v.as_array().unwrap().is_empty()));
    assert_eq!(
        s.get("networks?search=name%3Dovirt*%20and%20datacenter%3D%22Default%22")["network"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let bad = s.req("GET", "networks?search=nmae%3Dx", "json", None);
    assert_eq!(bad.status, 400);
    assert!(bad.json()["detail"].as_str().unwrap().contains("nmae"));
    let levels = s.get("clusterlevels/4.7");
    assert!(levels["cpu_types"]["cpu_type"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "Intel Nehalem Family"));
}

#[test]
fn validation_names_misspelt_elements_and_bad_enums() {
    let s = Sim::up(&[]);
    let r = s.req(
        "POST",
        "datacenters",
        "xml",
        Some("<data_center><nmae>x</nmae><local>false</local></data_center>"),
    );
    assert_eq!(r.status, 400);
    assert!(r.ctype.contains("xml"));
    assert!(
        r.text.contains("data_center.nmae") && r.text.contains("did you mean `name`"),
        "{}",
        r.text
    );
    let r = s.post(
        "networks",
        json!({"name": "n", "data_center": {"name": "Default"}, "usages": {"usage": ["vmm"]}}),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("network.usages.usage"),
        "{}",
        r.text
    );
    let r = s.post(
        "hosts",
        json!({"name": "h", "address": "h", "port": "abc", "cluster": {"name": "Default"}}),
    );
    assert_eq!(r.status, 400);
    assert!(r.text.contains("host.port"), "{}", r.text);
    let r = s.post("hosts", json!({"name": "h"}));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["reason"], "Incomplete parameters");
    assert!(
        r.text.contains("address") && r.text.contains("cluster.id|cluster.name"),
        "{}",
        r.text
    );
    let r = s.req(
        "POST",
        "datacenters",
        "xml",
        Some("<cluster><name>x</name></cluster>"),
    );
    assert_eq!(r.status, 400, "wrong root element");
    let r = s.req(
        "POST",
        "datacenters",
        "xml",
        Some("<data_center><name>x</name>"),
    );
    assert_eq!(r.status, 400, "malformed XML");
}

#[test]
fn crud_duplicates_unknown_ids_and_delete() {
    let s = Sim::up(&[]);
    let dc = s.post_ok(
        "datacenters",
        json!({"name": "HVP", "local": false, "version": {"major": 4, "minor": 7}}),
        201,
    );
    let id = dc["id"].as_str().unwrap().to_string();
    assert_eq!(dc["href"], format!("/ovirt-engine/api/datacenters/{id}"));
    let dup = s.post("datacenters", json!({"name": "HVP", "local": false}));
    assert_eq!(dup.status, 409);
    assert!(
        dup.json()["detail"]
            .as_str()
            .unwrap()
            .starts_with("[Cannot add Data Center."),
        "{}",
        dup.text
    );
    let up = s.req(
        "PUT",
        &format!("datacenters/{id}"),
        "json",
        Some(r#"{"description": "d", "local": "false"}"#),
    );
    assert_eq!(up.status, 200, "{}", up.text);
    assert_eq!(up.json()["description"], "d");
    assert_eq!(up.json()["name"], "HVP");
    assert_eq!(s.req("GET", "datacenters/nope", "json", None).status, 404);
    assert_eq!(
        s.req("DELETE", "datacenters/nope", "json", None).status,
        404
    );
    let del = s.req("DELETE", &format!("datacenters/{id}"), "xml", None);
    assert_eq!(del.status, 200);
    assert!(del.text.is_empty());
    assert_eq!(
        s.req("GET", &format!("datacenters/{id}"), "json", None)
            .status,
        404
    );
    let cl = s.post(
        "clusters",
        json!({"name": "C2", "data_center": {"name": "NoSuchDC"}}),
    );
    assert_eq!(cl.status, 404, "{}", cl.text);
}

#[test]
fn host_installs_then_storage_domain_attaches_and_the_dc_comes_up() {
    let s = Sim::up(&["--host-install-ticks", "3"]);
    let h = s.post_ok("hosts?deploy_hosted_engine=true&activate=true&reboot=false",
        json!({"name": "node1", "address": "node1", "root_password": "secret", "override_iptables": true, "cluster": {"name": "Default"}}), 201);
    assert_eq!(h["status"], "installing");
    assert!(
        h.get("root_password").is_none(),
        "the password is never echoed"
    );
    let hid = h["id"].as_str().unwrap().to_string();
    let mut seen = Vec::new();
    for _ in 0..6 {
        seen.push(
            s.get(&format!("hosts/{hid}"))["status"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(seen.last().unwrap(), "up", "{seen:?}");
    assert!(seen.contains(&"installing".to_string()));
    assert_eq!(
        s.get(&format!("hosts/{hid}"))["hosted_engine"]["configured"],
        json!(true)
    );
    let nics = s.get(&format!("hosts/{hid}/nics"));
    assert_eq!(nics["host_nic"].as_array().unwrap().len(), 4);
    let dc = s.find("datacenters", "Default");
    let did = dc["id"].as_str().unwrap().to_string();
    let sd = s.post_ok("storagedomains", json!({"name": "vmstore", "type": "data", "host": {"name": "node1"},
        "storage": {"type": "glusterfs", "address": "g0", "path": "/vmstore", "mount_options": "backup-volfile-servers=g1:g2"}}), 201);
    let sid = sd["id"].as_str().unwrap().to_string();
    assert_eq!(sd["status"], "locked");
    assert_eq!(sd["storage"]["vfs_type"], "glusterfs");
    let early = s.post(
        &format!("datacenters/{did}/storagedomains"),
        json!({"id": sid}),
    );
    assert_eq!(
        early.status, 409,
        "locked domain cannot be attached: {}",
        early.text
    );
    s.tick(2);
    assert_eq!(
        s.get(&format!("storagedomains/{sid}"))["status"],
        "unattached"
    );
    let att = s.post_ok(
        &format!("datacenters/{did}/storagedomains"),
        json!({"id": sid}),
        201,
    );
    assert_eq!(att["status"], "locked");
    s.tick(2);
    let a = s.get(&format!("datacenters/{did}/storagedomains/{sid}"));
    assert_eq!(a["status"], "active");
    assert_eq!(a["master"], json!(true));
    assert!(
        s.get(&format!("storagedomains/{sid}"))
            .get("status")
            .is_none(),
        "attached: status only in the DC"
    );
    assert_eq!(s.get(&format!("datacenters/{did}"))["status"], "up");
    let again = s.req(
        "POST",
        &format!("datacenters/{did}/storagedomains/{sid}/activate"),
        "xml",
        Some("<action/>"),
    );
    assert_eq!(again.status, 409, "activating an active domain is illegal");
    let de = s.req(
        "POST",
        &format!("datacenters/{did}/storagedomains/{sid}/deactivate"),
        "xml",
        Some("<action/>"),
    );
    assert_eq!(de.status, 200);
    assert!(de.text.contains("<status>complete</status>"), "{}", de.text);
    s.tick(1);
    assert_eq!(
        s.get(&format!("datacenters/{did}/storagedomains/{sid}"))["status"],
        "maintenance"
    );
    s.req(
        "POST",
        &format!("datacenters/{did}/storagedomains/{sid}/activate"),
        "json",
        Some("{}"),
    );
    s.tick(1);
    assert_eq!(
        s.get(&format!("datacenters/{did}/storagedomains/{sid}"))["status"],
        "active"
    );
    assert_eq!(s.post("storagedomains", json!({"name": "vmstore", "type": "data", "host": {"name": "node1"}, "storage": {"type": "nfs", "address": "a", "path": "/p"}})).status, 409);
}

fn up_host(s: &Sim, name: &str) -> String {
    let h = s.post_ok(
        "hosts",
        json!({"name": name, "address": name, "cluster": {"name": "Default"}}),
        201,
    );
    s.tick(4);
    h["id"].as_str().unwrap().to_string()
}

#[test]
fn networks_cluster_roles_and_setupnetworks() {
    let s = Sim::up(&[]);
    let hid = up_host(&s, "node1");
    let n = s.post_ok("networks", json!({"name": "gluster", "description": "Gluster network", "mtu": 9000, "usages": {"usage": []}, "data_center": {"name": "Default"}}), 201);
    let nid = n["id"].as_str().unwrap().to_string();
    assert_eq!(n["mtu"], json!(9000));
    let profiles = s.get("vnicprofiles");
    assert!(
        !profiles["vnic_profile"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "gluster"),
        "non-VM network has no profile"
    );
    assert_eq!(
        s.req("GET", "vnicprofiles?search=name%3Dx", "json", None)
            .status,
        400,
        "the model has no search here"
    );
    assert_eq!(
        s.post(
            "networks",
            json!({"name": "gluster", "data_center": {"name": "Default"}})
        )
        .status,
        409
    );
    let lan = s.post_ok(
        "networks",
        json!({"name": "lan", "data_center": {"name": "Default"}}),
        201,
    );
    assert_eq!(s.find("vnicprofiles", "lan")["network"]["id"], lan["id"]);
    let cl = s.find("clusters", "Default");
    let cid = cl["id"].as_str().unwrap().to_string();
    let cn = s.post_ok(
        &format!("clusters/{cid}/networks"),
        json!({"id": nid, "required": true, "usages": {"usage": ["gluster", "migration"]}}),
        201,
    );
    assert_eq!(cn["usages"]["usage"], json!(["gluster", "migration"]));
    assert_eq!(
        s.post(&format!("clusters/{cid}/networks"), json!({"id": nid}))
            .status,
        409
    );
    let mgmt = s.find("networks", "ovirtmgmt");
    let m = s.get(&format!(
        "clusters/{cid}/networks/{}",
        mgmt["id"].as_str().unwrap()
    ));
    assert!(
        !m["usages"]["usage"]
            .as_array()
            .unwrap()
            .contains(&json!("migration")),
        "migration role moved: {m}"
    );
    // setupnetworks: unknown NIC → 409; then attach and commit.
    let bad = s.req("POST", &format!("hosts/{hid}/setupnetworks"), "xml", Some(
        "<action><modified_network_attachments><network_attachment><network><name>gluster</name></network><host_nic><name>eth9</name></host_nic></network_attachment></modified_network_attachments></action>"));
    assert_eq!(bad.status, 409, "{}", bad.text);
    assert!(bad.text.contains("eth9"));
    let notincluster = s.post(&format!("hosts/{hid}/setupnetworks"), json!({"modified_network_attachments": {"network_attachment": [{"network": {"name": "lan"}, "host_nic": {"name": "eth2"}}]}}));
    assert_eq!(notincluster.status, 409, "{}", notincluster.text);
    let ok = s.req("POST", &format!("hosts/{hid}/setupnetworks"), "xml", Some(
        "<action><check_connectivity>true</check_connectivity><commit_on_success>true</commit_on_success><modified_network_attachments><network_attachment><network><name>gluster</name></network><host_nic><name>eth1</name></host_nic><ip_address_assignments><ip_address_assignment><assignment_method>static</assignment_method><ip><address>10.0.1.11</address><netmask>255.255.255.0</netmask><version>v4</version></ip></ip_address_assignment></ip_address_assignments></network_attachment></modified_network_attachments></action>"));
    assert_eq!(ok.status, 200, "{}", ok.text);
    let host = s.get(&format!("hosts/{hid}"));
    assert_eq!(host["network_operation_in_progress"], json!(true));
    let nics = s.get(&format!("hosts/{hid}/nics"));
    let eth1 = nics["host_nic"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "eth1")
        .unwrap()
        .clone();
    assert_eq!(eth1["mtu"], json!(9000));
    let atts = s.get(&format!(
        "hosts/{hid}/nics/{}/networkattachments",
        eth1["id"].as_str().unwrap()
    ));
    let a = &atts["network_attachment"][0];
    assert_eq!(a["network"]["id"], json!(nid));
    assert_eq!(
        a["ip_address_assignments"]["ip_address_assignment"][0]["ip"]["address"],
        "10.0.1.11"
    );
    assert_eq!(
        s.get(&format!("hosts/{hid}/networkattachments"))["network_attachment"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        s.req(
            "POST",
            &format!("hosts/{hid}/commitnetconfig"),
            "xml",
            Some("<action/>")
        )
        .status,
        200
    );
    assert_eq!(
        s.get(&format!("hosts/{hid}"))["network_operation_in_progress"],
        json!(false)
    );
    // Two untagged networks on one NIC are refused.
    s.post_ok(
        &format!("clusters/{cid}/networks"),
        json!({"name": "lan", "required": false}),
        201,
    );
    let two = s.post(&format!("hosts/{hid}/setupnetworks"), json!({"modified_network_attachments": {"network_attachment": [{"network": {"name": "lan"}, "host_nic": {"name": "eth1"}}]}}));
    assert_eq!(two.status, 409, "{}", two.text);
    // A host added after a required network is missing on it becomes non_operational.
    let h2 = up_host(&s, "node2");
    assert_eq!(s.get(&format!("hosts/{h2}"))["status"], "non_operational");
    s.post_ok(&format!("hosts/{h2}/setupnetworks"), json!({"modified_network_attachments": {"network_attachment": [{"network": {"name": "gluster"}, "host_nic": {"name": "eth1"}}]}}), 200);
    assert_eq!(s.get(&format!("hosts/{h2}"))["status"], "up");
}

#[test]
fn ovn_provider_and_cluster_default() {
    let s = Sim::up(&[]);
    let p = s.post_ok(
        "openstacknetworkproviders",
        json!({"name": "ovn_provider", "type": "external", "url": "http://10.0.0.5:9696",
        "requires_authentication": false, "read_only": false, "password": "x"}),
        201,
    );
    assert!(p.get("password").is_none());
    let state = s.req("GET", "/hvp-sim/state", "json", None).text;
    assert!(
        state.contains("ovn_provider") && !state.contains("\"x\""),
        "passwords are masked in the state hook"
    );
    assert_eq!(
        s.post("openstacknetworkproviders", json!({"name": "ovn_provider"}))
            .status,
        409
    );
    let cid = s.find("clusters", "Default")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = s.req("PUT", &format!("clusters/{cid}"), "json", Some(&json!({"external_network_providers": {"external_provider": [{"name": "ovn_provider"}]}}).to_string()));
    assert_eq!(r.status, 200, "{}", r.text);
    let l = s.get(&format!("clusters/{cid}/externalnetworkproviders"));
    assert_eq!(l["external_provider"][0]["name"], "ovn_provider");
    let n = s.post_ok("networks", json!({"name": "dmz0", "data_center": {"name": "Default"}, "external_provider": {"id": p["id"]}}), 201);
    assert_eq!(n["external_provider"]["id"], p["id"]);
}

#[test]
fn vm_with_disk_and_nic_and_run_state() {
    let s = Sim::up(&["--seed-host", "node0"]);
    let dc = s.find("datacenters", "Default")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let sd = s.post_ok("storagedomains", json!({"name": "vmstore", "type": "data", "host": {"name": "node0"}, "storage": {"type": "glusterfs", "address": "g", "path": "/vmstore"}}), 201);
    s.tick(2);
    s.post_ok(
        &format!("datacenters/{dc}/storagedomains"),
        json!({"name": "vmstore"}),
        201,
    );
    s.tick(2);
    let vm = s.post_ok("vms", json!({"name": "DC", "cluster": {"name": "Default"}, "template": {"name": "Blank"}, "memory": "2147483648",
        "os": {"type": "rhel_7x64", "boot": {"devices": {"device": ["hd", "network"]}}}, "delete_protected": true}), 201);
    let vid = vm["id"].as_str().unwrap().to_string();
    assert_eq!(vm["status"], "image_locked");
    assert_eq!(vm["memory"], json!(2147483648u64));
    assert_eq!(
        vm["os"]["boot"]["devices"]["device"],
        json!(["hd", "network"])
    );
    let da = s.post_ok(&format!("vms/{vid}/diskattachments"), json!({"bootable": true, "interface": "virtio", "active": true,
        "disk": {"name": "DC_disk", "format": "cow", "provisioned_size": 64424509440u64, "storage_domains": {"storage_domain": [{"id": sd["id"]}]}}}), 201);
    let disk = s.get(&format!("disks/{}", da["disk"]["id"].as_str().unwrap()));
    assert_eq!(disk["status"], "locked");
    assert_eq!(disk["name"], "DC_disk");
    let prof = s.find("vnicprofiles", "ovirtmgmt");
    let nic = s.post_ok(
        &format!("vms/{vid}/nics"),
        json!({"name": "nic1", "interface": "virtio", "vnic_profile": {"id": prof["id"]}}),
        201,
    );
    assert!(nic["mac"]["address"]
        .as_str()
        .unwrap()
        .starts_with("56:6f:"));
    assert_eq!(
        s.post(&format!("vms/{vid}/nics"), json!({"name": "nic1"}))
            .status,
        409
    );
    s.tick(2);
    assert_eq!(s.get(&format!("vms/{vid}"))["status"], "down");
    assert_eq!(
        s.get(&format!("disks/{}", da["id"].as_str().unwrap()))["status"],
        "ok"
    );
    assert_eq!(
        s.post(&format!("vms/{vid}/stop"), json!({})).status,
        409,
        "stopping a stopped VM"
    );
    assert_eq!(s.post(&format!("vms/{vid}/start"), json!({})).status, 200);
    assert_eq!(
        s.post(&format!("vms/{vid}/start"), json!({})).status,
        409,
        "starting a running VM"
    );
    let mut st = Vec::new();
    for _ in 0..3 {
        st.push(
            s.get(&format!("vms/{vid}"))["status"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(st.last().unwrap(), "up", "{st:?}");
    let del = s.req("DELETE", &format!("vms/{vid}"), "json", None);
    assert_eq!(del.status, 409, "delete-protected");
}

fn statuses(extra: &[&str]) -> Vec<u16> {
    let s = Sim::up(extra);
    (0..40)
        .map(|i| {
            s.post(
                "datacenters",
                json!({"name": format!("dc{i}"), "local": false}),
            )
            .status
        })
        .collect()
}

#[test]
fn fault_injection_is_deterministic_and_mixes_kinds() {
    let a = statuses(&["--fault-rate", "0.5", "--fault-seed", "42"]);
    let b = statuses(&["--fault-rate", "0.5", "--fault-seed", "42"]);
    assert_eq!(a, b, "same seed, same faults");
    assert!(
        a.contains(&201) && a.contains(&503) && a.contains(&409) && a.contains(&0),
        "{a:?}"
    );
    let s = Sim::up(&["--fault-rate", "1", "--fault-seed", "3"]);
    let mut dropped = 0;
    for i in 0..30 {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let r = agent
            .post(&s.url("/ovirt-engine/api/datacenters"))
            .header(
                "Authorization",
                &format!("Bearer {}", s.token.clone().unwrap()),
            )
            .header("Content-Type", "application/json")
            .send(
                json!({"name": format!("x{i}"), "local": false})
                    .to_string()
                    .as_str(),
            );
        if r.is_err() {
            dropped += 1;
        }
    }
    assert!(dropped > 0, "some connections were dropped");
    // A dropped request acted: its data center exists; no GET is ever failed.
    let all = s.get("datacenters");
    assert_eq!(all["data_center"].as_array().unwrap().len(), 1 + dropped);
    let log = s.log();
    assert!(log.iter().any(|e| e["injected"] == "drop"));
    assert!(log
        .iter()
        .filter(|e| e["method"] == "GET")
        .all(|e| e["injected"] == "none"));
}

#[test]
fn state_persists_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("engine.json");
    let fs = f.to_str().unwrap();
    {
        let s = Sim::up(&["--state", fs]);
        s.post_ok("datacenters", json!({"name": "Kept", "local": false}), 201);
    }
    let s = Sim::up(&["--state", fs]);
    assert_eq!(s.find("datacenters", "Kept")["name"], "Kept");
    assert_eq!(
        s.get("datacenters")["data_center"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    assert!(v["colls"]["datacenters"].is_array());
}

#[test]
fn xml_replies_use_attributes_and_wrappers() {
    let s = Sim::up(&[]);
    let r = s.req("POST", "networks", "xml", Some("<network><data_center><name>Default</name></data_center><name>n1</name><usages><usage>vm</usage></usages><mtu>1500</mtu></network>"));
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(
        r.text
            .contains("<network href=\"/ovirt-engine/api/networks/"),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("<usages>\n    <usage>vm</usage>\n  </usages>"),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("<data_center href=\"/ovirt-engine/api/datacenters/"),
        "{}",
        r.text
    );
    let l = s.req("GET", "networks", "xml", None);
    assert!(
        l.text.contains("<networks>") && l.text.matches("<network href").count() == 2,
        "{}",
        l.text
    );
}

#[test]
fn forced_install_failure_and_reinstall() {
    let s = Sim::up(&[]);
    let hid = up_host(&s, "node1");
    let r = s.req(
        "POST",
        &format!("/hvp-sim/set-status?path=hosts/{hid}&status=install_failed"),
        "json",
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(s.get(&format!("hosts/{hid}"))["status"], "install_failed");
    let bad = s.req(
        "POST",
        &format!("/hvp-sim/set-status?path=hosts/{hid}&status=exploded"),
        "json",
        None,
    );
    assert_eq!(bad.status, 400, "status values are checked: {}", bad.text);
    assert_eq!(
        s.post(
            &format!("hosts/{hid}/install"),
            json!({"root_password": "x"})
        )
        .status,
        200
    );
    assert_eq!(s.get(&format!("hosts/{hid}"))["status"], "installing");
    s.tick(4);
    assert_eq!(s.get(&format!("hosts/{hid}"))["status"], "up");
    assert_eq!(
        s.post(&format!("hosts/{hid}/install"), json!({})).status,
        409,
        "reinstalling an up host"
    );
    // Removing needs maintenance first.
    assert_eq!(
        s.req("DELETE", &format!("hosts/{hid}"), "json", None)
            .status,
        409
    );
    s.post_ok(&format!("hosts/{hid}/deactivate"), json!({}), 200);
    s.tick(1);
    assert_eq!(
        s.req("DELETE", &format!("hosts/{hid}"), "json", None)
            .status,
        200
    );
    // Events name what happened, newest first, and `from` gives the later ones.
    let ev = s.get("events?max=1");
    let last = ev["event"][0]["index"].as_u64().unwrap();
    let all = s.get("events");
    assert!(all["event"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["description"]
            .as_str()
            .unwrap()
            .contains("node1 was added")));
    assert!(s
        .get(&format!("events?from={last}"))
        .get("event")
        .is_none_or(|v| v.as_array().unwrap().is_empty()));
}

#[test]
fn json_scalars_as_strings_on_request() {
    let s = Sim::up(&["--json-strings"]);
    let dc = s.find("datacenters", "Default");
    assert_eq!(dc["local"], json!("false"));
    assert_eq!(dc["version"]["major"], json!("4"));
    // Input may use either form.
    s.post_ok(
        "datacenters",
        json!({"name": "S", "local": "false", "version": {"major": "4", "minor": 7}}),
        201,
    );
}

#[test]
fn vintage_hosted_engine_import_after_first_data_domain() {
    let s = Sim::up(&["--vintage-he", "--seed-host", "node0"]);
    let did = s.find("datacenters", "Default")["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        s.get("vms?search=name%3DHostedEngine")
            .get("vm")
            .map_or(0, |v| v.as_array().unwrap().len()),
        0
    );
    let sd = s.post_ok("storagedomains", json!({"name": "vmstore", "type": "data", "host": {"name": "node0"}, "storage": {"type": "glusterfs", "address": "g", "path": "/vmstore"}}), 201);
    s.tick(2);
    s.post_ok(
        &format!("datacenters/{did}/storagedomains"),
        json!({"id": sd["id"]}),
        201,
    );
    s.tick(2);
    assert_eq!(s.find("vms", "HostedEngine")["status"], "up");
    let he = s.find("storagedomains", "engine_domain");
    assert_eq!(
        s.get(&format!(
            "datacenters/{did}/storagedomains/{}",
            he["id"].as_str().unwrap()
        ))["status"],
        "active"
    );
}

#[test]
fn queued_failures_hit_the_matching_requests_only() {
    let s = Sim::up(&[]);
    let r = s.req(
        "POST",
        "/hvp-sim/fail-next?n=2&kind=busy&method=POST&path=datacenters",
        "json",
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text);
    s.req(
        "POST",
        "/hvp-sim/fail-next?n=1&kind=drop&path=clusters",
        "json",
        None,
    );
    assert_eq!(
        s.req("GET", "datacenters", "json", None).status,
        200,
        "GETs are never failed"
    );
    assert_eq!(
        s.post(
            "networks",
            json!({"name": "n", "data_center": {"name": "Default"}})
        )
        .status,
        201,
        "other paths are not hit"
    );
    let busy = s.post("datacenters", json!({"name": "A", "local": false}));
    assert_eq!(busy.status, 409);
    assert!(busy.json()["detail"]
        .as_str()
        .unwrap()
        .contains("Related operation is currently in progress"));
    assert_eq!(
        s.post("datacenters", json!({"name": "A", "local": false}))
            .status,
        409
    );
    assert_eq!(
        s.post("datacenters", json!({"name": "A", "local": false}))
            .status,
        201,
        "the queue is used up"
    );
    let dropped = s.post(
        "clusters",
        json!({"name": "C", "data_center": {"name": "A"}}),
    );
    assert_eq!(dropped.status, 0, "connection dropped");
    assert_eq!(
        s.find("clusters", "C")["name"],
        "C",
        "but the cluster was created"
    );
    assert_eq!(
        s.req("POST", "/hvp-sim/fail-next?kind=boom", "json", None)
            .status,
        400
    );
}

#[test]
fn unknown_query_parameters_are_refused() {
    let s = Sim::up(&[]);
    let r = s.post(
        "hosts?deploy_hosted_enigne=true",
        json!({"name": "h", "address": "h", "cluster": {"name": "Default"}}),
    );
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(
        r.text.contains("deploy_hosted_enigne")
            && r.text.contains("did you mean `deploy_hosted_engine`"),
        "{}",
        r.text
    );
    assert_eq!(
        s.req("GET", "datacenters?serch=x", "json", None).status,
        400
    );
    assert_eq!(
        s.req(
            "GET",
            "datacenters?search=name%3DDefault&max=1&case_sensitive=false",
            "json",
            None
        )
        .status,
        200
    );
    assert_eq!(
        s.post(
            "hosts?deploy_hosted_engine=true&activate=true&reboot=false",
            json!({"name": "h", "address": "h", "cluster": {"name": "Default"}})
        )
        .status,
        201
    );
}
