//! Helpers shared by several integration tests (each test crate uses only some of them).
#![allow(dead_code)]

pub mod balanced;
