//! The `balanced` policy: N ≥ 3 nodes, sizes from the real capacity, replica sets that reach
//! the bound, rotating (or last / weakest) arbiters, SSD tiers, RAID alignment and VDO.
//! `docs/storage.md` explains every rule; each decision lives in its own module:
//!
//! | module | decision |
//! |---|---|
//! | [`inputs`] | volume specs with their defaults, node roles, E011 |
//! | [`select`] | which disks are data / fast disks, and why the others are not used |
//! | [`tiering`] | what fast disks become (data, fast VG, cache, unused) |
//! | [`cache`] | LV cache devices and sizes |
//! | [`raid`] | PV alignment, thin chunk, XFS geometry |
//! | [`capacity`] | extents, pool data and metadata |
//! | [`vdo`] | VDO slab and logical size |
//! | [`sets`] | replica-set generation reaching the bound |
//! | [`groups`] | `hvp_layout_grouped`: disjoint node triples, sets inside one (E011, W121) |
//! | [`share`] | how the volumes share the sets (fraction of every set, or whole sets) |
//! | [`arbiter`] | arbiter brick size and placement |
//! | [`names`] | VG / pool / LV / mount names |
//! | [`spread`] | volume demands over the sets, arbiter reserves |
//! | [`checkpoint`] | the state every spread pass starts from |
//! | [`split`] | replica-3 and arbiter classes of one tier both with `rest` |
//! | [`shrink`] | W116: `rest` volumes shrunk for arbiter bricks |
//! | [`build`] | volume groups per node, thick and single-set volumes |
//! | [`assemble`] | the [`LayoutPlan`] |
//! | [`validate`] | every validation code on the finished plan |
//! | [`vg_mode`] | one VG per disk or per node and tier |
//! | [`lab`] | `hvp_force_same_host`: 1- and 2-node labs (W101) |

pub mod arbiter;
pub mod assemble;
pub mod build;
pub mod cache;
pub mod capacity;
pub mod checkpoint;
pub mod groups;
pub mod inputs;
pub mod lab;
pub mod names;
pub mod raid;
pub mod select;
pub mod sets;
pub mod share;
pub mod shrink;
pub mod split;
pub mod spread;
pub mod state;
pub mod tiering;
pub mod validate;
pub mod vdo;
pub mod vg_mode;

use crate::facts::FactsDocument;
use crate::layout::model::{LayoutPlan, PlanWarning};
use crate::report::{Report, Severity};

/// Plans `facts` with the balanced policy. Errors (E0xx) stop with every problem found;
/// warnings (W1xx) are kept in the plan.
pub fn plan(facts: &FactsDocument) -> Result<LayoutPlan, Report> {
    let lab = lab::virtualize(facts);
    let real = facts;
    let facts = lab.as_ref().map_or(real, |lab| &lab.facts);
    let mut built = build::build(facts)?;
    let spread = spread::plan_spread(&mut built, &facts.vars.storage)?;
    let mut plan = assemble::assemble(facts, &built, &spread);
    let mut problems = validate::validate(&plan, &built, &spread, &facts.vars.storage);
    if lab.is_some() {
        problems = lab::allow_same_host(problems);
    }
    let (errors, mut warnings): (Vec<PlanWarning>, Vec<PlanWarning>) = problems
        .into_iter()
        .partition(|problem| problem.problem.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Report::new(errors.into_iter().map(|e| e.problem).collect()));
    }
    let mut all = built.warnings.clone();
    all.extend(spread.warnings.iter().cloned());
    all.append(&mut warnings);
    plan.warnings = all;
    if let Some(lab) = lab {
        plan = lab::merge(plan, real, &lab.host_of);
    }
    Ok(plan)
}
