//! `hvp-fileservices`: the file-services input (network plan, storage plan, variables) in, every
//! CTDB / Samba / NFS-Ganesha configuration file out.
//!
//! The same `hvp_core::fileservices::plan` and `render::node_files` calls as the
//! `hvp_file_services` module, so both write identical bytes for the same input.

use clap::Parser;
use hvp_core::fileservices::{self, render, FileServicesInput};
use hvp_core::input::escape::escape;
use hvp_core::input::json;
use hvp_modules::fsio::write_atomic;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Generate the CTDB, Samba and NFS-Ganesha configuration of an HVP file cluster.
///
/// Writes DIR/NODE/etc/... for every CTDB member (or DIR/etc/... with --node), the DNS records
/// of the storage name to DIR/dns/storage-records.zone and the decisions to DIR/plan.json.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// The input document (JSON): {"network": ..., "storage": ..., "vars": {...}}; `-` reads
    /// standard input.
    #[arg(value_name = "INPUT.json")]
    input: PathBuf,
    /// Directory to write into (created if missing; files are replaced atomically).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Only this node's files, directly under DIR (DIR/etc/ctdb/nodes, ...).
    #[arg(long, value_name = "NAME")]
    node: Option<String>,
    /// Print the decisions as JSON on standard output instead of writing files.
    #[arg(long)]
    plan: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hvp-fileservices: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<(), String> {
    let (source, bytes) = read_input(&cli.input)?;
    // UTF-8 offset, line and column, no Rust type names (docs/input-rules.md).
    let document: serde_json::Value =
        json::parse(&bytes).map_err(|error| format!("{source} {error}"))?;
    let input =
        FileServicesInput::from_value(&document).map_err(|report| format!("{source}: {report}"))?;
    let plan = fileservices::plan(&input).map_err(|report| format!("{source}: {report}"))?;
    if cli.plan {
        let json = serde_json::to_string_pretty(&plan).map_err(|e| e.to_string())?;
        println!("{json}");
        return Ok(());
    }
    let Some(out_dir) = &cli.out_dir else {
        return Err(
            "give --out-dir DIR to write the files, or --plan to print the decisions".into(),
        );
    };
    let mut written = Vec::new();
    match &cli.node {
        Some(node) => {
            let files = render::node_files(&plan, node).map_err(|p| format!("{source}: {p}"))?;
            for file in files {
                write(
                    &out_dir.join(&file.path),
                    &file.content,
                    file.mode,
                    &mut written,
                )?;
            }
        }
        None => {
            for member in &plan.members {
                let files = render::node_files(&plan, &member.name)
                    .map_err(|p| format!("{source}: {p}"))?;
                for file in files {
                    write(
                        &out_dir.join(&member.name).join(&file.path),
                        &file.content,
                        file.mode,
                        &mut written,
                    )?;
                }
            }
        }
    }
    write(
        &out_dir.join("dns/storage-records.zone"),
        &render::dns_records(&plan),
        0o644,
        &mut written,
    )?;
    let json = serde_json::to_string_pretty(&plan).map_err(|e| e.to_string())? + "\n";
    write(&out_dir.join("plan.json"), &json, 0o644, &mut written)?;
    for path in written {
        println!("{}", escape(&path.display().to_string()));
    }
    Ok(())
}

fn write(path: &Path, content: &str, mode: u32, written: &mut Vec<PathBuf>) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
    }
    write_atomic(path, content.as_bytes(), mode).map_err(|error| {
        format!(
            "cannot write {}: {error}",
            escape(&path.display().to_string())
        )
    })?;
    written.push(path.to_path_buf());
    Ok(())
}

/// The input's name for messages (escaped) and its bytes.
fn read_input(path: &Path) -> Result<(String, Vec<u8>), String> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|error| format!("cannot read standard input: {error}"))?;
        return Ok(("standard input".to_owned(), bytes));
    }
    let shown = escape(&path.display().to_string()).into_owned();
    std::fs::read(path)
        .map(|bytes| (shown.clone(), bytes))
        .map_err(|error| format!("cannot read {shown}: {error}"))
}
