//! What can go wrong while probing, each with the interface or parameter it concerns.

use std::path::PathBuf;

/// A probe failure. Messages name the interface, command or parameter and, where there is one,
/// the fix.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// A command could not be started (not installed, not on `PATH`).
    #[error(
        "cannot run `{command}`: {source} (install it: iproute2 for `ip`, iputils-ping for `ping`)"
    )]
    Spawn {
        /// The command line, for the message.
        command: String,
        /// Why it could not start.
        source: std::io::Error,
    },
    /// A command ran and failed.
    #[error("`{command}` failed: {stderr}")]
    Command {
        /// The command line, for the message.
        command: String,
        /// What it printed on stderr (trimmed).
        stderr: String,
    },
    /// `ip -json` printed something that is not the expected JSON.
    #[error("cannot read the output of `{command}`: {detail}")]
    Parse {
        /// The command line, for the message.
        command: String,
        /// The JSON error.
        detail: String,
    },
    /// A file (`/proc/cmdline`, `/sys/class/net`, ...) could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A private temporary file (DHCP client configuration) could not be written.
    #[error("cannot write the temporary file {}: {source}", path.display())]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An interface named on the command line does not exist.
    #[error("interface {0} does not exist (see `ip link`); name only existing interfaces")]
    NoSuchInterface(String),
    /// The interface carries the default route: probing it would cut this machine off.
    #[error(
        "interface {nic} carries the default route{via}; probing would flush its addresses and cut \
         this machine's connection: leave it out (name the other interfaces explicitly) or pass \
         --allow-default-route if losing the route for a few seconds is acceptable"
    )]
    DefaultRoute {
        /// The refused interface.
        nic: String,
        /// ` (through its master br0)` when the route is on the interface's master.
        via: String,
    },
    /// The parameters (kernel command line, fragments) do not resolve to zone settings.
    #[error("cannot work out what to probe: {detail}")]
    Settings {
        /// The planner's problems, each with its parameter and fix.
        detail: String,
    },
    /// The interface could not be put back as it was.
    #[error(
        "interface {nic} was not fully restored: {detail}; fix it by hand (`ip addr`, `ip link`)"
    )]
    Restore {
        /// The interface.
        nic: String,
        /// What differs from the saved state.
        detail: String,
    },
}
