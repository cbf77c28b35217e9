//! The rules that decide whether a disk is free, and the reasons when it is not.

use super::inventory::{BlockDevice, Inventory, Signature, SignatureKind};
use crate::input::escape::escape;
use bytesize::ByteSize;
use serde::{Serialize, Serializer};
use std::fmt;

/// What the caller asks for (the module's options).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criteria {
    /// A free disk must be strictly larger than this many bytes.
    pub min_size_bytes: u64,
    /// Whether non-rotational free disks also go to `free_disks` (they always go to
    /// `free_ssds`).
    pub accept_ssds: bool,
    /// The `lsblk` device types that may be free, e.g. `["disk"]`.
    pub device_types: Vec<String>,
}

impl Default for Criteria {
    /// The original module's defaults: 10 GB, no SSDs, whole disks only.
    fn default() -> Self {
        Self {
            min_size_bytes: 10_000_000_000,
            accept_ssds: false,
            device_types: vec!["disk".to_owned()],
        }
    }
}

/// A disk that is free for storage, in the shape of the original facts plus what is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FreeDisk {
    /// Kernel name without `/dev/`.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Whether the disk is rotational (unknown counts as rotational).
    pub rotational: bool,
    /// Model, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Serial number, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// World-wide name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wwn: Option<String>,
    /// The most stable `/dev/disk/by-id/` path, when one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_id: Option<String>,
    /// Geometry of an md RAID5/6/10 array, as the balanced policy reads it (`{level, disks,
    /// stripe_unit}`), used when the input gives no `raid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub md_raid: Option<Box<MdRaid>>,
}

/// The RAID geometry of an md array in the facts' `raid` form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MdRaid {
    /// `raid5`, `raid6` or `raid10`.
    pub level: String,
    /// Member disks.
    pub disks: u32,
    /// Stripe unit (md chunk), e.g. `512KiB`.
    pub stripe_unit: String,
}

impl MdRaid {
    /// The geometry of `array` when the balanced policy can align to it (RAID5/6/10 with a
    /// chunk); `None` for other levels (mirrors and linear arrays need no stripe alignment).
    pub fn of(array: &crate::disks::inventory::MdArray) -> Option<Self> {
        let level = array.level.trim().to_ascii_lowercase();
        let aligned = matches!(level.as_str(), "raid5" | "raid6" | "raid10");
        (aligned && array.chunk_bytes >= 4096 && array.raid_disks > 0).then(|| Self {
            level,
            disks: array.raid_disks,
            stripe_unit: format!("{}KiB", array.chunk_bytes >> 10),
        })
    }
}

/// A device that is not free, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedDisk {
    /// Kernel name without `/dev/`.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// `lsblk` device type.
    #[serde(rename = "type")]
    pub device_type: String,
    /// Every reason, in a fixed order.
    pub reasons: Vec<Reason>,
    /// A short stable code per reason, in the same order (for playbooks to test).
    pub reason_codes: Vec<&'static str>,
}

/// The outcome of [`classify`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Selection {
    /// Free disks for storage (rotational ones, plus SSDs when accepted).
    pub free_disks: Vec<FreeDisk>,
    /// Free non-rotational disks, whatever `accept_ssds` says.
    pub free_ssds: Vec<FreeDisk>,
    /// Every other device, with every reason it was refused.
    pub rejected: Vec<RejectedDisk>,
}

/// Why a device is not free.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Its type is not one of the accepted device types.
    DeviceType {
        /// The device's type.
        device_type: String,
        /// The accepted types.
        allowed: Vec<String>,
    },
    /// Not strictly larger than the minimum.
    TooSmall {
        /// The device's size in bytes.
        size: u64,
        /// The minimum in bytes.
        min: u64,
    },
    /// A removable device (USB stick, card reader...).
    Removable,
    /// A read-only device.
    ReadOnly,
    /// It has partitions.
    Partitions(Vec<String>),
    /// A signature was found on it.
    Signature(Signature),
    /// Other devices are stacked on it or on its partitions.
    Holders(Vec<String>),
    /// It or one of its partitions is mounted: `(device, mountpoint)`.
    Mounted(Vec<(String, String)>),
    /// It or one of its partitions is active swap.
    Swap(Vec<String>),
    /// It or one of its partitions is an LVM physical volume.
    LvmPv(Vec<String>),
    /// It backs a VDO volume.
    VdoMember,
    /// It is a path of a multipath map.
    MultipathMember,
}

impl Reason {
    /// A short stable code for the reason.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::DeviceType { .. } => "device_type",
            Reason::TooSmall { .. } => "too_small",
            Reason::Removable => "removable",
            Reason::ReadOnly => "read_only",
            Reason::Partitions(_) => "partitions",
            Reason::Signature(signature) => match signature.kind {
                SignatureKind::Filesystem => "filesystem",
                SignatureKind::PartitionTable => "partition_table",
                SignatureKind::Lvm => "lvm_signature",
                SignatureKind::Raid => "raid",
                SignatureKind::Swap => "swap_signature",
                SignatureKind::Crypto => "crypto",
                SignatureKind::Vdo => "vdo_signature",
                SignatureKind::Other => "signature",
                SignatureKind::Unreadable => "unreadable",
            },
            Reason::Holders(_) => "holders",
            Reason::Mounted(_) => "mounted",
            Reason::Swap(_) => "swap",
            Reason::LvmPv(_) => "lvm_pv",
            Reason::VdoMember => "vdo_member",
            Reason::MultipathMember => "multipath_member",
        }
    }
}

fn signature_text(kind: SignatureKind) -> &'static str {
    match kind {
        SignatureKind::Filesystem => "filesystem signature",
        SignatureKind::PartitionTable => "partition table",
        SignatureKind::Lvm => "LVM physical volume signature",
        SignatureKind::Raid => "RAID member signature",
        SignatureKind::Swap => "swap signature",
        SignatureKind::Crypto => "encrypted volume signature",
        SignatureKind::Vdo => "VDO signature",
        SignatureKind::Other => "signature",
        SignatureKind::Unreadable => "cannot be probed for signatures",
    }
}

impl fmt::Display for Reason {
    /// The reason in words. Device names, signature names and mount points come from the
    /// probed machine (a mount point may hold a newline, blkid may print any byte): every
    /// control character is escaped, so a reason is one line (fuzz finding, `free_disks`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(&Unescaped(self).to_string()))
    }
}

/// A [`Reason`] in words, with the probed text as it is.
struct Unescaped<'a>(&'a Reason);

impl fmt::Display for Unescaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Reason::DeviceType {
                device_type,
                allowed,
            } => write!(
                f,
                "device type '{device_type}' is not in device_types ({})",
                allowed.join(", ")
            ),
            Reason::TooSmall { size, min } => write!(
                f,
                "too small: {size} bytes ({}) is not larger than min_size_bytes {min} ({})",
                ByteSize::b(*size).display().si(),
                ByteSize::b(*min).display().si()
            ),
            Reason::Removable => f.write_str("removable device"),
            Reason::ReadOnly => f.write_str("read-only device"),
            Reason::Partitions(names) => write!(f, "has partitions: {}", names.join(", ")),
            Reason::Signature(signature) => {
                write!(f, "{}: {}", signature_text(signature.kind), signature.name)
            }
            Reason::Holders(names) => {
                write!(
                    f,
                    "in use by stacked devices (holders): {}",
                    names.join(", ")
                )
            }
            Reason::Mounted(mounts) => {
                let list: Vec<String> = mounts
                    .iter()
                    .map(|(device, mountpoint)| format!("/dev/{device} on {mountpoint}"))
                    .collect();
                write!(f, "mounted: {}", list.join(", "))
            }
            Reason::Swap(names) => write!(f, "active swap: /dev/{}", names.join(", /dev/")),
            Reason::LvmPv(names) => {
                write!(f, "LVM physical volume: /dev/{}", names.join(", /dev/"))
            }
            Reason::VdoMember => f.write_str("backs a VDO volume"),
            Reason::MultipathMember => f.write_str("multipath member"),
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Decides, for every device of `inventory`, whether it is free; lists every reason otherwise.
pub fn classify(inventory: &Inventory, criteria: &Criteria) -> Selection {
    let mut selection = Selection::default();
    for device in &inventory.devices {
        let reasons = reasons(device, inventory, criteria);
        if reasons.is_empty() {
            let free = free_disk(device);
            if free.rotational {
                selection.free_disks.push(free);
            } else {
                if criteria.accept_ssds {
                    selection.free_disks.push(free.clone());
                }
                selection.free_ssds.push(free);
            }
        } else {
            selection.rejected.push(RejectedDisk {
                name: device.name.clone(),
                size: device.size_bytes,
                device_type: device.device_type.clone(),
                reason_codes: reasons.iter().map(Reason::code).collect(),
                reasons,
            });
        }
    }
    selection
}

/// Whether `name` is the device itself or one of its partitions.
fn owns(device: &BlockDevice, name: &str) -> bool {
    device.name == name || device.partitions.iter().any(|part| part == name)
}

fn reasons(device: &BlockDevice, inventory: &Inventory, criteria: &Criteria) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if !criteria.device_types.contains(&device.device_type) {
        reasons.push(Reason::DeviceType {
            device_type: device.device_type.clone(),
            allowed: criteria.device_types.clone(),
        });
    }
    if device.size_bytes <= criteria.min_size_bytes {
        reasons.push(Reason::TooSmall {
            size: device.size_bytes,
            min: criteria.min_size_bytes,
        });
    }
    if device.removable {
        reasons.push(Reason::Removable);
    }
    if device.read_only {
        reasons.push(Reason::ReadOnly);
    }
    if !device.partitions.is_empty() {
        reasons.push(Reason::Partitions(device.partitions.clone()));
    }
    reasons.extend(device.signatures.iter().cloned().map(Reason::Signature));
    if !device.holders.is_empty() {
        reasons.push(Reason::Holders(
            device.holders.iter().map(|h| h.name.clone()).collect(),
        ));
    }
    let mounts: Vec<(String, String)> = inventory
        .mounts
        .iter()
        .filter(|mount| owns(device, &mount.device))
        .map(|mount| (mount.device.clone(), mount.mountpoint.clone()))
        .collect();
    if !mounts.is_empty() {
        reasons.push(Reason::Mounted(mounts));
    }
    let owned = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .filter(|name| owns(device, name))
            .cloned()
            .collect()
    };
    let swaps = owned(&inventory.swaps);
    if !swaps.is_empty() {
        reasons.push(Reason::Swap(swaps));
    }
    let pvs = owned(&inventory.lvm_pvs);
    if !pvs.is_empty() {
        reasons.push(Reason::LvmPv(pvs));
    }
    let holder_has = |prefix: &str| {
        device.holders.iter().any(|holder| {
            holder
                .dm_uuid
                .as_deref()
                .is_some_and(|uuid| uuid.starts_with(prefix))
        })
    };
    if !owned(&inventory.vdo_members).is_empty() || holder_has("VDO-") {
        reasons.push(Reason::VdoMember);
    }
    if !owned(&inventory.multipath_members).is_empty() || holder_has("mpath-") {
        reasons.push(Reason::MultipathMember);
    }
    reasons
}

fn free_disk(device: &BlockDevice) -> FreeDisk {
    FreeDisk {
        name: device.name.clone(),
        size: device.size_bytes,
        rotational: device.rotational.unwrap_or(true),
        model: device.model.clone(),
        serial: device.serial.clone(),
        wwn: device.wwn.clone(),
        by_id: preferred_by_id(&device.by_id).map(|link| format!("/dev/disk/by-id/{link}")),
        md_raid: device.md.as_ref().and_then(MdRaid::of).map(Box::new),
    }
}

/// The most stable by-id link: world-wide names first, then NVMe EUIs, SCSI, ATA, the rest.
fn preferred_by_id(links: &[String]) -> Option<&String> {
    const PREFERENCE: [&str; 5] = ["wwn-", "nvme-eui.", "nvme-", "scsi-", "ata-"];
    let rank = |link: &String| {
        PREFERENCE
            .iter()
            .position(|prefix| link.starts_with(prefix))
            .unwrap_or(PREFERENCE.len())
    };
    links
        .iter()
        .min_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)))
}

#[cfg(test)]
mod tests;
