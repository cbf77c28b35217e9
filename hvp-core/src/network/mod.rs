//! Network planning: which NIC carries which logical network (zone), bonds, MTUs, addresses,
//! and what falls back where when a network is missing.
//!
//! The input is a [`probe::ProbeDocument`]; the planner is pure.

pub mod probe;
