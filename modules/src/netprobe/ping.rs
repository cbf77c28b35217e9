//! The reachability test: iputils `ping` from one interface, full-size frames, no fragmentation.

use std::net::Ipv4Addr;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::error::ProbeError;

/// How long and how hard to ping. The defaults are the original's criterion (spec §3.1): wait
/// 2 s after the address is set, one throw-away round, then 3 echo requests 2 s apart that must
/// all be answered within 8 s.
#[derive(Debug, Clone, PartialEq)]
pub struct PingTiming {
    /// Pause between setting the address and the first ping.
    pub settle: Duration,
    /// Echo requests in the counted round; every one must be answered.
    pub count: u32,
    /// Seconds between echo requests (below 0.2 needs root, which the probe has).
    pub interval: f64,
    /// Deadline of the counted round, in whole seconds.
    pub deadline: u32,
    /// Deadline of the throw-away round that warms up ARP and switch ports; 0 skips it.
    pub warmup: u32,
}

impl Default for PingTiming {
    fn default() -> Self {
        Self {
            settle: Duration::from_secs(2),
            count: 3,
            interval: 2.0,
            deadline: 8,
            warmup: 1,
        }
    }
}

fn ping(
    nic: &str,
    mtu: u32,
    target: Ipv4Addr,
    count: u32,
    interval: f64,
    deadline: u32,
) -> Result<bool, ProbeError> {
    // ICMP echo payload that fills the MTU exactly: 20 bytes IPv4 header + 8 bytes ICMP header.
    let size = mtu.saturating_sub(28).to_string();
    let args = [
        "-n".to_owned(),
        "-q".to_owned(),
        "-c".to_owned(),
        count.to_string(),
        "-i".to_owned(),
        format!("{interval}"),
        "-w".to_owned(),
        deadline.to_string(),
        "-I".to_owned(),
        nic.to_owned(),
        "-M".to_owned(),
        "do".to_owned(),
        "-s".to_owned(),
        size,
        target.to_string(),
    ];
    let status = Command::new("ping")
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|source| ProbeError::Spawn {
            command: format!("ping {}", args.join(" ")),
            source,
        })?;
    Ok(status.success())
}

/// Pings `target` from `nic` with full-size `mtu` frames and "don't fragment": a throw-away
/// round (ARP, switch learning), then the counted round. True when every echo was answered.
pub fn reaches(
    nic: &str,
    mtu: u32,
    target: Ipv4Addr,
    timing: &PingTiming,
) -> Result<bool, ProbeError> {
    std::thread::sleep(timing.settle);
    if timing.warmup > 0 {
        ping(nic, mtu, target, 1, timing.interval, timing.warmup)?;
    }
    ping(
        nic,
        mtu,
        target,
        timing.count,
        timing.interval,
        timing.deadline,
    )
}
