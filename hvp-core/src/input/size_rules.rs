//! Per-use bounds on sizes: one grammar ([`crate::size::SizeSpec`]), different limits where
//! the size is used.

use crate::size::{human_bytes, SizeSpec};

/// The largest logical volume LVM creates (8 EiB on 64-bit systems).
pub const LVM_MAX_BYTES: u64 = 8 << 60;
/// The largest logical size of a VDO volume (4 PiB).
pub const VDO_MAX_LOGICAL_BYTES: u64 = 4 << 50;
/// The smallest XFS filesystem `mkfs.xfs` creates (300 MiB since xfsprogs 5.19), the floor of
/// every brick.
pub const BRICK_MIN_BYTES: u64 = 300 << 20;

/// Where a size is used, and so which bounds apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeUse {
    /// A brick: an XFS filesystem on an LV (at least [`BRICK_MIN_BYTES`], at most
    /// [`LVM_MAX_BYTES`]).
    Brick,
    /// Any LV size (at most [`LVM_MAX_BYTES`]).
    LogicalVolume,
    /// A VDO logical size (at most [`VDO_MAX_LOGICAL_BYTES`]).
    VdoLogical,
}

impl SizeUse {
    /// The inclusive bounds in bytes.
    pub fn bounds(self) -> (u64, u64) {
        match self {
            SizeUse::Brick => (BRICK_MIN_BYTES, LVM_MAX_BYTES),
            SizeUse::LogicalVolume => (1, LVM_MAX_BYTES),
            SizeUse::VdoLogical => (1, VDO_MAX_LOGICAL_BYTES),
        }
    }

    fn what(self) -> &'static str {
        match self {
            SizeUse::Brick => "a brick (an XFS filesystem on an LVM volume)",
            SizeUse::LogicalVolume => "an LVM logical volume",
            SizeUse::VdoLogical => "the logical size of a VDO volume",
        }
    }

    /// Checks `bytes` against the bounds; the error says the bound and why.
    pub fn check_bytes(self, bytes: u64) -> Result<(), String> {
        let (min, max) = self.bounds();
        if bytes < min {
            Err(format!(
                "{} is below the {} minimum of {}",
                human_bytes(bytes),
                self.what(),
                human_bytes(min)
            ))
        } else if bytes > max {
            Err(format!(
                "{} is above the {} maximum of {}",
                human_bytes(bytes),
                self.what(),
                human_bytes(max)
            ))
        } else {
            Ok(())
        }
    }

    /// Checks a parsed size.
    pub fn check(self, size: &SizeSpec) -> Result<(), String> {
        self.check_bytes(size.bytes())
            .map_err(|reason| format!("'{size}' ({reason})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_per_use_bounds() {
        let size = |text| SizeSpec::parse(text).unwrap();
        assert!(SizeUse::Brick.check(&size("1GB")).is_ok());
        assert!(SizeUse::Brick
            .check(&size("1B"))
            .unwrap_err()
            .contains("minimum"));
        assert!(SizeUse::Brick
            .check(&size("9EB"))
            .unwrap_err()
            .contains("maximum"));
        assert!(SizeUse::VdoLogical.check(&size("4PB")).is_ok());
        assert!(SizeUse::VdoLogical.check(&size("5PB")).is_err());
    }
}
