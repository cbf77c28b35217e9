//! The file-services variables: the original `hvp.yaml` names and defaults, plus the few new
//! ones this implementation needs (marked "new" in `docs/fileservices.md`). Read leniently:
//! every wrong variable is reported at once, each naming the variable and the fix.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::network::Zone;
use crate::report::Problem;

/// A top-level folder of a share volume (`hvp_winshare_subfolders`, `hvp_unixshare_subfolders`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subfolder {
    /// Folder name, one path component (`users`).
    pub path: String,
    /// Owner user name.
    pub owner: String,
    /// Owner group name.
    pub group: String,
    /// Permission bits (`0o1751`).
    pub mode: u32,
}

/// How Samba authenticates users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SambaMode {
    /// Stand-alone workgroup server with local (tdbsam) users: the original's first phase.
    Workgroup,
    /// Active Directory member: the original's `smb-domain.j2`, used after the AD join.
    Ad,
}

/// Every variable the file services read, with defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileVars {
    /// `hvp_storage_name`: DNS name of the file service (`discord`).
    pub storage_name: String,
    /// `hvp_netbios_storagename`: NetBIOS name of the clustered Samba server (`DISCORD`).
    pub netbios_storagename: String,
    /// `hvp_samba_mode` (new): `workgroup` or `ad`.
    pub samba_mode: SambaMode,
    /// `hvp_netbios_domainname`: NetBIOS name of the AD domain (`AD`).
    pub netbios_domainname: String,
    /// `hvp_adjoin_domain`: DNS name of the AD domain (default `ad.<domain of the AD zone>`).
    pub adjoin_domain: Option<String>,
    /// `hvp_adjoin_realm`: Kerberos realm (default: the AD domain in upper case).
    pub adjoin_realm: Option<String>,
    /// `hvp_ad_range`: idmap range of the AD domain.
    pub ad_range: String,
    /// `hvp_autorid_range`: idmap range of the `*` (autorid) backend.
    pub autorid_range: String,
    /// `hvp_autorid_rangesize`: autorid range size.
    pub autorid_rangesize: u64,
    /// `hvp_winshare_subfolders`.
    pub winshare_subfolders: Vec<Subfolder>,
    /// `hvp_unixshare_subfolders`.
    pub unixshare_subfolders: Vec<Subfolder>,
    /// `hvp_storage_public_zones` (new): zones that carry public addresses; `None` = every
    /// present zone among lan, internal and mgmt, as the original.
    pub public_zones: Option<Vec<Zone>>,
    /// `hvp_storage_public_addresses` (new): explicit public addresses per zone instead of
    /// network + `hvp_storage_offset` + k.
    pub public_addresses: BTreeMap<Zone, Vec<String>>,
    /// `hvp_<zone>_bridge_name`: interface the zone's public addresses float on (default: the
    /// network plan's bridge).
    pub bridges: BTreeMap<Zone, String>,
    /// `hvp_nfs_exports` (new): volume kinds exported over NFS.
    pub nfs_exports: Vec<String>,
    /// `hvp_nfs_graceless` (new): skip the NFSv4 grace period (tests).
    pub nfs_graceless: bool,
    /// `hvp_ctdb_log_location` (new): CTDB `[logging] location`.
    pub ctdb_log_location: String,
    /// `hvp_ctdb_realtime_scheduling` (new): CTDB `[legacy] realtime scheduling`.
    pub ctdb_realtime_scheduling: bool,
    /// `hvp_ctdb_tunables` (new): CTDB tunables, on top of the original's ban and traverse
    /// periods.
    pub ctdb_tunables: BTreeMap<String, u64>,
}

/// The original's Windows share folders.
pub fn default_winshare_subfolders() -> Vec<Subfolder> {
    [
        ("users", 0o751),
        ("profiles", 0o1751),
        ("groups", 0o755),
        ("software", 0o755),
    ]
    .into_iter()
    .map(|(path, mode)| root_folder(path, mode))
    .collect()
}

/// The original's Unix share folders.
pub fn default_unixshare_subfolders() -> Vec<Subfolder> {
    [
        ("homes", 0o711),
        ("groups", 0o755),
        ("software", 0o755),
        ("data", 0o755),
    ]
    .into_iter()
    .map(|(path, mode)| root_folder(path, mode))
    .collect()
}

fn root_folder(path: &str, mode: u32) -> Subfolder {
    Subfolder {
        path: path.into(),
        owner: "root".into(),
        group: "root".into(),
        mode,
    }
}

/// The CTDB tunables the original set: ban period 120 s, traverse timeout 60 s.
fn default_tunables() -> BTreeMap<String, u64> {
    BTreeMap::from([
        ("RecoveryBanPeriod".to_string(), 120),
        ("TraverseTimeout".to_string(), 60),
    ])
}

/// Every variable name this module reads (for "did you mean").
pub const KNOWN: &[&str] = &[
    "hvp_storage_name",
    "hvp_netbios_storagename",
    "hvp_samba_mode",
    "hvp_netbios_domainname",
    "hvp_adjoin_domain",
    "hvp_adjoin_realm",
    "hvp_ad_range",
    "hvp_autorid_range",
    "hvp_autorid_rangesize",
    "hvp_winshare_subfolders",
    "hvp_unixshare_subfolders",
    "hvp_storage_public_zones",
    "hvp_storage_public_addresses",
    "hvp_mgmt_bridge_name",
    "hvp_lan_bridge_name",
    "hvp_internal_bridge_name",
    "hvp_nfs_exports",
    "hvp_nfs_graceless",
    "hvp_ctdb_log_location",
    "hvp_ctdb_realtime_scheduling",
    "hvp_ctdb_tunables",
];

/// Zones that can carry public addresses, in the original's order of preference.
pub const PUBLIC_ZONES: [Zone; 3] = [Zone::Lan, Zone::Internal, Zone::Mgmt];

struct Reader<'a> {
    vars: &'a Map<String, Value>,
    problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    fn bad(&mut self, name: &str, message: String, fix: &str) {
        self.problems
            .push(Problem::error(format!("variable {name}"), message, fix));
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        let vars: &'a Map<String, Value> = self.vars;
        vars.get(name).filter(|v| !v.is_null())
    }

    fn string(&mut self, name: &str, default: &str) -> String {
        self.opt_string(name).unwrap_or_else(|| default.to_string())
    }

    /// A string; numbers are accepted as their text (YAML `9999-1999999999` stays a string,
    /// but `1000000` arrives as a number). Empty strings count as unset.
    fn opt_string(&mut self, name: &str) -> Option<String> {
        match self.get(name)? {
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            other => {
                let message = format!("must be a string, not {}", type_name(other));
                self.bad(name, message, "give a string");
                None
            }
        }
    }

    fn boolean(&mut self, name: &str, default: bool) -> bool {
        match self.get(name) {
            None => default,
            Some(value) => match crate::ansible_bool::parse_ansible_bool(value) {
                Some(b) => b,
                None => {
                    let message = format!("{} is not a boolean", shown(value));
                    self.bad(name, message, "give true or false");
                    default
                }
            },
        }
    }

    /// A whole number up to `u32::MAX` (idmap sizes are user ids), read with
    /// [`crate::input::numbers::parse_whole`]: "not a whole number" and "too large" differ.
    fn number(&mut self, name: &str, default: u64) -> u64 {
        let max = u64::from(u32::MAX);
        let text = match self.get(name) {
            None => return default,
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(other) => {
                let message = format!("{} is not a whole number", shown(other));
                self.bad(name, message, "give a whole number such as 1000000");
                return default;
            }
        };
        match crate::input::numbers::parse_whole(&text, max) {
            Ok(number) => number,
            Err(error) => {
                let message = format!("{} {error}", quoted(&text));
                self.bad(name, message, "give a whole number such as 1000000");
                default
            }
        }
    }

    fn string_list(&mut self, name: &str) -> Option<Vec<String>> {
        match self.get(name)? {
            Value::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(s) => out.push(s.to_string()),
                        None => {
                            let message =
                                format!("item {i} must be a string, not {}", type_name(item));
                            self.bad(name, message, "give a list of strings");
                        }
                    }
                }
                Some(out)
            }
            other => {
                let message = format!("must be a list, not {}", type_name(other));
                self.bad(name, message, "give a list of strings");
                None
            }
        }
    }

    fn zone_list(&mut self, name: &str) -> Option<Vec<Zone>> {
        let names = self.string_list(name)?;
        let mut zones = Vec::new();
        for text in names {
            match parse_public_zone(&text) {
                Some(zone) => zones.push(zone),
                None => self.bad(
                    name,
                    format!(
                        "{} is not a zone that can carry public addresses",
                        quoted(&text)
                    ),
                    "use lan, internal or mgmt",
                ),
            }
        }
        Some(zones)
    }

    fn subfolders(&mut self, name: &str, default: Vec<Subfolder>) -> Vec<Subfolder> {
        let Some(value) = self.get(name) else {
            return default;
        };
        let Value::Array(items) = value else {
            let message = format!("must be a list, not {}", type_name(value));
            self.bad(name, message, "give a list of {path, owner, group, mode}");
            return default;
        };
        let items = items.clone();
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let field = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_string);
            let path = field("path");
            let owner = field("owner").unwrap_or_else(|| "root".into());
            let group = field("group").unwrap_or_else(|| "root".into());
            let mode = match item.get("mode") {
                None => Some(0o755),
                Some(Value::String(s)) => parse_mode(s),
                // YAML 0751 unquoted arrives as the decimal 489; 751 as the digits 751.
                Some(Value::Number(n)) => n.as_u64().and_then(|m| {
                    parse_mode(&m.to_string()).or(u32::try_from(m).ok().filter(|m| *m <= 0o7777))
                }),
                Some(_) => None,
            };
            match (path, mode) {
                (Some(path), Some(mode)) => out.push(Subfolder {
                    path,
                    owner,
                    group,
                    mode,
                }),
                (None, _) => self.bad(
                    name,
                    format!("item {i} has no path"),
                    "give every item a path, e.g. {path: users, mode: '0751'}",
                ),
                (_, None) => self.bad(
                    name,
                    format!(
                        "item {i} has the mode {}, which is not an octal permission",
                        item.get("mode").map(shown).unwrap_or_default()
                    ),
                    "quote the mode as octal text, e.g. mode: '0751'",
                ),
            }
        }
        out
    }
}

fn parse_mode(text: &str) -> Option<u32> {
    let digits = text.trim().trim_start_matches("0o");
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    u32::from_str_radix(digits, 8).ok().filter(|m| *m <= 0o7777)
}

fn parse_public_zone(text: &str) -> Option<Zone> {
    PUBLIC_ZONES.into_iter().find(|z| z.name() == text)
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A value as shown in messages: JSON text with control characters escaped.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => quoted(s),
        other => other.to_string(),
    }
}

/// User text in quotes with control characters escaped.
pub fn quoted(text: &str) -> String {
    format!("{text:?}")
}

/// Text with control characters escaped (for messages that embed user text, such as parser
/// errors).
pub fn escaped(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// Reads the variables; unset ones take the defaults. Unknown `hvp_*` names are not errors
/// (the inventory holds every step's variables).
pub fn read(vars: &Map<String, Value>) -> Result<FileVars, Vec<Problem>> {
    let mut r = Reader {
        vars,
        problems: Vec::new(),
    };
    let samba_mode = match r.string("hvp_samba_mode", "workgroup").as_str() {
        "workgroup" => SambaMode::Workgroup,
        "ad" | "ads" => SambaMode::Ad,
        other => {
            let message = format!("{} is not a Samba mode", quoted(other));
            r.bad("hvp_samba_mode", message, "use workgroup or ad");
            SambaMode::Workgroup
        }
    };
    let mut public_addresses = BTreeMap::new();
    if let Some(value) = r.get("hvp_storage_public_addresses").cloned() {
        match value {
            Value::Object(map) => {
                for (zone_name, list) in map {
                    let Some(zone) = parse_public_zone(&zone_name) else {
                        r.bad(
                            "hvp_storage_public_addresses",
                            format!(
                                "{} is not a zone that can carry public addresses",
                                quoted(&zone_name)
                            ),
                            "use lan, internal or mgmt as keys",
                        );
                        continue;
                    };
                    let texts: Option<Vec<String>> = list
                        .as_array()
                        .map(|items| {
                            items
                                .iter()
                                .filter_map(|i| i.as_str().map(str::to_string))
                                .collect()
                        })
                        .filter(|v: &Vec<String>| Some(v.len()) == list.as_array().map(Vec::len));
                    match texts {
                        Some(texts) => {
                            public_addresses.insert(zone, texts);
                        }
                        None => r.bad(
                            "hvp_storage_public_addresses",
                            format!("{zone_name} must be a list of addresses"),
                            "give e.g. {lan: ['10.232.0.101', '10.232.0.102']}",
                        ),
                    }
                }
            }
            other => {
                let message = format!("must be a mapping, not {}", type_name(&other));
                r.bad(
                    "hvp_storage_public_addresses",
                    message,
                    "give e.g. {lan: ['10.232.0.101']}",
                );
            }
        }
    }
    let mut bridges = BTreeMap::new();
    for zone in PUBLIC_ZONES {
        if let Some(bridge) = r.opt_string(&format!("hvp_{zone}_bridge_name")) {
            bridges.insert(zone, bridge);
        }
    }
    let mut ctdb_tunables = default_tunables();
    if let Some(value) = r.get("hvp_ctdb_tunables").cloned() {
        match value {
            Value::Object(map) => {
                for (name, v) in map {
                    let number = v
                        .as_u64()
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()));
                    match number {
                        Some(n) if is_tunable_name(&name) && n > u64::from(u32::MAX) => r.bad(
                            "hvp_ctdb_tunables",
                            format!("{name} = {n} is too large (at most {})", u32::MAX),
                            "give a whole number from 0 to 4294967295 (ctdb-tunables(7))",
                        ),
                        Some(n) if is_tunable_name(&name) => {
                            ctdb_tunables.insert(name, n);
                        }
                        _ => r.bad(
                            "hvp_ctdb_tunables",
                            format!(
                                "{} = {} is not a tunable name with a whole number",
                                quoted(&name),
                                v
                            ),
                            "give e.g. {KeepaliveInterval: 1} (see ctdb-tunables(7))",
                        ),
                    }
                }
            }
            other => {
                let message = format!("must be a mapping, not {}", type_name(&other));
                r.bad(
                    "hvp_ctdb_tunables",
                    message,
                    "give e.g. {KeepaliveInterval: 1}",
                );
            }
        }
    }
    let vars = FileVars {
        storage_name: r.string("hvp_storage_name", "discord"),
        netbios_storagename: r.string("hvp_netbios_storagename", "DISCORD"),
        samba_mode,
        netbios_domainname: r.string("hvp_netbios_domainname", "AD"),
        adjoin_domain: r.opt_string("hvp_adjoin_domain"),
        adjoin_realm: r.opt_string("hvp_adjoin_realm"),
        ad_range: r.string("hvp_ad_range", "9999-1999999999"),
        autorid_range: r.string("hvp_autorid_range", "2000000000-3999999999"),
        autorid_rangesize: r.number("hvp_autorid_rangesize", 1_000_000),
        winshare_subfolders: r.subfolders("hvp_winshare_subfolders", default_winshare_subfolders()),
        unixshare_subfolders: r
            .subfolders("hvp_unixshare_subfolders", default_unixshare_subfolders()),
        public_zones: r.zone_list("hvp_storage_public_zones"),
        public_addresses,
        bridges,
        nfs_exports: r
            .string_list("hvp_nfs_exports")
            .unwrap_or_else(|| vec!["unixshare".into(), "iso".into(), "backup".into()]),
        nfs_graceless: r.boolean("hvp_nfs_graceless", false),
        ctdb_log_location: r.string("hvp_ctdb_log_location", "syslog"),
        ctdb_realtime_scheduling: r.boolean("hvp_ctdb_realtime_scheduling", true),
        ctdb_tunables,
    };
    if r.problems.is_empty() {
        Ok(vars)
    } else {
        Err(r.problems)
    }
}

fn is_tunable_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn defaults_are_the_originals() {
        let v = read(&Map::new()).unwrap();
        assert_eq!(v.storage_name, "discord");
        assert_eq!(v.netbios_storagename, "DISCORD");
        assert_eq!(v.samba_mode, SambaMode::Workgroup);
        assert_eq!(v.winshare_subfolders[1].path, "profiles");
        assert_eq!(v.winshare_subfolders[1].mode, 0o1751);
        assert_eq!(v.unixshare_subfolders[0].mode, 0o711);
        assert_eq!(v.nfs_exports, ["unixshare", "iso", "backup"]);
        assert_eq!(v.ctdb_tunables["RecoveryBanPeriod"], 120);
        assert_eq!(v.autorid_rangesize, 1_000_000);
    }

    #[test]
    fn modes_in_every_spelling() {
        let v = read(&vars(json!({"hvp_winshare_subfolders": [
            {"path": "a", "mode": "0751"}, {"path": "b", "mode": 751}, {"path": "c", "mode": 489},
            {"path": "d", "mode": "1777"}]})))
        .unwrap();
        let modes: Vec<u32> = v.winshare_subfolders.iter().map(|f| f.mode).collect();
        assert_eq!(modes, [0o751, 0o751, 0o751, 0o1777]);
    }

    #[test]
    fn every_bad_variable_at_once() {
        let problems = read(&vars(json!({
            "hvp_samba_mode": "domain",
            "hvp_winshare_subfolders": [{"path": "x", "mode": "rwx"}, {"mode": "0755"}],
            "hvp_storage_public_zones": ["lan", "gluster"],
            "hvp_autorid_rangesize": "lots",
            "hvp_nfs_graceless": "maybe",
            "hvp_ctdb_tunables": {"Keepalive Interval": 1},
        })))
        .unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 7, "{text:#?}");
        assert!(text[0].contains("variable hvp_samba_mode"), "{text:#?}");
        assert!(text.iter().any(|t| t.contains("\"gluster\" is not a zone")));
        assert!(text.iter().any(|t| t.contains("item 1 has no path")));
        assert!(text.iter().any(|t| t.contains("\"rwx\"")));
    }

    #[test]
    fn control_characters_are_escaped() {
        let problems = read(&vars(json!({"hvp_samba_mode": "a\u{1b}[31m"}))).unwrap_err();
        let text = problems[0].to_string();
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("\\u{1b}"), "{text}");
    }
}
