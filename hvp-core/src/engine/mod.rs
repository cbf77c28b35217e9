//! The Engine stage (issue 9): what the oVirt Engine must contain once `hvp.yaml` has run, and
//! the ordered actions that get it there.
//!
//! * [`desired_state`]: inventory variables + network plan + storage plan + CPU decision →
//!   [`DesiredState`] (JSON documented in `docs/engine.md`).
//! * [`plan`]: [`ObservedState`] (what the client read) + [`DesiredState`] → ordered
//!   [`PlannedAction`]s with their waits. Never deletes.
//!
//! Both are pure: the REST client (`hvp-engine` crate) reads the observed state and runs the
//! actions.

mod action;
mod cpu_names;
mod desired;
mod diff;
pub mod input_checks;
mod inputs;
mod observed;
mod state;

pub use action::{Action, ClusterChanges, NetworkChanges, PlannedAction, ProviderChanges, Step};
pub use cpu_names::engine_cpu_type;
pub use desired::desired_state;
pub use diff::plan;
pub use inputs::{EngineInputs, EngineVars, HostVar, VAR_NAMES};
pub use observed::{
    DomainAttachment, ObservedAttachment, ObservedCluster, ObservedClusterNetwork,
    ObservedDataCenter, ObservedHost, ObservedNetwork, ObservedProvider, ObservedState,
    ObservedStorageDomain, ObservedVm,
};
pub use state::{
    Cluster, ClusterNetwork, DataCenter, DesiredState, DomainType, EngineIdentity, Host,
    HostedEngine, Network, NetworkAttachment, OvnNetwork, OvnProvider, StaticIp, Storage,
    StorageDomain, Version, STATE_FORMAT_VERSION,
};

#[cfg(test)]
mod tests;
