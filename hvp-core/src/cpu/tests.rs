use super::*;
use serde_json::{json, Map, Value};

const INTEL: &str = include_str!("../../tests/fixtures/cpu/capabilities-intel.xml");
const AMD: &str = include_str!("../../tests/fixtures/cpu/capabilities-amd.xml");
const MODELS: &str = include_str!("../../tests/fixtures/cpu/cpu-models-x86_64.txt");

fn hosts(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

#[test]
fn reads_the_intel_host() {
    let models = parse_cpu_models(MODELS);
    let cpu = host_cpu(INTEL, &models).unwrap();
    assert_eq!(cpu.vendor, "Intel");
    assert_eq!(cpu.model, "Cascadelake-Server-noTSX");
    assert_eq!(cpu.arch, "x86_64");
    assert_eq!(cpu.model_index, Some(39));
    assert_eq!(models[39], "Cascadelake-Server-noTSX");
}

#[test]
fn reads_the_amd_host_past_the_secmodel_models() {
    let cpu = host_cpu(AMD, &parse_cpu_models(MODELS)).unwrap();
    assert_eq!(
        (cpu.vendor.as_str(), cpu.model.as_str(), cpu.model_index),
        ("AMD", "EPYC-Rome", Some(56))
    );
}

#[test]
fn an_unlisted_model_has_no_index() {
    let cpu = host_cpu(INTEL, &parse_cpu_models("486\npentium\n")).unwrap();
    assert_eq!(cpu.model_index, None);
}

#[test]
fn broken_capabilities_are_explained() {
    let error = parse_capabilities("<capabilities><host>").unwrap_err();
    assert!(matches!(error, CpuError::Xml(_)), "{error}");
    let error = parse_capabilities(
        "<capabilities><host><cpu><arch>x86_64</arch></cpu></host></capabilities>",
    )
    .unwrap_err();
    assert_eq!(error, CpuError::MissingElement("model"));
    assert!(error
        .to_string()
        .contains("<capabilities><host><cpu><model>"));
    let error = parse_capabilities("<domain/>").unwrap_err();
    assert!(error.to_string().contains("not <capabilities>"), "{error}");
}

#[test]
fn the_lowest_index_wins_as_a_number() {
    // Spec network.md §9 row 15: indices "21", "9", "17"; the original chose 17.
    let input = hosts(json!({
        "h0": {"vendor": "Intel", "model": "Broadwell-noTSX", "model_index": "21"},
        "h1": {"vendor": "Intel", "model": "Westmere-IBRS", "model_index": "9"},
        "h2": {"vendor": "Intel", "model": "Nehalem-IBRS", "model_index": 17},
    }));
    let cluster = cluster_cpu(&input).unwrap();
    assert_eq!(cluster.model, "Westmere-IBRS");
    assert_eq!(cluster.model_index, 9);
    assert_eq!(cluster.cpu_type, "model_Westmere-IBRS");
    assert_eq!(cluster.host, "h1");
    assert_eq!(cluster.vendor, "Intel");
}

#[test]
fn ties_go_to_the_first_host() {
    let input = hosts(json!({
        "b": {"vendor": "AMD", "model": "EPYC", "model_index": 55},
        "a": {"vendor": "AMD", "model": "EPYC", "model_index": 55},
    }));
    assert_eq!(cluster_cpu(&input).unwrap().host, "b");
}

#[test]
fn mixed_vendors_name_the_odd_host() {
    let input = hosts(json!({
        "h0": {"vendor": "Intel", "model": "Haswell", "model_index": 26},
        "h1": {"vendor": "AMD", "model": "EPYC-Rome", "model_index": 57},
        "h2": {"vendor": "Intel", "model": "Skylake-Server", "model_index": 35},
    }));
    let error = cluster_cpu(&input).unwrap_err().to_string();
    assert!(error.contains("same CPU vendor"), "{error}");
    assert!(error.contains("Intel on h0, h2; AMD on h1"), "{error}");
    assert!(error.contains("odd host(s): h1"), "{error}");
}

#[test]
fn every_bad_host_is_reported_at_once() {
    let input = hosts(json!({
        "h0": {"vendor": "Intel", "model": "Haswell", "model_index": ""},
        "h1": {"model": "Haswell", "model_index": 3},
        "h2": "Intel",
        "h3": {"vendor": "Intel", "model": "Haswell", "model_index": 26, "arch": "x86_64"},
        "h4": {"vendor": "Intel", "model": "POWER9", "model_index": 3, "arch": "ppc64le"},
    }));
    let CpuError::Hosts(problems) = cluster_cpu(&input).unwrap_err() else {
        panic!("expected host problems");
    };
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems[0].starts_with("host h0: CPU model 'Haswell' has no index"));
    assert!(problems[1].starts_with("host h1: its hvp_cpu lacks vendor"));
    assert!(problems[2].starts_with("host h2: its hvp_cpu must be a dictionary"));
    assert!(
        problems[3].contains("same CPU architecture"),
        "{}",
        problems[3]
    );
}

#[test]
fn no_hosts_is_an_error() {
    assert_eq!(cluster_cpu(&Map::new()).unwrap_err(), CpuError::NoHosts);
}
