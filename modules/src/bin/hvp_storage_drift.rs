//! Ansible module `hvp_storage_drift`: compares this node's live LVM objects and brick mounts
//! (and, with `gluster: true`, the Gluster volumes) with the recorded storage plan. Read-only:
//! runs `pvs`/`vgs`/`lvs --reportformat json`, reads `/proc/self/mountinfo`, and runs
//! `gluster --mode=script volume info --xml` and reads the option group files the plan names.
//! The comparison is `hvp_core::drift::compare`.

use hvp_core::drift::{
    compare, lvm, parse, plan_view::RecordedPlan, RawClusterState, RawNodeState,
};
use hvp_modules::ansible::{
    run, ArgumentSpec, ModuleFailure, ModuleResult, OptionKind, OptionSpec,
};
use hvp_modules::tool::tool;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

fn spec() -> ArgumentSpec {
    ArgumentSpec::new(vec![
        OptionSpec::new("plan", OptionKind::Dict).required(),
        OptionSpec::new("node", OptionKind::Str).required(),
        OptionSpec::new("lvm", OptionKind::Bool).default(json!(true)),
        OptionSpec::new("gluster", OptionKind::Bool).default(json!(false)),
        OptionSpec::new("gluster_command", OptionKind::StrList)
            .default(json!(["gluster", "--mode=script"])),
        OptionSpec::new("groups_dir", OptionKind::Path).default(json!("/var/lib/glusterd/groups")),
    ])
}

/// Runs `argv` and returns its standard output, or a message naming the command.
fn output(argv: &[String]) -> Result<String, String> {
    let (program, args) = argv.split_first().ok_or("empty command")?;
    let result = tool(program)
        .args(args)
        .output()
        .map_err(|error| format!("cannot run `{}`: {error}", argv.join(" ")))?;
    if !result.status.success() {
        return Err(format!(
            "`{}` failed ({}): {}",
            argv.join(" "),
            result.status,
            String::from_utf8_lossy(&result.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&result.stdout).into_owned())
}

fn words(args: &[&str]) -> Vec<String> {
    args.iter().map(|word| (*word).to_owned()).collect()
}

fn main() -> ExitCode {
    run("hvp_storage_drift", &spec(), |ctx| {
        let plan_value = ctx.params.value("plan").cloned().unwrap_or(Value::Null);
        let plan = RecordedPlan::from_value(&plan_value)
            .map_err(|error| ModuleFailure::new(format!("option plan: {error}")))?;
        let node = ctx.params.str("node").unwrap_or_default().to_owned();
        if plan.node(&node).is_none() {
            return Err(ModuleFailure::new(format!(
                "node {node:?} is not in the recorded plan (its nodes: {}); pass the node's \
                 inventory name as in the plan",
                plan.nodes
                    .iter()
                    .map(|n| n.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let mut failures = Vec::new();
        let mut nodes = Vec::new();
        let legacy_vdo = plan
            .node(&node)
            .is_some_and(|n| n.vdo_devices.iter().any(|v| v.kind == "legacy"));
        if ctx.params.bool("lvm") {
            let mut gather = |args: &[&str]| {
                output(&words(args)).unwrap_or_else(|error| {
                    failures.push(error);
                    String::new()
                })
            };
            // The legacy vdo manager only where the plan has legacy VDO devices here.
            let vdo_status = if legacy_vdo {
                gather(hvp_core::drift::vdo::VDO_STATUS_ARGS)
            } else {
                String::new()
            };
            let raw = RawNodeState {
                name: node.clone(),
                pvs: gather(lvm::PVS_ARGS),
                vgs: gather(lvm::VGS_ARGS),
                lvs: gather(lvm::LVS_ARGS),
                mountinfo: std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_else(
                    |error| {
                        failures.push(format!("cannot read /proc/self/mountinfo: {error}"));
                        String::new()
                    },
                ),
                vdo_status,
            };
            nodes.push(raw);
        }
        let cluster = if ctx.params.bool("gluster") {
            let mut argv = ctx.params.str_list("gluster_command");
            argv.extend(words(&["volume", "info", "--xml"]));
            let xml = output(&argv).unwrap_or_else(|error| {
                failures.push(format!("{error}; is glusterd running on {node}?"));
                String::new()
            });
            let directory = ctx.params.str("groups_dir").unwrap_or_default().to_owned();
            let mut groups = BTreeMap::new();
            for option in plan.volumes.iter().flat_map(|v| &v.options) {
                if option.name != "group" || option.value.contains('/') {
                    continue;
                }
                let path = Path::new(&directory).join(&option.value);
                if let Ok(text) = std::fs::read_to_string(&path) {
                    groups.insert(option.value.clone(), text);
                }
            }
            Some(RawClusterState {
                volume_info_xml: xml,
                groups,
            })
        } else {
            None
        };
        if !failures.is_empty() {
            return Err(ModuleFailure::new(format!(
                "cannot read the live state of {node}: {}",
                failures.join("; ")
            )));
        }
        let live = parse(&nodes, cluster.as_ref()).map_err(|errors| {
            ModuleFailure::new(format!(
                "cannot read the live state of {node}: {}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        let drift = compare(&plan, &live);
        let lines: Vec<String> = drift.iter().map(ToString::to_string).collect();
        let mut facts = Map::new();
        facts.insert("hvp_storage_drift".to_owned(), json!(drift));
        let msg = if drift.is_empty() {
            format!("{node}: the live state matches the recorded plan")
        } else {
            format!(
                "{node}: {} difference(s) from the recorded plan",
                drift.len()
            )
        };
        Ok(ModuleResult::new(false)
            .with("msg", msg)
            .with("drifted", !drift.is_empty())
            .with("drift", &drift)
            .with("drift_lines", lines)
            .facts(facts))
    })
}
