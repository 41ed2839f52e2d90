//! Fuzz target `http_request`: see `interaction_checks::http_request` for what it checks.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| interaction_checks::http_request(data));
