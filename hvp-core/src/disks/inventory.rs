//! The observed block devices of one node: what the probe saw, with no judgement yet.

use serde::{Deserialize, Serialize};

/// Everything observed about the block devices of one node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    /// The whole block devices (`/sys/block/*`), in the order the probe listed them.
    pub devices: Vec<BlockDevice>,
    /// Kernel names (without `/dev/`) of the devices `pvs` lists as LVM physical volumes.
    #[serde(default)]
    pub lvm_pvs: Vec<String>,
    /// Kernel names of the devices that back a VDO volume (from the `vdo` tool).
    #[serde(default)]
    pub vdo_members: Vec<String>,
    /// Kernel names of the devices that are paths of a multipath map.
    #[serde(default)]
    pub multipath_members: Vec<String>,
    /// Mounted block devices (from `/proc/self/mountinfo`).
    #[serde(default)]
    pub mounts: Vec<Mount>,
    /// Kernel names of block devices in use as swap (from `/proc/swaps`).
    #[serde(default)]
    pub swaps: Vec<String>,
}

/// One whole block device (a disk, loop device, CD drive, device-mapper device...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockDevice {
    /// Kernel name without `/dev/`, e.g. `sdb`, `nvme0n1`, `loop3`.
    pub name: String,
    /// `lsblk` TYPE: `disk`, `loop`, `rom`, `lvm`, `mpath`, `raid1`, `crypt`...
    pub device_type: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// `/sys/block/NAME/removable` is 1.
    #[serde(default)]
    pub removable: bool,
    /// `/sys/block/NAME/ro` is 1.
    #[serde(default)]
    pub read_only: bool,
    /// `/sys/block/NAME/queue/rotational`; `None` when the kernel does not say.
    #[serde(default)]
    pub rotational: Option<bool>,
    /// Model string, trimmed.
    #[serde(default)]
    pub model: Option<String>,
    /// Serial number, trimmed.
    #[serde(default)]
    pub serial: Option<String>,
    /// World-wide name or `wwid`, trimmed.
    #[serde(default)]
    pub wwn: Option<String>,
    /// Names of the links in `/dev/disk/by-id/` that point at this device.
    #[serde(default)]
    pub by_id: Vec<String>,
    /// Kernel names of its partitions (`/sys/block/NAME/NAME*`).
    #[serde(default)]
    pub partitions: Vec<String>,
    /// Devices stacked on it (`/sys/block/NAME/holders/`), and on its partitions.
    #[serde(default)]
    pub holders: Vec<Holder>,
    /// Signatures found on the device itself by low-level probing (`blkid -p`).
    #[serde(default)]
    pub signatures: Vec<Signature>,
    /// The md array this device is (`/sys/block/mdN/md/`), if it is one.
    #[serde(default)]
    pub md: Option<MdArray>,
}

/// The geometry of a Linux software RAID array, from `/sys/block/mdN/md/{level, raid_disks,
/// chunk_size}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MdArray {
    /// `level`: `raid0`, `raid1`, `raid5`, `raid6`, `raid10`, `linear`, ...
    pub level: String,
    /// `raid_disks`: member disks (data and parity).
    pub raid_disks: u32,
    /// `chunk_size`: the stripe unit in bytes (0 for levels without one).
    pub chunk_bytes: u64,
}

/// A device stacked on a disk, e.g. a device-mapper map.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// Kernel name of the holder, e.g. `dm-3`.
    pub name: String,
    /// The device-mapper UUID (`/sys/block/dm-N/dm/uuid`) when the holder is a dm device; its
    /// prefix tells the owner: `mpath-` multipath, `LVM-` LVM, `CRYPT-` dm-crypt, `VDO-` VDO.
    #[serde(default)]
    pub dm_uuid: Option<String>,
}

/// A mounted block device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mount {
    /// Kernel name of the mounted device (a disk or a partition).
    pub device: String,
    /// Where it is mounted.
    pub mountpoint: String,
}

/// What kind of content a signature announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureKind {
    /// A filesystem (`ext4`, `xfs`...).
    Filesystem,
    /// A partition table (`gpt`, `dos`...).
    PartitionTable,
    /// An LVM physical volume label (`LVM2_member`).
    Lvm,
    /// A RAID member (`linux_raid_member`, ...).
    Raid,
    /// A swap area.
    Swap,
    /// An encrypted volume (`crypto_LUKS`).
    Crypto,
    /// A VDO volume.
    Vdo,
    /// Any other signature, or several that blkid could not tell apart.
    Other,
    /// The device could not be read, so it is not known to be empty.
    Unreadable,
}

/// One signature found on a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// What it announces.
    pub kind: SignatureKind,
    /// The blkid type name, e.g. `ext4`, `gpt`, `LVM2_member`.
    pub name: String,
}

impl Signature {
    /// Classifies what `blkid -p` reported: `type_name` is TYPE (or PTTYPE for a partition
    /// table, then `usage` is `None` and `is_partition_table` is true), `usage` is USAGE.
    pub fn from_blkid(type_name: &str, usage: Option<&str>, is_partition_table: bool) -> Self {
        let kind = if is_partition_table {
            SignatureKind::PartitionTable
        } else {
            match (type_name, usage) {
                ("LVM2_member" | "LVM1_member", _) => SignatureKind::Lvm,
                ("swap" | "swsuspend", _) => SignatureKind::Swap,
                ("vdo", _) => SignatureKind::Vdo,
                (_, Some("filesystem")) => SignatureKind::Filesystem,
                (_, Some("raid")) => SignatureKind::Raid,
                (_, Some("crypto")) => SignatureKind::Crypto,
                _ => SignatureKind::Other,
            }
        };
        Self {
            kind,
            name: type_name.to_owned(),
        }
    }
}
