//! The planner's state as a [`LayoutPlan`] (JSON format 2).

use super::build::Built;
use super::capacity;
use super::names;
use super::select::natural_cmp;
use super::spread::SpreadResult;
use crate::facts::FactsDocument;
use crate::layout::model::*;
use crate::size::human_bytes;
use std::collections::HashMap;

/// Builds the plan.
pub fn assemble(facts: &FactsDocument, built: &Built, spread: &SpreadResult) -> LayoutPlan {
    let floor = facts.vars.storage.arbiter_floor;
    let nodes: Vec<NodePlan> = facts
        .nodes
        .iter()
        .enumerate()
        .map(|(index, node)| node_plan(built, index, &node.name, facts.vars.storage.pool_per_brick))
        .collect();
    let volumes: Vec<VolumePlan> = built
        .specs
        .iter()
        .enumerate()
        .map(|(v, spec)| {
            let replica_sets = built.sets[v]
                .iter()
                .map(|bricks| ReplicaSet {
                    bricks: bricks
                        .iter()
                        .map(|brick| {
                            let group = &built.vgs[brick.vg];
                            let lv = &group.lvs[brick.lv];
                            let (name, mount) = lv.names(&built.specs);
                            Brick {
                                node: built.infos[brick.node].name.clone(),
                                directory: names::brick_directory(&mount),
                                logical_volume: name,
                                volume_group: group.name.clone(),
                                size_bytes: lv.size,
                                arbiter: brick.arbiter,
                            }
                        })
                        .collect(),
                })
                .collect();
            let sizing = if spec.single {
                format!(
                    "one replica set, fixed {} per brick ({}){}",
                    human_bytes(
                        built.sets[v]
                            .first()
                            .and_then(|set| set.first())
                            .map_or(0, |b| built.vgs[b.vg].lvs[b.lv].size)
                    ),
                    if spec.thick {
                        "thick, on the hosted-engine nodes"
                    } else {
                        "thin, on the nodes with most free space"
                    },
                    if spec.arbitrated() {
                        "; arbiter by the file-count formula"
                    } else {
                        ""
                    }
                )
            } else {
                // A volume in several skeletons (a VDO volume's `rest` also on the plain
                // disks): every part, joined.
                spread
                    .classes
                    .iter()
                    .filter_map(|class| {
                        class.volumes.iter().find(|(index, _, _)| *index == v).map(
                            |(_, bytes, why)| {
                                if class.whole {
                                    return format!(
                                        "{why}; whole replica sets: {} of the {} sets ({} copies, bound {})",
                                        built.sets[v].len(),
                                        class.sets,
                                        class.copies,
                                        human_bytes(class.bound)
                                    );
                                }
                                format!(
                                "{why}; {} of each of the {} replica sets ({} copies, bound {})",
                                percent(*bytes, class.sets_bytes),
                                class.sets,
                                class.copies,
                                human_bytes(class.bound)
                            )
                            },
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; plus ")
            };
            let sizing = if spec.arbitrated() {
                format!(
                    "{sizing}; arbiter bricks: 5.5 KiB per expected file of {} (4 KiB × 1.10 \
                     directories × 1.25 margin), rounded up to 256 MiB, at least {}",
                    human_bytes(spec.file_unit),
                    human_bytes(floor)
                )
            } else {
                sizing
            };
            VolumePlan {
                name: spec.name.clone(),
                kind: spec.kind,
                replica: Replica {
                    count: 3,
                    arbiter_count: u32::from(spec.arbitrated()),
                },
                options: spec.options.clone(),
                replica_sets,
                transport: "tcp".to_owned(),
                sizing: Some(sizing),
                demand: Some(VolumeDemand {
                    size: spec.demand,
                    spread: if spec.single { "single" } else { "all" },
                    tier: if spec.fast { "fast" } else { "slow" },
                    thick: spec.thick,
                    vdo: spec.vdo,
                    file_unit_bytes: spec.file_unit,
                }),
            }
        })
        .collect();
    let bound: u64 = spread
        .classes
        .iter()
        .map(|class| class.counted_bound)
        .sum::<u64>()
        + built.single_bytes;
    let capacity = Capacity {
        usable_bytes: volumes.iter().map(VolumePlan::usable_bytes).sum(),
        bound_bytes: bound,
        stranded_bytes: spread.classes.iter().map(|class| class.stranded).sum(),
        grouped_bound_bytes: (!built.groups.is_empty()).then(|| {
            spread
                .classes
                .iter()
                .map(|class| class.counted_group_bound)
                .sum::<u64>()
                + built.single_bytes
        }),
    };
    let arbitrated = built.specs.iter().any(|spec| spec.arbitrated());
    LayoutPlan {
        format_version: PLAN_FORMAT_VERSION,
        policy: Policy::Balanced,
        capacity,
        topology: Topology::Replicated {
            replica_count: 3,
            arbiter_count: u32::from(arbitrated),
        },
        nodes,
        volumes,
        groups: built
            .groups
            .iter()
            .map(|group| {
                group
                    .nodes
                    .iter()
                    .map(|&n| built.infos[n].name.clone())
                    .collect()
            })
            .collect(),
        warnings: Vec::new(),
    }
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0 %".to_owned();
    }
    format!("{:.2} %", part as f64 * 100.0 / whole as f64)
}

fn node_plan(built: &Built, index: usize, name: &str, per_brick: bool) -> NodePlan {
    let selection = &built.selections[index];
    let vgs: Vec<usize> = built.node_vgs[index].clone();
    let mut all: Vec<&crate::disks::FreeDisk> = selection
        .data
        .iter()
        .chain(&selection.fast)
        .chain(selection.rejected.iter().map(|rejected| &rejected.disk))
        .collect();
    all.sort_by(|a, b| natural_cmp(&a.name, &b.name));
    // Sized up front here and below: a 600-node plan's vectors grown by doubling held a
    // quarter of the process's peak memory in spare capacity.
    let mut disks: Vec<DiskPlan> = Vec::with_capacity(all.len());
    // Per disk name, the use of the first of the node's VGs that has it (one lookup per disk
    // instead of a scan of every VG's disks).
    let mut use_of: HashMap<&str, DiskUse> = HashMap::with_capacity(all.len());
    for &vg in &vgs {
        let group = &built.vgs[vg];
        for name in &group.disks {
            use_of.entry(name.as_str()).or_insert(group.usage);
        }
    }
    for disk in all {
        // A VG's disks: its data disks (one, or several with hvp_vg_mode: per-node), then
        // the cache device's disk.
        let is_cache_disk = built.cache_disks[index].contains(&disk.name);
        let in_vg = use_of.get(disk.name.as_str()).copied();
        let vg_use = in_vg.filter(|_| !is_cache_disk);
        let cache = is_cache_disk && in_vg.is_some();
        let usage = vg_use.or(cache.then_some(DiskUse::Cache));
        let reason = if usage.is_some() {
            None
        } else {
            Some(
                built.unused[index]
                    .get(&disk.name)
                    .cloned()
                    .or_else(|| {
                        selection
                            .rejected
                            .iter()
                            .find(|rejected| rejected.disk.name == disk.name)
                            .map(|rejected| rejected.reason.clone())
                    })
                    .unwrap_or_else(|| "not needed by the plan".to_owned()),
            )
        };
        disks.push(DiskPlan {
            name: disk.name.clone(),
            size_bytes: disk.size,
            usage,
            reason,
            rotational: disk.rotational,
            compat_role: None,
        });
    }
    let mut step = 0u32;
    let mut volume_groups = Vec::with_capacity(vgs.len());
    let mut vdo_devices = Vec::new();
    for &vg in &vgs {
        let group = &built.vgs[vg];
        if let Some(vdo) = &group.vdo {
            vdo_devices.push(VdoDevice::clone(vdo));
        }
        let mut logical_volumes = Vec::with_capacity(group.lvs.len());
        for lv in group.lvs.iter().filter(|lv| !lv.thin) {
            step += 1;
            logical_volumes.push(logical_volume(built, lv, None, step));
        }
        let pool_name = names::thin_pool(&group.name);
        let per_brick_pools = per_brick && group.lvs.iter().any(|lv| lv.thin);
        // Sized up front: a pool is large, and a vector grown from empty holds four.
        let mut thin_pools = Vec::with_capacity(if per_brick_pools {
            group.lvs.iter().filter(|lv| lv.thin).count()
        } else {
            usize::from(group.pool_data > 0)
        });
        if per_brick_pools {
            // One pool per brick; the VG's cache is split over them by size (a cache pool
            // each on the same fast PV, `cache::split_over_pools`). (A VG without thin bricks
            // keeps its one empty pool below, with the cache.)
            let thin: Vec<usize> = (0..group.lvs.len())
                .filter(|&i| group.lvs[i].thin)
                .collect();
            let pool_sizes: Vec<u64> = thin
                .iter()
                .map(|&i| capacity::brick_pool(group.lvs[i].size, group.geometry.chunk_bytes).0)
                .collect();
            let caches: Vec<Option<(u64, u64)>> = match &group.cache {
                Some(cache) => super::cache::split_over_pools(
                    cache.data_bytes,
                    cache.metadata_bytes,
                    &pool_sizes,
                ),
                None => vec![None; thin.len()],
            };
            let cache_of: std::collections::BTreeMap<usize, (u64, u64)> = thin
                .iter()
                .zip(caches)
                .filter_map(|(&i, piece)| piece.map(|piece| (i, piece)))
                .collect();
            for (i, lv) in group.lvs.iter().enumerate().filter(|(_, lv)| lv.thin) {
                let (lv_name, _) = lv.names(&built.specs);
                let (data, metadata) = capacity::brick_pool(lv.size, group.geometry.chunk_bytes);
                let pool = names::brick_pool(&lv_name);
                step += 1;
                thin_pools.push(ThinPool {
                    name: pool.clone(),
                    size_bytes: data,
                    metadata_bytes: metadata,
                    chunk_bytes: group.geometry.chunk_bytes,
                    step,
                    chunk_text: None,
                    percent_of_free: None,
                    cache: group.cache.as_ref().zip(cache_of.get(&i)).map(
                        |(cache, &(data_bytes, metadata_bytes))| {
                            Box::new(LvCache {
                                name: names::cache_lv(&pool),
                                data_bytes,
                                metadata_bytes,
                                ..LvCache::clone(cache)
                            })
                        },
                    ),
                });
                step += 1;
                logical_volumes.push(logical_volume(built, lv, Some(pool), step));
            }
        } else if group.pool_data > 0 {
            step += 1;
            thin_pools.push(ThinPool {
                name: pool_name.clone(),
                size_bytes: group.pool_data,
                metadata_bytes: group.pool_metadata,
                chunk_bytes: group.geometry.chunk_bytes,
                step,
                chunk_text: None,
                percent_of_free: None,
                cache: group.cache.clone(),
            });
            for lv in group.lvs.iter().filter(|lv| lv.thin) {
                step += 1;
                logical_volumes.push(logical_volume(built, lv, Some(pool_name.clone()), step));
            }
        }
        volume_groups.push(VolumeGroup {
            name: group.name.clone(),
            physical_volumes: group.devices.clone(),
            size_bytes: group.size,
            thin_pools,
            logical_volumes,
            disks: group.disks.clone(),
            extent_bytes: super::capacity::EXTENT,
            tier: group.tier,
            alignment: Some(group.geometry.alignment),
        });
    }
    NodePlan {
        name: name.to_owned(),
        index,
        role: built.infos[index].role,
        disks,
        vdo_devices,
        volume_groups,
    }
}

fn logical_volume(
    built: &Built,
    lv: &super::state::PlacedLv,
    pool: Option<String>,
    step: u32,
) -> LogicalVolume {
    let (name, mount) = lv.names(&built.specs);
    LogicalVolume {
        name,
        size_bytes: lv.size,
        thin_pool: pool,
        mount_point: mount,
        volume: built.specs[lv.volume].name.clone(),
        step,
        size_text: None,
    }
}
