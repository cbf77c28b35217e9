//! The oVirt API type table (`model/ovirt-api-types.json`), embedded and parsed once.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The whole table.
#[derive(Debug, Deserialize)]
pub struct Table {
    /// Struct types by model name (`DataCenter`).
    pub types: BTreeMap<String, TypeDef>,
    /// Enums by model name (`HostStatus`).
    pub enums: BTreeMap<String, EnumDef>,
    /// Services by model name (`HostService`).
    pub services: BTreeMap<String, ServiceDef>,
}

/// One struct type.
#[derive(Debug, Deserialize)]
pub struct TypeDef {
    /// Root element of one object (`data_center`).
    #[serde(default)]
    pub tag: Option<String>,
    /// Root element of a list reply (`data_centers`).
    #[serde(default)]
    pub collection_tag: Option<String>,
    /// Attributes keyed by element name, in schema order.
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

/// One attribute of a struct type.
#[derive(Debug, Deserialize)]
pub struct Attr {
    /// `string|boolean|integer|decimal|date`, or a type or enum name.
    pub kind: String,
    /// Whether the element holds a list.
    #[serde(default)]
    pub list: bool,
    /// Child element name of a list.
    #[serde(default)]
    pub item: Option<String>,
}

/// One enum.
#[derive(Debug, Deserialize)]
pub struct EnumDef {
    /// The values as the XML spells them.
    pub values: Vec<String>,
}

/// One service.
#[derive(Debug, Deserialize)]
pub struct ServiceDef {
    /// URL templates below `/ovirt-engine/api` (`/hosts/{id}`).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Item type of the list reply (`Host` for `HostsService`).
    #[serde(default)]
    pub list_type: Option<String>,
    /// Sub-resource segments → service name.
    #[serde(default)]
    pub locators: BTreeMap<String, String>,
    /// Methods by name (`add`, `list`, action segments).
    #[serde(default)]
    pub methods: BTreeMap<String, MethodDef>,
}

/// One service method.
#[derive(Debug, Deserialize)]
pub struct MethodDef {
    /// Whether this is an action (`POST …/segment`).
    #[serde(default)]
    pub action: bool,
    /// URL segment of an action.
    #[serde(default)]
    pub segment: Option<String>,
    /// Query parameters (scalar inputs) of a non-action method.
    #[serde(default)]
    pub query: Vec<String>,
    /// Mandatory inputs (`host.address`).
    #[serde(default)]
    pub mandatory: Vec<String>,
    /// Alternatives, one of each group required.
    #[serde(default)]
    pub mandatory_any_of: Vec<Vec<String>>,
}

/// The scalar kinds of the table.
pub const SCALARS: [&str; 5] = ["string", "boolean", "integer", "decimal", "date"];

static TABLE: OnceLock<Table> = OnceLock::new();

/// The embedded table, parsed on first use.
pub fn table() -> &'static Table {
    TABLE.get_or_init(|| {
        serde_json::from_str(include_str!("../model/ovirt-api-types.json"))
            .unwrap_or_else(|e| panic!("embedded type table is invalid: {e}"))
    })
}

impl Table {
    /// The type `name`; the table is fixed, so unknown names are programming errors and yield `None`.
    pub fn ty(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// The attribute `attr` of type `ty`, parsed.
    pub fn attr(&self, ty: &str, attr: &str) -> Option<Attr> {
        let v = self.types.get(ty)?.attributes.get(attr)?;
        serde_json::from_value(v.clone()).ok()
    }

    /// Action segments of a service, sorted.
    pub fn actions(&self, service: &str) -> Vec<String> {
        let Some(s) = self.services.get(service) else {
            return Vec::new();
        };
        let mut v: Vec<String> = s
            .methods
            .values()
            .filter(|m| m.action)
            .filter_map(|m| m.segment.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// The service serving a URL template (`/hosts/{id}`).
    pub fn service_at(&self, path: &str) -> Option<&ServiceDef> {
        self.services
            .values()
            .find(|s| s.paths.iter().any(|p| p == path))
    }

    /// Sub-collection segments of a service (its locators without a parameter).
    pub fn links(&self, service: &str) -> Vec<String> {
        self.services
            .get(service)
            .map(|s| {
                s.locators
                    .keys()
                    .filter(|k| !k.starts_with('{'))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads_and_knows_hosts() {
        let t = table();
        let a = t.attr("Host", "status").expect("Host.status");
        assert_eq!(a.kind, "HostStatus");
        assert!(t.enums["HostStatus"]
            .values
            .iter()
            .any(|v| v == "install_failed"));
        assert!(t
            .actions("HostService")
            .contains(&"setupnetworks".to_string()));
        assert!(t.links("HostService").contains(&"nics".to_string()));
    }
}
