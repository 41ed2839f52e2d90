//! Fuzz target `engine_actions`: see `interaction_checks::engine` for what it checks.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| interaction_checks::engine_actions(data));
