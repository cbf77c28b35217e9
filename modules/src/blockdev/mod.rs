//! Block-device probing for `hvp_free_disks`: observes, never decides and never changes
//! anything. The observations become a [`hvp_core::disks::Inventory`]; the classification is
//! `hvp_core::disks::classify`.
//!
//! Sources: `/sys/block/*` (size, removable, ro, rotational, model, serial, wwid, partitions,
//! holders), `lsblk --json --bytes --nodeps` (device type and the identifiers sysfs lacks),
//! `blkid -p` (low-level signature probing, which works without udev), `pvs`, `vdo status`,
//! `/proc/self/mountinfo`, `/proc/swaps` and `/dev/disk/by-id`. Every tool runs with an
//! argument vector, never through a shell. `pvs` and `vdo` may be absent (no members then);
//! present and failing, they are an error.

mod command;
pub mod parse;
mod sysfs;

pub use command::ProbeError;

use hvp_core::disks::{BlockDevice, Inventory, Mount, Signature, SignatureKind};
use std::path::Path;

/// Observes the block devices of this machine. `probe_signatures(type)` tells which device
/// types get `blkid -p` probing (the others are refused for their type anyway); devices of
/// size 0 are never probed.
pub fn gather(probe_signatures: impl Fn(&str) -> bool) -> Result<Inventory, ProbeError> {
    let lsblk = command::lsblk()?;
    let numbers = sysfs::device_numbers(Path::new("/sys/class/block"));
    let by_id = sysfs::by_id_links(Path::new("/dev/disk/by-id"));
    let mut devices = Vec::new();
    for entry in &lsblk {
        let Some(mut device) = sysfs::read_device(Path::new("/sys/block"), &entry.name)? else {
            continue;
        };
        device.device_type = entry.device_type.clone();
        device.model = device.model.or_else(|| entry.model.clone());
        device.serial = device.serial.or_else(|| entry.serial.clone());
        device.wwn = entry.wwn.clone().or(device.wwn);
        device.by_id = by_id.get(&entry.name).cloned().unwrap_or_default();
        if device.size_bytes > 0 && probe_signatures(&device.device_type) {
            device.signatures = signatures(&device.name)?;
        }
        devices.push(device);
    }
    let mounts = read_text("/proc/self/mountinfo")?;
    // A kernel without swap support has no /proc/swaps: then nothing is swap.
    let swaps = match std::fs::read_to_string("/proc/swaps") {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ProbeError::Read {
                path: "/proc/swaps".into(),
                source,
            })
        }
    };
    Ok(Inventory {
        lvm_pvs: command::pvs()?,
        vdo_members: command::vdo_members()?,
        multipath_members: Vec::new(),
        mounts: parse::mountinfo(&mounts)
            .into_iter()
            .filter_map(|(number, mountpoint)| {
                numbers.get(&number).map(|device| Mount {
                    device: device.clone(),
                    mountpoint,
                })
            })
            .collect(),
        swaps: parse::swaps(&swaps)
            .iter()
            .filter_map(|path| command::kernel_name(path))
            .collect(),
        devices: sort_devices(devices),
    })
}

fn sort_devices(mut devices: Vec<BlockDevice>) -> Vec<BlockDevice> {
    devices.sort_by(|a, b| a.name.cmp(&b.name));
    devices
}

fn signatures(name: &str) -> Result<Vec<Signature>, ProbeError> {
    let path = format!("/dev/{name}");
    match command::blkid(&path)? {
        command::Blkid::Found(text) => Ok(parse::blkid_export(&text)),
        command::Blkid::Nothing => Ok(Vec::new()),
        command::Blkid::Ambivalent => Ok(vec![Signature {
            kind: SignatureKind::Other,
            name: "several signatures (blkid -p: ambivalent result)".to_owned(),
        }]),
        command::Blkid::Unreadable(detail) => Ok(vec![Signature {
            kind: SignatureKind::Unreadable,
            name: format!("blkid -p {path} failed ({detail})"),
        }]),
    }
}

fn read_text(path: &str) -> Result<String, ProbeError> {
    std::fs::read_to_string(path).map_err(|source| ProbeError::Read {
        path: path.into(),
        source,
    })
}
