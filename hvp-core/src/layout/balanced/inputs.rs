//! What the balanced policy plans for: per volume its copies, spread, thickness, tier, VDO,
//! file size for arbiter sizing and demand (with the policy's defaults), and per node its role
//! and whether it runs the Hosted Engine.

use crate::facts::storage::{ArbiterPlacement, Demand, VdoMode};
use crate::facts::{FactsDocument, LayoutVars};
use crate::layout::model::{NodeRole, VolumeOption};
use crate::layout::options::volume_options;
use crate::report::Problem;
use crate::size::SizeSpec;
use crate::volumes::VolumeKind;

/// One volume to plan.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeSpec {
    /// Which volume.
    pub kind: VolumeKind,
    /// Gluster name.
    pub name: String,
    /// Copies of the data: 2 (with an arbiter) or 3.
    pub copies: usize,
    /// One replica set (on the nodes with most room) instead of every set.
    pub single: bool,
    /// Thick LVs.
    pub thick: bool,
    /// On the fast tier.
    pub fast: bool,
    /// On VDO (when VDO is on).
    pub vdo: bool,
    /// `min(average file, shard block)`, for the arbiter formula.
    pub file_unit: u64,
    /// The demand.
    pub demand: Demand,
    /// Volume options in order.
    pub options: Vec<VolumeOption>,
}

impl VolumeSpec {
    /// Whether the sets carry an arbiter brick.
    pub fn arbitrated(&self) -> bool {
        self.copies == 2
    }
}

/// The average file size of a volume kind when the user gives none (the arbiter formula's `u`).
pub fn default_avg_file(kind: VolumeKind) -> u64 {
    match kind {
        VolumeKind::Iso => 512 << 20,
        VolumeKind::WinShare => 256 << 10,
        VolumeKind::UnixShare | VolumeKind::Ctdb => 1 << 20,
        VolumeKind::Backup => 8 << 20,
        _ => 64 << 20,
    }
}

fn default_demand(kind: VolumeKind, vars: &LayoutVars) -> Demand {
    match kind {
        VolumeKind::Engine => Demand::Fixed {
            bytes: vars.volume(kind).size.bytes(),
        },
        VolumeKind::Ctdb => Demand::Fixed { bytes: 1 << 30 },
        VolumeKind::Iso => Demand::Fixed { bytes: 50 << 30 },
        VolumeKind::VmStore => Demand::Rest { weight: 3 },
        VolumeKind::WinShare | VolumeKind::UnixShare => Demand::Percent { percent: 10.0 },
        VolumeKind::BlockShare => Demand::Fixed { bytes: 500 << 30 },
        VolumeKind::Backup => Demand::Rest { weight: 1 },
    }
}

/// The shard block size of an option list (`None` when sharding is off).
pub fn shard_block(options: &[VolumeOption]) -> Option<u64> {
    let sharded = options
        .iter()
        .any(|option| option.name == "features.shard" && option.value == "on");
    if !sharded {
        return None;
    }
    let block = options
        .iter()
        .rev()
        .find(|option| option.name == "features.shard-block-size")
        .and_then(|option| SizeSpec::parse(&option.value).ok())
        .map_or(64 << 20, |size| size.bytes());
    Some(block)
}

/// The effective VDO mode: `hvp_vdo_mode`, else `legacy` when `hvp_use_vdo` is true.
pub fn vdo_mode(vars: &LayoutVars) -> VdoMode {
    vars.storage.vdo_mode.unwrap_or(if vars.use_vdo {
        VdoMode::Legacy
    } else {
        VdoMode::None
    })
}

/// The volumes to plan, in creation order (volumes with size `none` are left out).
pub fn volume_specs(vars: &LayoutVars) -> Vec<VolumeSpec> {
    let vdo_on = vdo_mode(vars) != VdoMode::None;
    VolumeKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let layout = vars
                .storage
                .volume_layout
                .get(&kind)
                .cloned()
                .unwrap_or_default();
            let demand = vars
                .storage
                .demands
                .get(&kind)
                .copied()
                .unwrap_or_else(|| default_demand(kind, vars));
            if demand == Demand::None {
                return None;
            }
            let default_single = matches!(
                kind,
                VolumeKind::Engine | VolumeKind::Ctdb | VolumeKind::Iso
            );
            let default_replica3 = matches!(kind, VolumeKind::Engine | VolumeKind::Ctdb);
            let options = volume_options(kind, false);
            let avg = layout.avg_file.unwrap_or_else(|| default_avg_file(kind));
            let file_unit = shard_block(&options).map_or(avg, |shard| shard.min(avg));
            Some(VolumeSpec {
                kind,
                name: vars.volume(kind).volume_name.clone(),
                copies: if layout.replica3.unwrap_or(default_replica3) {
                    3
                } else {
                    2
                },
                single: layout.single.unwrap_or(default_single),
                thick: layout.thick.unwrap_or(default_replica3),
                fast: layout.fast.unwrap_or(false),
                vdo: vdo_on
                    && layout
                        .vdo
                        .unwrap_or(matches!(kind, VolumeKind::VmStore | VolumeKind::Backup)),
                file_unit,
                demand,
                options,
            })
        })
        .collect()
}

/// A node's place in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    /// Inventory position.
    pub index: usize,
    /// Name.
    pub name: String,
    /// Role as configured.
    pub role: NodeRole,
    /// May hold data bricks (after placement).
    pub data: bool,
    /// May hold arbiter bricks (after placement).
    pub arbiter: bool,
    /// Runs the Hosted Engine (engine/ctdb bricks).
    pub hosted_engine: bool,
}

/// Roles as configured, with problems for unknown values (already reported by the facts).
pub fn configured_roles(facts: &FactsDocument) -> Vec<NodeRole> {
    facts
        .nodes
        .iter()
        .map(|node| {
            NodeRole::ALL
                .into_iter()
                .find(|role| Some(role.name()) == node.extras.role.as_deref())
                .unwrap_or(NodeRole::Any)
        })
        .collect()
}

/// How strong node `i` is for `weakest` (lower is weaker): data-disk bytes, then CPU, then
/// RAM; ties make the later node in inventory the weaker.
pub fn strength(
    facts: &FactsDocument,
    capacity: &[u64],
    i: usize,
) -> (u64, u64, u64, std::cmp::Reverse<usize>) {
    let extras = &facts.nodes[i].extras;
    (
        capacity.get(i).copied().unwrap_or(0),
        extras.cpu_mhz_total.unwrap_or(0),
        extras.ram_mib.unwrap_or(0),
        std::cmp::Reverse(i),
    )
}

/// Decides which nodes hold data and which hold arbiters. `capacity` is each node's data-disk
/// bytes (for `weakest`).
pub fn node_infos(
    facts: &FactsDocument,
    placement: ArbiterPlacement,
    dedicated: usize,
    capacity: &[u64],
) -> Vec<NodeInfo> {
    let roles = configured_roles(facts);
    let forced: Vec<usize> = (0..roles.len())
        .filter(|&i| roles[i] == NodeRole::Arbiter)
        .collect();
    let extra = dedicated.saturating_sub(forced.len());
    let mut dedicated_nodes: Vec<usize> = forced;
    let any: Vec<usize> = (0..roles.len())
        .filter(|&i| roles[i] == NodeRole::Any)
        .collect();
    match placement {
        ArbiterPlacement::Rotating => {}
        ArbiterPlacement::Last => {
            dedicated_nodes.extend(any.iter().rev().take(extra).copied());
        }
        ArbiterPlacement::Weakest => {
            let mut ranked = any.clone();
            ranked.sort_by_key(|&i| strength(facts, capacity, i));
            dedicated_nodes.extend(ranked.into_iter().take(extra));
        }
    }
    let rotating = placement == ArbiterPlacement::Rotating;
    let mut infos: Vec<NodeInfo> = facts
        .nodes
        .iter()
        .enumerate()
        .map(|(index, node)| {
            let role = roles[index];
            let is_dedicated = dedicated_nodes.contains(&index);
            NodeInfo {
                index,
                name: node.name.clone(),
                role,
                data: role.holds_data() && !is_dedicated,
                arbiter: if rotating {
                    role.holds_arbiters()
                } else {
                    is_dedicated
                },
                hosted_engine: node.extras.hosted_engine.unwrap_or(false),
            }
        })
        .collect();
    if !infos.iter().any(|info| info.hosted_engine) {
        for info in infos
            .iter_mut()
            .filter(|info| info.role.holds_data())
            .take(3)
        {
            info.hosted_engine = true;
        }
    }
    infos
}

/// E011: too few nodes for the volumes' copies.
pub fn node_count_problems(infos: &[NodeInfo], volumes: &[VolumeSpec]) -> Vec<Problem> {
    let data = infos.iter().filter(|info| info.data).count();
    let mut problems = Vec::new();
    // Single-set replica-3 volumes (engine, ctdb) may also use a dedicated arbiter node with
    // role any (as the original's third node holds a full ctdb brick); spread ones may not.
    let capable = infos.iter().filter(|info| info.role.holds_data()).count();
    let needs_three = volumes.iter().any(|volume| volume.copies == 3);
    let data = if volumes.iter().any(|v| v.copies == 3 && !v.single) {
        data
    } else {
        capable
    };
    let needs_arbiter = volumes.iter().any(VolumeSpec::arbitrated);
    if infos.len() < 3 {
        problems.push(Problem::error(
            "nodes",
            format!(
                "E011: the balanced policy needs at least 3 Gluster nodes, the facts list {}",
                infos.len()
            ),
            "add nodes to the glusternodes group (3 or more), use hvp_layout_policy: compat \
             for a single node, or (labs only) hvp_force_same_host: true with 3 or more data \
             disks in all",
        ));
        return problems;
    }
    if needs_three && data < 3 {
        problems.push(Problem::error(
            "nodes",
            format!("E011: replica 3 volumes need 3 data nodes, only {data} may hold data"),
            "give more nodes role any or data, or plan those volumes with mode arbiter \
             (hvp_volume_layout)",
        ));
    }
    let data = infos.iter().filter(|info| info.data).count();
    if needs_arbiter {
        if data < 2 {
            problems.push(Problem::error(
                "nodes",
                format!("E011: arbiter volumes need 2 data nodes, only {data} may hold data"),
                "give more nodes role any or data",
            ));
        }
        let arbiters = infos.iter().filter(|info| info.arbiter).count();
        let outside = infos.iter().any(|info| info.arbiter && !info.data) || arbiters >= 3;
        if arbiters == 0 || !outside {
            problems.push(Problem::error(
                "nodes",
                "E011: arbiter volumes need a third node for the arbiter bricks: no node with \
                 role any or arbiter is left outside the data pairs",
                "give a node role any or arbiter, or add a node",
            ));
        }
    }
    problems
}
