//! A notification repeating the `referenceId` of an answer is linked to its request
//! ([`interaction_gws::References`]), with the GWS 8.5 workitem pages' samples: WorkitemCreate
//! answers `{"statusCode":0,"referenceId":8}` and the new workitem's notification carries
//! `"referenceId": 8`; WorkitemReject answers `referenceId` 6 and the agent's `Completed`
//! repeats it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_core::{Engine, InteractionId};
use interaction_gws::endpoint::{Item, Request, handle_message, handle_request};
use interaction_gws::{AdapterState, MAX_REFERENCES, References};
use interaction_wire::{IdKind, IdSource, Note, SmolStr};
use serde_json::json;

/// Hands out the numbers the pages' samples show, in order.
struct Numbers(Vec<u64>);

impl IdSource for Numbers {
    fn next_id(&mut self, kind: IdKind) -> String {
        assert_eq!(kind, IdKind::Reference);
        self.0.remove(0).to_string()
    }
}

#[derive(Default)]
struct Desk {
    engine: Engine,
    state: AdapterState,
}

impl Desk {
    fn operate(&mut self, path: &str, body: &str, ids: &mut Numbers) -> (serde_json::Value, Item) {
        let request = Request {
            identity: Some("1001"),
            ..Request::post(path, body.as_bytes())
        };
        let mut handled = handle_request(&mut self.engine, &mut self.state, &request, ids);
        let body = serde_json::from_slice(&handled.response.body.to_bytes()).unwrap();
        (body, handled.items.remove(0))
    }

    fn notify(&mut self, body: &str) -> Item {
        let request = Request {
            identity: Some("1001"),
            ..Request::post("/v2/me/workitems", body.as_bytes())
        };
        let mut handled = handle_message(
            &mut self.engine,
            &mut self.state,
            &request,
            &mut Numbers(vec![]),
        );
        let item = handled.items.remove(0);
        assert!(item.error().is_none(), "{body}: {:?}", item.error());
        item
    }
}

fn answers(reference: &str, action: &str, interaction: Option<&str>) -> Note {
    Note::Answers {
        reference: SmolStr::new(reference),
        action: SmolStr::new(action),
        interaction: interaction.map(|i| InteractionId::parse(i, "id").unwrap()),
    }
}

#[test]
fn a_created_workitems_notification_answers_the_create() {
    let mut desk = Desk::default();
    let (body, _) = desk.operate(
        "/api/v2/me/workitems",
        r#"{"operationName": "Create", "queueUri": "http://localhost:8080/api/v2/queues/995655ec-81a5-46b0-82d0-3f2c5eca263d"}"#,
        &mut Numbers(vec![8]),
    );
    assert_eq!(body, json!({"statusCode": 0, "referenceId": 8}));
    // WorkitemCreate's notification, as the page prints it (no `data` wrapper).
    let item = desk.notify(
        r#"{"workitem": {"state": "Processing", "capabilities": ["Transfer", "AttachUserData", "UpdateUserData", "DeleteUserData", "SetInFocus", "Complete"], "id": "03W0GH2KD56YV000", "workitemType": "Inbound", "uri": "http://10.10.15.212:9090/api/v2/workitems/03W0GH2KD56YV000"}, "referenceId": 8, "notificationType": "StatusChange", "messageType": "WorkitemStateChangeMessage"}"#,
    );
    assert_eq!(item.notes, [answers("8", "Create", None)]);
    // A referenceId no answer carried links to nothing.
    let item = desk.notify(
        r#"{"workitem": {"state": "Processing", "id": "03W0GH2KD56YV000"}, "referenceId": 99, "notificationType": "StatusChange", "messageType": "WorkitemStateChangeMessage"}"#,
    );
    assert!(item.notes.is_empty());
}

#[test]
fn a_rejected_workitems_completed_answers_the_reject() {
    let mut desk = Desk::default();
    desk.notify(
        r#"{"data": {"workitem": {"state": "Invited", "id": "03W07R2K4VAYT011", "capabilities": ["Accept", "Reject"]}, "notificationType": "StatusChange", "messageType": "WorkitemStateChangeMessage"}}"#,
    );
    let (body, item) = desk.operate(
        "/api/v2/me/workitems/03W07R2K4VAYT011",
        r#"{"operationName": "Reject"}"#,
        &mut Numbers(vec![6]),
    );
    assert_eq!(body, json!({"statusCode": 0, "referenceId": 6}));
    assert_eq!(item.action.as_deref(), Some("reject"));
    // "Status changed to Completed", repeating the Reject's referenceId; as a string too.
    for reference in ["6", r#""6""#] {
        let item = desk.notify(&format!(
            r#"{{"workitem": {{"capabilities": [], "state": "Completed", "id": "03W07R2K4VAYT011"}}, "referenceId": {reference}, "notificationType": "StatusChange", "messageType": "WorkitemStateChangeMessage"}}"#
        ));
        assert_eq!(
            item.notes,
            [answers("6", "reject", Some("03W07R2K4VAYT011"))],
            "{reference}"
        );
    }
    // A referenceId of another JSON type links to nothing and refuses nothing.
    let item = desk.notify(
        r#"{"workitem": {"state": "Completed", "id": "03W07R2K4VAYT011"}, "referenceId": {"n": 6}, "notificationType": "StatusChange", "messageType": "WorkitemStateChangeMessage"}"#,
    );
    assert!(item.notes.is_empty());
}

#[test]
fn a_refused_operation_carries_no_reference_and_the_oldest_answer_is_forgotten_first() {
    let mut desk = Desk::default();
    let (body, _) = desk.operate(
        "/api/v2/me/workitems/unknown",
        r#"{"operationName": "Complete"}"#,
        &mut Numbers(vec![]),
    );
    assert_ne!(body["statusCode"], 0);
    assert!(desk.state.references.is_empty());
    let numbers: Vec<u64> = (1..=MAX_REFERENCES as u64 + 1).collect();
    let mut ids = Numbers(numbers);
    for _ in 0..=MAX_REFERENCES {
        desk.operate(
            "/api/v2/me/workitems",
            r#"{"operationName": "Create"}"#,
            &mut ids,
        );
    }
    let references = &desk.state.references;
    assert_eq!(references.len(), MAX_REFERENCES);
    assert!(references.get("1").is_none());
    assert!(references.get("2").is_some());
    // They survive serde, oldest first.
    let text = serde_json::to_string(references).unwrap();
    let back: References = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, references);
    assert_eq!(back.iter().next().map(|a| a.reference.as_str()), Some("2"));
}
