//! The one code path from a facts document to generated output, shared by the
//! `hvp-gdeploy-gen` CLI and the `hvp_gdeploy_config` Ansible module, so that both produce the
//! same bytes for the same input.

use crate::facts::FactsDocument;
use crate::gdeploy::write_document;
use crate::layout::commands::render_commands;
use crate::layout::gluster_ansible::{inexpressible, write_gluster_ansible};
use crate::layout::json_text::{to_pretty_string, write_pretty};
use crate::layout::{
    balanced, compat, table::render_table, validate::capacity_problems, LayoutPlan, PlanWarning,
    Policy,
};
use crate::report::{name_in, value_named, Problem, Report};
use serde::Serialize;
use serde_json::{json, Value};
use std::str::FromStr;

/// What to produce from the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// The gDeploy configuration file.
    #[default]
    Ini,
    /// The plan itself, as JSON (see `docs/gdeploy.md`).
    Json,
    /// A per-node table for people.
    Table,
    /// The `gluster` command lines (peer probe, volume create/set/start), in order.
    Commands,
    /// A gluster-ansible (`gluster.infra`) YAML inventory.
    GlusterAnsible,
}

impl OutputFormat {
    /// Every format, with its name.
    pub const ALL: [(OutputFormat, &'static str); 5] = [
        (OutputFormat::Ini, "ini"),
        (OutputFormat::Json, "json"),
        (OutputFormat::Table, "table"),
        (OutputFormat::Commands, "commands"),
        (OutputFormat::GlusterAnsible, "gluster-ansible"),
    ];

    /// The format's name on the command line and in the module.
    pub fn name(self) -> &'static str {
        name_in(&Self::ALL, &self).unwrap_or("ini")
    }
}

impl FromStr for OutputFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        value_named(&Self::ALL, text).map_err(|unknown| {
            let hint = unknown
                .closest
                .map(|name| format!(" (did you mean '{name}'?)"))
                .unwrap_or_default();
            format!(
                "unknown output format '{}'{hint}: use {}",
                escape_text(text),
                unknown.names.join(", ")
            )
        })
    }
}

/// Shows user text without control characters (they become `\u{..}` escapes).
fn escape_text(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// The generated output and what a caller reports about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The text to print or write.
    pub output: String,
    /// A short summary of the plan (roles, disks, volumes) for module results.
    pub summary: Value,
    /// Warnings, one line each.
    pub warnings: Vec<String>,
    /// The plan the output was rendered from.
    pub plan: LayoutPlan,
}

/// Plans the layout of `facts` with the policy it asks for (`hvp_layout_policy`, default
/// compat) and checks capacities. Errors stop; warnings are kept in the plan.
pub fn plan_layout(facts: &FactsDocument) -> Result<LayoutPlan, Report> {
    plan_checked(facts, Vec::new(), None)
}

/// The policy of a facts document: `overridden`, else `hvp_layout_policy`, else compat.
pub fn effective_policy(facts: &FactsDocument, overridden: Option<Policy>) -> Policy {
    overridden.or(facts.vars.storage.policy).unwrap_or_default()
}

/// Plans and checks, adding the problems to `input_problems` (those found while reading the
/// facts), so that one report holds everything wrong with the input.
fn plan_checked(
    facts: &FactsDocument,
    mut input_problems: Vec<Problem>,
    policy: Option<Policy>,
) -> Result<LayoutPlan, Report> {
    let policy = effective_policy(facts, policy);
    if policy == Policy::Balanced {
        return match balanced::plan(facts) {
            Ok(plan) if input_problems.is_empty() => Ok(plan),
            Ok(_) => Err(Report::new(input_problems)),
            Err(report) => {
                input_problems.extend(report.problems().iter().cloned());
                Err(Report::new(input_problems))
            }
        };
    }
    for variable in &facts.vars.balanced_only_sizes {
        input_problems.push(Problem::error(
            format!("variable {variable}"),
            "is written as 'rest', a percentage, 'none' or a bare byte count, which only the \
             balanced policy reads",
            "give a size with a unit (\"500GB\"), or set hvp_layout_policy: balanced",
        ));
    }
    let mut plan = match compat::plan(facts) {
        Ok(plan) if input_problems.is_empty() => plan,
        Ok(_) => return Err(Report::new(input_problems)),
        Err(report) => {
            // A node whose disk entries were refused may look diskless to the planner: its
            // input problems already say why, so its follow-on problems are left out.
            // Each input subject and its leading parts ("node a" of "node a, disk sdb"), so
            // that the check is one lookup per problem.
            let reported: std::collections::HashSet<&str> = input_problems
                .iter()
                .flat_map(|problem| {
                    let subject = problem.subject.as_str();
                    subject
                        .match_indices(", ")
                        .map(move |(end, _)| &subject[..end])
                        .chain(std::iter::once(subject))
                })
                .collect();
            let already_reported = |subject: &str| reported.contains(subject);
            let follow_on: Vec<Problem> = report
                .problems()
                .iter()
                .filter(|problem| !already_reported(&problem.subject))
                .cloned()
                .collect();
            let mut problems = input_problems;
            problems.extend(follow_on);
            return Err(Report::new(problems));
        }
    };
    let (errors, warnings): (Vec<_>, Vec<_>) = capacity_problems(&plan)
        .into_iter()
        .partition(PlanWarning::is_error);
    if !errors.is_empty() {
        return Err(Report::new(
            errors.into_iter().map(|error| error.problem).collect(),
        ));
    }
    plan.warnings = warnings;
    Ok(plan)
}

/// Reads the facts document `facts` (`{"nodes": [...], "vars": {...}}`), plans with the policy
/// it asks for, and renders in `format`.
pub fn generate(facts: &Value, format: OutputFormat) -> Result<Generated, Report> {
    generate_with(facts, format, None)
}

/// As [`generate`], with the policy chosen by the caller (`--policy`, the module's `policy`
/// option) instead of `hvp_layout_policy` when given.
pub fn generate_with(
    facts: &Value,
    format: OutputFormat,
    policy: Option<Policy>,
) -> Result<Generated, Report> {
    let plan = plan_for(facts, format, policy)?;
    let output = render(&plan, format);
    Ok(Generated {
        output,
        summary: summary(&plan),
        warnings: warning_lines(&plan),
        plan,
    })
}

/// The plan [`generate_with`] renders: planned, capacity-checked, and refused when `format`
/// cannot express it.
pub fn plan_for(
    facts: &Value,
    format: OutputFormat,
    policy: Option<Policy>,
) -> Result<LayoutPlan, Report> {
    let (document, input_problems) = FactsDocument::parse_lenient(facts);
    plan_document(&document, input_problems, format, policy)
}

/// [`plan_for`] on a facts document already read with [`FactsDocument::parse_lenient`]
/// (`input_problems` are the problems it found): a caller holding a large facts value can
/// drop it before planning.
pub fn plan_document(
    document: &FactsDocument,
    input_problems: Vec<Problem>,
    format: OutputFormat,
    policy: Option<Policy>,
) -> Result<LayoutPlan, Report> {
    let plan = plan_checked(document, input_problems, policy)?;
    let refused = match format {
        OutputFormat::Ini => inexpressible(&plan, "gDeploy INI"),
        OutputFormat::GlusterAnsible => inexpressible(&plan, "gluster-ansible"),
        _ => Vec::new(),
    };
    if !refused.is_empty() {
        return Err(Report::new(refused));
    }
    Ok(plan)
}

/// The warnings of `plan`, one line each (as [`Generated::warnings`]).
pub fn warning_lines(plan: &LayoutPlan) -> Vec<String> {
    plan.warnings
        .iter()
        .map(|warning| warning.to_string())
        .collect()
}

/// `plan` in `format` (the bytes of [`Generated::output`]): what [`render_into`] writes.
pub fn render(plan: &LayoutPlan, format: OutputFormat) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail.
    let _ = render_into(plan, format, &mut bytes);
    crate::gdeploy::ini::bytes_to_string(bytes)
}

/// Writes `plan` in `format` to `writer`, a node or a section at a time (large plans never
/// hold their whole text in memory). [`render`] and so the module's output are these bytes.
pub fn render_into(
    plan: &LayoutPlan,
    format: OutputFormat,
    writer: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Json => write_pretty(plan, writer),
        // Buffered by the INI writer itself (64 KiB at a time).
        OutputFormat::Ini => write_document(plan, writer),
        OutputFormat::GlusterAnsible => write_gluster_ansible(plan, writer),
        OutputFormat::Table if plan.policy == crate::layout::Policy::Balanced => {
            crate::layout::table_balanced::write_balanced_table(plan, writer)
        }
        OutputFormat::Table => writer.write_all(render_table(plan).as_bytes()),
        OutputFormat::Commands => writer.write_all(render_commands(plan).as_bytes()),
    }
}

/// The plan as `--format json` prints it (pretty, stable key order, final newline): also the
/// bytes of the recorded plan (`docs/running.md`).
pub fn render_json(plan: &LayoutPlan) -> String {
    to_pretty_string(plan)
}

fn summary(plan: &LayoutPlan) -> Value {
    json!({
        "policy": plan.policy,
        "capacity": plan.capacity,
        "topology": plan.topology,
        "nodes": plan.nodes.iter().map(|node| json!({
            "name": node.name,
            "role": node.role,
            "disks_used": node.disks.iter().filter(|d| d.usage.is_some()).map(|d| &d.name).collect::<Vec<_>>(),
            "disks_unused": node.disks.iter().filter(|d| d.usage.is_none()).map(|d| &d.name).collect::<Vec<_>>(),
            "vdo": !node.vdo_devices.is_empty(),
        })).collect::<Vec<_>>(),
        "volumes": plan.volumes.iter().map(|volume| json!({
            "name": volume.name,
            "replica": volume.replica,
            "replica_sets": volume.replica_sets.len(),
            "bricks": volume.bricks().count(),
        })).collect::<Vec<_>>(),
    })
}
