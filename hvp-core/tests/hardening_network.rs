//! Regression tests of issue 11 for the network planner's input: each class of bad input the
//! black-box campaign found (hang, silent acceptance, control characters, blanks) stays fixed.

use hvp_core::network::fragment::ShellVars;
use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::{plan_network, render, Mode};
use serde_json::{json, Value};

fn doc(value: Value) -> ProbeDocument {
    serde_json::from_value(value).unwrap()
}

fn node_with_fragment(text: &str) -> ProbeDocument {
    doc(json!({"role": "node", "node_index": 0,
        "fragments": [{"name": "hvp_parameters.sh", "text": text}],
        "nics": [{"name": "eth0", "carrier": true, "reaches": ["mgmt"]}]}))
}

fn problems(doc: &ProbeDocument, mode: Mode) -> String {
    match plan_network(doc, mode) {
        Ok(plan) => format!("accepted; warnings: {:?}", plan.warnings),
        Err(error) => error.to_string(),
    }
}

#[test]
fn an_array_opened_by_a_semicolon_ends_with_a_problem_not_a_hang() {
    for text in [
        "a=(;",
        "a=( ; )",
        "a=((",
        "a=( [",
        "a=( [x",
        "a=( b ; c )",
        "a=(\n;\n",
    ] {
        let (_, ignored) = ShellVars::read(&[("f.sh", text)]);
        assert_eq!(ignored.len(), 1, "{text:?}: {ignored:?}");
    }
    let text = problems(&node_with_fragment("a=(;"), Mode::Default);
    assert!(text.contains("fragment hvp_parameters.sh line 1"), "{text}");
    let text = problems(&node_with_fragment("a=(;"), Mode::Compat);
    assert!(text.starts_with("accepted"), "{text}");
}

#[test]
fn an_unterminated_array_is_refused() {
    let (vars, ignored) = ShellVars::read(&[("f.sh", "node_name=( a b\nx=1\n")]);
    assert_eq!(ignored.len(), 1, "{ignored:?}");
    assert!(
        ignored[0].reason.contains("closing parenthesis"),
        "{ignored:?}"
    );
    assert_eq!(ignored[0].line, 1);
    assert!(vars.indexed("node_name").is_empty());
    let text = problems(&node_with_fragment("node_name=( a b"), Mode::Default);
    assert!(text.contains("closing parenthesis"), "{text}");
}

#[test]
fn arrays_close_at_an_unquoted_parenthesis_only() {
    let (vars, ignored) = ShellVars::read(&[("f.sh", "x=( 'a)' b ) # note\ny=( a ) z\n")]);
    assert_eq!(vars.indexed("x"), vec![(0, "a)"), (1, "b")]);
    assert_eq!(ignored.len(), 1, "{ignored:?}");
    assert_eq!(ignored[0].line, 2);
}

#[test]
fn fragment_values_with_blanks_never_reach_a_kickstart_line() {
    let d = node_with_fragment("my_nameserver=\"1.1.1.1 2.2.2.2\"\n");
    let text = problems(&d, Mode::Default);
    assert!(text.contains("blank"), "{text}");
    let plan = plan_network(&d, Mode::Compat).unwrap();
    let kickstart = render::kickstart(&plan);
    assert!(!kickstart.contains("1.1.1.1 2.2.2.2"), "{kickstart}");
    assert!(plan.warnings.iter().any(|w| w.contains("blank")));
}

#[test]
fn control_characters_in_fragments_are_refused() {
    let d = node_with_fragment("my_gateway=172.20.10.1\u{1b}[31m\n");
    for mode in [Mode::Default, Mode::Compat] {
        if let Ok(plan) = plan_network(&d, mode) {
            assert!(!render::kickstart(&plan).contains('\u{1b}'));
        }
    }
    assert!(problems(&d, Mode::Default).contains("control character"));
}

fn node_with_parameters(parameters: Value) -> ProbeDocument {
    doc(
        json!({"role": "node", "node_index": 0, "parameters": parameters,
        "nics": [{"name": "eth0", "carrier": true, "reaches": ["mgmt"]}]}),
    )
}

#[test]
fn misspelt_parameters_are_errors_with_a_suggestion_and_compat_warnings() {
    for (name, suggestion) in [
        ("hvp_mgmt_MTU", "did you mean 'hvp_mgmt_mtu'?"),
        ("hvp_lan-mtu", "did you mean 'hvp_lan_mtu'?"),
        ("hvp_lan_mtu ", "did you mean 'hvp_lan_mtu'?"),
        ("hvp_mgmt_netmask", "hvp_mgmt=172.20.10.0/24"),
    ] {
        let d = node_with_parameters(json!({ name: "1500" }));
        let text = problems(&d, Mode::Default);
        assert!(text.contains("has no effect"), "{name}: {text}");
        assert!(text.contains(suggestion), "{name}: {text}");
        let plan = plan_network(&d, Mode::Compat).unwrap();
        assert!(
            plan.warnings.iter().any(|w| w.contains(suggestion)),
            "{name}: {:?}",
            plan.warnings
        );
    }
    // Other kickstart parameters are left alone.
    let d = node_with_parameters(json!({"hvp_nicmacfix": "", "hvp_nodeosdisk": "smallest"}));
    assert!(plan_network(&d, Mode::Default).is_ok());
}

#[test]
fn parameters_of_the_other_role_and_out_of_range_values_are_refused() {
    let d = node_with_parameters(json!({"hvp_external": "1.2.3/24"}));
    let text = problems(&d, Mode::Default);
    assert!(
        text.contains("hvp_external: is an installer parameter"),
        "{text}"
    );
    let installer = doc(json!({"role": "installer",
        "parameters": {"hvp_external": "10.0.0.0/24", "hvp_external_mtu": "4294967296"},
        "nics": [{"name": "eth0", "carrier": true, "dhcp": true}]}));
    let text = problems(&installer, Mode::Default);
    assert!(text.contains("MTU 4294967296 is too large"), "{text}");
    let d = node_with_parameters(json!({"hvp_nodes_offset": "99999999999"}));
    let text = problems(&d, Mode::Default);
    assert!(text.contains("is too large"), "{text}");
    assert!(!text.contains("not a whole number"), "{text}");
}

#[test]
fn control_characters_in_names_never_reach_the_output() {
    let d = doc(json!({"role": "node", "node_index": 0,
        "nics": [{"name": "eth\u{0}", "carrier": true, "reaches": ["mgmt"]},
                 {"name": "eth1", "carrier": true, "reaches": ["mgmt"]}]}));
    for mode in [Mode::Default, Mode::Compat] {
        let error = plan_network(&d, mode).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("not a valid interface name"), "{text}");
        assert!(!text.contains('\u{0}'), "{text:?}");
    }
    let d = node_with_parameters(json!({"hvp_mgmt_domainname": "x\u{1b}[31m"}));
    for mode in [Mode::Default, Mode::Compat] {
        let text = problems(&d, mode);
        assert!(text.contains("control character"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text:?}");
    }
    let installer = doc(json!({"role": "installer", "nameservers": ["1.1.1.1\n"],
        "nics": [{"name": "eth0", "carrier": true, "dhcp": true}]}));
    let plan = plan_network(&installer, Mode::Compat).unwrap();
    assert!(!render::kickstart(&plan).contains('\n'.to_string().repeat(2).as_str()));
    assert!(plan.warnings.iter().all(|w| !w.contains('\n')));
}

#[test]
fn a_newline_in_a_value_cannot_forge_a_report_line() {
    let d = node_with_parameters(json!({"hvp_nodes_offset": "1\n  - error: forged"}));
    let error = plan_network(&d, Mode::Default).unwrap_err();
    let text = error.to_string();
    assert_eq!(text.lines().count(), error.problems().len() + 1, "{text}");
}

#[test]
fn huge_node_counts_print_a_bounded_report() {
    let d = node_with_parameters(json!({"hvp_nodecount": "100000"}));
    let error = plan_network(&d, Mode::Default).unwrap_err();
    assert!(error.problems().len() <= hvp_core::input::condense::MAX_LISTED + 1);
    let text = error.to_string();
    assert!(text.contains("1000 the planner supports"), "{text}");
    // Problems of one kind are listed a few times, then counted.
    assert!(
        text.contains("hvp_nodes_offset: and 750 more problems like the ones above"),
        "{text}"
    );
    assert!(text.lines().count() < 60, "{text}");
}

#[test]
fn unknown_probe_fields_and_bad_json_are_reported_with_the_field() {
    use hvp_core::network::read_probe;
    let bytes = br#"{"role": "node", "nics": [{"name": "eth0", "maxmtu": 9000}]}"#;
    let error = read_probe(bytes, Mode::Default).unwrap_err().to_string();
    assert!(error.contains("nics[0]: unknown field 'maxmtu'"), "{error}");
    assert!(error.contains("did you mean 'max_mtu'?"), "{error}");
    let (_, warnings) = read_probe(bytes, Mode::Compat).unwrap();
    assert!(
        warnings[0].contains("did you mean 'max_mtu'?"),
        "{warnings:?}"
    );
    let bytes = br#"{"role": "node", "nics": [{"name": "eth0", "max_mtu": 4294967296}]}"#;
    let error = read_probe(bytes, Mode::Default).unwrap_err().to_string();
    assert!(
        error.contains("field nics[0].max_mtu: 4294967296 is too large"),
        "{error}"
    );
    let error = read_probe(br#"{"role": "node", "nics": [3]}"#, Mode::Default)
        .unwrap_err()
        .to_string();
    assert!(error.contains("field nics[0]"), "{error}");
    assert!(
        !error.contains("ProbedNic") && !error.contains("struct"),
        "{error}"
    );
    let error = read_probe(b"{\"role\": \"node\xff\"}", Mode::Default)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("byte 14 (0xff)") && error.contains("UTF-8"),
        "{error}"
    );
}

#[test]
fn large_fragments_are_read() {
    // 50,000 array elements took 13 s when every element was a linear search; they are a map
    // now. (No timing assertion: `cargo bench --bench input_scaling` prints figures.)
    let array = format!(
        "x=( {} )\n",
        (0..50_000)
            .map(|i| format!("[k{i}]=v{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let lines: String = (0..50_000)
        .map(|i| format!("y[k{i}]=v\nunset y[k{i}]\n"))
        .collect();
    let (vars, ignored) = ShellVars::read(&[("a.sh", &array), ("b.sh", &lines)]);
    assert!(ignored.is_empty());
    assert_eq!(vars.element("x", "k49999"), Some("v49999"));
    assert_eq!(vars.element("y", "k0"), None);
}
