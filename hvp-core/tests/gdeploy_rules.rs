//! One test per layout rule and per validation rule, on small hand-made inventories.

use hvp_core::gdeploy::IniDocument;
use hvp_core::gdeploy_gen::{generate, OutputFormat};
use serde_json::{json, Value};

const TB4: u64 = 4_000_787_030_016;
const TB2: u64 = 2_000_398_934_016;
const TB1: u64 = 1_000_204_886_016;

fn node(name: &str, disks: &[(&str, u64)]) -> Value {
    json!({
        "name": name,
        "hvp_free_disks": disks.iter().map(|(n, s)| json!({"name": n, "size": s})).collect::<Vec<_>>(),
    })
}

fn three(data: &[(&str, u64)], arbiter: &[(&str, u64)], vars: Value) -> Value {
    json!({"nodes": [node("a", data), node("b", data), node("c", arbiter)], "vars": vars})
}

fn ini(facts: &Value) -> IniDocument<'_> {
    let generated = generate(facts, OutputFormat::Ini).unwrap_or_else(|r| panic!("{r}"));
    IniDocument::parse(&generated.output).unwrap()
}

fn error(facts: &Value) -> String {
    generate(facts, OutputFormat::Ini)
        .map(|g| g.output)
        .expect_err("must be refused")
        .to_string()
}

fn get<'a>(document: &'a IniDocument, section: &str, key: &str) -> &'a str {
    document
        .section(section)
        .unwrap_or_else(|| panic!("no [{section}]"))
        .get(key)
        .unwrap_or_else(|| panic!("no {key} in [{section}]"))
}

#[test]
fn single_disk_takes_the_first_biggest() {
    let facts = json!({"nodes": [node("a", &[("sdc", TB4), ("sdb", TB4)])]});
    // Two disks give layout 2; with only one the single disk is the first-biggest.
    let one = json!({"nodes": [node("a", &[("sdc", TB4)])]});
    assert_eq!(get(&ini(&one), "pv01:a", "devices"), "sdc");
    let two = ini(&facts);
    assert_eq!(
        get(&two, "vg01:a", "pvname"),
        "sdc",
        "oVirt VG on the last of equal disks"
    );
    assert_eq!(
        get(&two, "vg02:a", "pvname"),
        "sdb",
        "share VG on the first of equal disks"
    );
}

#[test]
fn layout_uses_the_fewest_disks_of_the_data_nodes() {
    let facts = json!({"nodes": [
        node("a", &[("sdb", TB1)]),
        node("b", &[("sdb", TB1), ("sdc", TB2), ("sdd", TB4)]),
        node("c", &[("sdb", TB1)]),
    ]});
    let document = ini(&facts);
    assert!(
        document.section("pv12:b").is_none(),
        "node b must use one disk only"
    );
    assert_eq!(get(&document, "pv11:b", "devices"), "sdd", "its biggest");
}

#[test]
fn arbiter_is_the_last_node_and_never_uses_vdo() {
    let facts = three(
        &[("sdb", TB4)],
        &[("sdc", TB1), ("sdb", TB1)],
        json!({"hvp_use_vdo": true}),
    );
    let document = ini(&facts);
    assert_eq!(
        get(&document, "pv21:c", "devices"),
        "sdb",
        "first-smallest by name"
    );
    assert!(document
        .sections
        .iter()
        .all(|s| !s.name.starts_with("vdo2")));
    assert_eq!(get(&document, "vg21:c", "vgname"), "vgarbiter");
    assert_eq!(
        get(&document, "lv21:c", "size"),
        "1GB",
        "full ctdb size on the arbiter"
    );
    assert_eq!(
        get(&document, "lv23:c", "lvtype"),
        "thinlv",
        "thin engine on the arbiter"
    );
    assert_eq!(get(&document, "volume1", "arbiter_count"), "1");
    assert!(document
        .section("volume4")
        .unwrap()
        .get("arbiter_count")
        .is_none());
}

#[test]
fn section_numbers_run_past_nine_without_separator() {
    let facts = json!({"nodes": [node("a", &[("sdb", TB4), ("sdc", TB2)])]});
    let document = ini(&facts);
    assert_eq!(get(&document, "lv010:a", "lvname"), "backup");
}

#[test]
fn vdo_logical_sizes_come_from_parsed_sizes() {
    // 2TB counts as 2048 GiB (the original read only its digits and got 2G).
    let facts = json!({"nodes": [node("a", &[("sdb", TB4), ("sdc", TB2), ("sdd", TB1)])],
                       "vars": {"hvp_use_vdo": true, "hvp_vmstoredomain_size": "2TB"}});
    let document = ini(&facts);
    assert_eq!(get(&document, "vdo03:a", "logicalsize"), "2457G");
    assert_eq!(get(&document, "vdo01:a", "logicalsize"), "151G");
}

#[test]
fn engine_size_derives_from_the_image_size_unless_given() {
    let one = |vars: Value| json!({"nodes": [node("a", &[("sdb", TB4)])], "vars": vars});
    assert_eq!(
        get(
            &ini(&one(json!({"hvp_engine_imgsize": 123}))),
            "lv02:a",
            "size"
        ),
        "147GB"
    );
    assert_eq!(
        get(
            &ini(&one(
                json!({"hvp_engine_imgsize": 123, "hvp_enginedomain_size": "200GB"})
            )),
            "lv02:a",
            "size"
        ),
        "200GB"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let facts = json!({"nodes": [
        node("a", &[("sdb", 0)]),
        node("a", &[("sdb", TB1), ("sdb", TB1)]),
    ], "vars": {"hvp_vmstoredomain_size": "lots", "hvp_iso_size": "1GB", "hvp_ctdb_size": "0GB"},
       "extra": 1});
    let text = error(&facts);
    for needle in [
        "unknown field 'extra'",
        "disk sdb: has size 0",
        "disk sdb: is listed 2 times in hvp_free_disks",
        "node a: is listed 2 times in nodes",
        "'lots' is not a size",
        "did you mean 'hvp_isodomain_size'",
        "'0GB' is zero",
        "2 Gluster nodes are not supported",
    ] {
        assert!(text.contains(needle), "'{needle}' missing from:\n{text}");
    }
}

#[test]
fn a_refused_disk_does_not_also_report_its_node_as_diskless() {
    let facts =
        json!({"nodes": [{"name": "a", "hvp_free_disks": [{"name": "sdb", "size": "lots"}]}]});
    let text = error(&facts);
    assert!(
        text.contains("size 'lots' is not a number of bytes"),
        "{text}"
    );
    assert!(!text.contains("no free disk"), "{text}");
    assert!(text.starts_with("1 problem found"), "{text}");
}

#[test]
fn node_counts_other_than_one_and_three_are_refused() {
    let disks = [("sdb", TB4)];
    let nodes = |n: usize| {
        (0..n)
            .map(|i| node(&format!("n{i}"), &disks))
            .collect::<Vec<_>>()
    };
    assert!(error(&json!({"nodes": nodes(0)})).contains("no Gluster node"));
    assert!(error(&json!({"nodes": nodes(2)})).contains("add a third node"));
    let four = error(&json!({"nodes": nodes(4)}));
    assert!(
        four.contains("4 Gluster nodes are not supported by the compat policy")
            && four.contains("use 1 node or 3 nodes")
            && four.contains("hvp_layout_policy: balanced")
    );
}

#[test]
fn thick_lvs_must_fit_their_disk_also_on_the_arbiter() {
    let facts = three(
        &[("sdb", TB4)],
        &[("sdb", 2 << 30)],
        json!({"hvp_ctdb_size": "3GB"}),
    );
    let text = error(&facts);
    assert!(
        text.contains("node c, disk sdb") && text.contains("hvp_ctdb_size"),
        "{text}"
    );
}

#[test]
fn overcommitted_thin_pools_are_warnings_with_the_ratio() {
    let facts = json!({"nodes": [node("a", &[("sdb", TB1)])]});
    let generated = generate(&facts, OutputFormat::Ini).unwrap();
    assert_eq!(generated.warnings.len(), 1);
    assert!(
        generated.warnings[0].contains("overcommitted 6."),
        "{:?}",
        generated.warnings
    );
    assert!(generated.output.contains("# WARNING: node a, disk sdb"));
}

#[test]
fn bad_names_and_values_are_refused() {
    let cases = [
        (
            json!({"nodes": [node("a b", &[("sdb", TB1)])]}),
            "is not a valid host name",
        ),
        (
            json!({"nodes": [node("a", &[("/dev/sdb", TB1)])]}),
            "without /dev/",
        ),
        (
            json!({"nodes": [node("a", &[("sdb", TB1)])], "vars": {"hvp_use_vdo": "maybe"}}),
            "not a boolean",
        ),
        (
            json!({"nodes": [node("a", &[("sdb", TB1)])], "vars": {"hvp_thinpool_chunksize": "100k"}}),
            "chunk size",
        ),
        (
            json!({"nodes": [node("a", &[("sdb", TB1)])], "vars": {"hvp_iso_volume_name": "x"}}),
            "hvp_isodomain_volume_name",
        ),
        (
            json!({"nodes": [node("a", &[("sdb", TB1)])], "vars": {"hvp_backup_volume_name": "engine"}}),
            "also the name of the enginedomain volume",
        ),
        (
            json!({"nodes": [node("a", &[("sdb", TB1)])], "vars": {"hvp_backup_size": "-1GB"}}),
            "negative",
        ),
        (
            json!({"nodes": [{"name": "a"}]}),
            "has no \"hvp_free_disks\" list",
        ),
        (
            json!({"nodes": [{"name": "a", "hvp_free_disks": [{"name": "sdb", "size": 5, "sise": 1}]}]}),
            "did you mean 'size'",
        ),
        (json!([]), "is not a JSON object"),
    ];
    for (facts, needle) in cases {
        let text = error(&facts);
        assert!(text.contains(needle), "'{needle}' missing from:\n{text}");
    }
}

#[test]
fn output_formats_agree_on_the_plan() {
    let facts = three(&[("sdb", TB4), ("sdc", TB2)], &[("sdb", TB1)], json!({}));
    let json_output = generate(&facts, OutputFormat::Json).unwrap().output;
    let plan: Value = serde_json::from_str(&json_output).unwrap();
    assert_eq!(plan["format_version"], 2);
    assert_eq!(plan["topology"]["kind"], "replicated");
    assert_eq!(plan["nodes"][2]["role"], "arbiter");
    let table = generate(&facts, OutputFormat::Table).unwrap().output;
    assert!(table.contains("c (arbiter node)"));
    assert!(table.contains("/dev/sdc") && table.contains("ALL DATA ON IT WILL BE LOST"));
}

#[test]
fn with_four_disks_a_small_disk_can_hold_vmstore_while_a_big_one_stays_idle() {
    let facts =
        json!({"nodes": [node("a", &[("sdb", TB4), ("sdc", TB1), ("sdd", TB4), ("sde", TB1)])]});
    let document = ini(&facts);
    assert_eq!(
        get(&document, "vg01:a", "pvname"),
        "sde",
        "engine+iso: last of the smallest"
    );
    assert_eq!(
        get(&document, "vg02:a", "pvname"),
        "sdb",
        "shares: first of the biggest"
    );
    assert_eq!(
        get(&document, "vg03:a", "pvname"),
        "sdc",
        "vmstore: first by name of the rest"
    );
    assert!(!document
        .sections
        .iter()
        .any(|s| s.get("devices") == Some("sdd")));
}

#[test]
fn nvme_names_sort_as_plain_strings() {
    let facts =
        json!({"nodes": [node("a", &[("nvme2n1", TB1), ("nvme10n1", TB1), ("nvme1n1", TB1)])]});
    let document = ini(&facts);
    // Equal sizes: shares on the first name, oVirt on the last, vmstore on the first of the rest.
    assert_eq!(get(&document, "vg02:a", "pvname"), "nvme10n1");
    assert_eq!(get(&document, "vg01:a", "pvname"), "nvme2n1");
    assert_eq!(get(&document, "vg03:a", "pvname"), "nvme1n1");
}

#[test]
fn the_richer_data_node_applies_the_poorer_nodes_layout_to_its_own_disks() {
    let facts = json!({"nodes": [
        node("a", &[("sdb", TB1), ("sdc", TB2), ("sdd", TB4), ("sde", TB2)]),
        node("b", &[("vdb", TB1), ("vdc", TB2), ("vdd", TB4)]),
        node("c", &[("sdb", TB1)]),
    ]});
    let document = ini(&facts);
    assert_eq!(
        get(&document, "pv03:a", "devices"),
        "sdc",
        "vmstore on node a: first remaining by name"
    );
    assert_eq!(get(&document, "pv13:b", "devices"), "vdc");
    assert!(document.section("pv04:a").is_none());
}
