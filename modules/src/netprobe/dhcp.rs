//! The installer's DHCP test: one `dhclient` attempt with a timeout on one interface, then the
//! lease is released. `dhclient` runs with `-sf /bin/true`, so it never configures the
//! interface (no address, no route, no resolv.conf), and with its own lease, pid and config
//! files in a private temporary directory.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::error::ProbeError;
use super::guard::NicGuard;

/// Extra time granted to `dhclient` beyond its own timeout before it is killed.
const GRACE: Duration = Duration::from_secs(15);

fn dhclient(dir: &Path, nic: &str, release: bool) -> Command {
    let mut command = Command::new("dhclient");
    if release {
        command.arg("-r");
    } else {
        command.arg("-1");
    }
    command
        .arg("-sf")
        .arg("/bin/true")
        .arg("-lf")
        .arg(dir.join("lease"))
        .arg("-pf")
        .arg(dir.join("pid"))
        .arg("-cf")
        .arg(dir.join("dhclient.conf"))
        .arg(nic)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn spawn_error(source: std::io::Error) -> ProbeError {
    ProbeError::Spawn {
        command: "dhclient (isc-dhcp-client)".into(),
        source,
    }
}

/// Waits for `child` up to `limit`; kills it (it is our own child) when it takes longer.
fn wait_or_kill(child: &mut Child, limit: Duration) -> Result<bool, ProbeError> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(spawn_error)? {
            return Ok(status.success());
        }
        if started.elapsed() > limit {
            // Best effort: the child may exit between try_wait and kill.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Tries once to get a DHCP lease on the guarded interface, waiting up to `timeout` seconds;
/// releases the lease when one was obtained. True when a server answered with a lease.
pub fn lease_obtained(guard: &NicGuard, timeout: u32) -> Result<bool, ProbeError> {
    let dir = tempfile::Builder::new()
        .prefix("hvp-netprobe-dhcp")
        .tempdir()
        .map_err(|source| ProbeError::Write {
            path: std::env::temp_dir(),
            source,
        })?;
    let config = dir.path().join("dhclient.conf");
    std::fs::write(&config, format!("timeout {timeout};\n")).map_err(|source| {
        ProbeError::Write {
            path: config.clone(),
            source,
        }
    })?;
    guard.set_up()?;
    let nic = guard.nic();
    let mut child = dhclient(dir.path(), nic, false)
        .spawn()
        .map_err(spawn_error)?;
    // If the probe is interrupted now, stop this client (or the daemon it became) too.
    let path = dir.path().to_owned();
    let cleanup = super::guard::register_cleanup(Box::new(move || {
        stop_ours(&path);
        let _ = std::fs::remove_dir_all(&path);
    }));
    let limit = Duration::from_secs(u64::from(timeout)) + GRACE;
    let obtained = wait_or_kill(&mut child, limit);
    if obtained.as_ref().is_ok_and(|obtained| *obtained) {
        // Stops the dhclient that kept the lease (its pid file is ours) and releases the lease.
        if let Ok(mut release) = dhclient(dir.path(), nic, true).spawn() {
            let _ = wait_or_kill(&mut release, GRACE);
        }
    }
    stop_ours(dir.path());
    super::guard::unregister_cleanup(cleanup);
    obtained
}

/// Sends SIGTERM to `pid` (a process this probe started).
fn kill(pid: u32) {
    let _ = Command::new("kill")
        .arg(pid.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Stops every process still running with our private directory on its command line: the
/// dhclient we started, the daemon it became after a lease, and the helper it forks. Only
/// processes this probe started can name that freshly made directory.
fn stop_ours(dir: &Path) {
    let needle = dir.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == own {
            continue;
        }
        let ours = std::fs::read(entry.path().join("cmdline"))
            .map(|cmdline| String::from_utf8_lossy(&cmdline).contains(&needle))
            .unwrap_or(false);
        if ours {
            kill(pid);
        }
    }
}
