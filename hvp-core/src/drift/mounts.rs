//! `/proc/self/mountinfo` and the device names of LVs.

use super::DriftError;
use serde::Serialize;

/// One mounted filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    /// Where it is mounted (escapes such as `\040` decoded).
    pub mount_point: String,
    /// Filesystem type (`xfs`).
    pub fstype: String,
    /// Mount source (`/dev/mapper/gluster_vg_sdb-gluster_lv_engine`).
    pub source: String,
}

/// Reads the text of `/proc/self/mountinfo`; `source` names node and file in errors.
pub fn parse_mountinfo(text: &str, source: &str) -> Result<Vec<Mount>, DriftError> {
    let mut mounts = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let error = |message: &str| DriftError::MountInfo {
            source_name: source.to_owned(),
            line: index + 1,
            message: message.to_owned(),
        };
        let fields: Vec<&str> = line.split(' ').collect();
        let separator = fields
            .iter()
            .position(|field| *field == "-")
            .ok_or_else(|| error("no \" - \" separator"))?;
        if separator < 6 {
            return Err(error("fewer than six fields before the separator"));
        }
        let (fstype, mount_source) = match (fields.get(separator + 1), fields.get(separator + 2)) {
            (Some(fstype), Some(mount_source)) => (fstype, mount_source),
            _ => return Err(error("no filesystem type and source after the separator")),
        };
        mounts.push(Mount {
            mount_point: unescape(fields[4]),
            fstype: unescape(fstype),
            source: unescape(mount_source),
        });
    }
    Ok(mounts)
}

/// Decodes the kernel's octal escapes (`\040` space, `\011` tab, `\012` newline, `\134`
/// backslash).
fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let octal = bytes.get(index + 1..index + 4).filter(|digits| {
            bytes[index] == b'\\' && digits.iter().all(|digit| (b'0'..=b'7').contains(digit))
        });
        match octal {
            Some(digits) => {
                let value = digits
                    .iter()
                    .fold(0u32, |value, digit| value * 8 + u32::from(digit - b'0'));
                out.push(u8::try_from(value).unwrap_or(b'?'));
                index += 4;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `(vg, lv)` an LVM device path names: `/dev/mapper/VG-LV` (a `-` inside a name is
/// doubled) or `/dev/VG/LV`. `None` for any other device.
pub fn lv_of_device(device: &str) -> Option<(String, String)> {
    if let Some(name) = device.strip_prefix("/dev/mapper/") {
        let chars: Vec<char> = name.chars().collect();
        let mut index = 0;
        while index < chars.len() {
            if chars[index] == '-' {
                if chars.get(index + 1) == Some(&'-') {
                    index += 2;
                    continue;
                }
                let vg: String = chars[..index].iter().collect();
                let lv: String = chars[index + 1..].iter().collect();
                if vg.is_empty() || lv.is_empty() {
                    return None;
                }
                return Some((vg.replace("--", "-"), lv.replace("--", "-")));
            }
            index += 1;
        }
        return None;
    }
    let rest = device.strip_prefix("/dev/")?;
    let (vg, lv) = rest.split_once('/')?;
    (!vg.is_empty() && !lv.is_empty() && !lv.contains('/')).then(|| (vg.to_owned(), lv.to_owned()))
}

/// The device-mapper path of an LV (`/dev/mapper/VG-LV`, `-` doubled inside names).
pub fn mapper_path(vg: &str, lv: &str) -> String {
    format!(
        "/dev/mapper/{}-{}",
        vg.replace('-', "--"),
        lv.replace('-', "--")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_mapper_and_vg_paths() {
        assert_eq!(
            lv_of_device("/dev/mapper/gluster_vg_sdb-gluster_lv_engine"),
            Some(("gluster_vg_sdb".into(), "gluster_lv_engine".into()))
        );
        assert_eq!(
            lv_of_device("/dev/mapper/vg--a-lv--b--c"),
            Some(("vg-a".into(), "lv-b-c".into()))
        );
        assert_eq!(
            lv_of_device("/dev/vgdisk1/engine"),
            Some(("vgdisk1".into(), "engine".into()))
        );
        assert_eq!(lv_of_device("/dev/sdb1"), None);
        assert_eq!(lv_of_device("tmpfs"), None);
        assert_eq!(lv_of_device("/dev/mapper/vdo_sdb"), None);
        assert_eq!(mapper_path("vg-a", "lv-b"), "/dev/mapper/vg--a-lv--b");
    }

    #[test]
    fn decodes_escapes_and_optional_fields() {
        let text = "36 35 98:0 /mnt1 /gluster\\040bricks/a rw,noatime master:1 shared:7 - xfs /dev/mapper/vg-lv rw\n";
        let mounts = parse_mountinfo(text, "n0").unwrap();
        assert_eq!(mounts[0].mount_point, "/gluster bricks/a");
        assert_eq!(mounts[0].fstype, "xfs");
        assert_eq!(mounts[0].source, "/dev/mapper/vg-lv");
    }

    #[test]
    fn names_the_bad_line() {
        let error = parse_mountinfo("1 2 3\n", "node1: /proc/self/mountinfo").unwrap_err();
        assert_eq!(
            error.to_string(),
            "node1: /proc/self/mountinfo: line 1 is not a mountinfo line (no \" - \" separator); \
             pass the text of /proc/self/mountinfo unchanged"
        );
    }
}
