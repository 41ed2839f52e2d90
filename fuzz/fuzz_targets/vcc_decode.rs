//! Arbitrary bytes into the VCC Interactions decoders (Invoke, Register, callbacks): they must
//! never panic; each decoded item applies to an engine without breaking its promises; and every
//! wire type that parses survives a round trip (decode, encode, decode again: equal).

#![no_main]

use interaction_core::{Engine, Error};
use interaction_vcc::{decode_callbacks, decode_invoke, decode_register, wire};
use libfuzzer_sys::fuzz_target;

/// Parses `bytes` as `T`; if that works, encoding and parsing again must give the same value.
fn round_trip<T>(bytes: &[u8])
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    if let Ok(first) = serde_json::from_slice::<T>(bytes) {
        let text = serde_json::to_vec(&first).expect("a parsed wire value encodes");
        let again: T = serde_json::from_slice(&text).expect("an encoded wire value parses");
        assert_eq!(first, again, "round trip changed the value");
    }
}

/// Applies one decoded item: a refusal must leave the engine exactly as it was.
fn apply(engine: &mut Engine, input: Result<interaction_core::Input, Error>) {
    let Ok(input) = input else { return };
    let before = engine.clone();
    let mut effects = Vec::new();
    if engine.apply(input, &mut effects).is_err() {
        assert_eq!(*engine, before, "a refused input changed the engine");
        assert!(effects.is_empty(), "a refused input emitted effects");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let mut engine = Engine::new();
    match selector % 3 {
        0 => {
            if let Ok(items) = decode_invoke(body) {
                for item in items {
                    apply(&mut engine, item.result);
                }
            }
            round_trip::<wire::Invocation>(body);
        }
        1 => {
            if let Ok((name, settings)) = decode_register(body) {
                engine.register_provider(name, settings);
            }
            round_trip::<wire::Registration>(body);
        }
        _ => {
            if let Ok(items) = decode_callbacks(body) {
                for item in items {
                    apply(&mut engine, item.result);
                }
            }
            round_trip::<Vec<wire::Notification>>(body);
        }
    }
});
