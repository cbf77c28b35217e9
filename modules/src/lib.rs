//! Shared edge code of the hvp binaries: the Ansible binary-module protocol ([`ansible`]),
//! atomic file writes ([`fsio`]) and starting system tools ([`tool`]). Decisions live in
//! `hvp-core`; this crate only reads input, calls the core and writes output.

pub mod ansible;
pub mod blockdev;
pub mod fsio;
pub mod netprobe;
pub mod tool;
