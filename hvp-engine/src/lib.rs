//! # hvp-engine
//!
//! The only place of hvp that speaks HTTP: the oVirt Engine REST client ([`client`]), reading
//! the observed state ([`observe`]), running the planned actions ([`execute`]) and the
//! convergence loop ([`converge`]) shared by the `hvp_engine` module and the `hvp-engine` CLI.
//! The decisions (desired state, diff and order) are `hvp_core::engine`.

pub mod client;
pub mod converge;
pub mod error;
pub mod execute;
pub mod inputs;
pub mod observe;
pub mod wire;

pub use client::{Client, ClientConfig};
pub use converge::{converge, ConvergeOptions, Mode, Outcome};
pub use error::EngineError;
