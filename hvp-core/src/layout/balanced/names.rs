//! Names of VGs, pools, LVs, mounts and brick directories in balanced plans.
//!
//! VG `gluster_vg_<disk>` (the last 24 characters of long disk names), pool
//! `gluster_thinpool_<vg>`, LV `gluster_lv_<volume>_<b|a><k>` (`b` data, `a` arbiter, `k` the
//! node's count for that volume and kind, in set order), mount
//! `/gluster_bricks/<volume>/<b|a><k>`, brick directory `<mount>/brick`. Volumes with one
//! replica set keep the plain names `gluster_lv_<volume>` and `/gluster_bricks/<volume>`.

/// The VG on `disk`.
pub fn volume_group(disk: &str) -> String {
    let count = disk.chars().count();
    let suffix = if count > 24 {
        let start = disk
            .char_indices()
            .nth(count - 24)
            .map_or(disk.len(), |(start, _)| start);
        &disk[start..]
    } else {
        disk
    };
    ["gluster_vg_", suffix].concat()
}

/// The thin pool of `vg`.
pub fn thin_pool(vg: &str) -> String {
    ["gluster_thinpool_", vg].concat()
}

/// The thin pool of one brick LV (`hvp_pool_per_brick`): `gluster_lv_vmstore_b1` →
/// `gluster_thinpool_vmstore_b1`.
pub fn brick_pool(lv: &str) -> String {
    [
        "gluster_thinpool_",
        lv.strip_prefix("gluster_lv_").unwrap_or(lv),
    ]
    .concat()
}

/// The cache LV of `pool`.
pub fn cache_lv(pool: &str) -> String {
    ["cachelv_", pool].concat()
}

/// LV name and mount point of a brick of `volume`; `index` is `None` for single-set volumes.
pub fn brick_lv(volume: &str, arbiter: bool, index: Option<usize>) -> (String, String) {
    match index {
        None => (
            format!("gluster_lv_{volume}"),
            format!("/gluster_bricks/{volume}"),
        ),
        Some(k) => {
            // Built by hand: large plans name tens of thousands of bricks twice.
            let kind = if arbiter { "a" } else { "b" };
            let mut digits = [0u8; 20];
            let number = decimal(k, &mut digits);
            let mut name = String::with_capacity(13 + volume.len() + number.len());
            name.push_str("gluster_lv_");
            name.push_str(volume);
            name.push('_');
            name.push_str(kind);
            name.push_str(number);
            let mut mount = String::with_capacity(18 + volume.len() + number.len());
            mount.push_str("/gluster_bricks/");
            mount.push_str(volume);
            mount.push('/');
            mount.push_str(kind);
            mount.push_str(number);
            (name, mount)
        }
    }
}

/// `value` in decimal, written into `digits` (without the formatting machinery of
/// `to_string`: large plans name tens of thousands of bricks twice).
fn decimal(mut value: usize, digits: &mut [u8; 20]) -> &str {
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    std::str::from_utf8(&digits[start..]).unwrap_or_default()
}

/// The brick directory inside a mount.
pub fn brick_directory(mount: &str) -> String {
    let mut directory = String::with_capacity(mount.len() + 6);
    directory.push_str(mount);
    directory.push_str("/brick");
    directory
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brick_numbers_are_decimal() {
        let mut digits = [0u8; 20];
        for k in [0, 7, 10, 1234567, usize::MAX] {
            assert_eq!(decimal(k, &mut digits), k.to_string());
        }
        assert_eq!(
            brick_lv("vmstore", true, Some(120)),
            (
                "gluster_lv_vmstore_a120".to_owned(),
                "/gluster_bricks/vmstore/a120".to_owned()
            )
        );
    }

    #[test]
    fn names() {
        assert_eq!(volume_group("sdb"), "gluster_vg_sdb");
        assert_eq!(
            volume_group("ééééééééééééééééééééééééé-x"),
            "gluster_vg_éééééééééééééééééééééé-x"
        );
        assert_eq!(
            volume_group("dm-uuid-mpath-3600508b1001c4d2f5e2a3b4c5d6e7f80"),
            "gluster_vg_001c4d2f5e2a3b4c5d6e7f80"
        );
        assert_eq!(
            thin_pool("gluster_vg_sdb"),
            "gluster_thinpool_gluster_vg_sdb"
        );
        assert_eq!(
            brick_lv("vmstore", true, Some(3)),
            (
                "gluster_lv_vmstore_a3".into(),
                "/gluster_bricks/vmstore/a3".into()
            )
        );
        assert_eq!(brick_lv("iso", false, None).1, "/gluster_bricks/iso");
    }
}
