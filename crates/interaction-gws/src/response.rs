//! The HTTP answers to `/me/interactions/{id}` operations, in the page's three styles.
//!
//! Source: gws-v2-interactions.txt, the "Output" / "HTTP Response" of each operation. Failure
//! codes follow GWS's "Return Values" page (docs.genesys.com, GWS 8.5 API: "0 The operation is
//! successful ... 6 The requested resource could not be found"; 8.6 adds 10, 18, 19).

use interaction_core::{Engine, Error, ErrorKind};
use serde::Serialize;
use serde_json::Value;

use crate::wire;

/// Which of the page's response shapes an operation answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// `{"status":"ok"}` / `{"status":"error","errorDescription":details}`: Accept, Reject,
    /// PlaceInQueue, UpdateUserData, AttachUserData, DeleteUserData, PlaceInWorkbin,
    /// GetWorkbinContent, and any request whose operation is unknown.
    Status,
    /// `{"statusCode":0}` / `{"statusCode":n,"statusMessage":details}`: Complete and Transfer on
    /// the seed page, and every operation on the GWS 8.5 paths.
    StatusCode,
    /// `{"status":0}` on success, `{"statusCode":n,"statusMessage":details}` on failure: Cancel.
    Cancel,
}

/// The HTTP response to one operation: `(HTTP status, JSON body)` in `style`.
///
/// Success is `200` with `{"status":"ok"}`, `{"statusCode":0}` or `{"status":0}`. A refusal has
/// the HTTP status of [`http_status`] and the error's message as `errorDescription` (style
/// [`Style::Status`]) or as `statusMessage` beside the [`status_code`] of its kind (the other
/// two styles). The page leaves the HTTP status of a failure open; the body is the page's.
pub fn response(style: Style, result: Result<(), &Error>) -> (u16, Value) {
    match (style, result) {
        (Style::Status, Ok(())) => (200, to_json(&status_ok(None))),
        (Style::StatusCode, Ok(())) => (
            200,
            to_json(&wire::StatusCodeResponse {
                status_code: 0,
                status_message: None,
            }),
        ),
        (Style::Cancel, Ok(())) => (200, to_json(&wire::CancelResponse { status: 0 })),
        (Style::Status, Err(e)) => (
            http_status(e.kind()),
            to_json(&wire::StatusResponse {
                status: "error".to_owned(),
                error_description: Some(e.to_string()),
                interactions: None,
            }),
        ),
        (Style::StatusCode | Style::Cancel, Err(e)) => (
            http_status(e.kind()),
            to_json(&wire::StatusCodeResponse {
                status_code: status_code(e.kind()),
                status_message: Some(e.to_string()),
            }),
        ),
    }
}

/// [`response`] as an [`interaction_wire::Response`]: the same status and body, the successes'
/// bodies fixed at compile time (no value is built for them).
pub fn wire_response(style: Style, result: Result<(), &Error>) -> interaction_wire::Response {
    match (style, result) {
        (Style::Status, Ok(())) => interaction_wire::Response::fixed(200, r#"{"status":"ok"}"#),
        (Style::StatusCode, Ok(())) => {
            interaction_wire::Response::fixed(200, r#"{"statusCode":0}"#)
        }
        (Style::Cancel, Ok(())) => interaction_wire::Response::fixed(200, r#"{"status":0}"#),
        (style, Err(e)) => {
            let (status, body) = response(style, Err(e));
            interaction_wire::Response::json(status, body)
        }
    }
}

/// The successful answer to `GetWorkbinContent{workbin}`: `200` with `{"status":"ok",
/// "interactions":[{"id", "state":"InWorkbin", "workbin", "userData"}, ...]}`, the interactions
/// [`Engine::workbin_content`] finds in `workbin`, sorted by id (empty when none is there, or the
/// workbin was never used). A read: nothing changes.
///
/// The page answers `{"status":"ok"}` and sends the content as CometD messages ("The content
/// comes as a CometD message"); a replay has no CometD stream of its own, so the list is added
/// to the response as `interactions`.
pub fn workbin_content_response(engine: &Engine, workbin: &str) -> (u16, Value) {
    let items = engine
        .workbin_content(workbin)
        .into_iter()
        .map(|id| wire::WorkbinItem {
            id: id.as_str().to_owned(),
            state: "InWorkbin".to_owned(),
            workbin: workbin.to_owned(),
            user_data: engine
                .interaction(id.as_str())
                .map(|it| it.user_data().clone())
                .unwrap_or_default(),
        })
        .collect();
    (200, to_json(&status_ok(Some(items))))
}

/// The HTTP status of a refused operation, by error kind:
///
/// | kind | status |
/// |---|---|
/// | `malformed`, `missing_field`, `invalid_field`, `unsupported` | 400 |
/// | `not_owner`, `not_permitted`, `provider_mismatch` | 403 |
/// | `unknown_interaction`, `unknown_agent`, `unknown_provider` | 404 |
/// | `invalid_transition`, `already_ended`, `already_exists`, `agent_busy`, `agent_unavailable` | 409 |
/// | any later kind | 500 |
pub fn http_status(kind: ErrorKind) -> u16 {
    match kind {
        ErrorKind::Malformed
        | ErrorKind::MissingField
        | ErrorKind::InvalidField
        | ErrorKind::Unsupported => 400,
        ErrorKind::NotOwner | ErrorKind::NotPermitted | ErrorKind::ProviderMismatch => 403,
        ErrorKind::UnknownInteraction | ErrorKind::UnknownAgent | ErrorKind::UnknownProvider => 404,
        ErrorKind::InvalidTransition
        | ErrorKind::AlreadyEnded
        | ErrorKind::AlreadyExists
        | ErrorKind::AgentBusy
        | ErrorKind::AgentUnavailable => 409,
        _ => 500,
    }
}

/// The `statusCode` above 0 of a refused Complete, Transfer or Cancel, by error kind, using the
/// meanings of GWS's "Return Values" page:
///
/// | kind | statusCode | GWS meaning |
/// |---|---|---|
/// | `missing_field` | 1 | A required parameter is missing in the request. |
/// | `invalid_transition`, `already_ended`, `agent_unavailable` | 2 | A specified parameter is not valid for the current state. |
/// | `unsupported`, `not_permitted` | 3 | The operation is forbidden. |
/// | `not_owner`, `provider_mismatch` | 5 | The user does not have permission to perform this operation. |
/// | `unknown_interaction`, `unknown_agent`, `unknown_provider` | 6 | The requested resource could not be found. |
/// | `malformed`, `invalid_field` | 10 | Input validation error. |
/// | `already_exists` | 18 | Resource already exists. |
/// | `agent_busy` | 19 | Resource already in use. |
/// | any later kind | 4 | An internal error occurred. |
///
/// Kinds that share a code are told apart by `statusMessage`, which is the error's message.
pub fn status_code(kind: ErrorKind) -> u32 {
    match kind {
        ErrorKind::MissingField => 1,
        ErrorKind::InvalidTransition | ErrorKind::AlreadyEnded | ErrorKind::AgentUnavailable => 2,
        ErrorKind::Unsupported | ErrorKind::NotPermitted => 3,
        ErrorKind::NotOwner | ErrorKind::ProviderMismatch => 5,
        ErrorKind::UnknownInteraction | ErrorKind::UnknownAgent | ErrorKind::UnknownProvider => 6,
        ErrorKind::Malformed | ErrorKind::InvalidField => 10,
        ErrorKind::AlreadyExists => 18,
        ErrorKind::AgentBusy => 19,
        _ => 4,
    }
}

fn status_ok(interactions: Option<Vec<wire::WorkbinItem>>) -> wire::StatusResponse {
    wire::StatusResponse {
        status: "ok".to_owned(),
        error_description: None,
        interactions,
    }
}

/// The wire value as JSON. Serializing these plain structs cannot fail (string keys only);
/// `null` stands in rather than a panic.
fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_three_styles_exactly_as_the_page_gives_them() {
        assert_eq!(
            response(Style::Status, Ok(())),
            (200, json!({"status": "ok"}))
        );
        assert_eq!(
            response(Style::StatusCode, Ok(())),
            (200, json!({"statusCode": 0}))
        );
        assert_eq!(response(Style::Cancel, Ok(())), (200, json!({"status": 0})));
        let e = Error::missing_field("queueName");
        assert_eq!(
            response(Style::Status, Err(&e)),
            (
                400,
                json!({"status": "error", "errorDescription": "missing required field `queueName`"})
            )
        );
        for style in [Style::StatusCode, Style::Cancel] {
            assert_eq!(
                response(style, Err(&e)),
                (
                    400,
                    json!({"statusCode": 1, "statusMessage": "missing required field `queueName`"})
                )
            );
        }
    }

    #[test]
    fn every_kind_has_a_code_above_zero_and_an_error_status() {
        for kind in ErrorKind::ALL {
            assert!(status_code(kind) > 0, "{kind}");
            assert!(http_status(kind) >= 400, "{kind}");
        }
        assert_eq!(status_code(ErrorKind::NotOwner), 5);
        assert_eq!(status_code(ErrorKind::InvalidTransition), 2);
        assert_eq!(status_code(ErrorKind::UnknownInteraction), 6);
        assert_eq!(http_status(ErrorKind::NotOwner), 403);
        assert_eq!(http_status(ErrorKind::UnknownInteraction), 404);
        assert_eq!(http_status(ErrorKind::AlreadyEnded), 409);
    }

    #[test]
    fn an_empty_workbin_lists_nothing() {
        let engine = Engine::new();
        assert_eq!(
            workbin_content_response(&engine, "Personal Workbin"),
            (200, json!({"status": "ok", "interactions": []}))
        );
    }
}
