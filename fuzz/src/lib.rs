//! The invariants every fuzz target checks on what hvp prints.

use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::targets::probe_targets;
use hvp_core::network::{plan_network, read_probe, render, Mode};

/// Panics when `text` holds a control character other than a newline: no user text may
/// reach an output or a message raw.
pub fn assert_no_raw_control(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
        panic!("{what} holds the raw control character {:?}:\n{text}", c);
    }
}

/// Panics when a report printed as a header line plus one line per problem has more lines
/// than problems (a value forged a line), or holds a raw control character.
pub fn assert_report_lines(what: &str, text: &str, problems: usize) {
    assert_no_raw_control(what, text);
    let lines = text.lines().count();
    assert_eq!(
        lines,
        problems + 1,
        "{what}: {problems} problems but {lines} lines:\n{text}"
    );
}

/// As [`assert_no_raw_control`], but tabs are allowed too: configuration files (smb.conf,
/// ganesha.conf) are indented with them.
pub fn assert_no_raw_control_but_tabs(what: &str, text: &str) {
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
    {
        panic!("{what} holds the raw control character {:?}:\n{text}", c);
    }
}

/// The entry of every target whose input is one JSON document: `data` is read with hvp's own
/// JSON reader (`hvp_core::input::json`, as the CLIs and modules read it; a parse error must
/// hold no raw control character), then `run` is called twice on the document and must give
/// the same result (deterministic output). `run` checks the target's own invariants.
pub fn json_target<T, O>(data: &[u8], run: impl Fn(&T) -> O)
where
    T: serde::de::DeserializeOwned,
    O: PartialEq + std::fmt::Debug,
{
    let document: T = match hvp_core::input::json::parse(data) {
        Ok(document) => document,
        Err(error) => return assert_no_raw_control("JSON error", &error.to_string()),
    };
    assert_eq!(
        run(&document),
        run(&document),
        "output is not deterministic"
    );
}

/// Checks one result of `hvp_core::gdeploy_gen` (a plan in one output format, or the report
/// of why there is none): no raw control character in the output or a warning, one line per
/// problem in a report. Returns the result as text, for the determinism check.
pub fn check_generated(
    result: &Result<hvp_core::gdeploy_gen::Generated, hvp_core::report::Report>,
) -> String {
    match result {
        Ok(generated) => {
            assert_no_raw_control("output", &generated.output);
            for warning in &generated.warnings {
                assert_no_raw_control("warning", warning);
            }
            format!(
                "{}\n{}\n{}",
                generated.output,
                generated.summary,
                generated.warnings.join("\n")
            )
        }
        Err(report) => report_text("report", report),
    }
}

/// A problem report (`hvp_core::report::Report`) as printed, checked: a header line plus
/// exactly one line per problem, no raw control character.
pub fn report_text(what: &str, report: &hvp_core::report::Report) -> String {
    let text = report.to_string();
    assert_report_lines(what, &text, report.problems().len());
    text
}

/// Every output of one probe document's network plan (kickstart, JSON, vars, fragments,
/// warnings, probe targets) or the report of why there is none.
fn probe_outputs(doc: &ProbeDocument, mode: Mode) -> Vec<String> {
    let mut texts = Vec::new();
    match plan_network(doc, mode) {
        Ok(plan) => {
            texts.push(render::kickstart(&plan));
            texts.push(render::json(&plan));
            texts.push(render::vars(&plan));
            for fragment in render::node_fragments(&plan) {
                texts.push(fragment.name);
                texts.push(fragment.text);
            }
            texts.extend(plan.warnings);
        }
        Err(error) => {
            let text = error.to_string();
            assert_report_lines("plan error", &text, error.problems().len());
            texts.push(text);
        }
    }
    match probe_targets(doc, mode) {
        Ok(targets) => texts.push(format!("{targets:?}")),
        Err(error) => texts.push(error.to_string()),
    }
    texts
}

/// The probe-document entry (`hvp_core::network::read_probe`, as `hvp-netplan` reads it), in
/// both modes: no raw control character in a warning, an output or a report (one line per
/// problem), the same outputs twice.
pub fn check_probe_document(data: &[u8]) {
    for mode in [Mode::Compat, Mode::Default] {
        let doc = match read_probe(data, mode) {
            Ok((doc, warnings)) => {
                for warning in &warnings {
                    assert_no_raw_control("warning", warning);
                }
                doc
            }
            Err(error) => {
                assert_report_lines("read error", &error.to_string(), error.problems().len());
                continue;
            }
        };
        let first = probe_outputs(&doc, mode);
        for text in &first[..first.len() - 1] {
            assert_no_raw_control("output", text);
        }
        assert_eq!(
            first,
            probe_outputs(&doc, mode),
            "output is not deterministic"
        );
    }
}
