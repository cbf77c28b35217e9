//! File-services input document → plan → every rendered file (`hvp_core::fileservices`):
//! `FileServicesInput::from_value`, `plan`, `render::node_files` for every CTDB member (and an
//! unknown node), `render::dns_records`, the plan as JSON.
#![no_main]

use hvp_core::fileservices::{self, render, FileServicesInput};
use hvp_fuzz::{assert_no_raw_control_but_tabs, json_target, report_text};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn run(document: &Value) -> Vec<String> {
    let input = match FileServicesInput::from_value(document) {
        Ok(input) => input,
        Err(report) => return vec![report_text("input report", &report)],
    };
    let plan = match fileservices::plan(&input) {
        Ok(plan) => plan,
        Err(report) => return vec![report_text("plan report", &report)],
    };
    let mut out = vec![serde_json::to_string(&plan).unwrap_or_default()];
    let mut nodes: Vec<String> = plan.members.iter().map(|m| m.name.clone()).collect();
    nodes.push("no-such-node".to_owned());
    for node in nodes {
        match render::node_files(&plan, &node) {
            Ok(files) => {
                for file in files {
                    assert_no_raw_control_but_tabs("file path", &file.path);
                    assert_no_raw_control_but_tabs("file content", &file.content);
                    out.push(format!("{} {:o}\n{}", file.path, file.mode, file.content));
                }
            }
            Err(problem) => {
                let text = problem.to_string();
                assert_no_raw_control_but_tabs("node problem", &text);
                assert!(!text.contains('\n'), "a problem forged a line: {text}");
                out.push(text);
            }
        }
    }
    let dns = render::dns_records(&plan);
    assert_no_raw_control_but_tabs("DNS records", &dns);
    out.push(dns);
    out
}

fuzz_target!(|data: &[u8]| json_target(data, |document: &Value| run(document)));
