//! `hvp-teardown`: the recorded storage plan in, the exact operations that undo it out, as
//! shell lines (`commands`), a gDeploy cleanup file (`ini`) or JSON. The same
//! `hvp_core::teardown::plan_teardown` call as the `hvp_storage_teardown` module.

use clap::Parser;
use hvp_core::drift::RecordedPlan;
use hvp_core::input::escape::escape;
use hvp_core::teardown::{plan_teardown, render_commands, render_ini};
use hvp_modules::fsio::write_atomic;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Print the operations that undo a recorded storage plan, and nothing else.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// The recorded plan (JSON format 2); `-` reads standard input.
    #[arg(value_name = "PLAN.json")]
    plan: PathBuf,
    /// What to print: shell lines grouped by node, a gDeploy cleanup file, or the operations
    /// as JSON.
    #[arg(long, default_value = "commands", value_parser = ["commands", "ini", "json"])]
    format: String,
    /// Write the result to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hvp-teardown: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<(), String> {
    let (source, bytes) = if cli.plan.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|error| format!("cannot read standard input: {error}"))?;
        ("standard input".to_owned(), bytes)
    } else {
        let shown = escape(&cli.plan.display().to_string()).into_owned();
        let bytes =
            std::fs::read(&cli.plan).map_err(|error| format!("cannot read {shown}: {error}"))?;
        (shown, bytes)
    };
    // UTF-8 offset, line/column, field paths, control characters and sizes (docs/input-rules.md).
    let plan = RecordedPlan::from_bytes(&bytes).map_err(|error| format!("{source}: {error}"))?;
    let teardown = plan_teardown(&plan).map_err(|report| format!("{source}: {report}"))?;
    let output = match cli.format.as_str() {
        "ini" => render_ini(&teardown),
        "json" => {
            let mut text = serde_json::to_string_pretty(&teardown)
                .map_err(|error| format!("cannot render JSON: {error}"))?;
            text.push('\n');
            text
        }
        _ => render_commands(&teardown),
    };
    match &cli.output {
        Some(path) => write_atomic(path, output.as_bytes(), 0o644).map_err(|error| {
            format!(
                "cannot write {}: {error}",
                escape(&path.display().to_string())
            )
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(output.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|error| format!("cannot write to standard output: {error}"))
        }
    }
}
