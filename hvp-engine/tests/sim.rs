//! `hvp-engine plan|apply` against the real `hvp-engine-sim` binary on 127.0.0.1 (random
//! port): convergence from the fresh state, idempotence (no POST/PUT/DELETE on the second
//! run, read from the server's request log), fault injection without duplicates, login errors.
//! The server is found next to this crate's binaries (`cargo build -p hvp-engine-sim`, which
//! `make test-engine` and `cargo test --workspace` do) or in `HVP_ENGINE_SIM`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

const PASSWORD: &str = "sim-Secret-42";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn sim_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("HVP_ENGINE_SIM") {
        return PathBuf::from(path);
    }
    let cli = PathBuf::from(env!("CARGO_BIN_EXE_hvp-engine"));
    let path = cli.with_file_name("hvp-engine-sim");
    assert!(
        path.exists(),
        "{} is missing: run `cargo build -p hvp-engine-sim` (or set HVP_ENGINE_SIM)",
        path.display()
    );
    path
}

struct Sim {
    child: Child,
    address: String,
    dir: tempfile::TempDir,
}

impl Sim {
    fn start(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(sim_binary())
            .args([
                "--listen",
                "127.0.0.1:0",
                "--password",
                PASSWORD,
                "--vintage-he",
            ])
            .args(["--host-nics", "eth0,bond0,bond1,eth3"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line.trim().to_owned();
        assert!(address.starts_with("127.0.0.1:"), "sim printed {line:?}");
        std::fs::write(dir.path().join("password"), format!("{PASSWORD}\n")).unwrap();
        Sim {
            child,
            address,
            dir,
        }
    }

    fn url(&self) -> String {
        format!("http://{}/ovirt-engine/api", self.address)
    }

    fn hook(&self, method: &str, hook: &str) -> Value {
        // A bare HTTP/1.0 request: the hooks need no client library.
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "{method} /hvp-sim/{hook} HTTP/1.0\r\nHost: x\r\n\r\n"
        )
        .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        let body = reply.split("\r\n\r\n").nth(1).unwrap_or("");
        serde_json::from_str(body).unwrap()
    }

    fn mutating_api_requests(&self) -> Vec<String> {
        self.hook("GET", "requests")
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["method"] != "GET" && r["path"].as_str().unwrap().starts_with("/ovirt-engine/api")
            })
            .map(|r| format!("{} {}", r["method"], r["path"]))
            .collect()
    }

    fn cli(&self, command: &str, url: &str, state: &Path) -> Output {
        Command::new(env!("CARGO_BIN_EXE_hvp-engine"))
            .args([command, "--url", url, "--password-file"])
            .arg(self.dir.path().join("password"))
            .args(["--poll-interval", "0.01"])
            .arg(state)
            .output()
            .unwrap()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn example_state() -> PathBuf {
    root().join("examples/engine-state.json")
}

fn result(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "hvp-engine failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Entity names per collection; panics on a duplicate name within a collection.
fn names_without_duplicates(sim: &Sim) -> BTreeMap<String, Vec<String>> {
    let state = sim.hook("GET", "state");
    let mut out = BTreeMap::new();
    for (collection, entities) in state["colls"].as_object().unwrap() {
        let mut names: Vec<String> = entities
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["body"]["name"].as_str().map(str::to_owned))
            .collect();
        names.sort();
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(names, unique, "duplicate entity in {collection}");
        out.insert(collection.clone(), names);
    }
    out
}

#[test]
fn apply_converges_and_second_apply_sends_nothing() {
    let sim = Sim::start(&[]);
    let planned = result(&sim.cli("plan", &sim.url(), &example_state()));
    assert_eq!(planned["changed"], true);
    assert!(planned["actions"].as_array().unwrap().len() > 20);
    assert!(
        sim.mutating_api_requests().is_empty(),
        "plan must send nothing"
    );

    let first = result(&sim.cli("apply", &sim.url(), &example_state()));
    assert_eq!(first["changed"], true);
    let kinds: Vec<&str> = first["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"create_host") && kinds.contains(&"setup_networks"),
        "{kinds:?}"
    );

    let names = names_without_duplicates(&sim);
    assert_eq!(
        names["hosts"],
        [
            "applejack.mgmt.private",
            "pinkiepie.mgmt.private",
            "rarity.mgmt.private"
        ]
    );
    assert_eq!(
        names["networks"],
        ["dmz0", "dmz1", "gluster", "lan", "ovirtmgmt"]
    );
    assert_eq!(
        names["storagedomains"],
        ["engine_domain", "iso_domain", "vmstore_domain"]
    );

    sim.hook("DELETE", "requests");
    let second = result(&sim.cli("apply", &sim.url(), &example_state()));
    assert_eq!(second["changed"], false, "{second}");
    assert_eq!(second["actions"], serde_json::json!([]));
    assert_eq!(sim.mutating_api_requests(), Vec::<String>::new());
    let plan = result(&sim.cli("plan", &sim.url(), &example_state()));
    assert_eq!(
        plan["actions"],
        serde_json::json!([]),
        "converged: nothing left to plan"
    );
}

#[test]
fn faults_still_converge_without_duplicates() {
    for seed in ["1", "7", "42"] {
        let sim = Sim::start(&["--fault-rate", "0.3", "--fault-seed", seed]);
        let first = result(&sim.cli("apply", &sim.url(), &example_state()));
        assert!(
            !first["retries"].as_array().unwrap().is_empty(),
            "seed {seed}: the server injected no fault the client saw"
        );
        let names = names_without_duplicates(&sim);
        assert_eq!(names["hosts"].len(), 3, "seed {seed}");
        assert_eq!(names["networks"].len(), 5, "seed {seed}");
        assert_eq!(names["storagedomains"].len(), 3, "seed {seed}");
        assert_eq!(
            names["openstacknetworkproviders"],
            ["ovn_provider"],
            "seed {seed}"
        );
        let plan = result(&sim.cli("plan", &sim.url(), &example_state()));
        assert_eq!(
            plan["actions"],
            serde_json::json!([]),
            "seed {seed}: not converged"
        );
    }
}

#[test]
fn host_names_resolve_through_the_built_in_resolver() {
    let sim = Sim::start(&[]);
    let port = sim.address.rsplit(':').next().unwrap();
    let url = format!("http://localhost:{port}/ovirt-engine/api");
    let planned = result(&sim.cli("plan", &url, &example_state()));
    assert_eq!(planned["changed"], true);
}

#[test]
fn wrong_password_is_a_login_error_without_the_password() {
    let sim = Sim::start(&[]);
    std::fs::write(sim.dir.path().join("password"), "not-the-Password-99\n").unwrap();
    let output = sim.cli("plan", &sim.url(), &example_state());
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("SSO login as admin@internal failed"),
        "{stderr}"
    );
    assert!(!stderr.contains("not-the-Password-99"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn unreachable_engine_names_the_url() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pw"), "x\n").unwrap();
    // A port nobody listens on: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = Command::new(env!("CARGO_BIN_EXE_hvp-engine"))
        .args([
            "plan",
            "--url",
            &format!("http://127.0.0.1:{port}/ovirt-engine/api"),
            "--password-file",
        ])
        .arg(dir.path().join("pw"))
        .arg(example_state())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
}

#[test]
fn a_wait_past_its_deadline_names_the_entity_and_its_last_status() {
    let sim = Sim::start(&["--host-install-ticks", "1000000"]);
    let output = Command::new(env!("CARGO_BIN_EXE_hvp-engine"))
        .args(["apply", "--url", &sim.url(), "--password-file"])
        .arg(sim.dir.path().join("password"))
        .args(["--poll-interval", "0.05", "--host-timeout", "1"])
        .arg(example_state())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "host pinkiepie.mgmt.private did not become up within 1 s; last status: installing"
        ),
        "{stderr}"
    );
}
