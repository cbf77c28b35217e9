//! Request checks against the model beyond element names: query parameters of each method and
//! the mandatory inputs of adds.

use super::routes::CollDef;
use super::{method_name, Fault, Method, Req};
use crate::model::table;
use crate::schema::has_path;
use serde_json::Value;

type R<T> = Result<T, Fault>;

/// Query parameters must be ones the model lists for the method (a misspelt
/// `deploy_hosted_engine` must not be ignored). Actions and unknown paths are not checked here.
pub fn check_query(segs: &[&str], req: &Req) -> R<()> {
    if req.query.is_empty() || segs.is_empty() {
        return Ok(());
    }
    let template: Vec<&str> = segs
        .iter()
        .enumerate()
        .map(|(i, s)| if i % 2 == 1 { "{id}" } else { *s })
        .collect();
    let path = format!("/{}", template.join("/"));
    let t = table();
    let Some(svc) = t.service_at(&path) else {
        return Ok(());
    };
    let entity = segs.len() % 2 == 0;
    let method = match (req.method, entity) {
        (Method::Get, false) => "list",
        (Method::Post, false) => "add",
        (Method::Get, true) => "get",
        (Method::Put, true) => "update",
        (Method::Delete, true) => "remove",
        _ => return Ok(()),
    };
    let Some(m) = svc.methods.get(method) else {
        return Ok(());
    };
    let unknown: Vec<String> = req
        .query
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| !m.query.contains(k))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let known: Vec<&str> = m.query.iter().map(String::as_str).collect();
    let hints: Vec<String> = unknown
        .iter()
        .map(|u| match crate::schema::closest(u, &known) {
            Some(c) => format!("`{u}` (did you mean `{c}`?)"),
            None => format!("`{u}`"),
        })
        .collect();
    Err(Fault::bad(format!(
        "unknown query parameter {} for {} {path}; the model allows: {}",
        hints.join(", "),
        method_name(req.method),
        if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        }
    )))
}

/// The `@InputDetail` mandatory sets of the table, for the adds the Engine is known to enforce,
/// plus the ones the spec lists.
pub fn check_mandatory(d: &CollDef, tag: &str, body: &Value) -> R<()> {
    let t = table();
    let mut missing = Vec::new();
    let strip = |p: &str| {
        p.split_once('.')
            .map(|(_, r)| r.to_string())
            .unwrap_or_default()
    };
    let enforced = [
        "DataCentersService",
        "ClustersService",
        "HostsService",
        "StorageDomainsService",
        "OpenstackNetworkProvidersService",
        "VmNicsService",
        "AttachedStorageDomainsService",
        "VmGraphicsConsolesService",
    ];
    if enforced.contains(&d.coll_service) {
        if let Some(m) = t
            .services
            .get(d.coll_service)
            .and_then(|s| s.methods.get("add"))
        {
            for p in &m.mandatory {
                if !has_path(body, &strip(p)) {
                    missing.push(strip(p));
                }
            }
            for group in &m.mandatory_any_of {
                if !group.iter().any(|p| has_path(body, &strip(p))) {
                    missing.push(group.iter().map(|p| strip(p)).collect::<Vec<_>>().join("|"));
                }
            }
        }
    }
    let extra: &[&[&str]] = match d.pattern {
        "networks" => &[&["name"], &["data_center.id", "data_center.name"]],
        "clusters/{id}/networks" => &[&["id", "name"]],
        "vms" => &[
            &["name"],
            &["cluster.id", "cluster.name"],
            &["template.id", "template.name"],
        ],
        "vnicprofiles" => &[&["name"], &["network.id"]],
        "hosts/{id}/networkattachments" | "hosts/{id}/nics/{id}/networkattachments" => {
            &[&["network.id", "network.name"]]
        }
        "vms/{id}/diskattachments" => &[&["interface"], &["disk"]],
        "disks" => &[
            &["provisioned_size"],
            &["storage_domains[].id", "storage_domains[].name"],
        ],
        "hosts/{id}/fenceagents" => &[&["address"], &["type"]],
        _ => &[],
    };
    for group in extra {
        if !group.iter().any(|p| has_path(body, p)) {
            missing.push(group.join("|"));
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Fault::incomplete(tag, "add", &missing))
    }
}
