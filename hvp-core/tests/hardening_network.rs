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
