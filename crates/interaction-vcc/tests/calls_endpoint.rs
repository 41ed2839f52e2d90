//! The Calls API (`POST /v0/{accountKey}/calls`, shared/spec/vcc-calls.txt) through the crate's
//! public endpoint, [`handle_request`], as a VCC-only service runs it: the request in (method,
//! target, `Content-Type`, body), the page's answer, the `dial` item, and the engine changed or
//! left exactly as it was. The call id comes from the caller's [`IdSource`] and goes back to it
//! when the engine refuses the dial.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fixture, fixture_json};
use interaction_core::{
    Action, ActionKind, Actor, AgentId, Direction, Engine, EngineSettings, ErrorKind, Input,
    InteractionId, Media, Outcome, StateKind,
};
use interaction_vcc::VccSettings;
use interaction_vcc::calls::messages;
use interaction_vcc::endpoint::{Handled, IdKind, IdSource, Request, handle_request};
use serde_json::{Value, json};

/// Call ids from a list, in order; the ids handed back are kept, and given again first.
#[derive(Default)]
struct Ids {
    next: Vec<&'static str>,
    drawn: Vec<String>,
    unused: Vec<String>,
}

impl Ids {
    fn of(ids: &[&'static str]) -> Ids {
        Ids {
            next: ids.iter().rev().copied().collect(),
            ..Ids::default()
        }
    }
}

impl IdSource for Ids {
    fn next_id(&mut self, kind: IdKind) -> String {
        assert_eq!(kind, IdKind::Call, "a dial draws a call id");
        let id = match self.unused.pop() {
            Some(id) => id,
            None => self.next.pop().expect("an id left").to_owned(),
        };
        self.drawn.push(id.clone());
        id
    }

    fn unused(&mut self, kind: IdKind, id: &str) {
        assert_eq!(kind, IdKind::Call);
        self.unused.push(id.to_owned());
    }
}

/// An engine where `agents` are logged in.
fn logged_in(settings: EngineSettings, agents: &[&str]) -> Engine {
    let mut engine = Engine::with_settings(settings);
    for agent in agents {
        engine
            .log_in(AgentId::parse(agent, "agent").unwrap())
            .unwrap();
    }
    engine
}

/// `method target` with `Content-Type: content_type` and `body`, through the endpoint.
fn send(
    engine: &mut Engine,
    ids: &mut Ids,
    (method, target): (&str, &str),
    content_type: &str,
    body: &[u8],
) -> Handled {
    let headers = [("Content-Type", content_type)];
    let request = Request {
        method,
        headers: &headers,
        ..Request::post(target, body)
    };
    handle_request(engine, &VccSettings::default(), &request, ids)
}

/// A dial by `POST` with the page's JSON content type.
fn dial(engine: &mut Engine, ids: &mut Ids, target: &str, body: &[u8]) -> Handled {
    send(
        engine,
        ids,
        ("POST", target),
        "application/json; version=6",
        body,
    )
}

/// The one item of `handled`.
fn item(handled: &Handled) -> &interaction_vcc::endpoint::Item {
    match handled.items.as_slice() {
        [item] => item,
        _ => panic!("one item: {handled:?}"),
    }
}

fn body(handled: &Handled) -> Value {
    handled.response.body.to_json()
}

/// The page's 201 sample, answered member for member (in its order) from the request it answers
/// and the id the caller gave, on the account's URL; the item is the applied `dial`, and the
/// engine holds the call, dialing, owned by the calling agent.
#[test]
fn the_201_sample_is_the_answer_to_its_request() {
    let mut engine = logged_in(EngineSettings::default(), &["1234"]);
    let mut ids = Ids::of(&["017db4a2-44b5-672e-8b9f-1a805fed07ad"]);
    let request =
        br#"{"from": {"agentId": "1234", "presentedCLID": "123456789", "consent": "OneParty"},
        "to": {"telephoneNumber": "02072068888", "consent": "OneParty"},
        "regarding": {"reference": "0012400000ATTUQ"},
        "application": "ExampelAppNameExampleAppName"}"#;
    let handled = dial(
        &mut engine,
        &mut ids,
        "https://emea.newvoicemedia.com/v0/lmccg0ujju4/calls",
        request,
    );
    assert_eq!(handled.response.status, 201);
    // serde_json keeps member order (`preserve_order`): the text compares the order too.
    assert_eq!(
        body(&handled).to_string(),
        fixture_json("calls/response-201.json").to_string()
    );
    assert!(handled.outgoing.is_empty(), "a dial notifies no one");
    let item = item(&handled);
    assert_eq!(item.action.as_deref(), Some(ActionKind::Dial.name()));
    assert_eq!(
        item.interaction.as_deref(),
        Some("017db4a2-44b5-672e-8b9f-1a805fed07ad")
    );
    assert_eq!(item.outcome, Ok(Outcome::Applied));
    assert_eq!((item.from, item.to), (None, Some(StateKind::Dialing)));
    // The item's own answer is the exchange's.
    assert_eq!(item.response(), Some(&handled.response));
    let call = engine
        .interaction("017db4a2-44b5-672e-8b9f-1a805fed07ad")
        .unwrap();
    assert_eq!(call.state().owner().map(AgentId::as_str), Some("1234"));
    assert!(ids.unused.is_empty());
}

/// Each of the page's request examples a logged-in agent can place is answered 201 with the
/// call under the caller's id; the groups' calls name no agent to check.
#[test]
fn every_request_example_is_placed() {
    for (name, id) in [
        ("agent-to-number.json", "call-1"),
        ("agent-to-agent.json", "call-2"),
        ("group-to-number.json", "call-3"),
        ("groups-to-number.json", "call-4"),
        ("presented-clid.json", "call-5"),
        ("consent.json", "call-6"),
        ("reference-and-application.json", "call-7"),
    ] {
        // A fresh engine each: the calling agent is busy once its call is placed.
        let mut engine = logged_in(EngineSettings::default(), &["1234", "4567", "5464"]);
        let mut ids = Ids::of(&[id]);
        let handled = dial(
            &mut engine,
            &mut ids,
            "/v0/a1b2c3d4e5/calls",
            &fixture(&format!("calls/{name}")),
        );
        assert_eq!(handled.response.status, 201, "{name}: {handled:?}");
        assert_eq!(body(&handled)["id"], json!(id), "{name}");
        assert_eq!(
            body(&handled)["links"][0]["href"],
            json!(format!("/V0/a1b2c3d4e5/Calls/{id}")),
            "{name}"
        );
        assert_eq!(item(&handled).interaction.as_deref(), Some(id), "{name}");
        assert!(engine.interaction(id).is_some(), "{name}");
    }
}

/// The 415 sample for a body that is not JSON, before the body is read: no id drawn, the
/// engine unchanged.
#[test]
fn the_415_sample_answers_another_content_type() {
    let mut engine = logged_in(EngineSettings::default(), &["1234"]);
    let before = engine.clone();
    let mut ids = Ids::of(&["call-1"]);
    let handled = send(
        &mut engine,
        &mut ids,
        ("POST", "/v0/a1b2c3d4e5/calls"),
        "multipart/form-data; boundary=----7MA4YWxk",
        &fixture("calls/agent-to-number.json"),
    );
    assert_eq!(handled.response.status, 415);
    assert_eq!(body(&handled), fixture_json("calls/response-415.json"));
    let error = item(&handled).error().unwrap();
    assert_eq!(error.kind(), ErrorKind::Unsupported);
    assert!(ids.drawn.is_empty(), "no id for a request not read");
    assert_eq!(engine, before);
}

/// The agent checks answer 400 with the page's own messages, before an id is drawn: a calling
/// agent never seen, a calling agent on a live call, a destination agent not logged in.
#[test]
fn the_agent_checks_answer_the_pages_messages() {
    let mut engine = logged_in(EngineSettings::default(), &["1234", "4567"]);
    let mut ids = Ids::of(&["call-1", "call-2"]);
    let to_number = |agent: &str| {
        format!(
            r#"{{"from": {{"agentId": "{agent}"}}, "to": {{"telephoneNumber": "02072068888"}}}}"#
        )
    };
    let unknown = dial(
        &mut engine,
        &mut ids,
        "/v0/k/calls",
        to_number("9999").as_bytes(),
    );
    assert_eq!(unknown.response.status, 400);
    assert_eq!(
        body(&unknown),
        json!({"message": messages::CALLING_AGENT_UNKNOWN})
    );
    assert_eq!(item(&unknown).interaction, None);

    let placed = dial(
        &mut engine,
        &mut ids,
        "/v0/k/calls",
        to_number("1234").as_bytes(),
    );
    assert_eq!(placed.response.status, 201);
    let before = engine.clone();
    let busy = dial(
        &mut engine,
        &mut ids,
        "/v0/k/calls",
        to_number("1234").as_bytes(),
    );
    assert_eq!(busy.response.status, 400);
    assert_eq!(
        body(&busy),
        json!({"message": messages::CALLING_AGENT_BUSY})
    );
    assert_eq!(item(&busy).error().unwrap().kind(), ErrorKind::AgentBusy);

    let to_agent = br#"{"from": {"agentId": "4567"}, "to": {"agentId": "7777"}}"#;
    let unavailable = dial(&mut engine, &mut ids, "/v0/k/calls", to_agent);
    assert_eq!(unavailable.response.status, 400);
    assert_eq!(
        body(&unavailable),
        json!({"message": messages::DESTINATION_AGENT_UNKNOWN})
    );
    assert_eq!(engine, before, "a refused call changed the engine");
    assert_eq!(ids.drawn, ["call-1"], "only the placed call drew an id");
}

/// A dial the engine refuses (here: no room for another live interaction) is a 400 with the
/// engine's message, and its id goes back to the caller's source, which gives it to the next
/// call.
#[test]
fn an_engine_refusal_is_a_400_and_its_id_goes_back() {
    let full = EngineSettings {
        max_live: 0,
        ..EngineSettings::default()
    };
    let mut engine = logged_in(full, &["1234"]);
    let before = engine.clone();
    let mut ids = Ids::of(&["call-1", "call-2"]);
    let body_of = fixture("calls/agent-to-number.json");
    let refused = dial(&mut engine, &mut ids, "/v0/k/calls", &body_of);
    assert_eq!(refused.response.status, 400);
    let error = item(&refused).error().unwrap();
    assert_eq!(error.kind(), ErrorKind::NotPermitted);
    assert_eq!(body(&refused), json!({"message": error.to_string()}));
    assert_eq!(item(&refused).interaction, None, "the id names nothing");
    assert_eq!(ids.unused, ["call-1"]);
    assert_eq!(engine, before);

    // With room, the next call is placed on the id handed back.
    let mut roomy = logged_in(EngineSettings::default(), &["1234"]);
    let placed = dial(&mut roomy, &mut ids, "/v0/k/calls", &body_of);
    assert_eq!(placed.response.status, 201);
    assert_eq!(item(&placed).interaction.as_deref(), Some("call-1"));
}

/// The outbound lifecycle: a call placed through the endpoint is answered, held, retrieved and
/// released (platform and agent actions), after which the agent may call again through the
/// endpoint, on the next id.
#[test]
fn dial_answer_hold_retrieve_release_then_call_again() {
    let mut engine = logged_in(EngineSettings::default(), &["1234"]);
    let mut ids = Ids::of(&["call-1", "call-2"]);
    let body_of = fixture("calls/agent-to-number.json");
    let placed = dial(&mut engine, &mut ids, "/v0/k/calls", &body_of);
    assert_eq!(placed.response.status, 201);
    assert!(
        item(&placed).allowed.contains(ActionKind::Release),
        "the calling agent may hang up: {:?}",
        item(&placed).allowed
    );
    assert!(
        item(&placed).effects.is_empty(),
        "a dial without a provider notifies no one"
    );
    let call = engine.interaction("call-1").unwrap();
    assert_eq!(
        (call.media(), call.direction(), call.provider()),
        (Media::Live, Direction::Outbound, None)
    );

    let id = InteractionId::parse("call-1", "id").unwrap();
    let agent = || Actor::Agent(AgentId::parse("1234", "agent").unwrap());
    let steps = [
        (
            Action::Answer { agent: None },
            Actor::Platform,
            StateKind::Connected,
        ),
        (Action::Hold, agent(), StateKind::Held),
        (Action::Retrieve, agent(), StateKind::Connected),
        (Action::Release, agent(), StateKind::Ended),
    ];
    for (action, actor, to) in steps {
        let step = engine
            .apply(Input::new(id.clone(), action, actor), &mut Vec::new())
            .unwrap();
        assert_eq!(step.to, Some(to));
    }
    // While the call was live the agent was busy; ended, it may call again.
    let again = dial(&mut engine, &mut ids, "/v0/k/calls", &body_of);
    assert_eq!(again.response.status, 201, "{again:?}");
    assert_eq!(item(&again).interaction.as_deref(), Some("call-2"));
}

/// Another method on the calls path is a 405, another path a 404, each with one refused item
/// and nothing drawn or changed.
#[test]
fn another_method_or_path_is_refused_as_http_does() {
    let mut engine = logged_in(EngineSettings::default(), &["1234"]);
    let before = engine.clone();
    let mut ids = Ids::of(&["call-1"]);
    let body_of = fixture("calls/agent-to-number.json");
    let get = send(
        &mut engine,
        &mut ids,
        ("GET", "/v0/k/calls"),
        "application/json",
        &body_of,
    );
    assert_eq!(get.response.status, 405);
    assert_eq!(item(&get).error().unwrap().kind(), ErrorKind::Unsupported);
    let elsewhere = dial(&mut engine, &mut ids, "/v0/k/callz", &body_of);
    assert_eq!(elsewhere.response.status, 404);
    assert_eq!(
        item(&elsewhere).error().unwrap().kind(),
        ErrorKind::Unsupported
    );
    assert!(ids.drawn.is_empty());
    assert_eq!(engine, before);
}
