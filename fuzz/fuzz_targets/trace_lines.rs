//! Fuzz target `trace_lines`: see `interaction_checks::trace_lines` for what it checks.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| interaction_checks::trace_lines(data));
