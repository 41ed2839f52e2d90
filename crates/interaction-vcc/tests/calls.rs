//! The Calls API on the vendor's own examples (tests/fixtures/calls/, copied verbatim from
//! shared/spec/vcc-calls.txt): every request example decodes to the call it describes, the
//! "all possible parameters" sample is refused as documented, and the 201, 400 and 415 samples
//! are reproduced.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fixture, fixture_json};
use interaction_core::{
    Action, Actor, AgentId, Callee, Caller, ErrorKind, Input, InteractionId, Media, Name,
};
use interaction_vcc::calls::messages;
use interaction_vcc::{
    Consent, PlaceCall, calls_path, calls_response, check_content_type, decode_call,
};
use serde_json::json;

fn agent(id: &str) -> AgentId {
    AgentId::parse(id, "agent").unwrap()
}

fn number(n: &str) -> Callee {
    Callee::Number(Name::parse(n, "number").unwrap())
}

fn groups(ids: &[&str]) -> Caller {
    Caller::Groups(
        ids.iter()
            .map(|g| Name::parse(g, "group").unwrap())
            .collect(),
    )
}

/// A call with only `from` and `to`.
fn plain(from: Caller, to: Callee) -> PlaceCall {
    PlaceCall {
        from,
        presented_clid: None,
        from_consent: None,
        to,
        to_consent: None,
        reference: None,
        application: None,
    }
}

fn decoded(name: &str) -> PlaceCall {
    decode_call(&fixture(&format!("calls/{name}"))).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_request_example_decodes_to_the_call_it_describes() {
    let from_1234 = || Caller::Agent(agent("1234"));
    // "Make call from agent 1234 to telephone number 02072068888"
    assert_eq!(
        decoded("agent-to-number.json"),
        plain(from_1234(), number("02072068888"))
    );
    // ... to agent 4567
    assert_eq!(
        decoded("agent-to-agent.json"),
        plain(from_1234(), Callee::Agent(agent("4567")))
    );
    // ... from group 030, and from groups 030, 200, 400 (order kept)
    assert_eq!(
        decoded("group-to-number.json"),
        plain(groups(&["030"]), number("02072068888"))
    );
    assert_eq!(
        decoded("groups-to-number.json"),
        plain(groups(&["030", "200", "400"]), number("02072068888"))
    );
    // ... presenting a CLID
    assert_eq!(
        decoded("presented-clid.json"),
        PlaceCall {
            presented_clid: Some("08008888888".into()),
            ..plain(from_1234(), number("02072068888"))
        }
    );
    // ... with a reference and an application
    assert_eq!(
        decoded("reference-and-application.json"),
        PlaceCall {
            presented_clid: Some("08008888888".into()),
            reference: Some("0012400000ATTUQ".into()),
            application: Some("appName".into()),
            ..plain(from_1234(), number("02072068888"))
        }
    );
    // ... with consent on both sides
    assert_eq!(
        decoded("consent.json"),
        PlaceCall {
            from_consent: Some(Consent::OneParty),
            to_consent: Some(Consent::OneParty),
            ..plain(from_1234(), number("02072068888"))
        }
    );
}

#[test]
fn a_call_is_a_live_dial_by_the_api_client() {
    let call = decoded("agent-to-number.json");
    let id = InteractionId::parse("call-1", "id").unwrap();
    assert_eq!(
        call.input(id.clone()),
        Input::new(
            id,
            Action::Dial {
                from: Caller::Agent(agent("1234")),
                to: number("02072068888"),
                media: Media::Live,
            },
            Actor::Provider(None),
        )
        .via(interaction_core::Api::Vcc)
    );
}

/// The page's "all possible body parameters" sample names both `agentId` and `groups` in
/// `from`, and both `telephoneNumber` and `agentId` in `to`: it breaks the page's own "use
/// either ... or" rules. It is refused; `from` is checked first.
#[test]
fn the_all_possible_parameters_sample_is_refused() {
    let body = fixture("calls/all-possible-parameters.json");
    let err = decode_call(&body).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidField);
    assert_eq!(
        err.to_string(),
        "invalid `from`: Either agent id or groups required, not both"
    );
    assert_eq!(
        calls_response(Err(&err)),
        (400, json!({"message": messages::FROM_NOT_BOTH}))
    );

    // With `from` down to its agent, `to` gets the page's own message.
    let mut sample = fixture_json("calls/all-possible-parameters.json");
    sample["from"].as_object_mut().unwrap().remove("groups");
    let err = decode_call(sample.to_string().as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid `to`: Either telephone number or agent id required, not both"
    );
    assert_eq!(
        calls_response(Err(&err)),
        (
            400,
            json!({"message": "Either telephone number or agent id required, not both"})
        )
    );

    // With one selector on each side, everything else in the sample is accepted.
    sample["to"].as_object_mut().unwrap().remove("agentId");
    let call = decode_call(sample.to_string().as_bytes()).unwrap();
    assert_eq!(
        call,
        PlaceCall {
            from: Caller::Agent(agent("5464")),
            presented_clid: Some("01256636451".into()),
            from_consent: Some(Consent::OneParty),
            to: number("07970303957"),
            to_consent: None,
            reference: Some("http://Test.com".into()),
            application: Some("TestApp".into()),
        }
    );
}

/// The 201 sample, reproduced member for member and in the sample's order from the request it
/// answers, the id and the account's URL.
#[test]
fn the_201_sample_is_reproduced_exactly() {
    let request =
        br#"{"from": {"agentId": "1234", "presentedCLID": "123456789", "consent": "OneParty"},
        "to": {"telephoneNumber": "02072068888", "consent": "OneParty"},
        "regarding": {"reference": "0012400000ATTUQ"},
        "application": "ExampelAppNameExampleAppName"}"#;
    let call = decode_call(request).unwrap();
    let id = InteractionId::parse("017db4a2-44b5-672e-8b9f-1a805fed07ad", "id").unwrap();
    let path = calls_path("https://emea.newvoicemedia.com/v0/lmccg0ujju4/calls").unwrap();
    let (status, body) = calls_response(Ok(&call.created(&id, &path)));
    assert_eq!(status, 201);
    let want = fixture_json("calls/response-201.json");
    // serde_json keeps member order (`preserve_order`): the text compares the order too.
    assert_eq!(body.to_string(), want.to_string());
}

#[test]
fn the_201_body_says_null_for_what_was_not_given() {
    let call = decoded("group-to-number.json");
    let id = InteractionId::parse("call-7", "id").unwrap();
    let path = calls_path("/v0/a1b2c3d4e5/calls/").unwrap();
    let (status, body) = calls_response(Ok(&call.created(&id, &path)));
    assert_eq!(status, 201);
    assert_eq!(
        body.to_string(),
        json!({
            "id": "call-7",
            "links": [{"href": "/V0/a1b2c3d4e5/Calls/call-7", "rel": "_self"}],
            "from": {"groups": ["030"]},
            "to": {"telephoneNumber": "02072068888"},
            "regarding": null,
            "status": "Active",
            "recordingStatus": "Stopped",
            "application": null,
            "dispositionCode": null
        })
        .to_string()
    );
}

#[test]
fn the_415_sample_is_reproduced() {
    let refused = check_content_type("multipart/form-data; boundary=----7MA4YWxk").unwrap_err();
    assert_eq!(refused.error().kind(), ErrorKind::Unsupported);
    assert_eq!(
        refused.response(),
        (415, fixture_json("calls/response-415.json"))
    );
    // The page's examples send JSON with a version parameter, with and without a space.
    assert_eq!(check_content_type("application/json; version=6"), Ok(()));
    assert_eq!(check_content_type("application/json;version=6"), Ok(()));
}

#[test]
fn a_400_has_the_shape_of_the_pages_sample() {
    let sample = fixture_json("calls/response-400.json");
    let err = decode_call(br#"{"from": {"agentId": "1234"}, "to": {}}"#).unwrap_err();
    let (status, body) = calls_response(Err(&err));
    assert_eq!(status, 400);
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&body), keys(&sample));
    assert!(body["message"].is_string());
}
