//! Every command, by number and by name, decoded and then sent through the public endpoint as a
//! service sends it (`handle_request`, `POST /api/command`); the subscribe and
//! unsubscribe requests with their responses.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{ALICE, fixture};
use interaction_anywhere365::{
    Command, Endpoint, SubscriptionId, Subscriptions, TelNumber, command_response, decode_command,
    decode_subscribe, endpoint, subscribe_response, unsubscribe_response,
};
use interaction_core::{AgentId, Engine, ErrorKind, Presence};
use serde_json::{Value, json};

fn command(body: &Value) -> Result<Command, interaction_core::Error> {
    decode_command(&serde_json::to_vec(body).unwrap()).result
}

fn alice() -> AgentId {
    AgentId::parse(ALICE, "ImAddress").unwrap()
}

/// Sends `body` as `POST /api/command` through the crate's public endpoint
/// ([`interaction_anywhere365::handle_request`]), as a service does: the answer's status.
fn send(engine: &mut Engine, body: &Value) -> u16 {
    use interaction_anywhere365::endpoint::{IdKind, IdSource, Request};
    /// A command asks for no id.
    struct NoIds;
    impl IdSource for NoIds {
        fn next_id(&mut self, kind: IdKind) -> String {
            panic!("a command asked for an id of {kind:?}")
        }
    }
    let body = serde_json::to_vec(body).unwrap();
    let request = Request::post("/api/command", &body);
    let handled = interaction_anywhere365::handle_request(
        engine,
        &mut Subscriptions::new(),
        &request,
        &mut NoIds,
    );
    handled.response.status
}

#[test]
fn agent_login_and_logout_drive_the_session() {
    let mut engine = Engine::new();
    assert_eq!(endpoint("/api/command"), Some(Endpoint::Command));
    let login = json!({"ImAddress": ALICE, "commandType": 0});
    assert_eq!(
        command(&login).unwrap(),
        Command::AgentLogin { agent: alice() }
    );
    assert_eq!(send(&mut engine, &login), 202);
    assert_eq!(engine.presence(ALICE), Some(Presence::LoggedIn));
    let logout = json!({"ImAddress": ALICE, "commandType": "AgentLogout"});
    assert_eq!(
        command(&logout).unwrap(),
        Command::AgentLogout { agent: alice() }
    );
    assert_eq!(send(&mut engine, &logout), 202);
    assert_eq!(engine.presence(ALICE), Some(Presence::LoggedOut));
}

#[test]
fn dial_checks_the_number_and_changes_nothing() {
    let mut engine = Engine::new();
    let dial = json!({"ImAddress": ALICE, "commandType": 4, "number": "tel:+31880000000"});
    assert_eq!(
        command(&dial).unwrap(),
        Command::Dial {
            agent: alice(),
            number: TelNumber::parse("tel:+31880000000", "number").unwrap()
        }
    );
    assert_eq!(send(&mut engine, &dial), 202);
    assert_eq!(
        engine,
        Engine::new(),
        "the call appears with its events, not with the command"
    );
}

#[test]
fn heartbeat_is_answered_and_changes_nothing() {
    let mut engine = Engine::new();
    let beat = json!({"ImAddress": ALICE, "commandType": "HeartBeat"});
    assert_eq!(
        command(&beat).unwrap(),
        Command::HeartBeat { agent: alice() }
    );
    assert_eq!(send(&mut engine, &beat), 202);
    assert_eq!(engine, Engine::new());
}

#[test]
fn the_pages_own_sample_is_not_json_and_is_refused_cleanly() {
    let item = decode_command(&fixture("command-sample.txt"));
    let err = item.result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(err.to_string().contains("command body"), "{err}");
    assert_eq!(item.action, "command");
    let response = command_response(Err(&err));
    assert_eq!(response.status, 500);
    assert!(
        response.body["message"]
            .as_str()
            .unwrap()
            .contains("command body")
    );
    // The same sample with its quotes fixed and `number` filled in is accepted.
    let fixed = br#"{"ImAddress" : "sip:agentname@domain.com", "commandType" : "AgentLogin", "number" : null}"#;
    assert!(decode_command(fixed).result.is_ok());
}

#[test]
fn a_refused_command_names_the_field_in_its_500() {
    let item = decode_command(
        br#"{"ImAddress": "sip:a@b.com", "commandType": "Dial", "number": "+31880000000"}"#,
    );
    assert_eq!(item.action, "dial");
    let err = item.result.unwrap_err();
    let response = command_response(Err(&err));
    assert_eq!(response.status, 500);
    assert!(
        response.body["message"]
            .as_str()
            .unwrap()
            .contains("`number`")
    );
}

#[test]
fn subscribe_then_unsubscribe_with_the_pages_responses() {
    let mut subscriptions = Subscriptions::new();
    assert_eq!(endpoint("/api/subscribe"), Some(Endpoint::Subscribe));
    decode_subscribe(br#"{"callbackUrl": "https://cti.example.com/events"}"#).unwrap();
    let id = SubscriptionId::numbered(1);
    subscriptions.subscribe(id.clone()).unwrap();
    let created = subscribe_response(Ok(&id));
    assert_eq!(created.status, 201);
    assert_eq!(
        created.location.as_deref(),
        Some("api/subscribe/00000000-0000-0000-0000-000000000001")
    );
    // The Location names the path to DELETE.
    let Some(Endpoint::Unsubscribe(path_id)) = endpoint(created.location.as_deref().unwrap())
    else {
        panic!("the Location is not an unsubscribe path");
    };
    let removed = subscriptions.unsubscribe(&path_id).unwrap();
    assert_eq!(removed, id);
    assert_eq!(unsubscribe_response(Ok(())).status, 202);
    // Again: 404.
    let again = subscriptions.unsubscribe(&path_id).unwrap_err();
    assert_eq!(unsubscribe_response(Err(&again)).status, 404);
    // The page's own sample id, never subscribed: 404.
    let Some(Endpoint::Unsubscribe(sample)) =
        endpoint("/api/subscribe/296854af-2ba7-45d0-b460-085dc1843b3d")
    else {
        panic!();
    };
    let err = subscriptions.unsubscribe(&sample).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidField);
    assert_eq!(unsubscribe_response(Err(&err)).status, 404);
}

/// A subscribe whose body does not read is refused (`500`, the page's one error response) and
/// takes no id from the caller's id
/// source (the gateway's counters are part of its snapshot: a refused request changes
/// nothing); the next one that reads gets the first id. Found by the `http_request` fuzz target.
#[test]
fn a_refused_subscribe_draws_no_id() {
    use interaction_anywhere365::endpoint::{IdKind, IdSource, Request};

    #[derive(Default)]
    struct Counted(Vec<IdKind>);
    impl IdSource for Counted {
        fn next_id(&mut self, kind: IdKind) -> String {
            self.0.push(kind);
            SubscriptionId::numbered(self.0.len()).to_string()
        }
    }

    let mut engine = Engine::new();
    let mut subscriptions = Subscriptions::new();
    let mut ids = Counted::default();
    for body in [&b"not json"[..], b"[1, 2]", b"\"text\""] {
        let refused = interaction_anywhere365::handle_request(
            &mut engine,
            &mut subscriptions,
            &Request::post("/api/subscribe", body),
            &mut ids,
        );
        assert_eq!(refused.response.status, 500);
        assert!(refused.items[0].error().is_some());
    }
    assert!(ids.0.is_empty(), "a refused subscribe drew {:?}", ids.0);
    assert_eq!(subscriptions, Subscriptions::new());
    let created = interaction_anywhere365::handle_request(
        &mut engine,
        &mut subscriptions,
        &Request::post("/api/subscribe", b""),
        &mut ids,
    );
    assert_eq!(created.response.status, 201);
    assert_eq!(
        created.response.header("Location"),
        Some("api/subscribe/00000000-0000-0000-0000-000000000001")
    );
    assert_eq!(ids.0, [IdKind::Subscription]);
}
