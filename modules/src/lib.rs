//! Shared edge code of the hvp binaries: the Ansible binary-module protocol ([`ansible`]) and
//! atomic file writes ([`fsio`]). Decisions live in `hvp-core`; this crate only reads input,
//! calls the core and writes output.

pub mod ansible;
pub mod blockdev;
pub mod fsio;
pub mod netprobe;
