//! Runs the built `hvp-fileservices` binary: a file tree per node, or every problem on stderr
//! with exit status 1 and nothing written.

use std::path::PathBuf;
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(format!("fileservices-{name}.json"))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hvp-fileservices"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn writes_every_node_the_dns_records_and_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let input = example("lab");
    let out = run(&[
        input.to_str().unwrap(),
        "--out-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for node in ["n1", "n2", "n3"] {
        let nodes = std::fs::read_to_string(dir.path().join(node).join("etc/ctdb/nodes")).unwrap();
        assert_eq!(nodes, "10.231.0.11\n10.231.0.12\n10.231.0.13\n");
    }
    let passive = std::fs::read_to_string(dir.path().join("n3/etc/ctdb/public_addresses")).unwrap();
    assert_eq!(passive, "");
    let dns = std::fs::read_to_string(dir.path().join("dns/storage-records.zone")).unwrap();
    assert!(
        dns.contains("labstore.lan.private.\t1\tIN\tA\t10.232.0.101\n"),
        "{dns}"
    );
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap())
            .unwrap();
    assert_eq!(plan["members"].as_array().unwrap().len(), 3);
    // stdout lists the written files.
    assert!(text(&out.stdout)
        .lines()
        .any(|l| l.ends_with("n1/etc/samba/smb.conf")));
}

#[test]
fn one_node_directly_under_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let input = example("3nodes");
    let out = run(&[
        input.to_str().unwrap(),
        "--out-dir",
        dir.path().to_str().unwrap(),
        "--node",
        "pinkiepie.gluster.private",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let public = std::fs::read_to_string(dir.path().join("etc/ctdb/public_addresses")).unwrap();
    assert!(
        public.starts_with("172.20.10.30/24 ovirtmgmt\n"),
        "{public}"
    );
    assert!(dir.path().join("etc/ganesha/ganesha.conf").exists());
}

#[test]
fn bad_input_lists_every_problem_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("3nodes")).unwrap()).unwrap();
    doc["network"]["zones"]
        .as_object_mut()
        .unwrap()
        .remove("lan");
    doc["vars"]["hvp_storage_public_zones"] = serde_json::json!(["lan"]);
    doc["storage"]["volumes"]
        .as_array_mut()
        .unwrap()
        .retain(|v| v["kind"] != "ctdb");
    let input = dir.path().join("in.json");
    std::fs::write(&input, doc.to_string()).unwrap();
    let out_dir = dir.path().join("out");
    let out = run(&[
        input.to_str().unwrap(),
        "--out-dir",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("2 problems found, nothing was generated"),
        "{stderr}"
    );
    assert!(stderr.contains("hvp_storage_public_zones"), "{stderr}");
    assert!(stderr.contains("volume kind ctdb"), "{stderr}");
    assert!(text(&out.stdout).is_empty());
    assert!(!out_dir.exists());
}

#[test]
fn unknown_node_and_missing_out_dir_are_errors() {
    let input = example("3nodes");
    let out = run(&[
        input.to_str().unwrap(),
        "--out-dir",
        "/nonexistent-hvf",
        "--node",
        "nosuch",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("\"nosuch\": is not a CTDB member"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&[input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("give --out-dir DIR"));
}
