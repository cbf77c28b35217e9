//! `hvp-engine-sim`: a stand-in oVirt Engine REST API for tests.
//!
//! `hvp-engine-sim --listen 127.0.0.1:0 --password PW [--state FILE] [--fault-rate P --fault-seed S]`
//! prints the bound address as its first stdout line, then serves until killed.

mod inject;
mod model;
mod schema;
mod server;
mod sim;
mod store;
mod xml;

use clap::Parser;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Command line.
#[derive(Parser, Debug)]
#[command(
    name = "hvp-engine-sim",
    version,
    about = "A stand-in oVirt Engine REST API (XML and JSON) for tests"
)]
struct Args {
    /// Address to listen on; port 0 picks a free port (printed on stdout).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// Password of admin@internal.
    #[arg(long)]
    password: Option<String>,
    /// Read the password from this file (first line) instead.
    #[arg(long, conflicts_with = "password")]
    password_file: Option<PathBuf>,
    /// Persist the state here (atomic writes) and reload it at start.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Share (0..1) of mutating requests that fail: 503 before acting, 409 busy, or act and drop the connection.
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Seed of the fault sequence.
    #[arg(long, default_value_t = 1)]
    fault_seed: u64,
    /// NIC names every new host reports (comma-separated; the first carries ovirtmgmt).
    #[arg(long, default_value = "eth0,eth1,eth2,eth3", value_delimiter = ',')]
    host_nics: Vec<String>,
    /// Hosts present and up from the start in cluster Default (what hosted-engine --deploy leaves).
    #[arg(long, value_delimiter = ',')]
    seed_host: Vec<String>,
    /// Requests (ticks) a new host spends installing before it is up.
    #[arg(long, default_value_t = 3)]
    host_install_ticks: u64,
    /// Write JSON booleans and numbers as strings, as a real Engine's JSON may.
    #[arg(long)]
    json_strings: bool,
    /// Vintage hosted-engine flow: the first active data domain makes engine_domain and HostedEngine appear.
    #[arg(long)]
    vintage_he: bool,
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(args) {
        eprintln!("hvp-engine-sim: {e}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), String> {
    let password = match (&args.password, &args.password_file) {
        (Some(p), _) => p.clone(),
        (None, Some(f)) => std::fs::read_to_string(f)
            .map_err(|e| format!("password file {}: {e}", f.display()))?
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
        (None, None) => return Err("give --password or --password-file".into()),
    };
    if password.is_empty() {
        return Err("the password is empty".into());
    }
    if !(0.0..=1.0).contains(&args.fault_rate) {
        return Err(format!(
            "--fault-rate {} is not between 0 and 1",
            args.fault_rate
        ));
    }
    let cfg = sim::Config {
        host_nics: args
            .host_nics
            .iter()
            .filter(|n| !n.is_empty())
            .cloned()
            .collect(),
        seed_hosts: args
            .seed_host
            .iter()
            .filter(|n| !n.is_empty())
            .cloned()
            .collect(),
        host_install_ticks: args.host_install_ticks.max(1),
        vintage_he: args.vintage_he,
    };
    if cfg.host_nics.is_empty() {
        return Err("--host-nics names no NIC".into());
    }
    let engine = match &args.state {
        Some(f) if f.exists() => sim::Sim {
            store: store::Store::load(f).map_err(|e| e.to_string())?,
            cfg,
        },
        _ => sim::Sim::fresh(cfg),
    };
    if let Some(f) = &args.state {
        engine.store.save(f).map_err(|e| e.to_string())?;
    }
    let injector = inject::Injector::new(args.fault_rate, args.fault_seed);
    let mut srv = server::Server::new(engine, password, injector, args.state.clone());
    srv.json_strings = args.json_strings;
    let shared = Arc::new(Mutex::new(srv));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    rt.block_on(serve(&args.listen, shared))
}

async fn serve(listen: &str, shared: server::Shared) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("{addr}");
    let _ = std::io::stdout().flush();
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                eprintln!("hvp-engine-sim: accept: {e}");
                continue;
            }
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req| {
                let shared = shared.clone();
                async move {
                    match server::handle(shared, req).await {
                        server::Outcome::Reply(r) => Ok(r),
                        server::Outcome::Drop => Err(DroppedOnPurpose),
                    }
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

/// The error that makes hyper close a connection without a reply (fault injection).
#[derive(Debug)]
struct DroppedOnPurpose;

impl std::fmt::Display for DroppedOnPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (injected fault)")
    }
}

impl std::error::Error for DroppedOnPurpose {}
