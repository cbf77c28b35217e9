//! `gluster volume info --xml` and the option group files (`/var/lib/glusterd/groups/NAME`).

use super::DriftError;
use roxmltree::Node;
use serde::Serialize;

/// A Gluster volume as `gluster volume info --xml` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveVolume {
    /// Volume name.
    pub name: String,
    /// `Created`, `Started` or `Stopped`.
    pub status: String,
    /// `Replicate`, `Distributed-Replicate`, `Distribute`, …
    pub type_name: String,
    /// Bricks per replica set (1 for a plain volume).
    pub replica_count: u32,
    /// Arbiter bricks per replica set.
    pub arbiter_count: u32,
    /// Bricks in Gluster order.
    pub bricks: Vec<LiveBrick>,
    /// Reconfigured options, as listed.
    pub options: Vec<(String, String)>,
}

/// One brick of a live volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveBrick {
    /// Peer name as given at creation.
    pub node: String,
    /// Brick directory.
    pub directory: String,
    /// Metadata-only brick.
    pub arbiter: bool,
}

fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|child| child.has_tag_name(name))
}

fn child_text<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name)
        .and_then(|child| child.text())
        .map(str::trim)
}

/// Reads the output of `gluster --mode=script volume info --xml`.
pub fn parse_volume_info(xml: &str) -> Result<Vec<LiveVolume>, DriftError> {
    let document = roxmltree::Document::parse(xml)
        .map_err(|error| DriftError::VolumeInfo(error.to_string()))?;
    let root = document.root_element();
    if !root.has_tag_name("cliOutput") {
        return Err(DriftError::VolumeInfo(format!(
            "the root element is <{}>, not <cliOutput>",
            root.tag_name().name()
        )));
    }
    if let Some(code) = child_text(root, "opRet").filter(|code| *code != "0") {
        let message = child_text(root, "opErrstr").unwrap_or("");
        return Err(DriftError::VolumeInfo(format!(
            "the command failed (opRet {code}): {message}"
        )));
    }
    let volumes = child(root, "volInfo")
        .and_then(|info| child(info, "volumes"))
        .ok_or_else(|| DriftError::VolumeInfo("no <volInfo><volumes> element".to_owned()))?;
    volumes
        .children()
        .filter(|node| node.has_tag_name("volume"))
        .map(parse_volume)
        .collect()
}

fn parse_volume(volume: Node<'_, '_>) -> Result<LiveVolume, DriftError> {
    let name = child_text(volume, "name")
        .filter(|name| !name.is_empty())
        .ok_or_else(|| DriftError::VolumeInfo("a <volume> without <name>".to_owned()))?
        .to_owned();
    let number = |field: &str| -> Result<u32, DriftError> {
        let text = child_text(volume, field).unwrap_or("0");
        text.parse().map_err(|_| {
            DriftError::VolumeInfo(format!(
                "volume {name}: <{field}> is {text:?}, not a number"
            ))
        })
    };
    let replica_count = number("replicaCount")?.max(1);
    let arbiter_count = number("arbiterCount")?;
    let mut bricks = Vec::new();
    for brick in child(volume, "bricks")
        .into_iter()
        .flat_map(|bricks| bricks.children())
        .filter(|node| node.has_tag_name("brick"))
    {
        let full = child_text(brick, "name")
            .or_else(|| brick.text().map(str::trim))
            .unwrap_or("");
        let (node, directory) = full.split_once(':').ok_or_else(|| {
            DriftError::VolumeInfo(format!("volume {name}: brick {full:?} is not HOST:PATH"))
        })?;
        bricks.push(LiveBrick {
            node: node.to_owned(),
            directory: directory.to_owned(),
            arbiter: child_text(brick, "isArbiter") == Some("1"),
        });
    }
    let options = child(volume, "options")
        .into_iter()
        .flat_map(|options| options.children())
        .filter(|node| node.has_tag_name("option"))
        .map(|option| {
            (
                child_text(option, "name").unwrap_or("").to_owned(),
                child_text(option, "value").unwrap_or("").to_owned(),
            )
        })
        .collect();
    Ok(LiveVolume {
        status: child_text(volume, "statusStr").unwrap_or("").to_owned(),
        type_name: child_text(volume, "typeStr").unwrap_or("").to_owned(),
        name,
        replica_count,
        arbiter_count,
        bricks,
        options,
    })
}

/// Reads an option group file (`key=value` lines, as `gluster volume set V group NAME` reads
/// them from `/var/lib/glusterd/groups/NAME`); blank lines and `#` comments are skipped.
pub fn parse_group_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// Options Gluster 10 sets by itself on `volume create`; not drift unless the plan sets them to
/// another value.
pub const CREATION_DEFAULTS: &[&str] = &[
    "transport.address-family",
    "nfs.disable",
    "performance.client-io-threads",
    "storage.fips-mode-rchecksum",
    "cluster.granular-entry-heal",
];
