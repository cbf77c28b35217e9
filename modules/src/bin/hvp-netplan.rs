//! `hvp-netplan`: probe document in, network plan out — as the kickstart `network` directives,
//! the plan as JSON, the Ansible variables as YAML, or the probe targets as JSON.
//!
//! All decisions are `hvp_core::network::plan_network`; this binary only reads and prints.
//! On bad input it prints every problem on stderr, nothing on stdout, and exits non-zero.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::targets::probe_targets;
use hvp_core::network::{plan_network, render, Mode};
use hvp_modules::fsio::write_atomic;

/// Plan which NIC carries which HVP network (bonds, MTUs, addresses) from a probe document.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// The probe document (JSON); `-` or nothing reads standard input.
    #[arg(value_name = "PROBE.json")]
    probe: Option<PathBuf>,
    /// Reproduce the original kickstarts bit for bit, quirks included.
    #[arg(long)]
    compat: bool,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Kickstart)]
    format: Format,
    /// With `--format fragments`: write each fragment into DIR (atomically) instead of printing.
    #[arg(long, value_name = "DIR")]
    fragments_dir: Option<PathBuf>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Kickstart `network` directives, one per line.
    Kickstart,
    /// The whole plan as JSON.
    Json,
    /// The Ansible variables handed to the playbooks, as YAML.
    Vars,
    /// What the probe must test per zone (MTU, temporary address, test address), as JSON.
    Targets,
    /// Installer only: the `hvp_parameters*.sh` fragments handed to the nodes.
    Fragments,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok((output, warnings)) => {
            for warning in warnings {
                eprintln!("hvp-netplan: warning: {warning}");
            }
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(output.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("hvp-netplan: cannot write to standard output: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(message) => {
            eprintln!("hvp-netplan: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<(String, Vec<String>), String> {
    let (source, text) = read_input(cli.probe.as_deref())?;
    let doc = ProbeDocument::from_json(&text).map_err(|error| format!("{source}: {error}"))?;
    let mode = if cli.compat {
        Mode::Compat
    } else {
        Mode::Default
    };
    let plan = || plan_network(&doc, mode).map_err(|error| format!("{source}: {error}"));
    match cli.format {
        Format::Kickstart => plan().map(|plan| (render::kickstart(&plan), plan.warnings)),
        Format::Json => plan().map(|plan| (render::json(&plan), plan.warnings)),
        Format::Vars => plan().map(|plan| (render::vars(&plan), plan.warnings)),
        Format::Fragments => plan().and_then(|plan| {
            let fragments = render::node_fragments(&plan);
            if fragments.is_empty() {
                return Err(format!(
                    "{source}: fragments are written by the installer; this is a node document"
                ));
            }
            let printed = match &cli.fragments_dir {
                Some(dir) => {
                    for fragment in &fragments {
                        let path = dir.join(&fragment.name);
                        write_atomic(&path, fragment.text.as_bytes(), 0o644)
                            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
                    }
                    String::new()
                }
                None => fragments
                    .iter()
                    .map(|f| format!("# ==> {} <==\n{}", f.name, f.text))
                    .collect(),
            };
            Ok((printed, plan.warnings))
        }),
        Format::Targets => {
            let targets =
                probe_targets(&doc, mode).map_err(|error| format!("{source}: {error}"))?;
            let json = serde_json::to_string_pretty(&targets).map_err(|error| error.to_string())?;
            Ok((json + "\n", Vec::new()))
        }
    }
}

fn read_input(path: Option<&Path>) -> Result<(String, String), String> {
    match path {
        Some(path) if path.as_os_str() != "-" => std::fs::read_to_string(path)
            .map(|text| (path.display().to_string(), text))
            .map_err(|error| format!("cannot read {}: {error}", path.display())),
        _ => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|error| format!("cannot read standard input: {error}"))?;
            Ok(("standard input".to_string(), text))
        }
    }
}
