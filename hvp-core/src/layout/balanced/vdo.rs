//! VDO sizing: slab size from the physical size (RHEL table) and the logical size from the
//! ratio. The logical promise never raises planned capacity: bricks are sized on physical
//! bytes.

/// Slabs per VDO volume at most.
pub const MAX_SLABS: u64 = 8192;

/// The slab size for `physical` bytes: 1 GiB below 100 GB, 2 GiB up to 1 TB, else 32 GiB.
pub fn slab_bytes(physical: u64) -> u64 {
    if physical < 100_000_000_000 {
        1 << 30
    } else if physical <= 1_000_000_000_000 {
        2 << 30
    } else {
        32 << 30
    }
}

/// Whether `physical` bytes exceed what 8192 slabs of its slab size can address (E008).
pub fn too_big(physical: u64) -> bool {
    physical > MAX_SLABS * slab_bytes(physical)
}

/// The logical size: `ratio × physical`, in whole GiB.
pub fn logical_bytes(physical: u64, ratio: f64) -> u64 {
    let logical = (physical as f64 * ratio) as u64;
    logical >> 30 << 30
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slab_table() {
        assert_eq!(slab_bytes(50_000_000_000), 1 << 30);
        assert_eq!(slab_bytes(480_000_000_000), 2 << 30);
        assert_eq!(slab_bytes(4_000_000_000_000), 32 << 30);
        assert!(!too_big(200 << 40));
        assert!(too_big(300 << 40));
        assert_eq!(logical_bytes(4 << 30, 3.0), 12 << 30);
    }
}
