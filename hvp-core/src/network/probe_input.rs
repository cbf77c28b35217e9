//! Reading a probe document from the bytes a user gave: UTF-8 with the byte offset of a bad
//! byte, JSON errors with the field path and no Rust type names, and unknown fields with the
//! closest known one (an error in the default mode, a warning in compat mode).

use serde_json::{Map, Value};

use super::error::{Findings, PlanError};
use super::mode::Mode;
use super::probe::ProbeDocument;
use crate::input::json;
use crate::input::unknown::find_unknown;

/// The fields of the probe document.
pub const DOCUMENT_FIELDS: &[&str] = &[
    "role",
    "node_index",
    "parameters",
    "fragments",
    "nameservers",
    "nics",
];
/// The fields of one `nics[]` entry.
pub const NIC_FIELDS: &[&str] = &["name", "mac", "carrier", "max_mtu", "reaches", "dhcp"];
/// The fields of one `fragments[]` entry.
pub const FRAGMENT_FIELDS: &[&str] = &["name", "text"];

/// Reads a probe document; returns it with the warnings (compat-mode unknown fields).
pub fn read_probe(bytes: &[u8], mode: Mode) -> Result<(ProbeDocument, Vec<String>), PlanError> {
    let mut findings = Findings::default();
    let value: Value = json::parse(bytes).map_err(|error| {
        PlanError::Problems(vec![super::Problem::new(
            "probe document",
            error.to_string(),
            "give a JSON object {\"role\": \"node\"|\"installer\", \"parameters\": {...}, \"nics\": [...]}",
        )])
    })?;
    if let Value::Object(document) = &value {
        check_fields(
            "probe document",
            document,
            DOCUMENT_FIELDS,
            mode,
            &mut findings,
        );
        for (list, fields) in [("nics", NIC_FIELDS), ("fragments", FRAGMENT_FIELDS)] {
            if let Some(Value::Array(items)) = document.get(list) {
                for (index, item) in items.iter().enumerate() {
                    if let Value::Object(entry) = item {
                        check_fields(
                            &format!("{list}[{index}]"),
                            entry,
                            fields,
                            mode,
                            &mut findings,
                        );
                    }
                }
            }
        }
    }
    let document: ProbeDocument = json::from_value(&value).map_err(|error| {
        PlanError::Problems(vec![super::Problem::new(
            "probe document",
            error.to_string(),
            "see docs/network.md for the fields and their types",
        )])
    })?;
    findings.check()?;
    Ok((document, findings.warnings))
}

fn check_fields(
    subject: &str,
    object: &Map<String, Value>,
    known: &[&str],
    mode: Mode,
    findings: &mut Findings,
) {
    for unknown in find_unknown(object.keys().map(String::as_str), known) {
        findings.strict(
            mode.is_compat(),
            subject,
            format!("{}, so it has no effect", unknown.message("field")),
            unknown.fix(),
        );
    }
}
