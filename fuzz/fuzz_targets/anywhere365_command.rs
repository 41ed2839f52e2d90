//! Fuzz target `anywhere365_command`: see `interaction_checks::anywhere365_command` for what it checks.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| interaction_checks::anywhere365_command(data));
