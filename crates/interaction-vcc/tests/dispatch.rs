//! Issue 13, VCC dispatch in full: `linkeddata`, `routingdata.personalqueue` and
//! `routingdata.skills` decoded into the core's routing data (the vendor's own sample bodies,
//! verbatim in `tests/fixtures/`), their bounds, a dispatch without `externalid` applied on an
//! id the caller draws, and the note a personal-queue interaction given to another agent gets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{assert_refused, fixture, fixture_json};
use interaction_core::{
    AgentId, Engine, ErrorKind, Link, LinkKind, Name, Outcome, PersonalQueue, Routing, Skill,
    StateKind, UserData, Value,
};
use interaction_vcc::endpoint::{IdKind, IdSource, Note, Request};
use interaction_vcc::{
    MAX_LINK_VALUE_BYTES, MAX_LINKS, MAX_SKILLS, VccSettings, decode_invoke, handle_callback,
    handle_request, wire,
};
use serde_json::json;

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn link(kind: LinkKind, label: Option<&str>, value: &str) -> Link {
    Link {
        kind,
        label: label.map(str::to_owned),
        value: text(value),
        extra: UserData::new(),
    }
}

fn skill(name: &str, expiry: Option<u32>) -> Skill {
    Skill {
        name: Name::parse(name, "name").unwrap(),
        expiry_after_secs: expiry,
    }
}

/// The Create inbound interaction page's "Example body (Full dispatch)".
#[test]
fn the_full_dispatch_sample_decodes_into_routing_data() {
    let items = decode_invoke(&fixture("invoke-full-dispatch.json")).unwrap();
    let invoked = items[0].result.clone().unwrap();
    let want = Routing {
        links: vec![
            link(LinkKind::Clid, None, "Cases 40a4b50f"),
            link(LinkKind::Url, Some("40a4b50f"), "https://vonage.com"),
            link(LinkKind::Name, None, "Case Friendly Name"),
            link(LinkKind::MediaType, None, "Case-External"),
        ],
        personal_queue: Some(PersonalQueue {
            agent: AgentId::parse("AgentUsername", "agent").unwrap(),
            logged_in_timeout_secs: Some(20),
            logged_out_timeout_secs: Some(30),
        }),
        skills: vec![
            skill("skillOptional", Some(0)),
            skill("skillExpiring", Some(60)),
            skill("skillMandatory", None),
        ],
    };
    assert_eq!(invoked.routing(), Some(&want));
    let input = invoked.input().unwrap();
    assert_eq!(input.interaction.as_str(), "40a4b50f");
    let first_sight = input.first_sight.unwrap();
    assert_eq!(first_sight.routing.as_deref(), Some(&want));
    assert!(!first_sight.drawn_id);
    // Typed, so not user data as well.
    let interaction_core::Action::Dispatch { user_data, .. } = input.action else {
        panic!("not a dispatch")
    };
    assert!(user_data.is_empty(), "{user_data:?}");
}

/// The Requests (Interactions API) page's example: an `object` link with `owner` and `key`.
#[test]
fn the_requests_page_sample_keeps_an_object_links_members() {
    let items = decode_invoke(&fixture("invoke-requests-page-sample.json")).unwrap();
    let routing = items[0].result.clone().unwrap().routing().cloned().unwrap();
    assert_eq!(routing.links.len(), 3);
    let object = &routing.links[2];
    assert_eq!(object.kind, LinkKind::Object);
    assert_eq!(object.value, text("500ea8787a87s87s"));
    assert_eq!(
        object.extra,
        UserData::from([
            ("key".to_owned(), text("Contact")),
            ("owner".to_owned(), text("Crm"))
        ])
    );
    assert_eq!(routing.links[1].label.as_deref(), Some("Click me"));
    assert_eq!((routing.personal_queue, routing.skills), (None, Vec::new()));
}

#[test]
fn the_samples_round_trip_through_the_wire_types() {
    for name in [
        "invoke-full-dispatch.json",
        "invoke-requests-page-sample.json",
    ] {
        let decoded: wire::Invocation = serde_json::from_slice(&fixture(name)).unwrap();
        let encoded = serde_json::to_value(&decoded).unwrap();
        assert_eq!(encoded, fixture_json(name), "{name}");
        let request = &decoded.requests[0];
        assert!(request.linkeddata.is_some(), "{name}");
    }
}

#[test]
fn unknown_link_types_are_kept_and_object_values_may_be_objects() {
    let body = br#"{"requests": [{"externalid": "x", "route": "R",
        "linkeddata": [{"type": "crmcase", "value": {"id": 5, "tags": ["a"]}}, {"type": "Clid", "value": 7}],
        "routingdata": {"interactiontype": "chat", "subject": "kept"}}]}"#;
    let items = decode_invoke(body).unwrap();
    let invoked = items[0].result.clone().unwrap();
    let links = &invoked.routing().unwrap().links;
    assert_eq!(links[0].kind, LinkKind::Other("crmcase".to_owned()));
    assert_eq!(
        serde_json::to_value(&links[0].value).unwrap(),
        json!({"id": 5, "tags": ["a"]})
    );
    assert_eq!(links[1].kind, LinkKind::Other("Clid".to_owned()));
    let interaction_core::Action::Dispatch { user_data, .. } = invoked.action() else {
        panic!("not a dispatch")
    };
    assert_eq!(user_data.get("subject"), Some(&text("kept")));
}

/// A release does not use the dispatch members: only their JSON types are read.
#[test]
fn a_release_ignores_routing_data_but_its_json_types() {
    let body = br#"{"requests": [{"action": "release", "externalid": "x",
        "linkeddata": [{"label": ""}], "routingdata": {"skills": [{"expiryafter": -1}]}}]}"#;
    let invoked = decode_invoke(body).unwrap()[0].result.clone().unwrap();
    assert_eq!(invoked.routing(), None);
    let body = br#"{"requests": [{"action": "release", "externalid": "x", "linkeddata": {}}]}"#;
    let err = decode_invoke(body).unwrap()[0].result.clone().unwrap_err();
    assert_refused(&err, ErrorKind::Malformed, &["requests[0].linkeddata"]);
}

fn refused(request: &str) -> interaction_core::Error {
    let body = format!(r#"{{"requests": [{request}]}}"#);
    decode_invoke(body.as_bytes()).unwrap()[0]
        .result
        .clone()
        .expect_err(request)
}

/// A dispatch with `linkeddata` (none when empty) and more `routingdata` members.
fn dispatch_with(linkeddata: &str, routing: &str) -> String {
    let links = if linkeddata.is_empty() {
        String::new()
    } else {
        format!(r#""linkeddata": {linkeddata}, "#)
    };
    format!(
        r#"{{"externalid": "x", "route": "R", {links}"routingdata": {{"interactiontype": "nonlive"{routing}}}}}"#
    )
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "a table: its rows one after the other"
)]
fn routing_members_are_bounded_and_refusals_name_them() {
    let many_links = format!(
        "[{}]",
        vec![r#"{"type": "clid", "value": "1"}"#; MAX_LINKS + 1].join(",")
    );
    let many_skills = format!(
        r#", "skills": [{}]"#,
        vec![r#"{"name": "s"}"#; MAX_SKILLS + 1].join(",")
    );
    let long_value = format!(
        r#"[{{"type": "url", "value": "{}"}}]"#,
        "v".repeat(MAX_LINK_VALUE_BYTES + 1)
    );
    let long_type = format!(r#"[{{"type": "{}", "value": "1"}}]"#, "t".repeat(257));
    let huge = format!(r#"[{{"type": "clid", "value": "{}"}}]"#, "v".repeat(70_000));
    let links = |linkeddata: &str| (linkeddata.to_owned(), String::new());
    let routing = |routing: &str| (String::new(), routing.to_owned());
    for ((linkeddata, routing), kind, field) in [
        (links(&many_links), ErrorKind::InvalidField, "`linkeddata`"),
        (
            links(&huge),
            ErrorKind::InvalidField,
            "requests[0].linkeddata",
        ),
        (
            links(&long_value),
            ErrorKind::InvalidField,
            "`linkeddata[0].value`",
        ),
        (
            links(&long_type),
            ErrorKind::InvalidField,
            "`linkeddata[0].type`",
        ),
        (
            links(r#"[{"value": "1"}]"#),
            ErrorKind::MissingField,
            "`linkeddata[0].type`",
        ),
        (
            links(r#"[{"type": "", "value": "1"}]"#),
            ErrorKind::MissingField,
            "`linkeddata[0].type`",
        ),
        (
            links(r#"[{"type": "clid"}]"#),
            ErrorKind::MissingField,
            "`linkeddata[0].value`",
        ),
        (
            links(r#"[{"type": "clid", "value": null}]"#),
            ErrorKind::MissingField,
            "`linkeddata[0].value`",
        ),
        (
            links(
                r#"[{"type": "clid", "value": "1"}, {"type": "url", "label": "a\u0007", "value": "1"}]"#,
            ),
            ErrorKind::InvalidField,
            "`linkeddata[1].label`",
        ),
        (
            links(r#"[{"type": "url", "label": "   ", "value": "1"}]"#),
            ErrorKind::InvalidField,
            "`linkeddata[0].label`",
        ),
        (
            links(r#"[{"type": "clid", "value": "a\nb"}]"#),
            ErrorKind::InvalidField,
            "`linkeddata[0].value`",
        ),
        (
            links(r#"[{"type": 5, "value": "1"}]"#),
            ErrorKind::Malformed,
            "requests[0].linkeddata[0].type",
        ),
        (
            links("[5]"),
            ErrorKind::Malformed,
            "requests[0].linkeddata[0]",
        ),
        (
            links(r#""clid""#),
            ErrorKind::Malformed,
            "requests[0].linkeddata",
        ),
        (
            routing(&many_skills),
            ErrorKind::InvalidField,
            "`routingdata.skills`",
        ),
        (
            routing(r#", "skills": [{"expiryafter": 1}]"#),
            ErrorKind::MissingField,
            "`routingdata.skills[0].name`",
        ),
        (
            routing(r#", "skills": [{"name": "a"}, {"name": "b", "expiryafter": -1}]"#),
            ErrorKind::InvalidField,
            "`routingdata.skills[1].expiryafter`",
        ),
        (
            routing(r#", "skills": [{"name": "a", "expiryafter": 1.5}]"#),
            ErrorKind::InvalidField,
            "`routingdata.skills[0].expiryafter`",
        ),
        (
            routing(r#", "skills": [{"name": "a", "expiryafter": 4294967296}]"#),
            ErrorKind::InvalidField,
            "`routingdata.skills[0].expiryafter`",
        ),
        (
            routing(r#", "skills": [{"name": "a", "expiryafter": "60"}]"#),
            ErrorKind::Malformed,
            "requests[0].routingdata.skills[0].expiryafter",
        ),
        (
            routing(r#", "skills": {"name": "a"}"#),
            ErrorKind::Malformed,
            "requests[0].routingdata.skills",
        ),
        (
            routing(r#", "personalqueue": {}"#),
            ErrorKind::MissingField,
            "`routingdata.personalqueue.agent`",
        ),
        (
            routing(r#", "personalqueue": ["AgentUsername"]"#),
            ErrorKind::Malformed,
            "requests[0].routingdata.personalqueue",
        ),
        (
            routing(r#", "personalqueue": {"agent": 5464}"#),
            ErrorKind::Malformed,
            "requests[0].routingdata.personalqueue.agent",
        ),
        (
            routing(r#", "personalqueue": {"agent": "a", "loggedintimeout": -20}"#),
            ErrorKind::InvalidField,
            "`routingdata.personalqueue.loggedintimeout`",
        ),
        (
            routing(r#", "personalqueue": {"agent": "a", "loggedouttimeout": 30.5}"#),
            ErrorKind::InvalidField,
            "`routingdata.personalqueue.loggedouttimeout`",
        ),
    ] {
        let request = dispatch_with(&linkeddata, &routing);
        assert_refused(&refused(&request), kind, &[field]);
    }
    for (linkeddata, routing) in [
        links(&format!(
            r#"[{{"type": "url", "value": "{}"}}]"#,
            "v".repeat(MAX_LINK_VALUE_BYTES)
        )),
        links(&format!(
            "[{}]",
            vec![r#"{"type": "clid", "value": "1"}"#; MAX_LINKS].join(",")
        )),
        routing(&format!(
            r#", "skills": [{}]"#,
            vec![r#"{"name": "s", "expiryafter": 4294967295}"#; MAX_SKILLS].join(",")
        )),
        routing(r#", "personalqueue": {"agent": "a", "loggedintimeout": 0, "x": [1]}"#),
    ] {
        let body = format!(
            r#"{{"requests": [{}]}}"#,
            dispatch_with(&linkeddata, &routing)
        );
        let items = decode_invoke(body.as_bytes()).unwrap();
        assert!(items[0].result.is_ok(), "{body}: {:?}", items[0].result);
    }
}

/// Ids for the endpoint tests: the interactions of dispatches without `externalid`.
struct Drawn(usize);

impl IdSource for Drawn {
    fn next_id(&mut self, kind: IdKind) -> String {
        assert_eq!(kind, IdKind::Interaction);
        self.0 += 1;
        format!("drawn-{}", self.0)
    }
}

#[test]
fn a_dispatch_without_externalid_lives_on_a_drawn_id_and_its_resend_is_a_duplicate() {
    let mut engine = Engine::new();
    let settings = VccSettings::default();
    let mut ids = Drawn(0);
    let body = br#"{"requests": [{"action": "dispatch", "requestid": "uniqueRequestId",
        "route": "Route Interaction NR", "routingdata": {"interactiontype": "nonlive"}}]}"#;
    let post = Request::post("/interactions/Invoke", body);
    let handled = handle_request(&mut engine, &settings, &post, &mut ids);
    assert_eq!(handled.response.status, 200);
    let item = &handled.items[0];
    assert_eq!(item.interaction.as_deref(), Some("drawn-1"));
    assert_eq!(
        (item.outcome.clone(), item.to),
        (Ok(Outcome::Applied), Some(StateKind::Queued))
    );
    assert!(engine.interaction("drawn-1").is_some());

    // Sent again: the same request, answered as the first was; it names no interaction.
    let before = engine.clone();
    let handled = handle_request(&mut engine, &settings, &post, &mut ids);
    assert_eq!(handled.response.status, 200);
    let item = &handled.items[0];
    assert_eq!(
        (item.outcome.clone(), item.interaction.as_deref()),
        (Ok(Outcome::Duplicate), None)
    );
    assert_eq!(engine, before);

    // Another request under that key: a conflict, 400.
    let other = br#"{"requests": [{"requestid": "uniqueRequestId", "route": "Other NR",
        "routingdata": {"interactiontype": "nonlive"}}]}"#;
    let handled = handle_request(
        &mut engine,
        &settings,
        &Request::post("/interactions/Invoke", other),
        &mut ids,
    );
    assert_eq!(handled.response.status, 400);
    assert_eq!(
        handled.items[0].error().map(interaction_core::Error::kind),
        Some(ErrorKind::IdempotencyConflict)
    );

    // A refused decode draws no id; a release without externalid is refused.
    let bad = br#"{"requests": [{"route": "R", "routingdata": {}}, {"action": "release"}]}"#;
    let handled = handle_request(
        &mut engine,
        &settings,
        &Request::post("/interactions/Invoke", bad),
        &mut ids,
    );
    assert_eq!(
        ids.0, 3,
        "only the three dispatches that decoded drew an id"
    );
    assert!(handled.items.iter().all(|i| i.interaction.is_none()));
    assert_eq!(
        handled.items[1].error().map(interaction_core::Error::kind),
        Some(ErrorKind::MissingField)
    );
}

/// Ids for callbacks: none are drawn.
struct NoIds;

impl IdSource for NoIds {
    fn next_id(&mut self, kind: IdKind) -> String {
        panic!("asked for a {kind:?} id")
    }
}

fn callback(objectid: &str, n: &str, agent: &str, agent_id: &str) -> Vec<u8> {
    serde_json::to_vec(
        &json!([{"notification": "AssignToAgent", "objectid": objectid,
        "notificationid": n, "params": {"AccountName": "InsightsDemoEMEA", "Agent": agent,
        "AgentId": agent_id}}]),
    )
    .unwrap()
}

#[test]
fn a_personal_queue_interaction_given_to_another_agent_is_noted() {
    let mut engine = Engine::new();
    let settings = VccSettings::default();
    let mut dispatch = fixture_json("invoke-full-dispatch.json");
    dispatch["provider"] = json!(null);
    let body = serde_json::to_vec(&dispatch).unwrap();
    let handled = handle_request(
        &mut engine,
        &settings,
        &Request::post("/interactions/Invoke", &body),
        &mut NoIds,
    );
    let item = &handled.items[0];
    assert_eq!(item.error(), None);
    let routing = item.routing.as_deref().unwrap();
    assert_eq!(
        routing.personal_agent().map(AgentId::as_str),
        Some("AgentUsername")
    );
    assert_eq!(
        engine.interaction("40a4b50f").unwrap().routing(),
        Some(routing)
    );

    // Assigned to the personal queue's agent, named by its user name beside its display id:
    // no note.
    let mut own = engine.clone();
    let body = callback("40a4b50f", "n-1", "AgentUsername", "5464");
    let handled = handle_callback(&mut own, &Request::post("/callback/vcc", &body), &mut NoIds);
    assert_eq!(handled.items[0].to, Some(StateKind::Connected));
    assert!(
        handled.items[0].notes.is_empty(),
        "{:?}",
        handled.items[0].notes
    );
    assert!(
        handled.items[0].routing.is_none(),
        "routing data is shown once"
    );

    // Assigned to another agent: noted, the assignment applied as any other.
    let body = callback("40a4b50f", "n-2", "JaneDoeEMEA", "5465");
    let handled = handle_callback(
        &mut engine,
        &Request::post("/callback/vcc", &body),
        &mut NoIds,
    );
    let item = &handled.items[0];
    assert_eq!(item.outcome, Ok(Outcome::Applied));
    assert_eq!(
        item.notes,
        [Note::PersonalQueueOtherAgent {
            personal_agent: AgentId::parse("AgentUsername", "a").unwrap(),
            agent: AgentId::parse("5465", "a").unwrap(),
        }]
    );
    assert_eq!(
        serde_json::to_value(&item.notes).unwrap(),
        json!([{"type": "personal_queue_other_agent", "personal_agent": "AgentUsername",
                "agent": "5465"}])
    );
    // The same callback again: a duplicate, no note.
    let handled = handle_callback(
        &mut engine,
        &Request::post("/callback/vcc", &body),
        &mut NoIds,
    );
    assert_eq!(handled.items[0].outcome, Ok(Outcome::Duplicate));
    assert!(handled.items[0].notes.is_empty());
}
