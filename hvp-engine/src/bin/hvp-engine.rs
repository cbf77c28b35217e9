//! `hvp-engine`: the Engine stage from the command line.
//!
//! * `hvp-engine state --vars V --network-plan N --storage-plan S [--cpu C]` prints the desired
//!   Engine state (JSON) computed by `hvp_core::engine::desired_state`.
//! * `hvp-engine plan|apply --url URL --username U --password-file F [--ca-file F | --insecure]
//!   STATE.json` prints one JSON result `{changed, actions, retries}`: the planned actions, or
//!   the actions that changed the Engine. Same code path as the `hvp_engine` module.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use hvp_core::engine::Step;
use hvp_engine::execute::WaitConfig;
use hvp_engine::inputs::{parse_state, read_document, state_from_inputs};
use hvp_engine::{converge, Client, ClientConfig, ConvergeOptions, Mode};
use serde_json::json;

#[derive(Parser)]
#[command(
    name = "hvp-engine",
    version,
    about = "Desired oVirt Engine state: compute, plan, apply"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the desired Engine state computed from the inventory variables and the plans.
    State {
        /// Inventory variables (YAML or JSON; docs/engine.md).
        #[arg(long)]
        vars: PathBuf,
        /// Network plan JSON of one node (`hvp-netplan --format json`).
        #[arg(long)]
        network_plan: PathBuf,
        /// Storage plan JSON, format 2.
        #[arg(long)]
        storage_plan: PathBuf,
        /// The hvp_cluster_cpu fact (JSON with `model`).
        #[arg(long)]
        cpu: Option<PathBuf>,
    },
    /// Print the actions that would bring the Engine to STATE (sends nothing).
    Plan(Connection),
    /// Bring the Engine to STATE.
    Apply(Connection),
}

#[derive(Clone, Copy, ValueEnum)]
enum StepArg {
    Datacenter,
    Networks,
    Nfsdomains,
}

#[derive(Args)]
struct Connection {
    /// API URL, https://ENGINE/ovirt-engine/api.
    #[arg(long)]
    url: String,
    /// Engine user.
    #[arg(long, default_value = "admin@internal")]
    username: String,
    /// File holding the password (first line).
    #[arg(long)]
    password_file: PathBuf,
    /// The Engine CA certificate (PEM) to verify TLS against.
    #[arg(long, conflicts_with = "insecure")]
    ca_file: Option<PathBuf>,
    /// Do not verify TLS.
    #[arg(long)]
    insecure: bool,
    /// File holding the root password of the hosts to add (default: SSH public key).
    #[arg(long)]
    host_password_file: Option<PathBuf>,
    /// Only the actions of this step (repeatable).
    #[arg(long, value_enum)]
    step: Vec<StepArg>,
    /// Seconds between two polls of a wait.
    #[arg(long, default_value_t = 5.0)]
    poll_interval: f64,
    /// Seconds a host may take to come up.
    #[arg(long, default_value_t = 1800)]
    host_timeout: u64,
    /// Seconds a storage domain may take to become active.
    #[arg(long, default_value_t = 900)]
    storage_timeout: u64,
    /// Seconds the Engine may take to import its own storage domain and VM.
    #[arg(long, default_value_t = 900)]
    hosted_engine_timeout: u64,
    /// How often to read the Engine again and re-plan after retriable failures.
    #[arg(long, default_value_t = 30)]
    max_rounds: u32,
    /// The desired state (JSON or YAML, `-` for stdin).
    state: PathBuf,
}

fn read_secret(path: &PathBuf, what: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the {what} file {}: {e}", path.display()))?;
    let secret = text.lines().next().unwrap_or("").to_owned();
    if secret.is_empty() {
        return Err(format!("the {what} file {} is empty", path.display()));
    }
    Ok(secret)
}

fn run(cli: Cli) -> Result<String, String> {
    match cli.command {
        Command::State {
            vars,
            network_plan,
            storage_plan,
            cpu,
        } => {
            let inputs = json!({
                "vars": read_document(&vars)?,
                "network_plan": read_document(&network_plan)?,
                "storage_plan": read_document(&storage_plan)?,
                "cpu": cpu.as_deref().map(read_document).transpose()?,
            });
            let state = state_from_inputs(inputs)?;
            serde_json::to_string_pretty(&state).map_err(|e| e.to_string())
        }
        Command::Plan(connection) => connect_and_converge(connection, Mode::Plan),
        Command::Apply(connection) => connect_and_converge(connection, Mode::Apply),
    }
}

fn connect_and_converge(connection: Connection, mode: Mode) -> Result<String, String> {
    let state = parse_state(
        read_document(&connection.state)?,
        &connection.state.display().to_string(),
    )?;
    if !(connection.poll_interval > 0.0 && connection.poll_interval.is_finite()) {
        return Err("--poll-interval must be a positive number of seconds".into());
    }
    let password = read_secret(&connection.password_file, "password")?;
    let host_password = connection
        .host_password_file
        .as_ref()
        .map(|path| read_secret(path, "host password"))
        .transpose()?;
    let mut config = ClientConfig::new(&connection.url, &connection.username, &password);
    config.ca_file = connection.ca_file.clone();
    config.insecure = connection.insecure;
    let options = ConvergeOptions {
        mode,
        steps: (!connection.step.is_empty()).then(|| {
            connection
                .step
                .iter()
                .map(|s| match s {
                    StepArg::Datacenter => Step::Datacenter,
                    StepArg::Networks => Step::Networks,
                    StepArg::Nfsdomains => Step::Nfsdomains,
                })
                .collect()
        }),
        waits: WaitConfig {
            poll_interval: Duration::from_secs_f64(connection.poll_interval),
            host_timeout: Duration::from_secs(connection.host_timeout),
            storage_timeout: Duration::from_secs(connection.storage_timeout),
            hosted_engine_timeout: Duration::from_secs(connection.hosted_engine_timeout),
        },
        host_password,
        max_rounds: connection.max_rounds,
        observe_after: false,
    };
    let client = Client::connect(config).map_err(|e| e.to_string())?;
    let outcome = converge(&client, &state, &options);
    let logout = client.logout();
    let outcome = outcome.map_err(|e| e.to_string())?;
    logout.map_err(|e| e.to_string())?;
    serde_json::to_string_pretty(&outcome).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            let clean: String = message
                .chars()
                .map(|c| if c.is_control() && c != '\n' { '?' } else { c })
                .collect();
            eprintln!("hvp-engine: {clean}");
            ExitCode::FAILURE
        }
    }
}
