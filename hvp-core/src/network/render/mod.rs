//! Renderers: the same [`NetworkPlan`](super::NetworkPlan) as kickstart directives, JSON, or
//! Ansible variables.

mod json;
mod kickstart;
mod vars;

pub use json::json;
pub use kickstart::kickstart;
pub use vars::{vars, vars_map};
