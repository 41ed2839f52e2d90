//! Consult calls paired with their originals ([`interaction_gws::Consults`]), through the
//! public endpoints, with the GWS 8.5 pages' samples: InitiateTransfer (the held original lists
//! `SwapCalls` and `CompleteTransfer`, not `Retrieve`), CompleteTransfer (posted on the consult
//! call; both of the agent's calls then `Released`), InitiateConference (the held original
//! still lists `Retrieve`), CompleteConference (the consult call carries `"callType":
//! "Consult"`, `parentCallUri` and `parentCallPath`; it is `Released` first).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_core::{ActionKind, Engine, ErrorKind, InteractionId, Name, StateKind};
use interaction_gws::endpoint::{Item, Request, handle_message, handle_request};
use interaction_gws::{AdapterState, ConsultKind, Consults};
use interaction_wire::{IdKind, IdSource, Note};

const ORIGINAL: &str = "01RCC3N118B1V0SL8O7GK2LAES00000M";
const CONSULT: &str = "01RCC3N118B1V0SL8O7GK2LAES00000N";

fn id(text: &str) -> InteractionId {
    InteractionId::parse(text, "id").unwrap()
}

fn name(text: &str) -> Name {
    Name::parse(text, "name").unwrap()
}

struct Ids;

impl IdSource for Ids {
    fn next_id(&mut self, _: IdKind) -> String {
        "1".to_owned()
    }
}

/// Agent 1001's desk: an engine and the pairs, fed through the endpoints.
#[derive(Default)]
struct Desk {
    engine: Engine,
    state: AdapterState,
}

impl Desk {
    /// A `CallStateChangeMessage` `StatusChange` of call `id` to `state` on 1001's channel,
    /// with `extra` members in the call resource; its one item.
    fn call(&mut self, id: &str, state: &str, extra: &str) -> Item {
        self.call_of("1001", id, state, extra)
    }

    /// The same on `agent`'s channel.
    fn call_of(&mut self, agent: &str, id: &str, state: &str, extra: &str) -> Item {
        let body = format!(
            r#"{{"data": {{"messageType": "CallStateChangeMessage", "notificationType": "StatusChange", "call": {{"id": "{id}", "state": "{state}"{extra}}}, "phoneNumber": "15000"}}, "channel": "/v2/me/calls"}}"#
        );
        let request = Request {
            identity: Some(agent),
            ..Request::post("/cometd", body.as_bytes())
        };
        let mut handled = handle_message(&mut self.engine, &mut self.state, &request, &mut Ids);
        assert_eq!(handled.items.len(), 1);
        let item = handled.items.remove(0);
        assert!(item.error().is_none(), "{body}: {:?}", item.error());
        item
    }

    /// The consult call's notification, naming its original as CompleteConference's sample does.
    fn consult(&mut self, state: &str, original: &str) -> Item {
        let extra = format!(
            r#", "callType": "Consult", "dnis": "15002", "parentCallUri": "http://127.0.0.1:8080/api/v2/me/calls/{original}", "parentCallPath": "/calls/{original}""#
        );
        self.call(CONSULT, state, &extra)
    }

    /// Operation `body` by 1001 on `POST /api/v2/me/calls/{id}`: the status and the item.
    fn operate(&mut self, id: &str, body: &str) -> (u16, Item) {
        self.operate_as("1001", id, body)
    }

    /// The same by `agent`.
    fn operate_as(&mut self, agent: &str, id: &str, body: &str) -> (u16, Item) {
        let path = format!("/api/v2/me/calls/{id}");
        let request = Request {
            identity: Some(agent),
            ..Request::post(&path, body.as_bytes())
        };
        let mut handled = handle_request(&mut self.engine, &mut self.state, &request, &mut Ids);
        (handled.response.status, handled.items.remove(0))
    }

    /// 1001 on the customer's call `ORIGINAL`, established.
    fn established() -> Desk {
        let mut desk = Desk::default();
        desk.call(ORIGINAL, "Ringing", r#", "callType": "Inbound""#);
        desk.call(ORIGINAL, "Established", r#", "callType": "Inbound""#);
        desk
    }

    /// 1001 with a consult transfer under way: `ORIGINAL` held, `CONSULT` dialing.
    fn consulting() -> Desk {
        let mut desk = Desk::established();
        desk.operate(ORIGINAL, r#"{"operationName": "InitiateTransfer"}"#);
        desk.call(ORIGINAL, "Held", r#", "callType": "Inbound""#);
        desk.consult("Dialing", ORIGINAL);
        desk
    }

    /// The consulted agent of the pair `call` belongs to.
    fn consulted(&self, call: &str) -> Option<interaction_core::AgentId> {
        self.state
            .consults
            .pair_of(call)
            .and_then(|p| p.consulted.clone())
    }

    /// The agent the engine has as `id`'s owner.
    fn owner(&self, id: &str) -> Option<String> {
        self.engine
            .interaction(id)
            .and_then(|it| it.state().owner().map(|o| o.as_str().to_owned()))
    }

    fn state(&self, id: &str) -> Option<StateKind> {
        self.engine.interaction(id).map(|it| it.state().kind())
    }
}

#[test]
fn a_consult_transfer_pairs_the_calls_withholds_retrieve_and_ends_with_the_consulted_party() {
    let mut desk = Desk::established();
    let (status, item) = desk.operate(
        ORIGINAL,
        r#"{"operationName": "InitiateTransfer", "destination": {"phoneNumber": "15002"}}"#,
    );
    assert_eq!(
        (status, item.outcome.clone()),
        (200, Ok(interaction_core::Outcome::Applied))
    );
    // "The first notification is that the original call has been placed on hold": GWS lists
    // SwapCalls and CompleteTransfer, not Retrieve.
    let held = desk.call(ORIGINAL, "Held", r#", "callType": "Inbound""#);
    assert_eq!(held.to, Some(StateKind::Held));
    assert!(
        !held.allowed.contains(ActionKind::Retrieve),
        "{:?}",
        held.allowed
    );
    assert!(held.allowed.contains(ActionKind::Release));
    // The consult call names its original: the pair is known and said once.
    let dialing = desk.consult("Dialing", ORIGINAL);
    assert_eq!(dialing.to, Some(StateKind::Dialing));
    assert_eq!(
        dialing.notes,
        [Note::ConsultCall {
            original: id(ORIGINAL)
        }]
    );
    let established = desk.consult("Established", ORIGINAL);
    assert!(
        established.notes.is_empty(),
        "said once: {:?}",
        established.notes
    );
    let pair = desk.state.consults.pair_of(CONSULT).unwrap();
    assert_eq!(
        (
            pair.original.as_str(),
            pair.kind,
            pair.party.as_ref().map(Name::as_str)
        ),
        (ORIGINAL, Some(ConsultKind::Transfer), Some("15002"))
    );
    // CompleteTransfer is posted on the consult call (the page's sample).
    let (status, _) = desk.operate(CONSULT, r#"{"operationName": "CompleteTransfer"}"#);
    assert_eq!(status, 200);
    // "the original call is released": the customer went on with the consulted party.
    let released = desk.call(
        ORIGINAL,
        "Released",
        r#", "callType": "Inbound", "capabilities": []"#,
    );
    assert_eq!(released.to, Some(StateKind::Ended));
    assert_eq!(
        released.notes,
        [Note::TransferCompleted {
            consult: Some(id(CONSULT)),
            party: Some(name("15002")),
            agent: None,
        }]
    );
    // "and that the consult call is released as well".
    let consult = desk.consult("Released", ORIGINAL);
    assert_eq!(consult.to, Some(StateKind::Ended));
    assert!(consult.notes.is_empty());
    assert!(desk.state.consults.is_empty(), "{:?}", desk.state.consults);
}

#[test]
fn a_consultation_that_ends_without_completion_gives_the_original_back_its_retrieve() {
    let mut desk = Desk::established();
    desk.operate(
        ORIGINAL,
        r#"{"operationName": "InitiateTransfer", "destination": {"phoneNumber": "15002"}}"#,
    );
    desk.call(ORIGINAL, "Held", r#", "callType": "Inbound""#);
    desk.consult("Dialing", ORIGINAL);
    // The agent hangs up the consult call: no completion.
    let released = desk.consult("Released", ORIGINAL);
    assert!(released.notes.is_empty());
    assert!(desk.state.consults.is_empty());
    let held = desk.call(ORIGINAL, "Held", r#", "callType": "Inbound""#);
    assert!(
        held.allowed.contains(ActionKind::Retrieve),
        "{:?}",
        held.allowed
    );
    let back = desk.call(ORIGINAL, "Established", r#", "callType": "Inbound""#);
    assert_eq!(back.to, Some(StateKind::Connected));
}

#[test]
fn an_initiation_that_came_to_nothing_is_forgotten_when_the_original_is_retrieved() {
    let mut desk = Desk::established();
    desk.operate(ORIGINAL, r#"{"operationName": "InitiateTransfer"}"#);
    desk.call(ORIGINAL, "Held", r#", "callType": "Inbound""#);
    assert_eq!(desk.state.consults.len(), 1);
    desk.call(ORIGINAL, "Established", r#", "callType": "Inbound""#);
    assert!(desk.state.consults.is_empty());
}

#[test]
fn a_conference_consultation_keeps_retrieve_and_its_completion_is_said_on_the_consult_call() {
    let mut desk = Desk::established();
    desk.operate(
        ORIGINAL,
        r#"{"operationName": "InitiateConference", "destination": {"phoneNumber": "15002"}}"#,
    );
    // InitiateConference's sample: the held original still lists Retrieve.
    let held = desk.call(ORIGINAL, "Held", r#", "callType": "Inbound""#);
    assert!(
        held.allowed.contains(ActionKind::Retrieve),
        "{:?}",
        held.allowed
    );
    desk.consult("Dialing", ORIGINAL);
    let (status, _) = desk.operate(CONSULT, r#"{"operationName": "CompleteConference"}"#);
    assert_eq!(status, 200);
    // "The first notification is that the consult call is released".
    let released = desk.consult("Released", ORIGINAL);
    assert_eq!(
        released.notes,
        [Note::ConferenceCompleted {
            original: id(ORIGINAL),
            party: Some(name("15002")),
        }]
    );
    assert!(desk.state.consults.is_empty());
    let conference = desk.call(ORIGINAL, "Established", r#", "callType": "Inbound""#);
    assert_eq!(conference.to, Some(StateKind::Connected));
    assert_eq!(desk.state(CONSULT), Some(StateKind::Ended));
}

#[test]
fn complete_transfer_on_the_original_may_name_the_consult_call_by_its_uri() {
    let mut desk = Desk::consulting();
    desk.consult("Established", ORIGINAL);
    let body = format!(
        r#"{{"operationName": "CompleteTransfer", "consultCallUri": "http://127.0.0.1:8080/api/v2/me/calls/{CONSULT}"}}"#
    );
    let (status, _) = desk.operate(ORIGINAL, &body);
    assert_eq!(status, 200);
    assert!(desk.state.consults.pair_of(ORIGINAL).unwrap().completed);
    // The party is the consult call's dnis when the request named none.
    let released = desk.call(ORIGINAL, "Released", r#", "callType": "Inbound""#);
    assert!(
        matches!(&released.notes[..], [Note::TransferCompleted { party: Some(p), .. }] if p.as_str() == "15002"),
        "{:?}",
        released.notes
    );
}

#[test]
fn a_consult_call_seen_without_the_request_is_paired_but_its_kind_is_unknown() {
    let mut desk = Desk::established();
    desk.call(ORIGINAL, "Held", r#", "callType": "Inbound""#);
    let dialing = desk.consult("Dialing", ORIGINAL);
    assert_eq!(dialing.notes.len(), 1);
    let pair = desk.state.consults.pair_of(ORIGINAL).unwrap();
    assert_eq!(pair.kind, None);
    // Which operation made it is unknown: retrieve stays (a conference's original offers it).
    let held = desk.call(ORIGINAL, "Held", r#", "callType": "Inbound""#);
    assert!(held.allowed.contains(ActionKind::Retrieve));
}

#[test]
fn a_link_that_cannot_be_read_pairs_nothing_and_refuses_nothing() {
    let mut desk = Desk::established();
    // Each would name the live ORIGINAL if it were read past its shape.
    let links = [
        format!(r#", "parentCallUri": "{ORIGINAL}""#),
        format!(r#", "parentCallPath": "/calls/{ORIGINAL}/x""#),
        format!(r#", "parentCallPath": "/chats/{ORIGINAL}""#),
        r#", "parentCallPath": "/calls/""#.to_owned(),
    ];
    for link in &links {
        let item = desk.call(
            CONSULT,
            "Dialing",
            &format!(r#", "callType": "Consult"{link}"#),
        );
        assert!(item.notes.is_empty(), "{link}");
        assert!(desk.state.consults.is_empty(), "{link}");
    }
    // A link of the wrong JSON type is malformed, as any member read is.
    let body = format!(
        r#"{{"messageType": "CallStateChangeMessage", "notificationType": "StatusChange", "call": {{"id": "{CONSULT}", "state": "Dialing", "parentCallUri": 7}}}}"#
    );
    let request = Request {
        identity: Some("1001"),
        ..Request::post("/v2/me/calls", body.as_bytes())
    };
    let handled = handle_message(&mut desk.engine, &mut desk.state, &request, &mut Ids);
    let error = handled.items[0].error().unwrap();
    assert_eq!(error.kind(), ErrorKind::Malformed);
    assert!(error.to_string().contains("parentCallUri"), "{error}");
}

#[test]
fn a_consult_call_uri_that_names_no_call_is_refused() {
    let mut desk = Desk::established();
    let (status, item) = desk.operate(
        ORIGINAL,
        r#"{"operationName": "CompleteTransfer", "consultCallUri": "http://127.0.0.1:8080/api/v2/me/chats/x"}"#,
    );
    assert_eq!(status, 400);
    let error = item.error().unwrap();
    assert_eq!(error.kind(), ErrorKind::InvalidField);
    assert!(error.to_string().contains("consultCallUri"), "{error}");
}

#[test]
fn an_initiation_on_a_call_the_engine_does_not_hold_pairs_nothing() {
    let mut desk = Desk::default();
    let (status, _) = desk.operate(ORIGINAL, r#"{"operationName": "InitiateTransfer"}"#);
    assert_eq!(status, 200);
    assert!(desk.state.consults.is_empty());
}

#[test]
fn the_pairs_round_trip_through_serde_and_a_pair_twice_is_refused() {
    let mut desk = Desk::established();
    desk.operate(ORIGINAL, r#"{"operationName": "InitiateTransfer"}"#);
    desk.consult("Dialing", ORIGINAL);
    let json = serde_json::to_string(&desk.state.consults).unwrap();
    let back: Consults = serde_json::from_str(&json).unwrap();
    assert_eq!(back, desk.state.consults);
    assert_eq!(
        back.pair_of(CONSULT).map(|p| p.original.as_str()),
        Some(ORIGINAL)
    );
    let pair = serde_json::to_value(back.iter().next().unwrap()).unwrap();
    let twice = serde_json::to_string(&[&pair, &pair]).unwrap();
    let error = serde_json::from_str::<Consults>(&twice).unwrap_err();
    assert!(error.to_string().contains("two consult pairs"), "{error}");
}

/// A call's `ParticipantsUpdated` (RemoveParticipantFromConference's sample) says who its other
/// parties now are; the other notifications do not.
#[test]
fn participants_updated_lists_the_calls_other_parties() {
    let mut desk = Desk::established();
    let updated = |desk: &mut Desk, participants: &str| {
        let body = format!(
            r#"{{"data": {{"messageType": "CallStateChangeMessage", "notificationType": "ParticipantsUpdated", "call": {{"id": "{ORIGINAL}", "state": "Established", "participants": {participants}}}}}}}"#
        );
        let request = Request {
            identity: Some("1001"),
            ..Request::post("/cometd", body.as_bytes())
        };
        let mut handled = handle_message(&mut desk.engine, &mut desk.state, &request, &mut Ids);
        let item = handled.items.remove(0);
        assert!(item.error().is_none(), "{participants}: {:?}", item.error());
        assert_eq!(
            (item.from, item.to),
            (Some(StateKind::Connected), Some(StateKind::Connected))
        );
        item.notes
    };
    let parties = |names: &[&str]| {
        vec![Note::Participants {
            participants: names.iter().map(|n| name(n)).collect(),
        }]
    };
    // The 8.5.2 samples' objects.
    assert_eq!(
        updated(
            &mut desk,
            r#"[{"e164Number": "", "formattedPhoneNumber": "15002", "phoneNumber": "15002", "digits": "15002"}]"#
        ),
        parties(&["15002"])
    );
    // CallResource's strings, an object with `digits` only, and what names nobody (skipped).
    assert_eq!(
        updated(
            &mut desk,
            r#"["15001", {"digits": "15003"}, {"e164Number": ""}, 7, ""]"#
        ),
        parties(&["15001", "15003"])
    );
    assert_eq!(updated(&mut desk, "[]"), parties(&[]));
    // Not a list: no note, nothing refused.
    assert!(updated(&mut desk, r#"{"phoneNumber": "15002"}"#).is_empty());
    // At most MAX_PARTICIPANTS are kept.
    let many: Vec<String> = (0..100).map(|n| format!("\"{n}\"")).collect();
    let notes = updated(&mut desk, &format!("[{}]", many.join(",")));
    assert!(
        matches!(&notes[..], [Note::Participants { participants }] if participants.len() == interaction_gws::MAX_PARTICIPANTS)
    );
    // A StatusChange's participants are not read.
    let item = desk.call(ORIGINAL, "Held", r#", "participants": ["15002"]"#);
    assert!(item.notes.is_empty());
}

/// A consult call is in one pair, in one role: consulting again from it (GWS offers
/// InitiateConference on an established call with a held partner, SwapCalls' sample) pairs
/// nothing more, and the state still restores.
#[test]
fn a_consult_call_never_becomes_an_original_too() {
    let mut desk = Desk::consulting();
    desk.consult("Established", ORIGINAL);
    let (status, _) = desk.operate(CONSULT, r#"{"operationName": "InitiateConference"}"#);
    assert_eq!(status, 200);
    assert_eq!(desk.state.consults.len(), 1);
    // A third call naming the consult call as its parent pairs nothing either.
    desk.call(
        "01RCC3N118B1V0SL8O7GK2LAES00000Z",
        "Dialing",
        &format!(r#", "callType": "Consult", "parentCallPath": "/calls/{CONSULT}""#),
    );
    assert_eq!(desk.state.consults.len(), 1);
    let text = serde_json::to_string(&desk.state).unwrap();
    let back: AdapterState = serde_json::from_str(&text).unwrap();
    assert_eq!(back, desk.state);
    // The consult call hung up: the original is on its own again.
    desk.consult("Released", ORIGINAL);
    assert!(desk.state.consults.is_empty());
    let held = desk.call(ORIGINAL, "Held", r#", "callType": "Inbound""#);
    assert!(held.allowed.contains(ActionKind::Retrieve));
}

/// After a completed transfer whose consult call ends first, the pair waits for the original's
/// end, the same in a restored state as in the live one.
#[test]
fn a_completed_transfer_whose_consult_ends_first_restores_equal() {
    let mut desk = Desk::consulting();
    desk.operate(CONSULT, r#"{"operationName": "CompleteTransfer"}"#);
    desk.consult("Released", ORIGINAL);
    let text = serde_json::to_string(&desk.state).unwrap();
    let back: AdapterState = serde_json::from_str(&text).unwrap();
    assert_eq!(back, desk.state);
    assert_eq!(
        desk.state
            .consults
            .pair_of(CONSULT)
            .map(|p| p.original.as_str()),
        Some(ORIGINAL)
    );
    let released = desk.call(ORIGINAL, "Released", r#", "callType": "Inbound""#);
    assert!(
        matches!(&released.notes[..], [Note::TransferCompleted { consult: Some(c), .. }] if c.as_str() == CONSULT),
        "{:?}",
        released.notes
    );
    assert!(desk.state.consults.is_empty());
}

/// Each message of a CometD batch settles the pairs before the next is weighed: the original's
/// Held after its consult call's end offers retrieve, in a batch as one by one.
#[test]
fn a_batch_settles_the_pairs_message_by_message() {
    let mut desk = Desk::consulting();
    let message = |id: &str, state: &str, extra: &str| {
        format!(
            r#"{{"channel": "/v2/me/calls", "data": {{"messageType": "CallStateChangeMessage", "notificationType": "StatusChange", "call": {{"id": "{id}", "state": "{state}"{extra}}}}}}}"#
        )
    };
    let batch = format!(
        "[{}, {}]",
        message(
            CONSULT,
            "Released",
            &format!(r#", "callType": "Consult", "parentCallPath": "/calls/{ORIGINAL}""#)
        ),
        message(ORIGINAL, "Held", r#", "callType": "Inbound""#)
    );
    let request = Request {
        identity: Some("1001"),
        ..Request::post("/cometd", batch.as_bytes())
    };
    let handled = handle_message(&mut desk.engine, &mut desk.state, &request, &mut Ids);
    assert_eq!(handled.items.len(), 2);
    assert!(
        handled.items[1].allowed.contains(ActionKind::Retrieve),
        "{:?}",
        handled.items[1].allowed
    );
}

/// A call naming a chat as its parent is no consult call of it.
#[test]
fn only_a_call_is_an_original() {
    let mut desk = Desk::default();
    let chat = r#"{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange", "chat": {"id": "ch-1", "state": "Invited"}}"#;
    let request = Request {
        identity: Some("1001"),
        ..Request::post("/cometd", chat.as_bytes())
    };
    handle_message(&mut desk.engine, &mut desk.state, &request, &mut Ids);
    let item = desk.call(
        CONSULT,
        "Dialing",
        r#", "callType": "Consult", "parentCallPath": "/calls/ch-1""#,
    );
    assert!(item.notes.is_empty());
    assert!(desk.state.consults.is_empty());
}

/// One step of a random voice session of two agents over three calls.
#[derive(Debug, Clone)]
enum Step {
    /// A `StatusChange` of call `call` to `state` on agent `agent`'s channel, naming call
    /// `parent` as its original.
    Notify {
        agent: usize,
        call: usize,
        state: &'static str,
        parent: Option<usize>,
    },
    /// An operation by agent `agent` on call `call`.
    Operate {
        agent: usize,
        call: usize,
        operation: &'static str,
    },
}

const CALLS: [&str; 3] = ["call-a", "call-b", "call-c"];
const AGENTS: [&str; 2] = ["1001", "1002"];

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    let states = prop::sample::select(vec![
        "Ringing",
        "Dialing",
        "Established",
        "Held",
        "Released",
        "Completed",
    ]);
    let operations = prop::sample::select(vec![
        "InitiateTransfer",
        "InitiateConference",
        "CompleteTransfer",
        "CompleteConference",
        "SwapCalls",
        "Answer",
        "Reject",
        "Hangup",
        "Hold",
        "Retrieve",
    ]);
    prop_oneof![
        (0..2usize, 0..3usize, states, prop::option::of(0..3usize)).prop_map(
            |(agent, call, state, parent)| Step::Notify {
                agent,
                call,
                state,
                parent,
            }
        ),
        (0..2usize, 0..3usize, operations).prop_map(|(agent, call, operation)| Step::Operate {
            agent,
            call,
            operation,
        }),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(512))]

    /// Whatever two agents' channels report, in whatever order, beside the two-step
    /// operations: a call is in at most one pair and each pair is found from both its calls;
    /// a call's callee is never its owner; the adapter state restores equal from its own
    /// serialization; nothing panics and every message gives one item.
    #[test]
    fn the_pairs_stay_consistent_and_restore_equal(steps in proptest::collection::vec(step(), 1..40)) {
        let mut desk = Desk::default();
        for step in steps {
            match step {
                Step::Notify { agent, call, state, parent } => {
                    let extra = match parent {
                        Some(p) => format!(r#", "callType": "Consult", "parentCallPath": "/calls/{}""#, CALLS[p]),
                        None => r#", "callType": "Inbound""#.to_owned(),
                    };
                    let body = format!(
                        r#"{{"messageType": "CallStateChangeMessage", "notificationType": "StatusChange", "call": {{"id": "{}", "state": "{state}"{extra}}}}}"#,
                        CALLS[call]
                    );
                    let request = Request { identity: Some(AGENTS[agent]), ..Request::post("/cometd", body.as_bytes()) };
                    let handled = handle_message(&mut desk.engine, &mut desk.state, &request, &mut Ids);
                    proptest::prop_assert_eq!(handled.items.len(), 1);
                }
                Step::Operate { agent, call, operation } => {
                    desk.operate_as(AGENTS[agent], CALLS[call], &format!(r#"{{"operationName": "{operation}"}}"#));
                }
            }
            let consults = &desk.state.consults;
            for pair in consults.iter() {
                proptest::prop_assert!(consults.pair_of(pair.original.as_str()) == Some(pair));
                if let Some(consult) = &pair.consult {
                    proptest::prop_assert!(consult != &pair.original);
                    proptest::prop_assert!(consults.pair_of(consult.as_str()) == Some(pair));
                }
                proptest::prop_assert!(pair.consulted.as_ref() != Some(&pair.agent));
            }
            for call in CALLS {
                if let (Some(callee), Some(it)) = (desk.state.callees.get(call), desk.engine.interaction(call)) {
                    proptest::prop_assert!(it.state().owner() != Some(callee), "{call}: callee {callee} owns it");
                }
            }
            let text = serde_json::to_string(&desk.state).unwrap();
            let back: AdapterState = serde_json::from_str(&text).unwrap();
            proptest::prop_assert_eq!(&back, &desk.state);
        }
    }
}

/// The callee's view does not depend on which channel's message comes first: the caller's
/// `Established` before the callee's leaves the call the caller's.
#[test]
fn the_callees_view_holds_whichever_channel_speaks_first() {
    let mut desk = Desk::default();
    let internal = r#", "callType": "Internal""#;
    desk.call_of("1001", "int-2", "Dialing", internal);
    desk.call_of("1002", "int-2", "Ringing", internal);
    let connected = desk.call_of("1001", "int-2", "Established", internal);
    assert_eq!(connected.to, Some(StateKind::Connected));
    for state in ["Established", "Held", "Established"] {
        let view = desk.call_of("1002", "int-2", state, internal);
        assert_eq!(
            view.outcome,
            Ok(interaction_core::Outcome::Ignored),
            "{state}"
        );
    }
    assert_eq!(desk.owner("int-2").as_deref(), Some("1001"));
    assert_eq!(desk.state.callees.len(), 1);
    // The callee hangs up: forgotten; the caller's end ends the call.
    desk.call_of("1002", "int-2", "Released", internal);
    assert!(desk.state.callees.is_empty());
    assert_eq!(
        desk.call_of("1001", "int-2", "Released", internal).to,
        Some(StateKind::Ended)
    );
}

/// Swapped back to the original, the transferring agent completes the transfer there: nothing
/// moves until the original's end for it, which then goes to the consulted agent.
#[test]
fn a_transfer_completed_on_the_swapped_original_moves_only_at_its_end() {
    let mut desk = Desk::consulting();
    let consult = format!(r#", "callType": "Consult", "parentCallPath": "/calls/{ORIGINAL}""#);
    desk.call_of("1002", CONSULT, "Ringing", &consult);
    desk.call_of("1002", CONSULT, "Established", &consult);
    desk.consult("Established", ORIGINAL);
    // SwapCalls: the original established again, the consult call held.
    desk.call(ORIGINAL, "Established", r#", "callType": "Inbound""#);
    let (status, complete) = desk.operate(ORIGINAL, r#"{"operationName": "CompleteTransfer"}"#);
    assert_eq!(status, 200);
    assert!(complete.notes.is_empty(), "{:?}", complete.notes);
    assert_eq!(desk.state.consults.len(), 1);
    let moved = desk.call(ORIGINAL, "Released", r#", "callType": "Inbound""#);
    assert_eq!(
        (moved.action.as_deref(), moved.from, moved.to),
        (
            Some("transferred"),
            Some(StateKind::Connected),
            Some(StateKind::Connected)
        )
    );
    assert_eq!(desk.owner(ORIGINAL).as_deref(), Some("1002"));
}

/// A callee that only rang and hung up is no consulted agent: the completed transfer's end is
/// the original's release for the transferring agent.
#[test]
fn a_callee_that_never_answered_is_not_the_consulted_agent() {
    let mut desk = Desk::consulting();
    let consult = format!(r#", "callType": "Consult", "parentCallPath": "/calls/{ORIGINAL}""#);
    desk.call_of("1002", CONSULT, "Ringing", &consult);
    desk.call_of("1002", CONSULT, "Released", &consult);
    assert_eq!(desk.consulted(ORIGINAL), None);
    desk.operate(CONSULT, r#"{"operationName": "CompleteTransfer"}"#);
    let released = desk.call(ORIGINAL, "Released", r#", "callType": "Inbound""#);
    assert_eq!(released.to, Some(StateKind::Ended));
    // A callee that answered and then hung up is no consulted agent either.
    let mut desk = Desk::consulting();
    desk.call_of("1002", CONSULT, "Established", &consult);
    assert!(desk.consulted(ORIGINAL).is_some());
    desk.call_of("1002", CONSULT, "Released", &consult);
    assert_eq!(desk.consulted(ORIGINAL), None);
}

/// An internal call between two agents (CallsDial on the caller's channel, CallsAnswer on the
/// callee's): the callee's Ringing is its own view of the caller's dialing call, its Answer is
/// accepted, its Established connects the call to the calling agent.
#[test]
fn an_internal_call_between_two_agents_stays_the_callers() {
    let mut desk = Desk::default();
    let internal = r#", "callType": "Internal", "dnis": "5002""#;
    let dialing = desk.call_of("1001", "int-1", "Dialing", internal);
    assert_eq!(dialing.to, Some(StateKind::Dialing));
    let ringing = desk.call_of("1002", "int-1", "Ringing", r#", "callType": "Internal""#);
    assert_eq!(ringing.outcome, Ok(interaction_core::Outcome::Ignored));
    let (status, answer) = desk.operate_as("1002", "int-1", r#"{"operationName": "Answer"}"#);
    assert_eq!(status, 200);
    assert!(answer.error().is_none(), "{:?}", answer.error());
    assert_eq!(desk.state("int-1"), Some(StateKind::Dialing));
    let established = desk.call_of(
        "1002",
        "int-1",
        "Established",
        r#", "callType": "Internal""#,
    );
    assert_eq!(established.to, Some(StateKind::Connected));
    assert_eq!(desk.owner("int-1").as_deref(), Some("1001"));
    // The caller's own Established restates it.
    let restated = desk.call_of("1001", "int-1", "Established", internal);
    assert_eq!(
        (restated.from, restated.to),
        (Some(StateKind::Connected), Some(StateKind::Connected))
    );
    // The callee hangs up: its view; the caller's Released ends the call.
    let theirs = desk.call_of("1002", "int-1", "Released", r#", "callType": "Internal""#);
    assert_eq!(theirs.outcome, Ok(interaction_core::Outcome::Ignored));
    let ended = desk.call_of("1001", "int-1", "Released", internal);
    assert_eq!(ended.to, Some(StateKind::Ended));
}

/// A consult transfer to another agent: the consult call on that agent's channel makes it the
/// consulted party, and completing the transfer moves the customer's call to it.
#[test]
fn a_completed_consult_transfer_to_another_agent_moves_the_customer_to_it() {
    let mut desk = Desk::consulting();
    let consult = format!(r#", "callType": "Consult", "parentCallPath": "/calls/{ORIGINAL}""#);
    let ringing = desk.call_of("1002", CONSULT, "Ringing", &consult);
    assert_eq!(ringing.outcome, Ok(interaction_core::Outcome::Ignored));
    let (status, _) = desk.operate_as("1002", CONSULT, r#"{"operationName": "Answer"}"#);
    assert_eq!(status, 200);
    desk.call_of("1002", CONSULT, "Established", &consult);
    assert_eq!(
        desk.consulted(CONSULT)
            .as_ref()
            .map(interaction_core::AgentId::as_str),
        Some("1002")
    );
    desk.consult("Established", ORIGINAL);
    desk.operate(CONSULT, r#"{"operationName": "CompleteTransfer"}"#);
    // The original's Released on the transferring agent's channel: the customer is 1002's now.
    let moved = desk.call(ORIGINAL, "Released", r#", "callType": "Inbound""#);
    assert_eq!(moved.action.as_deref(), Some("transferred"));
    assert_eq!(
        (moved.from, moved.to),
        (Some(StateKind::Held), Some(StateKind::Connected))
    );
    assert_eq!(desk.owner(ORIGINAL).as_deref(), Some("1002"));
    assert!(
        matches!(&moved.notes[..], [Note::TransferCompleted { agent: Some(a), .. }] if a.as_str() == "1002"),
        "{:?}",
        moved.notes
    );
    assert!(desk.state.consults.is_empty());
    // The transferring agent's consult call ends for it.
    let released = desk.consult("Released", ORIGINAL);
    assert_eq!(released.to, Some(StateKind::Ended));
}
