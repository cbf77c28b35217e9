//! Ansible module `hvp_file_services`: writes one node's CTDB, Samba and NFS-Ganesha
//! configuration files. Runs `hvp_core::fileservices::plan` and `render::node_files`, the same
//! calls as the `hvp-fileservices` CLI, so both write identical bytes; each file is written
//! atomically and only when its content differs; check and diff mode.

use hvp_core::fileservices::{self, render, FileServicesInput};
use hvp_modules::ansible::{
    run, ArgumentSpec, ModuleFailure, ModuleResult, OptionKind, OptionSpec,
};
use hvp_modules::fsio::write_if_changed;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn spec() -> ArgumentSpec {
    ArgumentSpec::new(vec![
        OptionSpec::new("network", OptionKind::Dict).required(),
        OptionSpec::new("storage", OptionKind::Dict).required(),
        OptionSpec::new("vars", OptionKind::Dict).default(json!({})),
        OptionSpec::new("node", OptionKind::Str).required(),
        OptionSpec::new("root", OptionKind::Path).default(json!("/")),
    ])
}

fn failure(report: impl std::fmt::Display, problems: Vec<String>) -> ModuleFailure {
    ModuleFailure::new(format!(
        "the file-services configuration is invalid, nothing was written:\n{report}"
    ))
    .with("problems", problems)
}

fn main() -> ExitCode {
    run("hvp_file_services", &spec(), |ctx| {
        let root = PathBuf::from(ctx.params.str("root").unwrap_or("/"));
        let node = ctx.params.str("node").unwrap_or_default().to_string();
        let nodes_path = root.join("etc/ctdb/nodes");
        let shown = hvp_core::input::escape::escape(&nodes_path.display().to_string()).into_owned();
        let existing = match std::fs::read(&nodes_path) {
            Ok(bytes) => Some(
                hvp_core::input::json::utf8(&bytes)
                    .map_err(|error| ModuleFailure::new(format!("{shown} {error}")))?
                    .to_owned(),
            ),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => {
                return Err(ModuleFailure::new(format!(
                    "cannot read {shown}: {error}; check its permissions"
                )))
            }
        };
        let document = json!({
            "network": ctx.params.value("network").cloned().unwrap_or(Value::Null),
            "storage": ctx.params.value("storage").cloned().unwrap_or(Value::Null),
            "vars": ctx.params.value("vars").cloned().unwrap_or_else(|| json!({})),
            "existing_ctdb_nodes": existing,
        });
        let input = FileServicesInput::from_value(&document).map_err(|report| {
            let problems = report.problems().iter().map(ToString::to_string).collect();
            failure(&report, problems)
        })?;
        let plan = fileservices::plan(&input).map_err(|report| {
            let problems = report.problems().iter().map(ToString::to_string).collect();
            failure(&report, problems)
        })?;
        let files = render::node_files(&plan, &node)
            .map_err(|problem| failure(&problem, vec![problem.to_string()]))?;
        let mut changed_files = Vec::new();
        let mut diffs = Vec::new();
        for file in &files {
            let path = root.join(&file.path);
            if !ctx.check_mode {
                create_parent(&path)?;
            }
            let outcome =
                write_if_changed(&path, file.content.as_bytes(), file.mode, ctx.check_mode)
                    .map_err(|error| {
                        ModuleFailure::new(format!(
                            "cannot write {}: {error}; check that the directory is writable",
                            path.display()
                        ))
                    })?;
            if outcome.changed {
                changed_files.push(path.display().to_string());
                if ctx.diff_mode {
                    let shown = path.display().to_string();
                    diffs.push(json!({
                        "before_header": shown,
                        "before": outcome.before.unwrap_or_default(),
                        "after_header": shown,
                        "after": file.content,
                    }));
                }
            }
        }
        let member = plan.member(&node).cloned();
        let mut result = ModuleResult::new(!changed_files.is_empty())
            .with("node", &node)
            .with("active", member.as_ref().map(|m| m.active))
            .with("changed_files", &changed_files)
            .with("files", files.iter().map(|f| root.join(&f.path).display().to_string()).collect::<Vec<_>>())
            .with("lock", &plan.lock)
            .with("public_addresses", &plan.public)
            .with("dns_records", &plan.dns)
            .with("winshare", json!({"volume": plan.samba.volume, "folders": folders(&plan.samba.folders)}))
            .with(
                "unixshare",
                json!({
                    "volume": plan.ganesha.exports.iter().find(|e| e.kind == "unixshare").map(|e| e.volume.clone()),
                    "folders": folders(&plan.ganesha.folders),
                }),
            )
            .with("exports", &plan.ganesha.exports);
        if ctx.diff_mode && !diffs.is_empty() {
            result = result.with("diff", diffs);
        }
        Ok(result)
    })
}

/// Folders with their modes as octal text, as `ansible.builtin.file` wants them.
fn folders(folders: &[hvp_core::fileservices::vars::Subfolder]) -> Vec<Value> {
    folders
        .iter()
        .map(|f| json!({"path": f.path, "owner": f.owner, "group": f.group, "mode": format!("{:04o}", f.mode)}))
        .collect()
}

fn create_parent(path: &Path) -> Result<(), ModuleFailure> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            std::fs::create_dir_all(parent).map_err(|error| {
                ModuleFailure::new(format!("cannot create {}: {error}", parent.display()))
            })
        }
        _ => Ok(()),
    }
}
