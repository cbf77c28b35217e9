//! `hvp-netplan`: probe document in, network plan out — as the kickstart `network` directives,
//! the plan as JSON, the Ansible variables as YAML, or the probe targets as JSON.
//!
//! All decisions are `hvp_core::network::plan_network`; this binary only reads and prints.
//! On bad input it prints every problem on stderr, nothing on stdout, and exits non-zero.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use hvp_core::input::escape::escape;
use hvp_core::network::targets::probe_targets;
use hvp_core::network::{plan_network, read_probe, render, Mode};
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
    /// Write the output to FILE (atomically) instead of stdout; `-` is stdout. An existing
    /// FILE keeps its mode (a new one gets 0644); through a symbolic link the file it points
    /// to is replaced.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
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
            if let Some(path) = cli.output.as_deref().filter(|path| path.as_os_str() != "-") {
                return match write_atomic(path, output.as_bytes(), 0o644) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(error) => {
                        let shown = escape(&path.display().to_string()).into_owned();
                        eprintln!("hvp-netplan: cannot write {shown}: {error}");
                        ExitCode::FAILURE
                    }
                };
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
    let (source, bytes) = read_input(cli.probe.as_deref())?;
    let mode = if cli.compat {
        Mode::Compat
    } else {
        Mode::Default
    };
    let (doc, read_warnings) =
        read_probe(&bytes, mode).map_err(|error| format!("{source}: {error}"))?;
    let with_read_warnings = |(output, warnings): (String, Vec<String>)| {
        let mut all = read_warnings.clone();
        all.extend(warnings);
        (output, all)
    };
    let plan = || plan_network(&doc, mode).map_err(|error| format!("{source}: {error}"));
    let result = match cli.format {
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
                        write_atomic(&path, fragment.text.as_bytes(), 0o644).map_err(|error| {
                            format!(
                                "cannot write {}: {error}",
                                escape(&path.display().to_string())
                            )
                        })?;
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
    };
    result.map(with_read_warnings)
}

fn read_input(path: Option<&Path>) -> Result<(String, Vec<u8>), String> {
    match path {
        Some(path) if path.as_os_str() != "-" => {
            let shown = escape(&path.display().to_string()).into_owned();
            std::fs::read(path)
                .map(|bytes| (shown.clone(), bytes))
                .map_err(|error| format!("cannot read {shown}: {error}"))
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|error| format!("cannot read standard input: {error}"))?;
            Ok(("standard input".to_string(), bytes))
        }
    }
}
