//! Fuzz target `vcc_decode`: see `interaction_checks::vcc_decode` for what it checks.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| interaction_checks::vcc_decode(data));
