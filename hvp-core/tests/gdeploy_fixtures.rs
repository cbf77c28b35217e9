//! Every fixture of the original's results: `NAME.ini` must match semantically, `NAME.error`
//! must be refused with a report that names the problem.

use hvp_core::gdeploy::{semantic_differences, IniDocument};
use hvp_core::gdeploy_gen::{generate, OutputFormat};
use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gdeploy");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 30, "fixtures missing in {directory:?}");
    inputs
}

fn facts(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_ini_fixture_matches_semantically() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for input in fixtures() {
        let expected_path = input.with_extension("ini");
        if !expected_path.exists() {
            continue;
        }
        checked += 1;
        let expected =
            IniDocument::parse(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        match generate(&facts(&input), OutputFormat::Ini) {
            Ok(generated) => {
                let actual = IniDocument::parse(&generated.output).unwrap();
                let differences = semantic_differences(&expected, &actual);
                if !differences.is_empty() {
                    failures.push(format!("{}:\n{}", input.display(), differences.join("\n")));
                }
            }
            Err(report) => failures.push(format!("{}: refused: {report}", input.display())),
        }
    }
    assert!(checked >= 20);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_error_fixture_is_refused_with_a_report() {
    let expectations: &[(&str, &[&str])] = &[
        ("n0-empty", &["no Gluster node"]),
        ("n1-d0", &["node0.gluster.private", "no free disk"]),
        (
            "n1-engine-too-big",
            &["sdb", "enginedomain 120GB", "ctdb 1GB"],
        ),
        (
            "n1-unknown-var",
            &["hvp_vmstore_size", "hvp_vmstoredomain_size"],
        ),
        ("n2-d2", &["2 Gluster nodes are not supported"]),
        (
            "n3-arbiter-0disks",
            &["node2.gluster.private", "arbiter node has no free disk"],
        ),
        (
            "n3-data-node-0disks",
            &["node1.gluster.private", "data node has no free disk"],
        ),
        ("n3-duplicate-node", &["is listed 2 times in nodes"]),
    ];
    let mut seen = 0;
    for input in fixtures() {
        if !input.with_extension("error").exists() {
            continue;
        }
        seen += 1;
        let name = input.file_stem().unwrap().to_str().unwrap();
        let report = generate(&facts(&input), OutputFormat::Ini)
            .expect_err(&format!("{name} must be refused"));
        let text = report.to_string();
        let (_, needles) = expectations
            .iter()
            .find(|(fixture, _)| *fixture == name)
            .unwrap_or_else(|| panic!("no expectation for error fixture {name}"));
        for needle in *needles {
            assert!(text.contains(needle), "{name}: '{needle}' not in:\n{text}");
        }
        assert!(
            text.contains("fix:"),
            "{name}: the report names no fix:\n{text}"
        );
    }
    assert_eq!(seen, expectations.len());
}
