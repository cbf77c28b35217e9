//! Every probe document in tests/fixtures/network, planned in compat mode, prints exactly the
//! kickstart `network` directives the original wrote (lines compared with whitespace runs
//! collapsed, as the original's spacing is incidental).

use std::fs;
use std::path::{Path, PathBuf};

use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::{plan_network, render, Mode};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/network")
}

fn collapse(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect()
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(fixture_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_fixture_matches_in_compat_mode() {
    let cases = cases();
    assert!(cases.len() >= 10, "fixtures missing: {cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let doc = ProbeDocument::from_json(&fs::read_to_string(case).unwrap()).unwrap();
        let expected = fs::read_to_string(case.with_extension("expected")).unwrap();
        match plan_network(&doc, Mode::Compat) {
            Ok(plan) => {
                let got = render::kickstart(&plan);
                if collapse(&got) != collapse(&expected) {
                    failures.push(format!(
                        "{}:\n--- expected\n{expected}--- got\n{got}",
                        case.display()
                    ));
                }
            }
            Err(err) => failures.push(format!("{}: {err}", case.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn whitespace_matches_the_original_exactly() {
    // The spec's errata: two spaces before the first extra option, and a trailing space on an
    // installer line without extras.
    let doc = ProbeDocument::from_json(
        &fs::read_to_string(fixture_dir().join("i03-3nics-dhcp-on-eth2.json")).unwrap(),
    )
    .unwrap();
    let plan = plan_network(&doc, Mode::Compat).unwrap();
    let expected =
        fs::read_to_string(fixture_dir().join("i03-3nics-dhcp-on-eth2.expected")).unwrap();
    assert_eq!(render::kickstart(&plan), expected);
}
