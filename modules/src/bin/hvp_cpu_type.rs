//! Ansible module `hvp_cpu_type`: this node's CPU (node mode) or the cluster's common CPU
//! model (cluster mode, with `hosts_cpu`). Reads `virsh -r capabilities` and
//! `virsh -r cpu-models ARCH` unless given as options; the decisions are `hvp_core::cpu`.

use hvp_core::cpu::{cluster_cpu, host_cpu, parse_capabilities, parse_cpu_models};
use hvp_modules::ansible::{
    run, ArgumentSpec, ModuleContext, ModuleFailure, ModuleResult, OptionKind, OptionSpec,
};
use serde_json::{Map, Value};
use std::process::{Command, ExitCode, Stdio};

fn spec() -> ArgumentSpec {
    ArgumentSpec::new(vec![
        OptionSpec::new("capabilities_xml", OptionKind::Str),
        OptionSpec::new("cpu_models", OptionKind::Raw),
        OptionSpec::new("hosts_cpu", OptionKind::Dict),
    ])
}

fn main() -> ExitCode {
    run("hvp_cpu_type", &spec(), |ctx| {
        match ctx.params.value("hosts_cpu") {
            Some(hosts) => cluster_mode(ctx, hosts),
            None => node_mode(ctx),
        }
    })
}

fn cluster_mode(ctx: &ModuleContext, hosts: &Value) -> Result<ModuleResult, ModuleFailure> {
    if ctx.params.value("capabilities_xml").is_some() || ctx.params.value("cpu_models").is_some() {
        return Err(ModuleFailure::new(
            "hosts_cpu (cluster mode) cannot be combined with capabilities_xml or cpu_models \
             (node mode): call the module once per node, then once with hosts_cpu",
        ));
    }
    let hosts = hosts.as_object().cloned().unwrap_or_default();
    let cluster = cluster_cpu(&hosts).map_err(|error| {
        ModuleFailure::new(format!("cannot choose the cluster CPU model:\n{error}"))
    })?;
    let mut facts = Map::new();
    facts.insert(
        "hvp_cluster_cpu".to_owned(),
        serde_json::to_value(&cluster).unwrap_or(Value::Null),
    );
    Ok(ModuleResult::new(false).facts(facts))
}

fn node_mode(ctx: &ModuleContext) -> Result<ModuleResult, ModuleFailure> {
    let xml = match ctx.params.str("capabilities_xml") {
        Some(xml) => xml.to_owned(),
        None => virsh(&["-r", "capabilities"])?,
    };
    let arch = parse_capabilities(&xml)
        .map_err(|error| ModuleFailure::new(error.to_string()))?
        .arch;
    let models =
        match ctx.params.value("cpu_models") {
            Some(Value::String(text)) => parse_cpu_models(text),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    // Model names such as 486 arrive as YAML numbers; convert as Ansible would.
                    let name = match item {
                        Value::String(text) => Some(text.trim().to_owned()),
                        Value::Number(number) => Some(number.to_string()),
                        _ => None,
                    };
                    name.ok_or_else(|| {
                        ModuleFailure::new(
                        "parameter 'cpu_models' must be a string (one model per line) or a list \
                         of strings",
                    )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err(ModuleFailure::new(
                "parameter 'cpu_models' must be a string (one model per line) or a list of strings",
            )),
            None => parse_cpu_models(&virsh(&["-r", "cpu-models", &arch])?),
        };
    let cpu = host_cpu(&xml, &models).map_err(|error| ModuleFailure::new(error.to_string()))?;
    let mut result = ModuleResult::new(false);
    if cpu.model_index.is_none() {
        result = result.warn(format!(
            "CPU model '{}' is not in libvirt's model list for {} ({} models): model_index is \
             null and cluster mode will refuse this host",
            cpu.model,
            cpu.arch,
            models.len()
        ));
    }
    let mut facts = Map::new();
    facts.insert(
        "hvp_cpu".to_owned(),
        serde_json::to_value(&cpu).unwrap_or(Value::Null),
    );
    Ok(result.facts(facts))
}

/// Runs read-only `virsh ARGS` and returns its stdout.
fn virsh(args: &[&str]) -> Result<String, ModuleFailure> {
    let command = format!("virsh {}", args.join(" "));
    let output = Command::new("virsh")
        .args(args)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
        .map_err(|error| {
            ModuleFailure::new(format!(
                "cannot run `{command}` ({error}): install libvirt-client and start libvirtd, or \
                 pass capabilities_xml and cpu_models"
            ))
        })?;
    if !output.status.success() {
        return Err(ModuleFailure::new(format!(
            "`{command}` failed ({}): {}; is libvirtd running?",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
