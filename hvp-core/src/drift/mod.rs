//! Drift: the live state of a running cluster compared with its recorded storage plan.
//!
//! The edges (the `hvp_storage_drift` module) run `pvs`/`vgs`/`lvs --reportformat json` (and
//! `vdo status` where the plan has legacy VDO devices), read `/proc/self/mountinfo` on every node and `gluster volume info --xml` (plus the option
//! group files the plan names) on one node, and hand the raw texts in here. Everything below
//! is pure: [`parse`] turns the texts into a [`LiveState`], [`compare`] lists every difference
//! from the plan ([`Drift`]), each naming node, object, what was planned, what was found and
//! the fix.

pub mod compare;
pub mod error;
pub mod gluster;
pub mod live;
pub mod lvm;
pub mod mounts;
pub mod plan_check;
pub mod plan_view;
pub mod vdo;

pub use compare::{compare, Drift, DriftKind};
pub use error::DriftError;
pub use live::{parse, LiveState, NodeState, RawClusterState, RawNodeState};
pub use plan_view::RecordedPlan;
