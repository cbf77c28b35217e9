//! The capacity model of one data VG: extents, thin-pool metadata and pool data.
//!
//! ```text
//! V = floor((disk − pe_start) / PE) × PE        pe_start = max(1 MiB, alignment), PE = 4 MiB
//! M = min(16256 MiB, ceil_PE(0.005 × T))           pool metadata; LVM keeps a spare copy (pmspare)
//! T = V − thick − 2·M, rounded down to lcm(PE, chunk)
//! ```

/// Physical extent size.
pub const EXTENT: u64 = 4 << 20;
/// Largest thin-pool metadata hvp plans: 16256 MiB (4064 extents). LVM's own limit is
/// 16256.25 MiB (`DM_THIN_MAX_METADATA_SIZE`); asked for 16 GiB it silently allocates 4065
/// extents instead, so a plan of 16 GiB would never match the live pool (measured in the LVM
/// lab, `docs/lvm-lab.md`).
pub const MAX_METADATA: u64 = 16256 << 20;
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

/// Thin-pool metadata for pool data of `data_bytes`: 0.5 %, whole extents, at most
/// [`MAX_METADATA`].
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
    let step = pool_step(chunk_bytes);
    let estimate = available / 101 * 100;
    let metadata = metadata_bytes(estimate);
    let data = available.saturating_sub(2 * metadata) / step * step;
    if data == 0 {
        return (0, 0);
    }
    (data, metadata)
}

/// Room kept per VG for rounding the per-brick pools of `pool_per_brick` (each pool's data
/// rounded up to its step, each metadata up to an extent): enough for 64 bricks.
pub const PER_BRICK_SLACK_BRICKS: u64 = 64;

/// With one thin pool per brick (`hvp_pool_per_brick`): the bytes the bricks of a VG with
/// `available` bytes (after thick LVs) may take in all, and the spare metadata kept once.
/// Every brick pool needs its own metadata (0.5 % of its data, whole extents, no 16 GiB cap
/// over the sum), and LVM keeps one spare as large as the largest.
pub fn per_brick_budget(available: u64, chunk_bytes: u64) -> (u64, u64) {
    let step = pool_step(chunk_bytes);
    let spare = metadata_bytes(available / 101 * 100);
    let slack = PER_BRICK_SLACK_BRICKS * (step + EXTENT);
    let room = available.saturating_sub(spare + slack);
    let data = room / 201 * 200 / step * step;
    (data, spare)
}

/// The pool of one brick of `bytes` (`hvp_pool_per_brick`): data rounded up to the pool step,
/// metadata 0.5 % in whole extents (at least one).
pub fn brick_pool(bytes: u64, chunk_bytes: u64) -> (u64, u64) {
    let step = pool_step(chunk_bytes);
    let data = bytes.div_ceil(step) * step;
    (data, metadata_bytes(data).max(EXTENT))
}

/// The step pool data is rounded to: lcm(PE, chunk).
pub fn pool_step(chunk_bytes: u64) -> u64 {
    let chunk = chunk_bytes.max(1);
    EXTENT / gcd(EXTENT, chunk) * chunk
}

/// The size of a thick brick of a spread volume (`thick: true`): `bytes` rounded down to the
/// pool step of every member VG, so the pools it is taken from stay whole chunks.
pub fn thick_size<'a>(bytes: u64, members: impl Iterator<Item = &'a super::state::Vg>) -> u64 {
    let step = members.fold(EXTENT, |step, vg| {
        let other = pool_step(vg.geometry.chunk_bytes);
        step / gcd(step, other) * other
    });
    bytes / step * step
}

/// Takes a thick brick of `bytes` out of `vg`'s thin pool: the pool data shrinks by the same
/// bytes (its metadata, sized for the larger pool, stays valid), so thick LVs + pool + 2 ×
/// metadata still fit the VG and the thin LVs never over-commit the smaller pool.
pub fn take_thick(vg: &mut super::state::Vg, bytes: u64) {
    vg.free = vg.free.saturating_sub(bytes);
    vg.pool_data = vg.pool_data.saturating_sub(bytes);
    vg.thick_bytes += bytes;
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: f64 = (1u64 << 30) as f64;

    fn gib(bytes: u64) -> f64 {
        (bytes as f64 / GIB * 100.0).round() / 100.0
    }

    #[test]
    fn per_brick_pools_fit_their_budget() {
        let vg = vg_bytes(4_000_787_030_016, 256 << 10);
        let (budget, spare) = per_brick_budget(vg, 256 << 10);
        assert_eq!(spare, MAX_METADATA);
        // 64 bricks of odd sizes summing to the budget still fit with their metadata.
        let brick = floor_extents(budget / 64);
        let mut used = spare;
        let mut largest = 0;
        for _ in 0..64 {
            let (data, metadata) = brick_pool(brick - 3 * 4096, 256 << 10);
            assert!(data >= brick - 3 * 4096 && data % (256 << 10) == 0);
            used += data + metadata;
            largest = largest.max(metadata);
        }
        assert!(largest <= spare);
        assert!(used <= vg, "{used} > {vg}");
        // Above 3.2 TiB the per-brick metadata is more than one pool's 16 GiB cap.
        assert!(budget < pool_in(vg, 256 << 10).0);
        assert_eq!(brick_pool(4 << 20, 1280 << 10), (20 << 20, 4 << 20));
    }

    #[test]
    fn reference_values_of_the_spec() {
        // (disk bytes, V, T, M) in GiB, JBOD alignment and chunk. The spec's table with LVM's
        // real metadata maximum (15.875 GiB, not 16): T of the 4 and 8 TB disks 0.25 GiB more.
        let table = [
            (480_103_981_056u64, 447.13, 442.70, 2.22),
            (1_000_204_886_016, 931.51, 922.29, 4.61),
            (2_000_398_934_016, 1863.02, 1844.56, 9.23),
            (4_000_787_030_016, 3726.02, 3694.27, 15.875),
            (8_001_563_222_016, 7452.04, 7420.29, 15.875),
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
