//! Fuzz target `anywhere365_event`: see `interaction_checks::anywhere365_event` for what it checks.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| interaction_checks::anywhere365_event(data));
