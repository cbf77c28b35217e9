//! VDO devices as the running system shows them: the legacy `vdo` manager's `vdo status`
//! (YAML, EL7/EL8) and LVM-VDO LVs (`lvs` segment types `vdo-pool` and `vdo`, EL9).
//!
//! `vdo status` lists every VDO volume under `VDOs:` by name; the logical size is read from
//! `Device mapper status` (`0 <sectors> vdo …`, 512-byte sectors: exact), else from
//! `Logical size` (`3T`, binary units as the manager prints them). LVM-VDO: a `vdo-pool` LV
//! (its size is the physical size) and the `vdo` LVs on it (`pool_lv` names the pool; their
//! sizes are the logical size).

use super::lvm::LiveLv;
use super::DriftError;
use serde::Serialize;
use serde_yaml_ng::Value;

/// The command whose standard output [`parse_vdo_status`] reads.
pub const VDO_STATUS_ARGS: &[&str] = &["vdo", "status"];

/// Which VDO implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LiveVdoKind {
    /// The `vdo` manager (kvdo), a device-mapper target under a whole disk.
    Legacy,
    /// An LVM VDO pool.
    Lvm,
}

/// One VDO device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveVdo {
    /// Name (`vdo_sdb`; for LVM-VDO the pool LV's name).
    pub name: String,
    /// Legacy or LVM.
    pub kind: LiveVdoKind,
    /// The VG of an LVM VDO pool.
    pub vg: Option<String>,
    /// Logical size, bytes (LVM: the sum of the VDO LVs on the pool).
    pub logical_size_bytes: Option<u64>,
    /// Physical size, bytes, when shown.
    pub physical_size_bytes: Option<u64>,
    /// Backing device (`Storage device` of the legacy manager).
    pub storage_device: Option<String>,
}

fn error(source: &str, message: impl Into<String>) -> DriftError {
    DriftError::VdoStatus {
        source_name: source.to_owned(),
        message: message.into(),
    }
}

/// `3T`, `100G`, `4096`: a size as the vdo manager prints it (binary units, optional `B`).
fn manager_size(text: &str) -> Option<u64> {
    let text = text.trim().trim_end_matches(['B', 'b']);
    let (number, shift) = match text.chars().last()? {
        'K' | 'k' => (&text[..text.len() - 1], 10),
        'M' | 'm' => (&text[..text.len() - 1], 20),
        'G' | 'g' => (&text[..text.len() - 1], 30),
        'T' | 't' => (&text[..text.len() - 1], 40),
        'P' | 'p' => (&text[..text.len() - 1], 50),
        _ => (text, 0),
    };
    if let Ok(whole) = number.parse::<u64>() {
        return whole.checked_mul(1 << shift);
    }
    let value: f64 = number.parse().ok()?;
    (value.is_finite() && value >= 0.0).then(|| (value * (1u64 << shift) as f64).round() as u64)
}

fn field<'a>(volume: &'a Value, key: &str) -> Option<&'a Value> {
    volume.as_mapping()?.get(Value::String(key.to_owned()))
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Reads the standard output of `vdo status`; `source` names node and command in errors.
/// Output without a `VDOs` section (no VDO volume configured) is an empty list.
pub fn parse_vdo_status(text: &str, source: &str) -> Result<Vec<LiveVdo>, DriftError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let document: Value = serde_yaml_ng::from_str(text)
        .map_err(|e| error(source, format!("not the YAML `vdo status` prints ({e})")))?;
    let Some(vdos) = field(&document, "VDOs") else {
        return Ok(Vec::new());
    };
    let Some(map) = vdos.as_mapping() else {
        return if vdos.is_null() {
            Ok(Vec::new())
        } else {
            Err(error(source, "\"VDOs\" is not a map of volume names"))
        };
    };
    let mut list = Vec::new();
    for (name, volume) in map {
        let name = text_of(name).ok_or_else(|| error(source, "a VDO name is not text"))?;
        // `0 <logical sectors> vdo <device> …`
        let dm_sectors = field(volume, "Device mapper status")
            .and_then(text_of)
            .and_then(|status| {
                let words: Vec<&str> = status.split_whitespace().collect();
                (words.get(2) == Some(&"vdo"))
                    .then(|| words.get(1)?.parse::<u64>().ok())
                    .flatten()
            });
        let logical = dm_sectors
            .and_then(|sectors| sectors.checked_mul(512))
            .or_else(|| {
                field(volume, "Logical size")
                    .and_then(text_of)
                    .and_then(|t| manager_size(&t))
            });
        list.push(LiveVdo {
            name,
            kind: LiveVdoKind::Legacy,
            vg: None,
            logical_size_bytes: logical,
            physical_size_bytes: field(volume, "Physical size")
                .and_then(text_of)
                .and_then(|t| manager_size(&t)),
            storage_device: field(volume, "Storage device").and_then(text_of),
        });
    }
    Ok(list)
}

/// The LVM VDO pools among `lvs` rows, each with the logical size of its VDO LVs.
pub fn lvm_vdos(lvs: &[LiveLv]) -> Vec<LiveVdo> {
    lvs.iter()
        .filter(|lv| lv.segtype == "vdo-pool" || lv.attr.starts_with('d'))
        .map(|pool| {
            let volumes: Vec<&LiveLv> = lvs
                .iter()
                .filter(|lv| {
                    lv.segtype == "vdo"
                        && lv.vg == pool.vg
                        && lv.pool.as_deref() == Some(pool.name.as_str())
                })
                .collect();
            LiveVdo {
                name: pool.name.clone(),
                kind: LiveVdoKind::Lvm,
                vg: Some(pool.vg.clone()),
                logical_size_bytes: (!volumes.is_empty())
                    .then(|| volumes.iter().map(|lv| lv.size_bytes).sum()),
                physical_size_bytes: Some(pool.size_bytes),
                storage_device: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manager_sizes_are_binary() {
        assert_eq!(manager_size("3T"), Some(3 << 40));
        assert_eq!(manager_size("100G"), Some(100 << 30));
        assert_eq!(manager_size("4K"), Some(4096));
        assert_eq!(manager_size("1.5G"), Some(3 << 29));
        assert_eq!(manager_size("lots"), None);
    }

    #[test]
    fn no_vdos_and_bad_yaml() {
        assert_eq!(parse_vdo_status("", "n0: vdo status"), Ok(Vec::new()));
        assert_eq!(
            parse_vdo_status("VDO status:\n  Node: n0\nVDOs: {}\n", "n0: vdo status"),
            Ok(Vec::new())
        );
        let bad = parse_vdo_status("VDOs: [a\n", "n0: vdo status").unwrap_err();
        assert!(
            bad.to_string().starts_with("n0: vdo status: not the YAML"),
            "{bad}"
        );
    }
}
