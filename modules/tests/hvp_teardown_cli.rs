//! `hvp-teardown` as a person runs it: the same bytes as the core renderers, refusals on
//! stderr with exit status 1 and nothing on stdout.

use hvp_core::drift::RecordedPlan;
use hvp_core::teardown::{plan_teardown, render_commands, render_ini};
use std::process::Command;

const PLAN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../hvp-core/tests/fixtures/drift/plan-3nodes.json"
);

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hvp-teardown"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn prints_the_core_renderings() {
    let teardown =
        plan_teardown(&RecordedPlan::from_json(&std::fs::read_to_string(PLAN).unwrap()).unwrap())
            .unwrap();
    let commands = cli(&[PLAN]);
    assert!(commands.status.success());
    assert_eq!(
        String::from_utf8(commands.stdout).unwrap(),
        render_commands(&teardown)
    );
    let ini = cli(&[PLAN, "--format", "ini"]);
    assert_eq!(
        String::from_utf8(ini.stdout).unwrap(),
        render_ini(&teardown)
    );
}

#[test]
fn refuses_a_plan_with_a_foreign_disk() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("plan.json");
    let text = std::fs::read_to_string(PLAN)
        .unwrap()
        .replacen("\"/dev/sdb\"", "\"/dev/sdz\"", 1);
    std::fs::write(&path, text).unwrap();
    let output = cli(&[path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("PV /dev/sdz is not on a disk of the plan"),
        "{stderr}"
    );
    let missing = cli(&["/nonexistent/plan.json"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8(missing.stderr)
        .unwrap()
        .contains("cannot read /nonexistent/plan.json"));
}
