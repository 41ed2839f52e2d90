//! Fuzz target `vcc_call`: see `interaction_checks::vcc_call` for what it checks.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| interaction_checks::vcc_call(data));
