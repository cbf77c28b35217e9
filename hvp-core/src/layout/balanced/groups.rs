//! `hvp_layout_grouped: true` (spec §5 and §7, `layout.grouped`): the nodes that take bricks
//! are cut into disjoint triples and every replica set (its data members and its arbiter)
//! stays inside one triple, so that two failed nodes stop writes in one triple at most
//! (W109 counts 3 node pairs per triple). The price is capacity: within a triple the largest
//! node is capped by the other two (the spec's bound over three nodes), and the triples'
//! bounds add up to less than the spread bound when the nodes differ (W121).
//!
//! * **Triples.** The nodes with role `any`, `data` or `arbiter` (not `compute`), their number
//!   a multiple of 3 (else E011). `rotating` and `last`: consecutive triples in inventory
//!   order. `weakest`: the two strongest remaining data nodes with the weakest remaining node,
//!   again and again (the strength of `hvp_arbiter_placement: weakest`).
//! * **Arbiters.** With `last` / `weakest`, each triple has one arbiter node: `last` its last
//!   node (a node with role `arbiter` in it, if any), `weakest` its weakest; the two others
//!   hold the data. With `rotating`, a triple of three role-`any` nodes rotates its arbiters
//!   among the three (each pair's arbiter is the third node); a triple with a node of role
//!   `data` or `arbiter` gets one arbiter node as with `last`.
//! * **Sets.** The set generator ([`super::sets::generate_sets`]) runs on each triple's units
//!   alone; the skeleton lists the triples' sets in triple order. Single-set volumes (engine,
//!   ctdb, iso) are placed inside one triple too ([`super::build`]).

use super::inputs::{strength, NodeInfo, VolumeSpec};
use super::sets::{generate_sets, Skeleton, Unit};
use crate::facts::storage::ArbiterPlacement;
use crate::facts::FactsDocument;
use crate::layout::model::{replica_bound, NodeRole};
use crate::report::Problem;

/// One triple of nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Its nodes (inventory positions, ascending).
    pub nodes: [usize; 3],
    /// The node holding all of the triple's arbiter bricks (and no spread data); `None` when
    /// the arbiters rotate among the three.
    pub arbiter: Option<usize>,
}

impl Group {
    /// Whether `node` belongs to this triple.
    pub fn contains(&self, node: usize) -> bool {
        self.nodes.contains(&node)
    }

    /// The nodes of `nodes` inside this triple, in their order.
    pub fn inside(&self, nodes: &[usize]) -> Vec<usize> {
        nodes
            .iter()
            .copied()
            .filter(|&n| self.contains(n))
            .collect()
    }
}

/// Where a thick single-set volume (engine, ctdb) may go: one candidate list per triple,
/// triples with the most hosted-engine nodes first (ties: triple order); in each, the nodes of
/// `nodes` (hosted-engine nodes first) inside it, then its other nodes that may hold data.
pub fn thick_candidates(groups: &[Group], infos: &[NodeInfo], nodes: &[usize]) -> Vec<Vec<usize>> {
    let mut order: Vec<&Group> = groups.iter().collect();
    order.sort_by_key(|group| {
        std::cmp::Reverse(
            group
                .nodes
                .iter()
                .filter(|&&n| infos[n].hosted_engine)
                .count(),
        )
    });
    order
        .into_iter()
        .map(|group| {
            let mut inside = group.inside(nodes);
            for n in group.nodes {
                if !inside.contains(&n) && infos[n].role.holds_data() {
                    inside.push(n);
                }
            }
            inside
        })
        .collect()
}

fn e011(message: String, fix: impl Into<String>) -> Problem {
    Problem::error("nodes", format!("E011: {message}"), fix)
}

fn names(infos: &[NodeInfo], nodes: &[usize]) -> String {
    nodes
        .iter()
        .map(|&n| infos[n].name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The arbiter node of a triple with a fixed one: its node with role `arbiter`, else its last
/// node with role `any`. `Err` names what makes the triple impossible.
fn fixed_arbiter(infos: &[NodeInfo], triple: [usize; 3]) -> Result<usize, Problem> {
    let forced: Vec<usize> = triple
        .into_iter()
        .filter(|&n| infos[n].role == NodeRole::Arbiter)
        .collect();
    match forced.len() {
        0 => triple
            .into_iter()
            .rev()
            .find(|&n| infos[n].role == NodeRole::Any)
            .ok_or_else(|| {
                e011(
                    format!(
                        "hvp_layout_grouped: the triple {} has no node that may hold its arbiter \
                         bricks (all have role data)",
                        names(infos, &triple)
                    ),
                    "give one node of each triple role any or arbiter (triples are consecutive \
                     in inventory order), or set hvp_layout_grouped: false",
                )
            }),
        1 => Ok(forced[0]),
        _ => Err(e011(
            format!(
                "hvp_layout_grouped: the triple {} has {} nodes with role arbiter, so fewer \
                 than 2 nodes hold its data",
                names(infos, &triple),
                forced.len()
            ),
            "give at most one node of each triple role arbiter (triples are consecutive in \
             inventory order: reorder the inventory), or set hvp_layout_grouped: false",
        )),
    }
}

/// Cuts the brick nodes into triples and sets each node's data / arbiter flags in `infos`
/// accordingly (and the default hosted-engine nodes: the first triple). `capacity` is each
/// node's data-disk bytes (for `weakest`). Every problem at once.
pub fn form_groups(
    facts: &FactsDocument,
    infos: &mut [NodeInfo],
    placement: ArbiterPlacement,
    capacity: &[u64],
    specs: &[VolumeSpec],
) -> Result<Vec<Group>, Vec<Problem>> {
    let bricks: Vec<usize> = infos
        .iter()
        .filter(|info| info.role != NodeRole::Compute)
        .map(|info| info.index)
        .collect();
    let count = bricks.len();
    if infos.len() < 3 || count == 0 {
        // E011 "at least 3 nodes" / "need 3 data nodes" (inputs::node_count_problems) says it.
        return Ok(Vec::new());
    }
    if count % 3 != 0 {
        let missing = (3 - count % 3) % 3;
        let extra = count % 3;
        return Err(vec![e011(
            format!(
                "hvp_layout_grouped: true cuts the Gluster nodes into triples, but {count} \
                 node(s) take bricks (role any, data or arbiter): not a multiple of 3"
            ),
            format!(
                "add {missing} node(s), or give {extra} node(s) role compute (no bricks), or \
                 set hvp_layout_grouped: false (replica sets spread over every node)"
            ),
        )]);
    }
    let arbitrated = specs.iter().any(VolumeSpec::arbitrated);
    let mut problems = Vec::new();
    let mut groups: Vec<Group> = Vec::with_capacity(count / 3);
    match placement {
        ArbiterPlacement::Weakest => {
            let k = count / 3;
            let forced: Vec<usize> = bricks
                .iter()
                .copied()
                .filter(|&n| infos[n].role == NodeRole::Arbiter)
                .collect();
            if forced.len() > k {
                problems.push(e011(
                    format!(
                        "hvp_layout_grouped: {} nodes have role arbiter ({}), more than the {k} \
                         triple(s) of {count} nodes can use",
                        forced.len(),
                        names(infos, &forced)
                    ),
                    "give at most one node per triple role arbiter, or set \
                     hvp_layout_grouped: false",
                ));
                return Err(problems);
            }
            let mut ranked: Vec<usize> = bricks
                .iter()
                .copied()
                .filter(|&n| infos[n].role == NodeRole::Any)
                .collect();
            ranked.sort_by_key(|&n| strength(facts, capacity, n));
            let mut arbiters = forced.clone();
            arbiters.extend(ranked.iter().copied().take(k - forced.len()));
            if arbiters.len() < k {
                problems.push(e011(
                    format!(
                        "hvp_layout_grouped with weakest arbiters: {k} triple(s) need {k} \
                         arbiter node(s), only {} node(s) have role any or arbiter",
                        arbiters.len()
                    ),
                    "give more nodes role any, or set hvp_layout_grouped: false",
                ));
                return Err(problems);
            }
            arbiters.sort_by_key(|&n| strength(facts, capacity, n));
            let mut data: Vec<usize> = bricks
                .iter()
                .copied()
                .filter(|n| !arbiters.contains(n))
                .collect();
            data.sort_by_key(|&n| std::cmp::Reverse(strength(facts, capacity, n)));
            for (i, &arbiter) in arbiters.iter().enumerate() {
                let mut nodes = [data[2 * i], data[2 * i + 1], arbiter];
                nodes.sort_unstable();
                groups.push(Group {
                    nodes,
                    arbiter: Some(arbiter),
                });
            }
        }
        ArbiterPlacement::Last | ArbiterPlacement::Rotating => {
            for chunk in bricks.chunks(3) {
                let nodes = [chunk[0], chunk[1], chunk[2]];
                let rotates = placement == ArbiterPlacement::Rotating
                    && (!arbitrated || nodes.iter().all(|&n| infos[n].role == NodeRole::Any));
                if rotates {
                    groups.push(Group {
                        nodes,
                        arbiter: None,
                    });
                    continue;
                }
                match fixed_arbiter(infos, nodes) {
                    Ok(arbiter) => groups.push(Group {
                        nodes,
                        arbiter: Some(arbiter),
                    }),
                    Err(problem) => problems.push(problem),
                }
            }
        }
    }
    // Spread replica-3 volumes need three data nodes in every triple.
    let spread3: Vec<&str> = specs
        .iter()
        .filter(|spec| spec.copies == 3 && !spec.single)
        .map(|spec| spec.name.as_str())
        .collect();
    for group in &groups {
        let no_data: Vec<usize> = group
            .nodes
            .into_iter()
            .filter(|&n| Some(n) == group.arbiter || !infos[n].role.holds_data())
            .collect();
        if !spread3.is_empty() && !no_data.is_empty() {
            problems.push(e011(
                format!(
                    "hvp_layout_grouped: replica 3 volume(s) {} spread over every triple and \
                     need 3 data nodes in each; in the triple {} only {} may hold data",
                    spread3.join(", "),
                    names(infos, &group.nodes),
                    3 - no_data.len()
                ),
                "use hvp_arbiter_placement: rotating with role any on every node, or plan \
                 those volumes with mode arbiter or spread single (hvp_volume_layout)",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for group in &groups {
        for node in group.nodes {
            let info = &mut infos[node];
            match group.arbiter {
                Some(arbiter) if arbiter == node => {
                    info.data = false;
                    info.arbiter = true;
                }
                Some(_) => {
                    info.data = info.role.holds_data();
                    info.arbiter = false;
                }
                None => {
                    info.data = info.role.holds_data();
                    info.arbiter = info.role.holds_arbiters();
                }
            }
        }
    }
    let explicit = facts
        .nodes
        .iter()
        .any(|node| node.extras.hosted_engine == Some(true));
    if !explicit {
        for info in infos.iter_mut() {
            info.hosted_engine = groups
                .first()
                .is_some_and(|group| group.contains(info.index))
                && info.role.holds_data();
        }
    }
    Ok(groups)
}

/// E011 for a triple with a node that got no usable disk (checked once the VGs exist):
/// `has_vgs` tells whether a node has any VG.
pub fn empty_node_problems(
    groups: &[Group],
    infos: &[NodeInfo],
    has_vgs: impl Fn(usize) -> bool,
) -> Vec<Problem> {
    groups
        .iter()
        .flat_map(|group| {
            group
                .nodes
                .into_iter()
                .filter(|&n| !has_vgs(n))
                .map(move |n| (group, n))
        })
        .map(|(group, node)| {
            e011(
                format!(
                    "hvp_layout_grouped: node {} of the triple {} has no usable disk, so the \
                     triple cannot hold its replica sets",
                    infos[node].name,
                    names(infos, &group.nodes)
                ),
                "give the node a free disk that passes hvp_disk_filter, or role compute and \
                 regroup the nodes (triples are consecutive in inventory order)",
            )
        })
        .collect()
}

/// Per node (inventory position, up to the largest node of `groups` or `nodes`), the position
/// of its triple in `groups` (`None`: in no triple).
pub fn triple_of(groups: &[Group], nodes: usize) -> Vec<Option<usize>> {
    let count = groups
        .iter()
        .flat_map(|group| group.nodes)
        .map(|n| n + 1)
        .max()
        .unwrap_or(0)
        .max(nodes);
    let mut of = vec![None; count];
    for (g, group) in groups.iter().enumerate() {
        for node in group.nodes {
            of[node] = Some(g);
        }
    }
    of
}

/// The set generator run on each triple's units alone; the triples' sets in triple order.
pub fn grouped_sets(units: &[Unit], copies: usize, min_set: u64, groups: &[Group]) -> Skeleton {
    let mut skeleton = Skeleton::default();
    let of = triple_of(groups, 0);
    let mut by_group: Vec<Vec<Unit>> = vec![Vec::new(); groups.len()];
    for unit in units {
        match of.get(unit.node).copied().flatten() {
            Some(g) => by_group[g].push(*unit),
            // Units of nodes in no triple (none: every brick node is in one) stay unused.
            None => skeleton.stranded_bytes += unit.bytes,
        }
    }
    for mine in by_group {
        let part = generate_sets(&mine, copies, min_set);
        skeleton.sets.extend(part.sets);
        skeleton.stranded_bytes += part.stranded_bytes;
        skeleton.dropped_bytes += part.dropped_bytes;
        skeleton.capped |= part.capped;
    }
    skeleton
}

/// Σ over the triples of the bound B_r of their nodes' `capacities`: the most a grouped
/// layout can store (the spread bound is [`replica_bound`] over every node).
pub fn grouped_bound(capacities: &[u64], copies: usize, groups: &[Group]) -> u64 {
    groups
        .iter()
        .map(|group| {
            let mine: Vec<u64> = group
                .nodes
                .iter()
                .map(|&n| capacities.get(n).copied().unwrap_or(0))
                .collect();
            replica_bound(&mine, copies)
        })
        .sum()
}

/// Per triple, the positions in `firsts` (a node of each set) of the sets inside it.
pub fn sets_by_group(groups: &[Group], firsts: &[usize]) -> Vec<Vec<usize>> {
    let of = triple_of(groups, 0);
    let mut by_group = vec![Vec::new(); groups.len()];
    for (position, &node) in firsts.iter().enumerate() {
        if let Some(g) = of.get(node).copied().flatten() {
            by_group[g].push(position);
        }
    }
    by_group
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIB: u64 = 1 << 40;

    fn group(nodes: [usize; 3]) -> Group {
        Group {
            nodes,
            arbiter: None,
        }
    }

    #[test]
    fn sets_stay_inside_their_triple() {
        let units: Vec<Unit> = (0..6)
            .flat_map(|node| {
                (0..2).map(move |disk| Unit {
                    node,
                    id: node * 2 + disk,
                    bytes: (node as u64 + 1) * TIB,
                })
            })
            .collect();
        let groups = [group([0, 1, 2]), group([3, 4, 5])];
        let skeleton = grouped_sets(&units, 2, 1, &groups);
        for set in &skeleton.sets {
            let first = set.members[0].0;
            let triple = groups.iter().find(|g| g.contains(first)).unwrap();
            assert!(set.members.iter().all(|(n, _)| triple.contains(*n)));
            assert_ne!(set.members[0].0, set.members[1].0);
        }
        // Triple 1: C = 2, 4, 6 TiB → B_2 = min(6, 6) = 6; triple 2: 8, 10, 12 → 15.
        assert_eq!(skeleton.total_bytes(), 21 * TIB);
        let capacities: Vec<u64> = (0..6).map(|n| 2 * (n + 1) * TIB).collect();
        assert_eq!(grouped_bound(&capacities, 2, &groups), 21 * TIB);
        // The spread bound over all six nodes is higher: ΣC / 2 = 21 TiB here too…
        assert_eq!(replica_bound(&capacities, 2), 21 * TIB);
        // …but replica 3 loses: triple bounds 2 + 8 (ΣC−C1−C2) vs ΣC/3 = 14.
        assert_eq!(grouped_bound(&capacities, 3, &groups), 2 * TIB + 8 * TIB);
        assert_eq!(replica_bound(&capacities, 3), 14 * TIB);
    }

    #[test]
    fn sets_are_sorted_by_triple() {
        let groups = [group([0, 1, 2]), group([3, 4, 5])];
        assert_eq!(
            sets_by_group(&groups, &[3, 0, 5, 1]),
            vec![vec![1, 3], vec![0, 2]]
        );
    }
}
