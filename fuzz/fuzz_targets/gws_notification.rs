//! Fuzz target `gws_notification`: see `interaction_checks::gws_notification` for what it checks.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| interaction_checks::gws_notification(data));
