//! Every operation of `/me/interactions/{id}` against a real engine: what it does, who may do
//! it, and the answer in the page's style.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Desk, chat, status};
use interaction_core::{ErrorKind, StateKind, Target, Value};
use interaction_gws::{
    Operation, Request, Style, decode_operation, response, status_code, workbin_content_response,
};
use serde_json::json;

/// A chat offered to 1001 and accepted: connected, owned by 1001.
fn desk_with_chat(id: &str) -> Desk {
    let mut desk = Desk::default();
    desk.notify("1001", &chat(id, "Invited")).unwrap();
    desk.operate("1001", id, r#"{"operationName": "Accept"}"#)
        .unwrap();
    desk
}

fn state(desk: &Desk, id: &str) -> StateKind {
    desk.engine.interaction(id).unwrap().state().kind()
}

#[test]
fn accept_connects_the_offered_agent_only() {
    let mut desk = Desk::default();
    desk.notify("1001", &chat("c", "Invited")).unwrap();
    let err = desk
        .operate("1002", "c", r#"{"operationName": "Accept"}"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotOwner);
    assert_eq!(state(&desk, "c"), StateKind::Offered);
    let step = desk
        .operate("1001", "c", r#"{"operationName": "Accept"}"#)
        .unwrap();
    assert_eq!(step.to, Some(StateKind::Connected));
    assert_eq!(
        desk.engine
            .interaction("c")
            .unwrap()
            .state()
            .owner()
            .unwrap()
            .as_str(),
        "1001"
    );
}

#[test]
fn reject_sends_it_back_for_redistribution() {
    let mut desk = Desk::default();
    desk.notify("1001", &chat("c", "Invited")).unwrap();
    let err = desk
        .operate("1002", "c", r#"{"operationName": "Reject"}"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotOwner);
    let step = desk
        .operate("1001", "c", r#"{"operationName": "Reject"}"#)
        .unwrap();
    assert_eq!(step.to, Some(StateKind::Queued));
    assert_eq!(desk.effects.len(), 1, "a redistribute effect");
}

#[test]
fn cancel_ends_an_outbound_interaction_and_refuses_an_inbound_one() {
    let mut desk = desk_with_chat("in");
    let err = desk
        .operate("1001", "in", r#"{"operationName": "Cancel"}"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidTransition);
    let (status, body) = response(Style::Cancel, Err(&err));
    assert_eq!(status, 409);
    assert_eq!(body["statusCode"], 2);
    let outbound = r#"{"messageType": "EmailStateChangeMessage", "notificationType": "StatusChange",
        "email": {"id": "out", "state": "Processing", "emailType": "Outbound"}}"#;
    desk.notify("1001", outbound).unwrap();
    let err = desk
        .operate("1002", "out", r#"{"operationName": "Cancel"}"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotOwner);
    let step = desk
        .operate("1001", "out", r#"{"operationName": "Cancel"}"#)
        .unwrap();
    assert_eq!(step.to, Some(StateKind::Ended));
    assert_eq!(step.reason.unwrap().name(), "cancelled");
    assert_eq!(response(Style::Cancel, Ok(())), (200, json!({"status": 0})));
}

#[test]
fn complete_ends_what_the_agent_owns_and_refuses_another_agent() {
    let mut desk = desk_with_chat("c");
    let err = desk
        .operate("1002", "c", r#"{"operationName": "Complete"}"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotOwner);
    assert_eq!(
        response(Style::StatusCode, Err(&err)),
        (
            403,
            json!({"statusCode": 5, "statusMessage": "agent `1002` may not `complete`: the interaction is owned by `1001`"})
        )
    );
    let step = desk
        .operate("1001", "c", r#"{"operationName": "Complete"}"#)
        .unwrap();
    assert_eq!(
        (step.to, step.reason.map(interaction_core::EndReason::name)),
        (Some(StateKind::Ended), Some("completed"))
    );
    let err = desk
        .operate("1001", "c", r#"{"operationName": "Complete"}"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyEnded);
    assert_eq!(status_code(err.kind()), 2);
}

#[test]
fn place_in_queue_queues_at_the_named_queue() {
    let mut desk = desk_with_chat("c");
    let step = desk
        .operate(
            "1001",
            "c",
            r#"{"operationName": "PlaceInQueue", "queueName": "Tier2"}"#,
        )
        .unwrap();
    assert_eq!(step.to, Some(StateKind::Queued));
    let target = desk.engine.interaction("c").unwrap().target().cloned();
    assert!(matches!(target, Some(Target::Queue(q)) if q.as_str() == "Tier2"));
}

#[test]
fn user_data_update_replaces_attach_adds_delete_removes_and_nesting_is_kept() {
    let mut desk = desk_with_chat("c");
    desk.operate(
        "1001",
        "c",
        r#"{"operationName": "UpdateUserData", "userData": {"a": 1, "b": {"deep": [1, {"x": null}]}}}"#,
    )
    .unwrap();
    desk.operate(
        "1001",
        "c",
        r#"{"operationName": "UpdateUserData", "userData": {"a": 2}}"#,
    )
    .unwrap();
    desk.operate(
        "1001",
        "c",
        r#"{"operationName": "AttachUserData", "userData": {"a": 3, "c": "new"}}"#,
    )
    .unwrap();
    let data = desk.engine.interaction("c").unwrap().user_data().clone();
    assert_eq!(
        data.get("a"),
        Some(&Value::Number(interaction_core::Number::from_u64(2))),
        "update replaced, attach kept"
    );
    assert_eq!(data.get("c"), Some(&Value::String("new".into())));
    assert_eq!(
        serde_json::to_value(data.get("b").unwrap()).unwrap(),
        json!({"deep": [1, {"x": null}]})
    );
    desk.operate(
        "1001",
        "c",
        r#"{"operationName": "DeleteUserData", "userData": {"a": "", "missing": ""}}"#,
    )
    .unwrap();
    let data = desk.engine.interaction("c").unwrap().user_data();
    assert!(!data.contains_key("a"));
    assert!(data.contains_key("b") && data.contains_key("c"));
    // Another agent may not touch it.
    let err = desk
        .operate(
            "1002",
            "c",
            r#"{"operationName": "UpdateUserData", "userData": {"a": 1}}"#,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotOwner);
}

#[test]
fn place_in_workbin_parks_it_and_get_workbin_content_lists_it_without_changing_anything() {
    let mut desk = desk_with_chat("c");
    desk.notify("1001", &chat("d", "Invited")).unwrap();
    desk.operate("1001", "d", r#"{"operationName": "Accept"}"#)
        .unwrap();
    for id in ["d", "c"] {
        let step = desk
            .operate(
                "1001",
                id,
                r#"{"operationName": "PlaceInWorkbin", "workbin": "Personal"}"#,
            )
            .unwrap();
        assert_eq!(step.to, Some(StateKind::InWorkbin));
    }
    let item = decode_operation(
        "c",
        Some("1001"),
        br#"{"operationName": "GetWorkbinContent", "workbin": "Personal"}"#,
    );
    assert_eq!(item.operation.unwrap().style(), Style::Status);
    let Ok(Request::WorkbinContent { workbin, .. }) = item.result else {
        panic!()
    };
    let before = desk.engine.clone();
    let (status, body) = workbin_content_response(&desk.engine, workbin.as_str());
    assert_eq!(desk.engine, before);
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"status": "ok", "interactions": [
            {"id": "c", "state": "InWorkbin", "workbin": "Personal", "userData": {}},
            {"id": "d", "state": "InWorkbin", "workbin": "Personal", "userData": {}}
        ]})
    );
    assert_eq!(
        workbin_content_response(&desk.engine, "Other").1,
        json!({"status": "ok", "interactions": []})
    );
}

#[test]
fn transfer_offers_it_to_the_named_agent_who_then_accepts() {
    let mut desk = desk_with_chat("c");
    let err = desk
        .operate(
            "1002",
            "c",
            r#"{"operationName": "Transfer", "userId": "1003"}"#,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotOwner);
    let step = desk
        .operate(
            "1001",
            "c",
            r#"{"operationName": "Transfer", "userId": "1002"}"#,
        )
        .unwrap();
    assert_eq!(step.to, Some(StateKind::Offered));
    assert_eq!(
        desk.engine
            .interaction("c")
            .unwrap()
            .state()
            .offered_to()
            .unwrap()
            .as_str(),
        "1002"
    );
    // SingleStepTransfer is the same operation.
    let item = decode_operation(
        "c",
        Some("1001"),
        br#"{"operationName": "SingleStepTransfer", "userId": "1003"}"#,
    );
    assert_eq!(item.operation, Some(Operation::SingleStepTransfer));
    assert_eq!(item.action.as_deref(), Some("transfer_to_agent"));
    // The old owner may no longer act; the new one accepts.
    let err = desk
        .operate("1001", "c", r#"{"operationName": "Complete"}"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidTransition);
    desk.operate("1002", "c", r#"{"operationName": "Accept"}"#)
        .unwrap();
    assert_eq!(state(&desk, "c"), StateKind::Connected);
}

#[test]
fn a_refused_operation_changes_nothing() {
    let mut desk = desk_with_chat("c");
    let before = desk.engine.clone();
    for (agent, body) in [
        ("1002", r#"{"operationName": "Complete"}"#),
        ("1001", r#"{"operationName": "Accept"}"#),
        ("1001", r#"{"operationName": "Cancel"}"#),
        (
            "1002",
            r#"{"operationName": "DeleteUserData", "userData": {"x": 1}}"#,
        ),
        (
            "1002",
            r#"{"operationName": "PlaceInWorkbin", "workbin": "W"}"#,
        ),
    ] {
        assert!(desk.operate(agent, "c", body).is_err(), "{body}");
        assert_eq!(desk.engine, before, "{body}");
    }
}

#[test]
fn operations_on_media_paths_and_unknown_ids() {
    let mut desk = Desk::default();
    let err = desk
        .operate("1001", "nope", r#"{"operationName": "Accept"}"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownInteraction);
    assert_eq!(response(Style::Status, Err(&err)).0, 404);
    // A call, reached by its media path.
    let call = status("CallStateChangeMessage", "call", "k", "Established");
    desk.notify("1001", &call).unwrap();
    let it = desk.engine.interaction("k").unwrap();
    assert!(
        interaction_gws::Collection::Calls
            .check("k", it.media())
            .is_ok()
    );
    assert!(
        interaction_gws::Collection::Chats
            .check("k", it.media())
            .is_err()
    );
}

/// WorkbinGetWorkbinContent's `subresources`: `*` lists every media, media words those named,
/// none only the workbin.
#[test]
fn a_workbin_read_lists_the_media_its_subresources_name() {
    use interaction_gws::endpoint::WorkbinMedia;
    let all = WorkbinMedia {
        chats: true,
        emails: true,
        workitems: true,
    };
    assert_eq!(WorkbinMedia::of_query(Some("subresources=*")), all);
    assert_eq!(
        WorkbinMedia::of_query(Some("agentGroup=G&subresources=%2A")),
        all
    );
    assert_eq!(
        WorkbinMedia::of_query(Some("subresources=chat,email")),
        WorkbinMedia {
            chats: true,
            emails: true,
            workitems: false
        }
    );
    assert_eq!(
        WorkbinMedia::of_query(Some("subresources=workitem%2Cfacebook")),
        WorkbinMedia {
            workitems: true,
            ..WorkbinMedia::default()
        }
    );
    assert_eq!(
        WorkbinMedia::of_query(Some("subresources=chat%2cemail")),
        WorkbinMedia::of_query(Some("subresources=chat+email")),
    );
    assert!(WorkbinMedia::of_query(Some("subresources=chat%2cemail")).emails);
    assert_eq!(WorkbinMedia::of_query(Some("subresources=%2a")), all);
    assert_eq!(
        WorkbinMedia::of_query(Some("fields=*")),
        WorkbinMedia::default()
    );
    assert_eq!(WorkbinMedia::of_query(None), WorkbinMedia::default());
}
