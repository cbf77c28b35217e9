//! The capacity model of one data VG: extents, thin-pool metadata and pool data.
//!
//! ```text
//! V = floor((disk − pe_start) / PE) × PE        pe_start = max(1 MiB, alignment), PE = 4 MiB
//! M = min(16 GiB, ceil_PE(0.005 × T))           pool metadata; LVM keeps a spare copy (pmspare)
//! T = V − thick − 2·M, rounded down to lcm(PE, chunk)
//! ```

/// Physical extent size.
pub const EXTENT: u64 = 4 << 20;
/// Largest thin-pool metadata LVM supports.
pub const MAX_METADATA: u64 = 16 << 30;
/// Chunks of pool data one thin pool can address: LVM refuses a pool above chunk × 254 Mi
/// ("Selected chunk size 256.00 KiB cannot address more then 63.50 TiB of thin pool data
/// space", measured in the LVM lab, docs/lvm-lab.md).
pub const MAX_CHUNKS: u64 = 254 << 20;
/// Largest thin-pool chunk LVM accepts.
pub const MAX_CHUNK: u64 = 1 << 30;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// `bytes` rounded down to whole extents.
pub fn floor_extents(bytes: u64) -> u64 {
    bytes / EXTENT * EXTENT
}

/// `bytes` rounded up to whole extents.
pub fn ceil_extents(bytes: u64) -> u64 {
    bytes.div_ceil(EXTENT) * EXTENT
}

/// Usable bytes of a VG on a PV of `device_bytes` with data alignment `alignment_bytes`.
pub fn vg_bytes(device_bytes: u64, alignment_bytes: u64) -> u64 {
    let pe_start = alignment_bytes.max(1 << 20);
    floor_extents(device_bytes.saturating_sub(pe_start))
}

/// Thin-pool metadata for pool data of `data_bytes`: 0.5 %, whole extents, at most 16 GiB.
pub fn metadata_bytes(data_bytes: u64) -> u64 {
    ceil_extents(data_bytes.div_ceil(200)).min(MAX_METADATA)
}

/// The planned chunk, doubled until it addresses `data_bytes` of pool data (at most 1 GiB):
/// doubling keeps it a multiple of the stripe-derived chunk.
pub fn addressing_chunk(chunk_bytes: u64, data_bytes: u64) -> u64 {
    let mut chunk = chunk_bytes.max(64 << 10);
    while chunk.saturating_mul(MAX_CHUNKS) < data_bytes && chunk < MAX_CHUNK {
        chunk *= 2;
    }
    chunk
}

/// The pool data `T` and metadata `M` that fit in `available` bytes of a VG (after thick LVs),
/// keeping room for the metadata and its spare copy; `T` is a multiple of lcm(PE, chunk).
pub fn pool_in(available: u64, chunk_bytes: u64) -> (u64, u64) {
    let step = EXTENT / gcd(EXTENT, chunk_bytes.max(1)) * chunk_bytes.max(1);
    let estimate = available / 101 * 100;
    let metadata = metadata_bytes(estimate);
    let data = available.saturating_sub(2 * metadata) / step * step;
    if data == 0 {
        return (0, 0);
    }
    (data, metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: f64 = (1u64 << 30) as f64;

    fn gib(bytes: u64) -> f64 {
        (bytes as f64 / GIB * 100.0).round() / 100.0
    }

    #[test]
    fn reference_values_of_the_spec() {
        // (disk bytes, V, T, M) in GiB, JBOD alignment and chunk.
        let table = [
            (480_103_981_056u64, 447.13, 442.70, 2.22),
            (1_000_204_886_016, 931.51, 922.29, 4.61),
            (2_000_398_934_016, 1863.02, 1844.56, 9.23),
            (4_000_787_030_016, 3726.02, 3694.02, 16.0),
            (8_001_563_222_016, 7452.04, 7420.04, 16.0),
        ];
        for (disk, v, t, m) in table {
            let vg = vg_bytes(disk, 256 << 10);
            let (data, metadata) = pool_in(vg, 256 << 10);
            assert_eq!(gib(vg), v, "V of {disk}");
            assert!(
                (gib(data) - t).abs() <= 0.02,
                "T of {disk}: {} vs {t}",
                gib(data)
            );
            assert!(
                (gib(metadata) - m).abs() <= 0.02,
                "M of {disk}: {}",
                gib(metadata)
            );
            assert!(data + 2 * metadata <= vg);
        }
    }

    #[test]
    fn the_chunk_grows_until_it_addresses_the_pool() {
        const TIB: u64 = 1 << 40;
        const KIB: u64 = 1 << 10;
        // 256 KiB addresses 63.5 TiB (LVM), 512 KiB 127 TiB.
        assert_eq!(addressing_chunk(256 * KIB, 63 * TIB), 256 * KIB);
        assert_eq!(addressing_chunk(256 * KIB, 127 * TIB / 2), 256 * KIB);
        assert_eq!(addressing_chunk(256 * KIB, 70 * TIB), 512 * KIB);
        assert_eq!(addressing_chunk(256 * KIB, 200 * TIB), 1024 * KIB);
        // A RAID6 full-stripe chunk stays a multiple of the stripe.
        assert_eq!(addressing_chunk(1280 * KIB, 400 * TIB), 2560 * KIB);
        assert_eq!(addressing_chunk(256 * KIB, u64::MAX), MAX_CHUNK);
    }
}
