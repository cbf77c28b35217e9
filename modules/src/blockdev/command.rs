//! Running the probing tools, with argument vectors and without a shell.

use super::parse;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Why probing failed.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// A required tool is not installed.
    #[error("`{0}` is not installed or not in PATH; install util-linux")]
    Missing(&'static str),
    /// A tool could not be started.
    #[error("cannot run `{command}`: {source}")]
    Spawn {
        /// The command line.
        command: String,
        /// The error.
        source: io::Error,
    },
    /// A tool exited with an error.
    #[error("`{command}` failed ({status}): {stderr}")]
    Failed {
        /// The command line.
        command: String,
        /// Its exit status.
        status: String,
        /// What it printed on stderr.
        stderr: String,
    },
    /// A tool printed something unexpected.
    #[error("cannot understand the output of `{command}`: {detail}")]
    Output {
        /// The command line.
        command: String,
        /// What is wrong.
        detail: String,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

/// Runs `program args`; `Ok(None)` when the program is not installed.
fn run(program: &str, args: &[&str]) -> Result<Option<Output>, ProbeError> {
    match crate::tool::tool(program).args(args).output() {
        Ok(output) => Ok(Some(output)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ProbeError::Spawn {
            command: command_line(program, args),
            source,
        }),
    }
}

fn command_line(program: &str, args: &[&str]) -> String {
    std::iter::once(program)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}

fn failed(program: &str, args: &[&str], output: &Output) -> ProbeError {
    ProbeError::Failed {
        command: command_line(program, args),
        status: output.status.to_string(),
        stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    }
}

const LSBLK_ARGS: [&str; 5] = [
    "--json",
    "--bytes",
    "--nodeps",
    "--output",
    "NAME,TYPE,MODEL,SERIAL,WWN",
];

/// The whole devices `lsblk` lists, with type and identifiers.
pub(super) fn lsblk() -> Result<Vec<parse::LsblkDevice>, ProbeError> {
    let output = run("lsblk", &LSBLK_ARGS)?.ok_or(ProbeError::Missing("lsblk"))?;
    if !output.status.success() {
        return Err(failed("lsblk", &LSBLK_ARGS, &output));
    }
    parse::lsblk_json(&String::from_utf8_lossy(&output.stdout)).map_err(|detail| {
        ProbeError::Output {
            command: command_line("lsblk", &LSBLK_ARGS),
            detail,
        }
    })
}

/// What `blkid -p` found on one device.
pub(super) enum Blkid {
    /// Signatures, as `-o export` text.
    Found(String),
    /// No signature at all.
    Nothing,
    /// Several signatures that blkid would not choose between.
    Ambivalent,
    /// The device could not be read.
    Unreadable(String),
}

/// Low-level probing of one device (no udev cache): `blkid -p -o export PATH`.
pub(super) fn blkid(path: &str) -> Result<Blkid, ProbeError> {
    let args = ["-p", "-o", "export", path];
    let output = run("blkid", &args)?.ok_or(ProbeError::Missing("blkid"))?;
    // blkid's exit codes: 0 found, 2 nothing found, 8 ambivalent, 4 usage or probing error.
    // It also exits 2 when it cannot open the device, then saying so on stderr: a device that
    // cannot be read is not known to be empty.
    let stderr = String::from_utf8_lossy(&output.stderr);
    Ok(match output.status.code() {
        Some(0) => Blkid::Found(String::from_utf8_lossy(&output.stdout).into_owned()),
        Some(2) if stderr.trim().is_empty() => Blkid::Nothing,
        Some(8) => Blkid::Ambivalent,
        _ => Blkid::Unreadable(format!("{}: {}", output.status, stderr.trim())),
    })
}

/// Kernel names of the LVM physical volumes; none when LVM is not installed.
pub(super) fn pvs() -> Result<Vec<String>, ProbeError> {
    let args = ["--noheadings", "--options", "pv_name"];
    let Some(output) = run("pvs", &args)? else {
        return Ok(Vec::new());
    };
    if !output.status.success() {
        return Err(failed("pvs", &args, &output));
    }
    Ok(parse::pvs(&String::from_utf8_lossy(&output.stdout))
        .iter()
        .filter_map(|path| kernel_name(path))
        .collect())
}

/// Kernel names of the devices backing VDO volumes; none when the `vdo` tool is not installed
/// (LVM-VDO shows up as an LVM PV instead).
pub(super) fn vdo_members() -> Result<Vec<String>, ProbeError> {
    let args = ["status"];
    let Some(output) = run("vdo", &args)? else {
        return Ok(Vec::new());
    };
    if !output.status.success() {
        return Err(failed("vdo", &args, &output));
    }
    Ok(
        parse::vdo_storage_devices(&String::from_utf8_lossy(&output.stdout))
            .iter()
            .filter_map(|path| kernel_name(path))
            .collect(),
    )
}

/// The kernel name of a device path (`/dev/mapper/x` -> `dm-3`, `/dev/sdb` -> `sdb`); `None`
/// for paths outside `/dev`, e.g. swap files.
pub(super) fn kernel_name(path: &str) -> Option<String> {
    if !path.starts_with("/dev/") {
        return None;
    }
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| PathBuf::from(path));
    Path::new(&resolved)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
}
