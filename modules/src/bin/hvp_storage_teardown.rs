//! Ansible module `hvp_storage_teardown`: removes exactly what the recorded plan created on
//! this node (or, with `gluster: true`, the planned Gluster volumes), in the order of
//! `hvp_core::teardown::plan_teardown` (the same operations `hvp-teardown` prints), skipping
//! what is already gone (`hvp_core::teardown::pending`). Check mode lists, changes nothing.

use hvp_core::drift::{gluster::parse_volume_info, live, lvm, RawNodeState, RecordedPlan};
use hvp_core::teardown::{pending, plan_teardown, Present};
use hvp_modules::ansible::{
    run, ArgumentSpec, ModuleFailure, ModuleResult, OptionKind, OptionSpec,
};
use hvp_modules::tool::tool;
use serde_json::{json, Value};
use std::path::Path;
use std::process::ExitCode;

fn spec() -> ArgumentSpec {
    ArgumentSpec::new(vec![
        OptionSpec::new("plan", OptionKind::Dict).required(),
        OptionSpec::new("node", OptionKind::Str).required(),
        OptionSpec::new("lvm", OptionKind::Bool).default(json!(true)),
        OptionSpec::new("gluster", OptionKind::Bool).default(json!(false)),
    ])
}

fn output(program: &str, args: &[&str]) -> Result<(bool, String, String), String> {
    let result = tool(program)
        .args(args)
        .output()
        .map_err(|error| format!("cannot run `{program}`: {error}"))?;
    Ok((
        result.status.success(),
        String::from_utf8_lossy(&result.stdout).into_owned(),
        String::from_utf8_lossy(&result.stderr).trim().to_owned(),
    ))
}

fn checked(args: &[&str]) -> Result<String, String> {
    let (program, rest) = args.split_first().ok_or("empty command")?;
    match output(program, rest)? {
        (true, stdout, _) => Ok(stdout),
        (false, _, stderr) => Err(format!("`{}` failed: {stderr}", args.join(" "))),
    }
}

fn main() -> ExitCode {
    run("hvp_storage_teardown", &spec(), |ctx| {
        let plan_value = ctx.params.value("plan").cloned().unwrap_or(Value::Null);
        let plan = RecordedPlan::from_value(&plan_value)
            .map_err(|error| ModuleFailure::new(format!("option plan: {error}")))?;
        let node = ctx.params.str("node").unwrap_or_default().to_owned();
        let Some(plan_node) = plan.node(&node) else {
            return Err(ModuleFailure::new(format!(
                "node {node:?} is not in the recorded plan; pass the node's inventory name"
            )));
        };
        let teardown = plan_teardown(&plan).map_err(|report| {
            ModuleFailure::new(format!(
                "the recorded plan is refused, nothing was removed:\n{report}"
            ))
        })?;
        let mut operations = Vec::new();
        let mut warnings = Vec::new();
        if ctx.params.bool("gluster") {
            let xml = checked(&["gluster", "--mode=script", "volume", "info", "--xml"]).map_err(
                |error| ModuleFailure::new(format!("{error}; is glusterd running on {node}?")),
            )?;
            let volumes = parse_volume_info(&xml).map_err(|e| ModuleFailure::new(e.to_string()))?;
            let present = Present {
                volumes: Some(volumes),
                ..Present::default()
            };
            operations.extend(pending(&teardown, None, &present).into_iter().cloned());
        }
        if ctx.params.bool("lvm") {
            let raw = RawNodeState {
                name: node.clone(),
                pvs: checked(lvm::PVS_ARGS).map_err(ModuleFailure::new)?,
                vgs: checked(lvm::VGS_ARGS).map_err(ModuleFailure::new)?,
                lvs: checked(lvm::LVS_ARGS).map_err(ModuleFailure::new)?,
                mountinfo: std::fs::read_to_string("/proc/self/mountinfo").map_err(|e| {
                    ModuleFailure::new(format!("cannot read /proc/self/mountinfo: {e}"))
                })?,
                vdo_status: String::new(),
            };
            let state = live::parse(&[raw], None)
                .map_err(|errors| {
                    ModuleFailure::new(
                        errors
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; "),
                    )
                })?
                .nodes
                .pop();
            let mut present = Present {
                node: state,
                fstab: std::fs::read_to_string(hvp_core::teardown::FSTAB).unwrap_or_default(),
                ..Present::default()
            };
            for lv in plan_node
                .volume_groups
                .iter()
                .flat_map(|vg| &vg.logical_volumes)
            {
                if let Some(mount) = &lv.mount_point {
                    if Path::new(mount).is_dir() {
                        present.directories.insert(mount.clone());
                    }
                }
            }
            for vdo in &plan_node.vdo_devices {
                if Path::new(&format!("/dev/mapper/{}", vdo.name)).exists() {
                    present.vdo_devices.insert(vdo.name.clone());
                }
            }
            for disk in plan_node.disks.iter().filter(|d| d.usage.is_some()) {
                let device = format!("/dev/{}", disk.name);
                if !Path::new(&device).exists() {
                    warnings.push(format!(
                        "{device} of the plan does not exist on {node}; not wiped"
                    ));
                    continue;
                }
                let listed = checked(&["wipefs", "--noheadings", "--output", "TYPE", &device])
                    .map_err(ModuleFailure::new)?;
                if !listed.trim().is_empty() {
                    present.signed_disks.insert(disk.name.clone());
                }
            }
            operations.extend(
                pending(&teardown, Some(&node), &present)
                    .into_iter()
                    .cloned(),
            );
        }
        let listed: Vec<Value> = operations
            .iter()
            .map(|o| json!({"action": o.action, "object": o.object, "command": o.command}))
            .collect();
        let changed = !operations.is_empty();
        if !ctx.check_mode {
            for (index, operation) in operations.iter().enumerate() {
                let (ok, _, stderr) =
                    output("bash", &["-c", &operation.command]).map_err(ModuleFailure::new)?;
                if !ok {
                    return Err(ModuleFailure::new(format!(
                        "{node}: `{}` failed ({stderr}); {index} operation(s) done before it, the \
                         rest left; fix the cause and run the teardown again (it continues \
                         where it stopped)",
                        operation.command
                    ))
                    .with("done", &listed[..index])
                    .with("left", &listed[index..]));
                }
            }
        }
        let mut result = ModuleResult::new(changed).with("operations", listed).with(
            "msg",
            format!(
                "{node}: {} operation(s) {}",
                operations.len(),
                if ctx.check_mode { "would run" } else { "run" }
            ),
        );
        for warning in warnings {
            result = result.warn(warning);
        }
        Ok(result)
    })
}
