//! `pvs`, `vgs` and `lvs` JSON reports (`--reportformat json --units b --nosuffix`), read into
//! typed rows. LVM prints every field as a string; sizes are byte counts with these options.

use super::DriftError;
use serde::Serialize;
use serde_json::Value;

/// The `pvs` command line whose output [`parse_pvs`] reads.
pub const PVS_ARGS: &[&str] = &[
    "pvs",
    "--reportformat",
    "json",
    "--units",
    "b",
    "--nosuffix",
    "-o",
    "pv_name,vg_name,pv_size,pv_free",
];
/// The `vgs` command line whose output [`parse_vgs`] reads.
pub const VGS_ARGS: &[&str] = &[
    "vgs",
    "--reportformat",
    "json",
    "--units",
    "b",
    "--nosuffix",
    "-o",
    "vg_name,vg_size,vg_free,vg_extent_size,pv_count,lv_count",
];
/// The `lvs` command line whose output [`parse_lvs`] reads.
pub const LVS_ARGS: &[&str] = &[
    "lvs",
    "--reportformat",
    "json",
    "--units",
    "b",
    "--nosuffix",
    "-o",
    "lv_name,vg_name,lv_size,pool_lv,lv_attr,segtype,lv_metadata_size",
];

/// A physical volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LivePv {
    /// Device path (`/dev/sdb`).
    pub name: String,
    /// Its VG; `None` for an orphan PV.
    pub vg: Option<String>,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Unallocated bytes.
    pub free_bytes: u64,
}

/// A volume group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveVg {
    /// VG name.
    pub name: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Unallocated bytes.
    pub free_bytes: u64,
    /// Physical extent size in bytes.
    pub extent_bytes: u64,
}

/// A logical volume (hidden LVs such as pool metadata are not listed by plain `lvs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveLv {
    /// LV name.
    pub name: String,
    /// Its VG.
    pub vg: String,
    /// Size in bytes (virtual size of a thin LV, data size of a pool).
    pub size_bytes: u64,
    /// The pool of a thin LV.
    pub pool: Option<String>,
    /// `lv_attr` (`twi-aotz--` pool, `Vwi-aotz--` thin, `-wi-ao----` linear).
    pub attr: String,
    /// Segment type (`linear`, `thin-pool`, `thin`, `cache`, `vdo`, …).
    pub segtype: String,
    /// Metadata size of a pool.
    pub metadata_bytes: Option<u64>,
}

impl LiveLv {
    /// Whether the LV is a thin pool (also when its data LV is cached).
    pub fn is_thin_pool(&self) -> bool {
        self.attr.starts_with('t') || self.segtype == "thin-pool"
    }
}

fn rows<'a>(
    text: &'a Value,
    key: &str,
    source: &str,
    command: &str,
) -> Result<&'a Vec<Value>, DriftError> {
    let error = |message: String| DriftError::LvmReport {
        source_name: source.to_owned(),
        message,
        command: command.to_owned(),
    };
    let reports = text
        .get("report")
        .and_then(Value::as_array)
        .ok_or_else(|| error("no \"report\" list".to_owned()))?;
    let report = reports
        .first()
        .ok_or_else(|| error("the \"report\" list is empty".to_owned()))?;
    report
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| error(format!("no \"{key}\" list in the report")))
}

struct Row<'a> {
    row: &'a Value,
    index: usize,
    source: &'a str,
    command: &'a str,
}

impl Row<'_> {
    fn error(&self, message: String) -> DriftError {
        DriftError::LvmReport {
            source_name: self.source.to_owned(),
            message: format!("row {}: {message}", self.index + 1),
            command: self.command.to_owned(),
        }
    }

    fn text(&self, field: &str) -> Result<String, DriftError> {
        self.row
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| self.error(format!("no field \"{field}\"")))
    }

    fn optional_text(&self, field: &str) -> Result<Option<String>, DriftError> {
        Ok(Some(self.text(field)?).filter(|text| !text.is_empty()))
    }

    fn bytes(&self, field: &str) -> Result<u64, DriftError> {
        self.optional_bytes(field)?
            .ok_or_else(|| self.error(format!("field \"{field}\" is empty")))
    }

    fn optional_bytes(&self, field: &str) -> Result<Option<u64>, DriftError> {
        let Some(text) = self.optional_text(field)? else {
            return Ok(None);
        };
        let digits = text.trim().trim_end_matches(['B', 'b']);
        digits.parse::<u64>().map(Some).map_err(|_| {
            self.error(format!(
                "field \"{field}\" is {text:?}, not a byte count (use --units b --nosuffix)"
            ))
        })
    }
}

fn parse_rows<T>(
    text: &str,
    key: &str,
    source: &str,
    args: &[&str],
    mut row: impl FnMut(&Row<'_>) -> Result<T, DriftError>,
) -> Result<Vec<T>, DriftError> {
    let command = args.join(" ");
    let value: Value = serde_json::from_str(text).map_err(|error| DriftError::LvmReport {
        source_name: source.to_owned(),
        message: format!("not JSON ({error})"),
        command: command.clone(),
    })?;
    rows(&value, key, source, &command)?
        .iter()
        .enumerate()
        .map(|(index, value)| {
            row(&Row {
                row: value,
                index,
                source,
                command: &command,
            })
        })
        .collect()
}

/// Reads `pvs` output; `source` names node and command in errors.
pub fn parse_pvs(text: &str, source: &str) -> Result<Vec<LivePv>, DriftError> {
    parse_rows(text, "pv", source, PVS_ARGS, |row| {
        Ok(LivePv {
            name: row.text("pv_name")?,
            vg: row.optional_text("vg_name")?,
            size_bytes: row.bytes("pv_size")?,
            free_bytes: row.bytes("pv_free")?,
        })
    })
}

/// Reads `vgs` output.
pub fn parse_vgs(text: &str, source: &str) -> Result<Vec<LiveVg>, DriftError> {
    parse_rows(text, "vg", source, VGS_ARGS, |row| {
        Ok(LiveVg {
            name: row.text("vg_name")?,
            size_bytes: row.bytes("vg_size")?,
            free_bytes: row.bytes("vg_free")?,
            extent_bytes: row.optional_bytes("vg_extent_size")?.unwrap_or(4 << 20),
        })
    })
}

/// Reads `lvs` output.
pub fn parse_lvs(text: &str, source: &str) -> Result<Vec<LiveLv>, DriftError> {
    parse_rows(text, "lv", source, LVS_ARGS, |row| {
        Ok(LiveLv {
            name: row.text("lv_name")?,
            vg: row.text("vg_name")?,
            size_bytes: row.bytes("lv_size")?,
            pool: row.optional_text("pool_lv")?,
            attr: row.optional_text("lv_attr")?.unwrap_or_default(),
            segtype: row.optional_text("segtype")?.unwrap_or_default(),
            metadata_bytes: row.optional_bytes("lv_metadata_size")?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sizes_with_and_without_suffix() {
        let text = r#"{"report":[{"pv":[{"pv_name":"/dev/sdb","vg_name":"","pv_size":"1024B","pv_free":"512"}]}]}"#;
        let pvs = parse_pvs(text, "n0: pvs").unwrap();
        assert_eq!(pvs[0].vg, None);
        assert_eq!((pvs[0].size_bytes, pvs[0].free_bytes), (1024, 512));
    }

    #[test]
    fn names_row_and_field_of_a_bad_size() {
        let text = r#"{"report":[{"vg":[{"vg_name":"vg","vg_size":"1.00t","vg_free":"0"}]}]}"#;
        let error = parse_vgs(text, "n0: vgs").unwrap_err().to_string();
        assert!(
            error.contains("n0: vgs: row 1: field \"vg_size\" is \"1.00t\""),
            "{error}"
        );
        assert!(error.contains("--units b --nosuffix"), "{error}");
    }

    #[test]
    fn refuses_text_that_is_not_a_report() {
        let error = parse_lvs("  No volume groups found", "n1: lvs").unwrap_err();
        assert!(
            error.to_string().starts_with("n1: lvs: not JSON"),
            "{error}"
        );
        let error = parse_lvs(r#"{"report":[{"vg":[]}]}"#, "n1: lvs").unwrap_err();
        assert!(error.to_string().contains("no \"lv\" list"), "{error}");
    }
}
