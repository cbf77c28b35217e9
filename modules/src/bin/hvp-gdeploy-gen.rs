//! `hvp-gdeploy-gen`: facts document in, gDeploy INI (or the plan as JSON, or a table) out.
//!
//! The same `hvp_core::gdeploy_gen::generate` call as the `hvp_gdeploy_config` module, so both
//! produce identical bytes for the same input.

/// mimalloc rather than glibc's malloc: a large plan makes hundreds of thousands of small
/// allocations (600 nodes x 24 disks: about 700,000), where mimalloc spends a fifth to a third
/// fewer instructions for the same bytes (docs/storage.md, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use hvp_core::facts::FactsDocument;
use hvp_core::gdeploy_gen::{plan_document, render_into, warning_lines, OutputFormat};
use hvp_core::input::escape::escape;
use hvp_core::input::json;
use hvp_core::layout::LayoutPlan;
use hvp_core::layout::{expand, Policy};
use hvp_modules::fsio::write_atomic_with;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Generate the gDeploy configuration of an HVP cluster from its facts document.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// The facts document (JSON); `-` or nothing reads standard input.
    #[arg(value_name = "FACTS.json")]
    facts: Option<PathBuf>,
    /// Write the result to FILE (atomically: a temporary file, then rename) instead of stdout;
    /// `-` is stdout. An existing FILE keeps its mode (a new one gets 0644); through a
    /// symbolic link the file it points to is replaced.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// What to produce: the gDeploy INI, the plan as JSON, or a table to read before wiping
    /// disks.
    #[arg(long, default_value = "ini", value_parser = parse_format)]
    format: OutputFormat,
    /// The storage policy (compat: the original 1/3-node layout; balanced: N nodes, sizes
    /// from capacity). Overrides hvp_layout_policy in the facts; default: that variable, else
    /// compat.
    #[arg(long, value_parser = parse_policy)]
    policy: Option<Policy>,
    /// Expand the cluster recorded in PLAN.json (the recorded plan) to the nodes and disks of
    /// the facts: only new VGs, LVs and replica sets (docs/running.md).
    #[arg(long, value_name = "PLAN.json")]
    existing: Option<PathBuf>,
    /// With --existing: rebalance after add-brick with fix-layout (default) or a full
    /// rebalance.
    #[arg(long, default_value = "fix-layout", value_parser = ["fix-layout", "full"], requires = "existing")]
    rebalance: String,
    /// With --existing: the `drift` list that hvp_storage_drift returned (JSON); any entry
    /// stops the expansion unless --ignore-drift.
    #[arg(long, value_name = "DRIFT.json", requires = "existing")]
    drift: Option<PathBuf>,
    /// With --existing: expand although drift was found.
    #[arg(long, requires = "existing")]
    ignore_drift: bool,
    /// With --existing: grow exactly this volume by SIZE ('2TiB', or 'rest' for what the sizes
    /// leave); repeat for more volumes. Without it the volumes grow by their recorded weights.
    #[arg(long, value_name = "VOLUME=SIZE", value_parser = parse_grow, requires = "existing")]
    grow: Vec<(String, String)>,
    /// With --existing: free extents of the recorded VGs become new thin pools for new sets
    /// (no recorded LV or pool is resized).
    #[arg(long, requires = "existing")]
    use_free_space: bool,
}

fn parse_grow(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(volume, size)| (volume.to_owned(), size.to_owned()))
        .ok_or_else(|| {
            format!(
                "'{}' is not VOLUME=SIZE, for example vmstore=2TiB",
                text.escape_default()
            )
        })
}

fn parse_format(text: &str) -> Result<OutputFormat, String> {
    text.parse()
}

fn parse_policy(text: &str) -> Result<Policy, String> {
    Policy::from_name(text).ok_or_else(|| {
        format!(
            "unknown policy '{}': use compat or balanced",
            text.escape_default()
        )
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(warnings) => {
            for warning in warnings {
                eprintln!("{warning}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("hvp-gdeploy-gen: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Reads a JSON file through `input::json` (UTF-8 offset, line/column, field path, no Rust
/// type names); the message starts with the escaped file name.
fn read_json<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T, String> {
    let (shown, bytes) = read_input(Some(path))?;
    json::parse(&bytes).map_err(|error| format!("{shown} {error}"))
}

/// What to write: expansion output as text, or a fresh plan rendered while it is written.
enum Output {
    Text(String),
    Plan(LayoutPlan),
}

fn run(cli: &Cli) -> Result<Vec<String>, String> {
    let (source, bytes) = read_input(cli.facts.as_deref())?;
    let mut facts: serde_json::Value =
        json::parse_value(&bytes).map_err(|error| format!("{source} {error}"))?;
    drop(bytes);
    let (output, warnings) = match &cli.existing {
        Some(plan_path) => {
            let recorded: serde_json::Value = read_json(plan_path)?;
            let drift: Vec<hvp_core::drift::Drift> = match &cli.drift {
                Some(path) => read_json(path).map_err(|error| {
                    format!("{error} (expected the drift list of hvp_storage_drift)")
                })?,
                None => Vec::new(),
            };
            let options = expand::ExpandOptions {
                rebalance: expand::Rebalance::from_name(&cli.rebalance).unwrap_or_default(),
                ignore_drift: cli.ignore_drift,
                grow: cli.grow.iter().cloned().collect(),
                use_free_space: cli.use_free_space,
            };
            let (output, _) = expand::generate(&recorded, &facts, cli.format, &drift, &options)
                .map_err(|report| {
                    format!(
                        "{source} with {}: {report}",
                        escape(&plan_path.display().to_string())
                    )
                })?;
            (Output::Text(output), Vec::new())
        }
        None => {
            // The same plan and bytes as `generate_with` (the module's path), streamed.
            let (document, input_problems) = FactsDocument::parse_lenient(&facts);
            // The facts value of a large cluster is as big as its plan: not kept meanwhile.
            facts = serde_json::Value::Null;
            let plan = plan_document(&document, input_problems, cli.format, cli.policy)
                .map_err(|report| format!("{source}: {report}"))?;
            drop(document);
            let warnings = warning_lines(&plan);
            (Output::Plan(plan), warnings)
        }
    };
    drop(facts);
    let format = cli.format;
    let write = |writer: &mut dyn Write| match &output {
        Output::Text(text) => writer.write_all(text.as_bytes()),
        Output::Plan(plan) => render_into(plan, format, writer),
    };
    match cli.output.as_deref().filter(|path| path.as_os_str() != "-") {
        Some(path) => write_atomic_with(path, 0o644, write).map_err(|error| {
            format!(
                "cannot write {}: {error}",
                escape(&path.display().to_string())
            )
        })?,
        None => {
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write(&mut stdout)
                .and_then(|()| stdout.flush())
                .map_err(|error| format!("cannot write to standard output: {error}"))?;
        }
    }
    // The process ends here: freeing a large plan piece by piece only costs time.
    std::mem::forget(output);
    Ok(warnings)
}

fn read_input(path: Option<&std::path::Path>) -> Result<(String, Vec<u8>), String> {
    match path {
        None => read_stdin(),
        Some(path) if path.as_os_str() == "-" => read_stdin(),
        Some(path) => {
            let shown = escape(&path.display().to_string()).into_owned();
            std::fs::read(path)
                .map(|bytes| (shown.clone(), bytes))
                .map_err(|error| format!("cannot read {shown}: {error}"))
        }
    }
}

fn read_stdin() -> Result<(String, Vec<u8>), String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read standard input: {error}"))?;
    Ok(("standard input".to_owned(), bytes))
}
