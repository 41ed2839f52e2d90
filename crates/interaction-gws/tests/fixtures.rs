//! The vendor's payloads: every operation sample of gws-v2-interactions.txt decodes to the core
//! action MODEL.md names, every response sample is what `response` writes, and GWS's documented
//! notification shapes decode to the platform facts of MODEL.md section 6.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fixture, fixture_json};
use interaction_core::{
    Action, ActionKind, Actor, AgentId, Direction, Engine, Error, Media, Name, StateKind, UserData,
    Value,
};
use interaction_gws::{
    Event, Fact, GwsState, MessageType, Operation, Request, Style, decode_notification,
    decode_operation, response, wire,
};

fn page_user_data() -> UserData {
    serde_json::from_str(
        r#"{"field1": "value1", "field2": "value2", "field3": {"fieldA": "valueA", "fieldB": "valueB"}}"#,
    )
    .unwrap()
}

#[test]
fn every_operation_sample_decodes_to_its_core_action() {
    let name = |s: &str| Name::parse(s, "t").unwrap();
    let cases: [(&str, Operation, Action); 10] = [
        ("accept.json", Operation::Accept, Action::Accept),
        ("reject.json", Operation::Reject, Action::Reject),
        ("cancel.json", Operation::Cancel, Action::Cancel),
        ("complete.json", Operation::Complete, Action::Complete),
        (
            "place-in-queue.json",
            Operation::PlaceInQueue,
            Action::PlaceInQueue {
                queue: name("queue-name"),
            },
        ),
        (
            "update-user-data.json",
            Operation::UpdateUserData,
            Action::UpdateUserData {
                user_data: page_user_data(),
            },
        ),
        (
            "attach-user-data.json",
            Operation::AttachUserData,
            Action::AttachUserData {
                user_data: page_user_data(),
            },
        ),
        (
            "delete-user-data.json",
            Operation::DeleteUserData,
            Action::DeleteUserData {
                keys: vec!["field1".into(), "field2".into(), "field3".into()],
            },
        ),
        (
            "place-in-workbin.json",
            Operation::PlaceInWorkbin,
            Action::PlaceInWorkbin {
                workbin: name("workbin-identifiers"),
            },
        ),
        (
            "transfer.json",
            Operation::Transfer,
            Action::TransferToAgent {
                agent: AgentId::parse("a-unique-agent-identifier", "t").unwrap(),
            },
        ),
    ];
    for (file, operation, action) in cases {
        let item = decode_operation("00009a8T8Y130123", Some("1001"), &fixture(file));
        assert_eq!(item.operation, Some(operation), "{file}");
        assert_eq!(item.action.as_deref(), Some(operation.action_name()));
        let Ok(Request::Apply(input)) = item.result else {
            panic!("{file}: {:?}", item.result)
        };
        assert_eq!(input.interaction.as_str(), "00009a8T8Y130123");
        assert_eq!(input.action, action, "{file}");
        assert_eq!(
            input.actor,
            Actor::Agent(AgentId::parse("1001", "t").unwrap())
        );
        assert_eq!(input.key, None);
        assert_eq!(input.first_sight, None);
        assert_eq!(Some(input.action.kind()), operation.action_kind());
    }
}

#[test]
fn the_workbin_sample_is_a_read() {
    let item = decode_operation("i-1", Some("1001"), &fixture("get-workbin-content.json"));
    assert_eq!(item.operation, Some(Operation::GetWorkbinContent));
    assert_eq!(item.action.as_deref(), Some("get_workbin_content"));
    let Ok(Request::WorkbinContent {
        interaction,
        agent,
        workbin,
    }) = item.result
    else {
        panic!("{:?}", item.result)
    };
    assert_eq!(
        (interaction.as_str(), agent.as_str(), workbin.as_str()),
        ("i-1", "1001", "workbin-identifier")
    );
}

#[test]
fn every_response_sample_is_what_we_write() {
    let details = Error::missing_field("queueName");
    let with_details = |mut v: serde_json::Value, key: &str| {
        v[key] = serde_json::Value::String(details.to_string());
        v
    };
    assert_eq!(
        response(Style::Status, Ok(())).1,
        fixture_json("response-status-ok.json")
    );
    assert_eq!(
        response(Style::Status, Err(&details)).1,
        with_details(
            fixture_json("response-status-error.json"),
            "errorDescription"
        )
    );
    assert_eq!(
        response(Style::StatusCode, Ok(())).1,
        fixture_json("response-status-code-ok.json")
    );
    // The page's "an integer value above 0" is 1 in the fixture: missing_field's code.
    assert_eq!(
        response(Style::StatusCode, Err(&details)).1,
        with_details(
            fixture_json("response-status-code-error.json"),
            "statusMessage"
        )
    );
    assert_eq!(
        response(Style::Cancel, Ok(())).1,
        fixture_json("response-cancel-ok.json")
    );
    // Each operation answers in its own style, as the page gives it.
    for op in Operation::SEED {
        let ok = response(op.style(), Ok(())).1;
        let expected = match op {
            Operation::Complete | Operation::Transfer => "response-status-code-ok.json",
            Operation::Cancel => "response-cancel-ok.json",
            _ => "response-status-ok.json",
        };
        assert_eq!(ok, fixture_json(expected), "{op:?}");
    }
}

#[test]
fn the_documented_workitem_message_decodes_verbatim() {
    let item = decode_notification(&fixture("workitem-processing.json"), Some("1001"));
    assert_eq!(item.interaction.as_deref(), Some("03W0GH2KD56YV000"));
    assert_eq!(item.label.as_deref(), Some("Processing"));
    let caps = [
        "Transfer",
        "AttachUserData",
        "UpdateUserData",
        "DeleteUserData",
        "SetInFocus",
        "Complete",
    ];
    assert_eq!(
        item.capabilities.as_deref(),
        Some(&caps.map(String::from)[..])
    );
    let note = item.result.unwrap();
    assert_eq!(note.message_type, MessageType::Workitem);
    assert_eq!(note.event, Event::Status(GwsState::Processing));
    assert_eq!(
        (note.media, note.direction),
        (Media::Nonlive, Direction::Inbound)
    );
    // Never seen: first sight creates it connected to the channel's agent.
    let Fact::Apply(input) = note.fact(None).unwrap() else {
        panic!()
    };
    assert_eq!(input.action.kind(), ActionKind::Assign);
    assert_eq!(input.actor, Actor::Platform);
    let fs = input.first_sight.unwrap();
    assert_eq!(
        (fs.media, fs.direction),
        (Media::Nonlive, Direction::Inbound)
    );
}

#[test]
fn a_chat_invitation_offers_with_its_user_data_and_capabilities() {
    let item = decode_notification(&fixture("chat-invited.json"), Some("1001"));
    assert_eq!(
        item.capabilities,
        Some(vec!["Accept".to_owned(), "Reject".to_owned()])
    );
    let note = item.result.unwrap();
    let Fact::Apply(input) = note.fact(None).unwrap() else {
        panic!()
    };
    assert_eq!(
        input.action,
        Action::Offer {
            agent: AgentId::parse("1001", "t").unwrap()
        }
    );
    let fs = input.first_sight.clone().unwrap();
    assert_eq!(fs.media, Media::Chat);
    assert_eq!(
        fs.user_data.get("FirstName"),
        Some(&Value::String("Jo".into()))
    );
    // The platform's capabilities and the model's `allowed` agree on an invitation.
    let mut engine = Engine::new();
    engine.apply(input, &mut Vec::new()).unwrap();
    let allowed = engine.allowed("00048aAHB1FJ003A", "1001");
    let caps = interaction_gws::capability_actions(["Accept", "Reject"]);
    assert_eq!(allowed, caps);
}

#[test]
fn an_email_in_processing_is_created_connected() {
    let note = decode_notification(&fixture("email-processing.json"), Some("1001"))
        .result
        .unwrap();
    assert_eq!(note.message_type, MessageType::Email);
    let Fact::Apply(input) = note.fact(None).unwrap() else {
        panic!()
    };
    let mut engine = Engine::new();
    let step = engine.apply(input, &mut Vec::new()).unwrap();
    assert_eq!((step.from, step.to), (None, Some(StateKind::Connected)));
    let it = engine.interaction("0001KaA4K5WT001E").unwrap();
    assert_eq!(it.media(), Media::Nonlive);
    assert_eq!(
        it.user_data().get("Subject"),
        Some(&Value::String("Invoice 7731".into()))
    );
}

#[test]
fn a_workitem_invited_rejected_revoked_then_completed() {
    let mut engine = Engine::new();
    let mut effects = Vec::new();
    let mut notify = |engine: &mut Engine, file: &str, agent: &str| {
        let note = decode_notification(&fixture(file), Some(agent))
            .result
            .unwrap();
        match note
            .fact(engine.interaction(note.interaction.as_str()))
            .unwrap()
        {
            Fact::Apply(input) => engine.apply(input, &mut effects),
            Fact::Unchanged | Fact::Ignored => panic!("{file}"),
        }
    };
    let id = "03W0GH2KD56YV000";
    let step = notify(&mut engine, "workitem-invited.json", "1002").unwrap();
    assert_eq!(step.to, Some(StateKind::Offered));
    // 1002 rejects it (the page's Reject sample).
    let Ok(Request::Apply(reject)) =
        decode_operation(id, Some("1002"), &fixture("reject.json")).result
    else {
        panic!()
    };
    let step = engine.apply(reject, &mut Vec::new()).unwrap();
    assert_eq!(step.to, Some(StateKind::Queued));
    // The Revoked that follows restates it: applied, nothing changes.
    let before = engine.clone();
    let step = notify(&mut engine, "workitem-revoked.json", "1002").unwrap();
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Queued), Some(StateKind::Queued))
    );
    assert_eq!(engine, before);
    // Offered again, to 1001, who works it (the documented Processing message) and is done.
    notify(&mut engine, "workitem-invited.json", "1001").unwrap();
    let step = notify(&mut engine, "workitem-processing.json", "1001").unwrap();
    assert_eq!(step.to, Some(StateKind::Connected));
    assert!(engine.allowed(id, "1001").contains(ActionKind::Complete));
    let step = notify(&mut engine, "workitem-completed.json", "1001").unwrap();
    assert_eq!(step.to, Some(StateKind::Ended));
    // Completed again (a redelivery): a restated end, applied.
    let step = notify(&mut engine, "workitem-completed.json", "1001").unwrap();
    assert_eq!(step.to, Some(StateKind::Ended));
    // But a late Processing is refused: ended is absorbing.
    let err = notify(&mut engine, "workitem-processing.json", "1001").unwrap_err();
    assert_eq!(err.kind().name(), "already_ended");
}

#[test]
fn the_fixtures_round_trip_through_the_wire_types() {
    for file in [
        "accept.json",
        "place-in-queue.json",
        "update-user-data.json",
        "transfer.json",
        "place-in-workbin.json",
    ] {
        let value = fixture_json(file);
        let request: wire::OperationRequest = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&request).unwrap(), value, "{file}");
    }
    for file in [
        "workitem-processing.json",
        "chat-invited.json",
        "workitem-invited.json",
    ] {
        let message: wire::CometdMessage = serde_json::from_slice(&fixture(file)).unwrap();
        let again: wire::CometdMessage =
            serde_json::from_str(&serde_json::to_string(&message).unwrap()).unwrap();
        assert_eq!(again, message, "{file}");
    }
    let email: wire::Notification =
        serde_json::from_slice(&fixture("email-processing.json")).unwrap();
    assert_eq!(email.email.unwrap().id, "0001KaA4K5WT001E");
    for file in ["response-status-ok.json", "response-status-error.json"] {
        let value = fixture_json(file);
        let r: wire::StatusResponse = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&r).unwrap(), value, "{file}");
    }
    for file in [
        "response-status-code-ok.json",
        "response-status-code-error.json",
    ] {
        let value = fixture_json(file);
        let r: wire::StatusCodeResponse = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&r).unwrap(), value, "{file}");
    }
    let value = fixture_json("response-cancel-ok.json");
    let r: wire::CancelResponse = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&r).unwrap(), value);
}
