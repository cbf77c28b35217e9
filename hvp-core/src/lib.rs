//! # hvp-core
//!
//! The decision logic of the Heretic oVirt Project (HVP), as pure functions from data to data.
//! Nothing in this crate probes hosts, runs commands or writes files: the binaries in
//! `modules/` do that at the edges and hand the results in here.
//!
//! See `ARCHITECTURE.md` at the repository root for the map of the crate.

pub mod ansible_bool;
pub mod cpu;
pub mod disks;
pub mod drift;
pub mod engine;
pub mod facts;
pub mod fileservices;
pub mod gdeploy;
pub mod gdeploy_gen;
pub mod input;
pub mod layout;
pub mod netfacts;
pub mod network;
pub mod report;
pub mod size;
pub mod teardown;
pub mod volumes;
