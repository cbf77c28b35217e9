//! Storage layout: the plan model, the policies that fill it, and the capacity checks.

pub mod balanced;
pub mod commands;
pub mod compat;
pub mod disk_choice;
pub mod expand;
pub mod gluster_ansible;
pub mod json_text;
pub mod model;
pub mod options;
pub mod table;
pub mod table_balanced;
pub mod validate;
mod yaml_value;

pub use model::*;
