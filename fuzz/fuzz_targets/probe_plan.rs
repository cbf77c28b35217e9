//! Probe document → network plan → every output format, in both modes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hvp_fuzz::check_probe_document(data));
