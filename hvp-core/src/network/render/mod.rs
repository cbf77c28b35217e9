//! Renderers: the same [`NetworkPlan`](super::NetworkPlan) as kickstart directives, JSON,
//! Ansible variables, or (installer) the parameter fragments handed to the nodes.

mod fragments;
mod json;
mod kickstart;
mod vars;

pub use fragments::{node_fragments, COMMON_FRAGMENT, NODE_FRAGMENT};
pub use json::json;
pub use kickstart::kickstart;
pub use vars::{vars, vars_map};
