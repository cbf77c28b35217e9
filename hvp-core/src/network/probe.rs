//! The probe document: what a machine found out about its own interfaces, as the planner's input.
//!
//! A probe program (`hvp-netprobe`) or a test writes this JSON document; the planner
//! ([`crate::network::plan_network`]) turns it into a network plan. The document carries
//! observations only (carrier, maximum MTU, DHCP success, reached test addresses), never
//! decisions.
//!
//! ```json
//! {"role": "node", "node_index": 1,
//!  "parameters": {"hvp_gluster_mtu": "9000", "hvp_mgmt_bondmode": "lacp"},
//!  "fragments": [{"name": "hvp_parameters.sh", "text": "node_ip_offset=20\n"}],
//!  "nameservers": ["192.168.1.1"],
//!  "nics": [{"name": "eth0", "mac": "52:54:00:aa:00:01", "carrier": true, "max_mtu": 9000,
//!            "reaches": ["mgmt"]}]}
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Which kickstart the machine runs: the installer (heresiarch) or a virtualization node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The installer machine: it takes one NIC per zone, and a DHCP NIC becomes the external uplink.
    Installer,
    /// A hyperconverged node: NICs join the zone whose test address they reach, and bond.
    Node,
}

/// A parameter fragment (`hvp_parameters*.sh`) handed over by the installer.
///
/// The text is parsed as data (simple `name=value` and `name['key']=value` assignments);
/// it is never executed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    /// File name of the fragment, e.g. `hvp_parameters_heretic_ngn.sh`; used in messages.
    pub name: String,
    /// The shell text of the fragment.
    pub text: String,
}

/// One entry of the raw interface listing (`/sys/class/net`), with what the probe observed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbedNic {
    /// Kernel interface name (`eth0`, `lo`, `bonding_masters`, ...): the raw listing, unfiltered.
    pub name: String,
    /// Hardware address, lowercase and colon-separated, when the entry has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    /// True when the sysfs carrier reads exactly `1` (an administratively down NIC has no carrier).
    #[serde(default)]
    pub carrier: bool,
    /// Largest MTU the NIC accepts (set and read back). Absent means 1500.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_mtu: Option<u32>,
    /// Node role: the zones whose test address answered from this NIC with the zone's MTU
    /// and a temporary address set. Zone names: `mgmt`, `gluster`, `lan`, `internal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaches: Option<Vec<String>>,
    /// Installer role: whether a DHCP lease was obtained on this NIC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhcp: Option<bool>,
}

impl ProbedNic {
    /// The MTU ceiling of this NIC: `max_mtu`, or 1500 when the probe did not report one.
    pub fn mtu_ceiling(&self) -> u32 {
        self.max_mtu.unwrap_or(DEFAULT_MAX_MTU)
    }
}

/// MTU assumed for a NIC whose probe did not report `max_mtu`.
pub const DEFAULT_MAX_MTU: u32 = 1500;

/// The planner's input: everything a machine knows about its network before deciding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeDocument {
    /// Installer or node.
    pub role: Role,
    /// This node's index (0-based), as `hvp_nodeid` would give it. Node role only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_index: Option<u32>,
    /// Kernel command line `hvp_*` parameters as strings, e.g. `"hvp_gluster_mtu": "9000"`.
    /// Flags without a value (`hvp_nicmacfix`) are given as an empty string.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    /// Parameter fragments in precedence order (lowest first), e.g. `hvp_parameters.sh`
    /// then `hvp_parameters_heretic_ngn.sh`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fragments: Vec<Fragment>,
    /// Nameservers from `/etc/resolv.conf`, in file order (used when no `hvp_nameserver` is given).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<String>,
    /// The raw interface listing with observations.
    #[serde(default)]
    pub nics: Vec<ProbedNic>,
}

/// A probe document that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ProbeDocumentError {
    /// The text is not a valid probe document (with the field path, see
    /// [`crate::input::json`]).
    #[error("invalid probe document: {0} (expected {{\"role\": \"node\"|\"installer\", \"parameters\": {{...}}, \"nics\": [...]}})")]
    Json(#[from] crate::input::json::JsonInputError),
}

impl ProbeDocument {
    /// Reads a probe document from its JSON text. Unknown fields are ignored here;
    /// [`crate::network::read_probe`] reports them.
    pub fn from_json(text: &str) -> Result<Self, ProbeDocumentError> {
        Ok(crate::input::json::parse(text.as_bytes())?)
    }

    /// Writes the document as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serializing plain structs, strings and maps cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_issue_example() {
        let doc = ProbeDocument::from_json(
            r#"{"role": "node", "node_index": 1,
                "parameters": {"hvp_gluster_mtu": "9000", "hvp_mgmt_bondmode": "lacp"},
                "nics": [{"name": "eth0", "mac": "52:54:00:aa:00:01", "carrier": true,
                          "max_mtu": 9000, "reaches": ["mgmt"]}]}"#,
        )
        .unwrap();
        assert_eq!(doc.role, Role::Node);
        assert_eq!(doc.node_index, Some(1));
        assert_eq!(doc.parameters["hvp_gluster_mtu"], "9000");
        assert_eq!(
            doc.nics[0].reaches.as_deref(),
            Some(&["mgmt".to_string()][..])
        );
        assert_eq!(doc.nics[0].mtu_ceiling(), 9000);
    }

    #[test]
    fn round_trips_through_json() {
        let doc = ProbeDocument {
            role: Role::Installer,
            node_index: None,
            parameters: BTreeMap::new(),
            fragments: vec![Fragment {
                name: "hvp_parameters.sh".into(),
                text: "a=1\n".into(),
            }],
            nameservers: vec!["192.0.2.53".into()],
            nics: vec![ProbedNic {
                name: "lo".into(),
                mac: None,
                carrier: true,
                max_mtu: None,
                reaches: None,
                dhcp: Some(false),
            }],
        };
        assert_eq!(ProbeDocument::from_json(&doc.to_json()).unwrap(), doc);
        assert_eq!(doc.nics[0].mtu_ceiling(), 1500);
    }

    #[test]
    fn rejects_an_unknown_role_with_a_hint() {
        let err = ProbeDocument::from_json(r#"{"role": "engine", "nics": []}"#).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("engine"), "{text}");
        assert!(text.contains("\"role\""), "{text}");
    }
}
