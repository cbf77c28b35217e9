//! Regression tests of issue 11 for the CLIs: `-o` (long names, kept modes, `-` as stdout,
//! symbolic links), invalid UTF-8 with its offset, and the fragment hang.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn facts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hvp-core/tests/fixtures/gdeploy/n3-d2.json")
}

fn gdeploy(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hvp-gdeploy-gen"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn with_stdin(binary: &str, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(binary)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn output_files_with_long_names_kept_modes_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let facts = facts();
    let facts = facts.to_str().unwrap();
    let long = "g".repeat(245);
    let out = gdeploy(&[facts, "-o", &long], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fs::read_to_string(dir.path().join(&long))
        .unwrap()
        .contains("[hosts]"));
    let new_mode = fs::metadata(dir.path().join(&long))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(new_mode & 0o777, 0o644);

    let kept = dir.path().join("gdeploy.conf");
    fs::write(&kept, "old").unwrap();
    fs::set_permissions(&kept, fs::Permissions::from_mode(0o640)).unwrap();
    assert!(gdeploy(&[facts, "-o", "gdeploy.conf"], dir.path())
        .status
        .success());
    assert_eq!(
        fs::metadata(&kept).unwrap().permissions().mode() & 0o777,
        0o640
    );

    std::os::unix::fs::symlink("gdeploy.conf", dir.path().join("link.conf")).unwrap();
    fs::write(&kept, "old").unwrap();
    assert!(gdeploy(&[facts, "-o", "link.conf"], dir.path())
        .status
        .success());
    assert!(fs::symlink_metadata(dir.path().join("link.conf"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::read_to_string(&kept).unwrap().contains("[hosts]"));

    let out = gdeploy(&[facts, "-o", "-"], dir.path());
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("[hosts]"));
    assert!(!dir.path().join("-").exists());
    // No temporary file is left behind.
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|name| !name.ends_with(".tmp")),
        "{names:?}"
    );
}

#[test]
fn invalid_utf8_is_reported_with_its_offset_and_the_fix() {
    let out = with_stdin(
        env!("CARGO_BIN_EXE_hvp-gdeploy-gen"),
        &[],
        b"{\"nodes\": [\xc3\x28]}",
    );
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("byte 11 (0xc3) is invalid"), "{text}");
    assert!(text.contains("save the file as UTF-8"), "{text}");
    let out = with_stdin(
        env!("CARGO_BIN_EXE_hvp-netplan"),
        &[],
        b"{\"role\": \"node\"}\xff",
    );
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("byte 16 (0xff)"), "{text}");
}

#[test]
fn netplan_ends_on_a_semicolon_array_and_writes_with_o() {
    let doc = br#"{"role":"node","node_index":0,"fragments":[{"name":"f.sh","text":"a=(;"}],
        "nics":[{"name":"eth0","carrier":true,"reaches":["mgmt"]}]}"#;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hvp-netplan"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(doc).unwrap();
    let mut waited = Duration::ZERO;
    while child.try_wait().unwrap().is_none() {
        if waited > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("hvp-netplan hangs on a=(;");
        }
        std::thread::sleep(Duration::from_millis(50));
        waited += Duration::from_millis(50);
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("fragment f.sh line 1"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ks.cfg");
    let out = with_stdin(
        env!("CARGO_BIN_EXE_hvp-netplan"),
        &["--compat", "-o", path.to_str().unwrap()],
        doc,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(fs::read_to_string(&path)
        .unwrap()
        .starts_with("network --device=eth0"));
}
