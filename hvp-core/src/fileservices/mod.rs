//! File services on the Gluster nodes: CTDB, clustered Samba and NFS-Ganesha, decided as pure
//! functions from the network plan, the storage plan (format 2) and the variables, then
//! rendered into every configuration file.
//!
//! Data flow: [`input::FileServicesInput`] (JSON: `network`, `storage`, `vars`, optional
//! `existing_ctdb_nodes`) → [`plan`] (decisions, every problem at once) →
//! [`render::node_files`] (one node's files) and [`render::dns_records`].
//!
//! One file per decision: [`members`] (active nodes, CTDB members, `nodes`), [`public`]
//! (public addresses), [`lock`] (cluster lock and CTDB settings), [`samba`], [`ganesha`],
//! [`dns`].

pub mod dns;
pub mod ganesha;
pub mod input;
mod input_checks;
pub mod lock;
pub mod members;
pub mod model;
pub mod public;
pub mod render;
pub mod samba;
pub mod storage;
pub mod vars;

pub use input::FileServicesInput;
pub use model::FileServicesPlan;

use crate::report::{Problem, Report};

/// Makes every file-services decision, or reports every problem of the input at once.
pub fn plan(input: &FileServicesInput) -> Result<FileServicesPlan, Report> {
    let mut problems: Vec<Problem> = Vec::new();
    let storage = &input.storage;
    if storage.format_version != 2 {
        problems.push(Problem::error(
            "storage plan, format_version",
            format!(
                "is {}, but the file services read format 2",
                storage.format_version
            ),
            "produce the storage plan with hvp-gdeploy-gen --format json (format 2)",
        ));
    }
    let vars = &input.vars;
    let members = members::members(storage, &input.network, &mut problems);
    let nodes_file = members::nodes_file(
        &members,
        input.existing_ctdb_nodes.as_deref(),
        &mut problems,
    );
    let active = members.iter().filter(|m| m.active).count();
    if active == 0 && !members.is_empty() {
        problems.push(Problem::error(
            "storage plan, volumes",
            "no node holds a data brick, so no node can serve clients",
            "check the storage plan's bricks",
        ));
    }
    let public = public::public_addresses(&input.network, vars, active, &mut problems);
    if public.is_empty() && !problems.iter().any(|p| p.subject.contains("public_zones")) {
        problems.push(Problem::error(
            "network plan, zones",
            "none of lan, internal and mgmt is in the network plan, so no public address can be placed",
            "plan the network of a node with its mgmt (and lan) NICs connected",
        ));
    }
    let lock = lock::lock(storage, &mut problems);
    let samba = samba::samba(storage, &input.network, vars, &mut problems);
    let ganesha = ganesha::ganesha(storage, vars, &mut problems);
    let dns = dns::records(&vars.storage_name, &public, &mut problems);
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }
    Ok(FileServicesPlan {
        policy: storage.policy.clone(),
        members,
        nodes_file,
        public,
        lock,
        ctdb: lock::ctdb_settings(vars),
        samba,
        ganesha,
        dns,
    })
}
