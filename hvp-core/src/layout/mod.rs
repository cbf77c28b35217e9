//! Storage layout: the plan model, the policies that fill it, and the capacity checks.

pub mod commands;
pub mod compat;
pub mod disk_choice;
pub mod model;
pub mod options;
pub mod table;
pub mod validate;

pub use model::*;
