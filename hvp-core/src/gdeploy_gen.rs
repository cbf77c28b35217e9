//! The one code path from a facts document to generated output, shared by the
//! `hvp-gdeploy-gen` CLI and the `hvp_gdeploy_config` Ansible module, so that both produce the
//! same bytes for the same input.

use crate::facts::FactsDocument;
use crate::gdeploy::render_document;
use crate::layout::{compat, table::render_table, validate::capacity_problems, LayoutPlan};
use crate::report::{Problem, Report, Severity};
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
}

impl FromStr for OutputFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "ini" => Ok(Self::Ini),
            "json" => Ok(Self::Json),
            "table" => Ok(Self::Table),
            other => Err(format!(
                "unknown output format '{other}': use ini, json or table"
            )),
        }
    }
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

/// Plans the layout of `facts` (compat policy) and checks capacities. Errors stop; warnings
/// are kept in the plan.
pub fn plan_layout(facts: &FactsDocument) -> Result<LayoutPlan, Report> {
    plan_checked(facts, Vec::new())
}

/// Plans and checks, adding the problems to `input_problems` (those found while reading the
/// facts), so that one report holds everything wrong with the input.
fn plan_checked(facts: &FactsDocument, input_problems: Vec<Problem>) -> Result<LayoutPlan, Report> {
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
        .partition(|problem| problem.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Report::new(errors));
    }
    plan.warnings = warnings;
    Ok(plan)
}

/// Reads the facts document `facts` (`{"nodes": [...], "vars": {...}}`), plans, and renders
/// in `format`.
pub fn generate(facts: &Value, format: OutputFormat) -> Result<Generated, Report> {
    let (document, input_problems) = FactsDocument::parse_lenient(facts);
    let plan = plan_checked(&document, input_problems)?;
    let output = match format {
        OutputFormat::Ini => render_document(&plan).render(),
        OutputFormat::Json => {
            let mut text = serde_json::to_string_pretty(&plan).unwrap_or_default();
            text.push('\n');
            text
        }
        OutputFormat::Table => render_table(&plan),
    };
    Ok(Generated {
        output,
        summary: summary(&plan),
        warnings: plan
            .warnings
            .iter()
            .map(|warning| warning.to_string())
            .collect(),
        plan,
    })
}

fn summary(plan: &LayoutPlan) -> Value {
    json!({
        "policy": plan.policy,
        "topology": plan.topology,
        "nodes": plan.nodes.iter().map(|node| json!({
            "name": node.name,
            "role": node.role,
            "disks_used": node.disks.iter().filter(|d| d.role.is_some()).map(|d| &d.name).collect::<Vec<_>>(),
            "disks_unused": node.disks.iter().filter(|d| d.role.is_none()).map(|d| &d.name).collect::<Vec<_>>(),
            "vdo": !node.storage.vdo_devices.is_empty(),
        })).collect::<Vec<_>>(),
        "volumes": plan.volumes.iter().map(|volume| json!({
            "name": volume.name,
            "replica": volume.replica,
            "bricks": volume.bricks.len(),
        })).collect::<Vec<_>>(),
    })
}
