//! Probe document → network plan → every output format, in both modes.
#![no_main]

use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::targets::probe_targets;
use hvp_core::network::{plan_network, read_probe, render, Mode};
use hvp_fuzz::{assert_no_raw_control, assert_report_lines};
use libfuzzer_sys::fuzz_target;

fn outputs(doc: &ProbeDocument, mode: Mode) -> Vec<String> {
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

fuzz_target!(|data: &[u8]| {
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
        let first = outputs(&doc, mode);
        for text in &first[..first.len() - 1] {
            assert_no_raw_control("output", text);
        }
        assert_eq!(first, outputs(&doc, mode), "output is not deterministic");
    }
});
