//! Runs the built `hvp-netplan` binary: outputs on stdout, every problem on stderr with a
//! non-zero exit and nothing on stdout.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../hvp-core/tests/fixtures/network")
        .join(name)
}

fn netplan(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hvp-netplan"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn compat_kickstart_matches_the_fixture() {
    let probe = fixture("n02-bonds-interleaved.json");
    let out = netplan(
        &["--compat", "--format", "kickstart", probe.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = std::fs::read_to_string(fixture("n02-bonds-interleaved.expected")).unwrap();
    assert_eq!(text(&out.stdout), expected);
}

#[test]
fn json_and_vars_formats() {
    let probe = fixture("i03-3nics-dhcp-on-eth2.json");
    let out = netplan(
        &["--compat", "--format", "json", probe.to_str().unwrap()],
        None,
    );
    assert!(out.status.success());
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["zones"]["external"]["device"], "eth2");
    assert_eq!(plan["missing"][0]["zone"], "lan");
    let out = netplan(
        &["--compat", "--format", "vars", probe.to_str().unwrap()],
        None,
    );
    let vars = text(&out.stdout);
    assert!(vars.contains("got_gluster_network: true\n"), "{vars}");
    assert!(
        vars.contains("hvp_lan_domainname: mgmt.private\n"),
        "{vars}"
    );
}

#[test]
fn reads_standard_input_and_prints_targets() {
    let doc = r#"{"role": "node", "node_index": 1, "nics": []}"#;
    let out = netplan(&["--format", "targets", "-"], Some(doc));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let targets: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(targets[0]["zone"], "mgmt");
    assert_eq!(targets[0]["address"], "172.20.10.11");
}

#[test]
fn problems_go_to_stderr_all_at_once() {
    let doc = r#"{"role": "node", "parameters": {"hvp_lan_bondmode": "roundrobin", "hvp_nodeid": "7"},
                  "nics": [{"name": "eth0", "carrier": true, "reaches": ["mgmt"]},
                           {"name": "eth1", "carrier": true, "reaches": ["dmz"]}]}"#;
    let out = netplan(&[], Some(doc));
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("NIC eth1: reaches unknown zone \"dmz\""),
        "{stderr}"
    );
    assert!(stderr.contains("hvp_lan_bondmode"), "{stderr}");
    assert!(stderr.contains("hvp_nodeid"), "{stderr}");
}

#[test]
fn compat_warnings_go_to_stderr_and_output_still_prints() {
    let doc = r#"{"role": "node", "parameters": {"hvp_lan_bondmode": "bogus"},
                  "nics": [{"name": "eth0", "carrier": true, "reaches": ["mgmt"]}]}"#;
    let out = netplan(&["--compat"], Some(doc));
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("network --device=eth0 "));
    assert!(text(&out.stderr).contains("warning: hvp_lan_bondmode"));
}

#[test]
fn unreadable_input_is_a_clear_error() {
    let out = netplan(&["/nonexistent/probe.json"], None);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("cannot read /nonexistent/probe.json"));
    let out = netplan(&[], Some("{\"role\": \"engine\"}"));
    assert!(
        text(&out.stderr).contains("probe document: field role: unknown variant `engine`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn installer_fragments_are_written_into_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let probe = fixture("i06-no-dhcp-5nics.json");
    let out = netplan(
        &[
            "--format",
            "fragments",
            "--fragments-dir",
            dir.path().to_str().unwrap(),
            probe.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let common = std::fs::read_to_string(dir.path().join("hvp_parameters.sh")).unwrap();
    assert!(
        common.contains("test_ip['mgmt']=\"172.20.10.1\"\n"),
        "{common}"
    );
    let ngn = std::fs::read_to_string(dir.path().join("hvp_parameters_heretic_ngn.sh")).unwrap();
    assert!(ngn.contains("my_gateway=\"172.20.10.1\"\n"), "{ngn}");

    let node = fixture("n01-four-zones-basic.json");
    let out = netplan(
        &["--compat", "--format", "fragments", node.to_str().unwrap()],
        None,
    );
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("written by the installer"));
}
