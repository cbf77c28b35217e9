//! Pure parsers for what the probing tools and `/proc` files print (public for the fuzz
//! targets in `fuzz/`: they read text another program or the kernel printed).

use hvp_core::disks::Signature;
use serde_json::Value;

/// One whole device as `lsblk --json --nodeps` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LsblkDevice {
    /// Kernel name, e.g. `sdb`.
    pub name: String,
    /// `lsblk` type, e.g. `disk`, `rom`, `mpath` (`unknown` when missing).
    pub device_type: String,
    /// Model, when printed.
    pub model: Option<String>,
    /// Serial number, when printed.
    pub serial: Option<String>,
    /// World-wide name, when printed.
    pub wwn: Option<String>,
}

/// A trimmed, non-empty string from an lsblk value (old lsblk prints every value as a string).
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.trim().to_owned()).filter(|text| !text.is_empty()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Parses `lsblk --json --nodeps --output NAME,TYPE,MODEL,SERIAL,WWN`.
pub fn lsblk_json(json: &str) -> Result<Vec<LsblkDevice>, String> {
    let document: Value = serde_json::from_str(json).map_err(|error| error.to_string())?;
    let devices = document
        .get("blockdevices")
        .and_then(Value::as_array)
        .ok_or("no \"blockdevices\" list")?;
    devices
        .iter()
        .map(|device| {
            let name = text(device.get("name")).ok_or("a device without a name")?;
            Ok(LsblkDevice {
                device_type: text(device.get("type")).unwrap_or_else(|| "unknown".to_owned()),
                model: text(device.get("model")),
                serial: text(device.get("serial")),
                wwn: text(device.get("wwn")),
                name,
            })
        })
        .collect()
}

/// The signatures in `blkid -p -o export` output: TYPE (with USAGE) and PTTYPE.
pub fn blkid_export(text: &str) -> Vec<Signature> {
    let field = |key: &str| {
        text.lines()
            .filter_map(|line| line.split_once('='))
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    };
    let mut signatures = Vec::new();
    if let Some(pttype) = field("PTTYPE") {
        signatures.push(Signature::from_blkid(pttype, None, true));
    }
    if let Some(type_name) = field("TYPE") {
        signatures.push(Signature::from_blkid(type_name, field("USAGE"), false));
    }
    signatures
}

/// `(major:minor, mount point)` of every line of `/proc/self/mountinfo`.
pub fn mountinfo(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split(' ');
            let number = fields.nth(2)?;
            let mountpoint = fields.nth(1)?;
            Some((number.to_owned(), unescape(mountpoint)))
        })
        .collect()
}

/// Undoes the kernel's octal escapes (`\040` for a space) in mountinfo and swaps.
fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let octal = bytes.get(index + 1..index + 4).and_then(|digits| {
            std::str::from_utf8(digits)
                .ok()
                .and_then(|digits| u8::from_str_radix(digits, 8).ok())
        });
        match (bytes[index], octal) {
            (b'\\', Some(byte)) => {
                out.push(byte);
                index += 4;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The file names of `/proc/swaps` (after its header line).
pub fn swaps(text: &str) -> Vec<String> {
    text.lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .map(unescape)
        .collect()
}

/// The PV paths of `pvs --noheadings --options pv_name`.
pub fn pvs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| line.starts_with('/'))
        .map(str::to_owned)
        .collect()
}

/// The `Storage device:` paths of `vdo status` (YAML, one per VDO volume).
pub fn vdo_storage_devices(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("Storage device:"))
        .map(|path| {
            path.trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_owned()
        })
        .filter(|path| !path.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
