//! Ansible module `hvp_gdeploy_config`: writes the gDeploy configuration planned from the
//! nodes' free disks. Runs `hvp_core::gdeploy_gen::generate`, the same code path as the
//! `hvp-gdeploy-gen` CLI, so both produce identical bytes; writes atomically and only when the
//! content differs.

/// mimalloc rather than glibc's malloc: a large plan makes hundreds of thousands of small
/// allocations (600 nodes x 24 disks: about 700,000), where mimalloc spends a fifth to a third
/// fewer instructions for the same bytes (docs/storage.md, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use hvp_core::gdeploy_gen::{generate_with, render_json, OutputFormat};
use hvp_core::layout::gluster_ansible::cache_partitions;
use hvp_core::layout::{expand, Policy};
use hvp_modules::ansible::{
    run, ArgumentSpec, ModuleFailure, ModuleResult, OptionKind, OptionSpec,
};
use hvp_modules::fsio::write_if_changed;
use serde_json::{json, Value};
use std::path::Path;
use std::process::ExitCode;

/// The mode of the written file, as the CLI writes it.
const MODE: u32 = 0o644;
/// The mode of the recorded plan: it describes every disk of the cluster.
const PLAN_MODE: u32 = 0o600;

fn spec() -> ArgumentSpec {
    ArgumentSpec::new(vec![
        OptionSpec::new("nodes", OptionKind::List).required(),
        OptionSpec::new("vars", OptionKind::Dict).default(json!({})),
        OptionSpec::new("ssds", OptionKind::Dict).default(json!({})),
        OptionSpec::new("dest", OptionKind::Path).required(),
        OptionSpec::new("output", OptionKind::Str)
            .default(json!("ini"))
            .choices(&["ini", "json", "table", "commands", "gluster-ansible"]),
        OptionSpec::new("policy", OptionKind::Str).choices(&["compat", "balanced"]),
        OptionSpec::new("plan_dest", OptionKind::Path),
        OptionSpec::new("existing", OptionKind::Path),
        OptionSpec::new("rebalance", OptionKind::Str)
            .default(json!("fix-layout"))
            .choices(&["fix-layout", "full"]),
        OptionSpec::new("drift", OptionKind::List).default(json!([])),
        OptionSpec::new("ignore_drift", OptionKind::Bool).default(json!(false)),
        OptionSpec::new("grow", OptionKind::Dict).default(json!({})),
        OptionSpec::new("use_free_space", OptionKind::Bool).default(json!(false)),
    ])
}

/// What is written: the chosen output and the plan JSON (new or merged).
struct Produced {
    output: String,
    plan_json: String,
    summary: Value,
    warnings: Vec<String>,
    /// Per host, the GPT partitions of its split cache SSDs (fresh plans only).
    cache_partitions: Value,
}

/// Puts `ssds[name]` (the nodes' `hvp_free_ssds` facts, by node name) into the nodes that do
/// not list their SSDs themselves; null or missing entries are left out.
fn merge_ssds(nodes: &mut Value, ssds: Option<&Value>) {
    let (Some(list), Some(Value::Object(ssds))) = (nodes.as_array_mut(), ssds) else {
        return;
    };
    for node in list.iter_mut().filter_map(Value::as_object_mut) {
        let Some(name) = node.get("name").and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        match ssds.get(&name) {
            Some(found @ Value::Array(_)) if !node.contains_key("hvp_free_ssds") => {
                node.insert("hvp_free_ssds".to_owned(), found.clone());
            }
            _ => {}
        }
    }
}

/// The `grow` option (volume → size text or `rest`); numbers are taken as their text, so a
/// size without a unit is refused by the core like on the command line.
fn grow_option(value: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(volume, size)| {
            let text = match size {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (volume.clone(), text)
        })
        .collect()
}

fn main() -> ExitCode {
    run("hvp_gdeploy_config", &spec(), |ctx| {
        let dest = ctx.params.str("dest").unwrap_or_default();
        let mut nodes = ctx.params.value("nodes").cloned().unwrap_or(Value::Null);
        merge_ssds(&mut nodes, ctx.params.value("ssds"));
        let facts = json!({
            "nodes": nodes,
            "vars": ctx.params.value("vars").cloned().unwrap_or_else(|| json!({})),
        });
        let format: OutputFormat = ctx
            .params
            .str("output")
            .unwrap_or("ini")
            .parse()
            .map_err(ModuleFailure::new)?;
        let policy = ctx.params.str("policy").and_then(Policy::from_name);
        let refused = |report: hvp_core::report::Report| {
            let problems: Vec<String> = report.problems().iter().map(ToString::to_string).collect();
            ModuleFailure::new(format!(
                "the storage layout for {dest} is invalid, nothing was written:\n{report}"
            ))
            .with("problems", problems)
        };
        let generated = match ctx.params.str("existing") {
            // Expansion of the recorded plan (docs/running.md): the same code path as
            // `hvp-gdeploy-gen --existing`; plan_dest receives the merged plan.
            Some(existing) => {
                // UTF-8 offset, line/column, no Rust type names (docs/input-rules.md).
                let shown = hvp_core::input::escape::escape(existing);
                let recorded: Value = std::fs::read(existing)
                    .map_err(|error| format!("cannot read the recorded plan {shown}: {error}"))
                    .and_then(|bytes| {
                        hvp_core::input::json::parse(&bytes)
                            .map_err(|error| format!("the recorded plan {shown} {error}"))
                    })
                    .map_err(ModuleFailure::new)?;
                let drift: Vec<hvp_core::drift::Drift> = ctx
                    .params
                    .parse("drift")
                    .map_err(|error| {
                        ModuleFailure::new(format!(
                            "option drift: {error}; pass the drift list of hvp_storage_drift"
                        ))
                    })?
                    .unwrap_or_default();
                let options = expand::ExpandOptions {
                    rebalance: ctx
                        .params
                        .str("rebalance")
                        .and_then(expand::Rebalance::from_name)
                        .unwrap_or_default(),
                    ignore_drift: ctx.params.bool("ignore_drift"),
                    grow: grow_option(ctx.params.value("grow")),
                    use_free_space: ctx.params.bool("use_free_space"),
                };
                let (output, expansion) =
                    expand::generate(&recorded, &facts, format, &drift, &options)
                        .map_err(refused)?;
                Produced {
                    output,
                    plan_json: expand::render_json(&expansion),
                    summary: json!({
                        "expansion": true,
                        "new_nodes": expansion.new_nodes,
                        "hosts": expansion.hosts.iter().map(|h| &h.node).collect::<Vec<_>>(),
                        "volumes": expansion.volumes.iter().map(|v| json!({
                            "name": v.volume, "new_sets": v.sets.len(), "added_bytes": v.added_bytes,
                        })).collect::<Vec<_>>(),
                        "usable_before": expansion.usable_before,
                        "usable_after": expansion.usable_after,
                    }),
                    warnings: Vec::new(),
                    cache_partitions: json!({}),
                }
            }
            None => {
                let generated = generate_with(&facts, format, policy).map_err(refused)?;
                // The same list the gluster-ansible output gives each host.
                let cache_partitions: serde_json::Map<String, Value> = generated
                    .plan
                    .nodes
                    .iter()
                    .map(|node| (node, cache_partitions(node)))
                    .filter(|(_, partitions)| !partitions.is_empty())
                    .map(|(node, partitions)| (node.name.clone(), json!(partitions)))
                    .collect();
                Produced {
                    plan_json: render_json(&generated.plan),
                    output: generated.output,
                    summary: generated.summary,
                    warnings: generated.warnings,
                    cache_partitions: Value::Object(cache_partitions),
                }
            }
        };
        let what = match format {
            OutputFormat::Ini if ctx.params.str("existing").is_none() => {
                "gDeploy configuration".to_owned()
            }
            other => format!("{} output", other.name()),
        };
        let outcome = write_if_changed(
            Path::new(dest),
            generated.output.as_bytes(),
            MODE,
            ctx.check_mode,
        )
        .map_err(|error| {
            ModuleFailure::new(format!(
                "cannot write the {what} to {dest}: {error}; check that the directory exists \
                 and is writable"
            ))
        })?;
        // The recorded plan (docs/running.md): the --format json bytes of the same plan,
        // atomically, 0600, changed only when it differs.
        let plan_dest = ctx.params.str("plan_dest");
        let plan_outcome = match plan_dest {
            Some(plan_dest) => Some(
                write_if_changed(
                    Path::new(plan_dest),
                    generated.plan_json.as_bytes(),
                    PLAN_MODE,
                    ctx.check_mode,
                )
                .map_err(|error| {
                    ModuleFailure::new(format!(
                        "cannot write the recorded plan to {}: {error}; check that \
                         the directory exists and is writable",
                        hvp_core::input::escape::escape(plan_dest)
                    ))
                })?,
            ),
            None => None,
        };
        let plan_changed = plan_outcome.as_ref().is_some_and(|outcome| outcome.changed);
        let mut result = ModuleResult::new(outcome.changed || plan_changed)
            .with("dest", dest)
            .with("plan_dest", plan_dest)
            .with("plan_changed", plan_changed)
            .with("plan", &generated.summary)
            .with("cache_partitions", &generated.cache_partitions);
        for warning in &generated.warnings {
            result = result.warn(warning.clone());
        }
        if ctx.diff_mode && outcome.changed {
            let before = outcome.before.as_deref().unwrap_or("");
            result = result.diff(dest, before, dest, &generated.output);
        } else if let (true, Some(plan_dest), Some(plan_outcome)) =
            (ctx.diff_mode, plan_dest, plan_outcome.as_ref())
        {
            if plan_changed {
                let before = plan_outcome.before.as_deref().unwrap_or("");
                result = result.diff(plan_dest, before, plan_dest, &generated.plan_json);
            }
        }
        Ok(result)
    })
}
