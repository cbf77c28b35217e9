//! `hvp-netprobe`: probes this machine's interfaces and prints the network probe document.
//!
//! Run as root in the installer environment (or a network namespace). See docs/netprobe.md.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use hvp_core::network::probe::{Fragment, ProbeDocument, Role};
use hvp_core::network::{plan_network, render, Mode};
use hvp_modules::netprobe::{self, PingTiming, ProbeOptions};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    Node,
    Installer,
}

/// What `--plan` prints.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Kickstart `network` directives.
    Kickstart,
    /// The whole plan as JSON.
    Json,
    /// The Ansible variables, as YAML.
    Vars,
}

/// Probe the network interfaces (carrier, maximum MTU, which zone's test address each one
/// reaches) and print the probe document as JSON on stdout.
#[derive(Debug, Parser)]
#[command(name = "hvp-netprobe", version)]
struct Cli {
    /// Interfaces to list and probe (default: every entry of /sys/class/net).
    interfaces: Vec<String>,
    /// Which kickstart this machine runs.
    #[arg(long, value_enum, default_value = "node")]
    role: RoleArg,
    /// This node's index, written into the document (default: none; the planner then takes
    /// hvp_nodeid, else 0).
    #[arg(long)]
    node_index: Option<u32>,
    /// Read the kernel command line from FILE instead of /proc/cmdline.
    #[arg(long, value_name = "FILE", default_value = "/proc/cmdline")]
    cmdline: PathBuf,
    /// A parameter fragment (hvp_parameters*.sh) to carry into the document; repeatable, lowest
    /// precedence first.
    #[arg(long, value_name = "FILE")]
    fragment: Vec<PathBuf>,
    /// resolv.conf to read nameservers from (installer role).
    #[arg(long, value_name = "FILE", default_value = "/etc/resolv.conf")]
    resolv_conf: PathBuf,
    /// Follow the original kickstarts bit for bit (probe order gluster, lan, mgmt, internal;
    /// quirks included), as `hvp-netplan --compat`.
    #[arg(long)]
    compat: bool,
    /// Print the network plan of the probe document instead of the document.
    #[arg(long)]
    plan: bool,
    /// What --plan prints.
    #[arg(long, value_enum, default_value = "kickstart", requires = "plan")]
    format: Format,
    /// Also probe interfaces that carry the default route (their traffic is disturbed while
    /// they are probed).
    #[arg(long)]
    allow_default_route: bool,
    /// Seconds to wait after setting the temporary address, before pinging.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    settle: f64,
    /// Echo requests that must all be answered.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    count: u32,
    /// Seconds between echo requests.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    interval: f64,
    /// Deadline of the counted ping round, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    deadline: u32,
    /// Deadline of the throw-away ping round before the counted one, in seconds (0 skips it).
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    warmup: u32,
    /// Seconds one DHCP attempt may take (installer role).
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    dhcp_timeout: u32,
    /// Interface listing directory.
    #[arg(
        long,
        value_name = "DIR",
        default_value = "/sys/class/net",
        hide = true
    )]
    sys_class_net: PathBuf,
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))
}

fn options(cli: &Cli) -> Result<ProbeOptions, String> {
    if !(0.0..=3600.0).contains(&cli.settle) || !(0.0..=3600.0).contains(&cli.interval) {
        return Err("--settle and --interval must be between 0 and 3600 seconds".into());
    }
    let fragments = cli
        .fragment
        .iter()
        .map(|path| {
            Ok(Fragment {
                name: path
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                text: read(path)?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let role = match cli.role {
        RoleArg::Node => Role::Node,
        RoleArg::Installer => Role::Installer,
    };
    let nameservers = match role {
        Role::Installer => read(&cli.resolv_conf)
            .map(|text| netprobe::nameservers(&text))
            .unwrap_or_default(),
        Role::Node => Vec::new(),
    };
    Ok(ProbeOptions {
        role,
        interfaces: cli.interfaces.clone(),
        node_index: cli.node_index,
        mode: mode(cli),
        cmdline: read(&cli.cmdline)?,
        fragments,
        nameservers,
        allow_default_route: cli.allow_default_route,
        timing: PingTiming {
            settle: Duration::from_secs_f64(cli.settle),
            count: cli.count,
            interval: cli.interval,
            deadline: cli.deadline,
            warmup: cli.warmup,
        },
        dhcp_timeout: cli.dhcp_timeout,
        sys_class_net: cli.sys_class_net.clone(),
    })
}

fn mode(cli: &Cli) -> Mode {
    if cli.compat {
        Mode::Compat
    } else {
        Mode::Default
    }
}

/// The document, or with `--plan` the plan rendered as asked.
fn output(cli: &Cli, document: &ProbeDocument) -> Result<String, String> {
    if !cli.plan {
        return Ok(document.to_json() + "\n");
    }
    let plan = plan_network(document, mode(cli)).map_err(|error| {
        format!(
            "the probe document does not plan: {error}\nprobe document:\n{}",
            document.to_json()
        )
    })?;
    for warning in &plan.warnings {
        eprintln!("hvp-netprobe: warning: {warning}");
    }
    Ok(match cli.format {
        Format::Kickstart => render::kickstart(&plan),
        Format::Json => render::json(&plan),
        Format::Vars => render::vars(&plan),
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = options(&cli).and_then(|options| {
        let document = netprobe::probe(&options, &mut |line| eprintln!("hvp-netprobe: {line}"))
            .map_err(|error| error.to_string())?;
        output(&cli, &document)
    });
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("hvp-netprobe: error: {message}");
            ExitCode::FAILURE
        }
    }
}
