//! `hvp-netprobe` command-line errors that need no root and touch no interface: they are all
//! detected before the probe changes anything (the real probe is tested in network namespaces
//! by `tests/netns/run.sh`).

use std::process::{Command, Output};

fn netprobe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hvp-netprobe"))
        .args(args)
        .output()
        .expect("hvp-netprobe runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_unreadable_command_line_file_is_named() {
    let output = netprobe(&["--cmdline", "/nonexistent/cmdline"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(
        stderr(&output).contains("cannot read /nonexistent/cmdline"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unknown_interface_is_refused_before_anything_is_touched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cmdline = dir.path().join("cmdline");
    std::fs::write(&cmdline, "hvp_nodeid=0\n").expect("write cmdline");
    let cmdline = cmdline.to_string_lossy().into_owned();
    for role in ["node", "installer"] {
        let output = netprobe(&["--role", role, "--cmdline", &cmdline, "hvp-no-such0"]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert!(output.stdout.is_empty());
        assert!(
            stderr(&output).contains("interface hvp-no-such0 does not exist"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn format_needs_plan_and_bad_timings_are_rejected() {
    let output = netprobe(&["--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--plan"), "{}", stderr(&output));
    let output = netprobe(&["--count", "0"]);
    assert_eq!(output.status.code(), Some(2));
    let output = netprobe(&["--settle", "-1", "--cmdline", "/dev/null"]);
    assert_ne!(output.status.code(), Some(0));
}
