//! Free-disk selection: which whole disks of a node may be given to Gluster storage.
//!
//! This replaces the original bash fact modules `hvp_free_disks` and `hvp_free_ssds`. The
//! `hvp_free_disks` Ansible module observes the node's block devices (sysfs, `lsblk`, `blkid -p`,
//! `pvs`, `vdo`, mountinfo, swaps) into an [`Inventory`]; [`classify`] decides, purely, which
//! disks are free and, for every other disk, every reason it was refused.
//!
//! A disk is free only if it is a whole disk of an allowed type, strictly larger than the
//! minimum size, not removable, not read-only, without partitions, signatures, holders,
//! mounts (or swap), LVM PV, VDO or multipath membership. Rotational free disks go to
//! `free_disks`; non-rotational ones (SSD, NVMe) go to `free_ssds`, and also to `free_disks`
//! when [`Criteria::accept_ssds`] is set.

mod classify;
mod inventory;

pub use classify::{classify, Criteria, FreeDisk, MdRaid, Reason, RejectedDisk, Selection};
pub use inventory::{BlockDevice, Holder, Inventory, MdArray, Mount, Signature, SignatureKind};
