//! Round trips of the Calls API types: wire request and response (encode -> decode equal), a
//! validated call -> wire JSON -> `decode_call` equal, the page's examples re-encoded to
//! themselves, and "never panics" over arbitrary input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fixture, fixture_json};
use interaction_core::{AgentId, Callee, Caller, InteractionId, Name};
use interaction_vcc::calls::wire;
use interaction_vcc::{
    Consent, PlaceCall, calls_path, calls_response, check_content_type, decode_call,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Encodes `value` to JSON text and decodes it back (text keeps member order).
fn round_trip<T: Serialize + DeserializeOwned>(value: &T) -> T {
    let text = serde_json::to_string(value).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn the_pages_examples_encode_back_to_themselves() {
    for name in [
        "agent-to-number.json",
        "agent-to-agent.json",
        "group-to-number.json",
        "groups-to-number.json",
        "presented-clid.json",
        "reference-and-application.json",
        "consent.json",
    ] {
        let path = format!("calls/{name}");
        let call = decode_call(&fixture(&path)).unwrap();
        let encoded = serde_json::to_string(&call.to_wire()).unwrap();
        assert_eq!(encoded, fixture_json(&path).to_string(), "{name}");
        // And through the wire type alone.
        let wire: wire::CallRequest = serde_json::from_slice(&fixture(&path)).unwrap();
        assert_eq!(round_trip(&wire), wire, "{name}");
    }
    // The sample the rules refuse still reads and writes as wire JSON.
    let all: wire::CallRequest =
        serde_json::from_slice(&fixture("calls/all-possible-parameters.json")).unwrap();
    assert_eq!(
        serde_json::to_string(&all).unwrap(),
        fixture_json("calls/all-possible-parameters.json").to_string()
    );
}

#[test]
fn the_201_sample_reads_and_writes_as_a_call() {
    let call: wire::Call = serde_json::from_slice(&fixture("calls/response-201.json")).unwrap();
    assert_eq!(call.from.presented_clid.as_deref(), Some("123456789"));
    assert_eq!(call.disposition_code, None);
    assert_eq!(
        serde_json::to_string(&call).unwrap(),
        fixture_json("calls/response-201.json").to_string()
    );
    assert_eq!(round_trip(&call), call);
}

fn consent() -> impl Strategy<Value = Option<Consent>> {
    option::of(prop::sample::select(Consent::ALL.to_vec()))
}

fn digits(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[0-9]{{1,{max}}}")).unwrap()
}

fn agent() -> impl Strategy<Value = AgentId> {
    digits(11).prop_map(|d| AgentId::parse(&d, "agent").unwrap())
}

fn place_call() -> impl Strategy<Value = PlaceCall> {
    let from = prop_oneof![
        agent().prop_map(Caller::Agent),
        vec("[0-9A-Za-z]{1,8}", 1..4).prop_map(|groups| Caller::Groups(
            groups
                .iter()
                .map(|g| Name::parse(g, "group").unwrap())
                .collect()
        )),
    ];
    let to = prop_oneof![
        "\\+?[0-9]{1,12}( [0-9]{1,8})?"
            .prop_map(|n| Callee::Number(Name::parse(&n, "number").unwrap())),
        agent().prop_map(Callee::Agent),
    ];
    (
        from,
        option::of("\\+?[0-9]{1,20}"),
        consent(),
        to,
        consent(),
        option::of("[A-Za-z0-9:/?#@!$&'()*+,;=%._~\\[\\]-]{1,300}"),
        option::of("[A-Za-z0-9]{1,32}"),
    )
        .prop_map(
            |(from, presented_clid, from_consent, to, to_consent, reference, application)| {
                PlaceCall {
                    from,
                    presented_clid,
                    from_consent,
                    to,
                    to_consent,
                    reference,
                    application,
                }
            },
        )
}

fn any_text() -> impl Strategy<Value = String> {
    ".{0,40}"
}

fn wire_request() -> impl Strategy<Value = wire::CallRequest> {
    let from = option::of(
        (
            option::of(any_text()),
            option::of(vec(any_text(), 0..3)),
            option::of(any_text()),
            option::of(any_text()),
            option::of(any_text()),
        )
            .prop_map(
                |(agent_id, groups, presented_clid, consent, telephone_number)| wire::RequestFrom {
                    agent_id,
                    groups,
                    presented_clid,
                    consent,
                    telephone_number,
                },
            ),
    );
    let to = option::of(
        (
            option::of(any_text()),
            option::of(any_text()),
            option::of(any_text()),
        )
            .prop_map(|(telephone_number, agent_id, consent)| wire::CallTo {
                telephone_number,
                agent_id,
                consent,
            }),
    );
    (
        from,
        to,
        option::of(option::of(any_text()).prop_map(|reference| wire::Regarding { reference })),
        option::of(any_text()),
    )
        .prop_map(|(from, to, regarding, application)| wire::CallRequest {
            from,
            to,
            regarding,
            application,
        })
}

proptest! {
    #[test]
    fn a_valid_call_survives_its_wire_form(call in place_call()) {
        let text = serde_json::to_vec(&call.to_wire()).unwrap();
        prop_assert_eq!(decode_call(&text).unwrap(), call);
    }

    #[test]
    fn the_201_body_round_trips_and_echoes_the_request(call in place_call(), n in 1usize..100_000) {
        let id = InteractionId::parse(&format!("call-{n}"), "id").unwrap();
        let path = calls_path("/v0/a1b2c3d4e5/calls").unwrap();
        let created = call.created(&id, &path);
        prop_assert_eq!(&round_trip(&created), &created);
        let request = call.to_wire();
        let from = request.from.unwrap();
        prop_assert_eq!(&created.from.agent_id, &from.agent_id);
        prop_assert_eq!(&created.from.groups, &from.groups);
        prop_assert_eq!(&created.from.presented_clid, &from.presented_clid);
        prop_assert_eq!(Some(created.to.clone()), request.to);
        prop_assert_eq!(created.regarding.clone(), request.regarding);
        prop_assert_eq!(&created.application, &request.application);
        let (status, body) = calls_response(Ok(&created));
        prop_assert_eq!(status, 201);
        prop_assert_eq!(&body["id"], &serde_json::json!(id.as_str()));
    }

    #[test]
    fn wire_requests_round_trip(request in wire_request()) {
        prop_assert_eq!(round_trip(&request), request.clone());
        // Whatever the values, decoding refuses or accepts; it never panics, and a refusal has
        // a 400 or 415 body with a message.
        let text = serde_json::to_vec(&request).unwrap();
        if let Err(e) = decode_call(&text) {
            let (status, body) = calls_response(Err(&e));
            prop_assert_eq!(status, 400);
            prop_assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..200), text in ".{0,80}") {
        let _ = decode_call(&bytes);
        let _ = decode_call(text.as_bytes());
        let _ = check_content_type(&text);
        let _ = calls_path(&text);
    }
}
