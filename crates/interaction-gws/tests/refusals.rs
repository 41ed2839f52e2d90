//! Every refusal: the error kind, and a message that names the field. Bad input never panics,
//! and unknown members are tolerated.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_refused, chat, nested_arrays, nested_objects};
use interaction_core::{Error, ErrorKind};
use interaction_gws::{
    NotificationItem, OperationItem, Request, decode_notification, decode_operation,
};

const LONG: usize = 257;

fn operation(body: &str) -> OperationItem {
    decode_operation("i-1", Some("1001"), body.as_bytes())
}

fn operation_refused(body: &str) -> Error {
    operation(body).result.expect_err(body)
}

fn notification(body: &str) -> NotificationItem {
    decode_notification(body.as_bytes(), Some("1001"))
}

fn notification_refused(body: &str) -> Error {
    notification(body).result.expect_err(body)
}

/// A chat StatusChange whose resource is `resource` (the members inside `chat`).
fn chat_with(resource: &str) -> String {
    format!(
        r#"{{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange", "chat": {{{resource}}}}}"#
    )
}

// ---- operations ----

#[test]
fn operation_body_not_json_or_not_an_object() {
    for body in ["", "{", "not json", r#"{"operationName": "Accept"} {}"#] {
        let item = operation(body);
        assert_refused(
            &item.result.unwrap_err(),
            ErrorKind::Malformed,
            &["operation body"],
        );
        assert_eq!((item.operation, item.action), (None, None));
    }
    for (body, kind) in [
        ("[]", "an array"),
        (r#""Accept""#, "a string"),
        ("null", "null"),
        ("5", "a number"),
        ("true", "a boolean"),
    ] {
        assert_refused(
            &operation_refused(body),
            ErrorKind::Malformed,
            &["operation body", "expected a JSON object", kind],
        );
    }
    let err = decode_operation("i", Some("a"), b"{\"operationName\": \"\xff\"}")
        .result
        .unwrap_err();
    assert_refused(&err, ErrorKind::Malformed, &["operation body"]);
}

#[test]
fn operation_name_missing_wrong_type_or_unknown() {
    for body in [
        "{}",
        r#"{"operationName": null}"#,
        r#"{"OperationName": "Accept"}"#,
    ] {
        let item = operation(body);
        assert_refused(
            &item.result.unwrap_err(),
            ErrorKind::MissingField,
            &["`operationName`"],
        );
        assert_eq!(item.action, None);
    }
    for (body, label) in [
        (r#"{"operationName": 5}"#, "5"),
        (r#"{"operationName": ["Accept"]}"#, r#"["Accept"]"#),
        (
            r#"{"operationName": {"name": "Accept"}}"#,
            r#"{"name": "Accept"}"#,
        ),
    ] {
        let item = operation(body);
        assert_refused(
            &item.result.unwrap_err(),
            ErrorKind::Malformed,
            &["operationName: invalid type"],
        );
        assert_eq!(item.action.as_deref(), Some(label));
    }
    for name in [
        "Fly",
        "accept",
        "ACCEPT",
        "Transfer ",
        "",
        "PullInteractions",
    ] {
        let body = format!(r#"{{"operationName": "{name}"}}"#);
        let item = operation(&body);
        assert_refused(
            &item.result.unwrap_err(),
            ErrorKind::Unsupported,
            &["operationName", &format!("`{name}`")],
        );
        assert_eq!(item.operation, None);
        assert_eq!(item.action.as_deref(), Some(name));
    }
    // A hostile name is quoted shortened and escaped.
    let body = format!(r#"{{"operationName": "\r\n{}"}}"#, "x".repeat(500));
    let err = operation_refused(&body);
    let message = err.to_string();
    assert!(
        message.len() < 200 && message.contains("\\r\\n"),
        "{message}"
    );
}

#[test]
fn operation_arguments_missing_wrong_type_or_invalid() {
    for (body, kind, named) in [
        (
            r#"{"operationName": "PlaceInQueue"}"#,
            ErrorKind::MissingField,
            "`queueName`",
        ),
        (
            r#"{"operationName": "PlaceInQueue", "queueName": null}"#,
            ErrorKind::MissingField,
            "`queueName`",
        ),
        (
            r#"{"operationName": "PlaceInQueue", "queueName": ""}"#,
            ErrorKind::MissingField,
            "`queueName`",
        ),
        (
            r#"{"operationName": "PlaceInQueue", "queueName": 2}"#,
            ErrorKind::Malformed,
            "queueName: invalid type: integer `2`",
        ),
        (
            r#"{"operationName": "PlaceInQueue", "queueName": "a\u0000b"}"#,
            ErrorKind::InvalidField,
            "`queueName`",
        ),
        (
            r#"{"operationName": "PlaceInWorkbin"}"#,
            ErrorKind::MissingField,
            "`workbin`",
        ),
        (
            r#"{"operationName": "PlaceInWorkbin", "workbin": {"id": "W"}}"#,
            ErrorKind::Malformed,
            "workbin: invalid type: map",
        ),
        (
            r#"{"operationName": "GetWorkbinContent"}"#,
            ErrorKind::MissingField,
            "`workbin`",
        ),
        (
            r#"{"operationName": "Transfer"}"#,
            ErrorKind::MissingField,
            "`userId`",
        ),
        (
            r#"{"operationName": "Transfer", "userId": 1002}"#,
            ErrorKind::Malformed,
            "userId: invalid type: integer",
        ),
        (
            r#"{"operationName": "Transfer", "userId": "1001"}"#,
            ErrorKind::InvalidField,
            "`userId`: names the requesting agent `1001`",
        ),
        (
            r#"{"operationName": "Transfer", "targetUri": "http://gws/api/v2/users/1001"}"#,
            ErrorKind::InvalidField,
            "`targetUri`: names the requesting agent `1001`",
        ),
        (
            r#"{"operationName": "UpdateUserData"}"#,
            ErrorKind::MissingField,
            "`userData`",
        ),
        (
            r#"{"operationName": "AttachUserData", "userData": null}"#,
            ErrorKind::MissingField,
            "`userData`",
        ),
        (
            r#"{"operationName": "DeleteUserData"}"#,
            ErrorKind::MissingField,
            "`userData`",
        ),
    ] {
        assert_refused(&operation_refused(body), kind, &[named]);
    }
    let long = "q".repeat(LONG);
    let err = operation_refused(&format!(
        r#"{{"operationName": "PlaceInQueue", "queueName": "{long}"}}"#
    ));
    assert_refused(&err, ErrorKind::InvalidField, &["`queueName`", "257 bytes"]);
    let err = operation_refused(&format!(
        r#"{{"operationName": "Transfer", "userId": "{long}"}}"#
    ));
    assert_refused(&err, ErrorKind::InvalidField, &["`userId`", "257 bytes"]);
}

#[test]
fn user_data_that_is_not_an_object_is_refused() {
    for op in ["UpdateUserData", "AttachUserData", "DeleteUserData"] {
        for (value, kind) in [
            ("[1, 2]", "an array"),
            (r#""field1=value1""#, "a string"),
            ("5", "a number"),
            ("true", "a boolean"),
        ] {
            let body = format!(r#"{{"operationName": "{op}", "userData": {value}}}"#);
            assert_refused(
                &operation_refused(&body),
                ErrorKind::Malformed,
                &["userData: expected a JSON object", kind],
            );
        }
    }
}

#[test]
fn ids_and_the_acting_agent_are_checked() {
    let body = br#"{"operationName": "Accept"}"#;
    let long = "x".repeat(LONG);
    for (id, as_agent, kind, named) in [
        (long.as_str(), Some("1001"), ErrorKind::InvalidField, "`id`"),
        ("a\u{7}b", Some("1001"), ErrorKind::InvalidField, "`id`"),
        ("a\nb", Some("1001"), ErrorKind::InvalidField, "`id`"),
        ("", Some("1001"), ErrorKind::MissingField, "`id`"),
        ("i-1", None, ErrorKind::MissingField, "`as`"),
        ("i-1", Some(""), ErrorKind::MissingField, "`as`"),
        ("i-1", Some(long.as_str()), ErrorKind::InvalidField, "`as`"),
        ("i-1", Some("10\t01"), ErrorKind::InvalidField, "`as`"),
    ] {
        let item = decode_operation(id, as_agent, body);
        assert_refused(&item.result.unwrap_err(), kind, &[named]);
        assert_eq!(item.action.as_deref(), Some("accept"), "the label survives");
    }
    // Argument errors come before the id and the agent.
    let item = decode_operation("", None, br#"{"operationName": "PlaceInQueue"}"#);
    assert_refused(
        &item.result.unwrap_err(),
        ErrorKind::MissingField,
        &["`queueName`"],
    );
}

#[test]
fn deep_nesting_is_refused_where_read_and_tolerated_where_not() {
    for deep in [nested_arrays(200), nested_objects(200)] {
        let body = format!(
            r#"{{"operationName": "UpdateUserData", "userData": {{"ok": 1, "deep": {deep}}}}}"#
        );
        assert_refused(
            &operation_refused(&body),
            ErrorKind::Malformed,
            &["userData.deep", "recursion limit"],
        );
        // The same depth in a member no operation reads: tolerated.
        let body = format!(r#"{{"operationName": "Accept", "extra": {deep}}}"#);
        assert!(matches!(operation(&body).result, Ok(Request::Apply(_))));
        let body = format!(
            r#"{{"operationName": "UpdateUserData", "userData": {{"a": 1}}, "junk": {deep}}}"#
        );
        assert!(operation(&body).result.is_ok());
        // In a notification's unknown member too, and refused inside its userData.
        let body = chat_with(&format!(
            r#""id": "c", "state": "Invited", "participants": {deep}"#
        ));
        assert!(notification(&body).result.is_ok());
        let body = chat_with(&format!(
            r#""id": "c", "state": "Invited", "userData": {{"d": {deep}}}"#
        ));
        assert_refused(
            &notification_refused(&body),
            ErrorKind::Malformed,
            &["chat.userData.d", "recursion limit"],
        );
    }
    // 100 000 levels: no stack overflow anywhere.
    let deep = nested_arrays(100_000);
    let body = format!(r#"{{"operationName": "Accept", "extra": {deep}}}"#);
    assert!(operation(&body).result.is_ok());
    assert!(operation(&deep).result.is_err());
    assert!(notification(&deep).result.is_err());
}

#[test]
fn members_an_operation_does_not_use_may_hold_anything() {
    for body in [
        r#"{"operationName": "Accept", "userData": 5, "queueName": [], "workbin": {}, "userId": null}"#,
        r#"{"operationName": "Complete", "reason": "done", "nested": {"a": [1, 2, {"b": null}]}}"#,
        r#"{"operationName": "PlaceInQueue", "queueName": "Q", "userData": "not read"}"#,
    ] {
        assert!(operation(body).result.is_ok(), "{body}");
    }
}

// ---- notifications ----

#[test]
fn notification_body_not_json_or_not_an_object() {
    for body in [
        "",
        "nope",
        "{",
        r#"[{"messageType": "ChatStateChangeMessage"}]"#,
        r#""Invited""#,
    ] {
        let item = notification(body);
        assert_refused(
            &item.result.unwrap_err(),
            ErrorKind::Malformed,
            &["notification body"],
        );
        assert_eq!(
            (item.interaction, item.label, item.capabilities),
            (None, None, None)
        );
    }
}

#[test]
fn notification_members_missing_or_unknown() {
    for (body, kind, named) in [
        ("{}".to_owned(), ErrorKind::MissingField, "`messageType`"),
        (r#"{"data": {}}"#.to_owned(), ErrorKind::MissingField, "`messageType`"),
        (r#"{"messageType": 3}"#.to_owned(), ErrorKind::Malformed, "messageType: invalid type"),
        (r#"{"data": {"messageType": 3}}"#.to_owned(), ErrorKind::Malformed, "data.messageType"),
        (r#"{"data": 3}"#.to_owned(), ErrorKind::Malformed, "data: expected a JSON object"),
        (r#"{"messageType": "DeviceStateChangeMessage"}"#.to_owned(), ErrorKind::Unsupported, "messageType `DeviceStateChangeMessage`"),
        (r#"{"messageType": "chatStateChangeMessage"}"#.to_owned(), ErrorKind::Unsupported, "messageType"),
        (r#"{"messageType": "ChatStateChangeMessage", "chat": {"id": "c"}}"#.to_owned(), ErrorKind::MissingField, "`notificationType`"),
        (r#"{"messageType": "ChatStateChangeMessage", "notificationType": 1, "chat": {"id": "c"}}"#.to_owned(), ErrorKind::Malformed, "notificationType"),
        (r#"{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange"}"#.to_owned(), ErrorKind::MissingField, "`chat`"),
        (r#"{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange", "call": {"id": "c", "state": "Invited"}}"#.to_owned(), ErrorKind::MissingField, "`chat`"),
        (r#"{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange", "chat": []}"#.to_owned(), ErrorKind::Malformed, "chat: expected a JSON object"),
        (chat_with(r#""state": "Invited""#), ErrorKind::MissingField, "`chat.id`"),
        (chat_with(r#""id": "", "state": "Invited""#), ErrorKind::MissingField, "`chat.id`"),
        (chat_with(r#""id": 17, "state": "Invited""#), ErrorKind::Malformed, "chat.id: invalid type: integer"),
        (chat_with(&format!(r#""id": "{}", "state": "Invited""#, "c".repeat(LONG))), ErrorKind::InvalidField, "`chat.id`"),
        (chat_with(r#""id": "c\u001b[2J", "state": "Invited""#), ErrorKind::InvalidField, "`chat.id`"),
        (chat_with(r#""id": "c""#), ErrorKind::MissingField, "`chat.state`"),
        (chat_with(r#""id": "c", "state": ["Invited"]"#), ErrorKind::Malformed, "chat.state"),
        (chat_with(r#""id": "c", "state": "Sleeping""#), ErrorKind::Unsupported, "state `Sleeping`"),
        (chat_with(r#""id": "c", "state": "Invited", "capabilities": "Accept""#), ErrorKind::Malformed, "chat.capabilities"),
        (chat_with(r#""id": "c", "state": "Invited", "capabilities": [1]"#), ErrorKind::Malformed, "chat.capabilities"),
        (chat_with(r#""id": "c", "state": "Invited", "userData": ["a"]"#), ErrorKind::Malformed, "chat.userData: expected a JSON object, got an array"),
        (chat_with(r#""id": "c", "state": "Invited", "userData": "a=1""#), ErrorKind::Malformed, "chat.userData: expected a JSON object, got a string"),
        (chat_with(r#""id": "c", "state": "Invited", "chatType": "Sideways""#), ErrorKind::InvalidField, "`chat.chatType`"),
        (chat_with(r#""id": "c", "state": "Invited", "chatType": 1"#), ErrorKind::Malformed, "chat.chatType"),
        (chat_with(r#""id": "c", "state": "InWorkbin", "workbin": """#), ErrorKind::MissingField, "`chat.workbin`"),
        (chat_with(r#""id": "c", "state": "InWorkbin", "workbin": 5"#), ErrorKind::Malformed, "chat.workbin"),
    ] {
        assert_refused(&notification_refused(&body), kind, &[named]);
    }
}

#[test]
fn a_notification_needs_the_channels_agent() {
    for as_agent in [None, Some("")] {
        let item = decode_notification(chat("c", "Invited").as_bytes(), as_agent);
        assert_refused(
            &item.result.unwrap_err(),
            ErrorKind::MissingField,
            &["`as`"],
        );
        assert_eq!(item.interaction.as_deref(), Some("c"), "the label survives");
    }
    let long = "a".repeat(LONG);
    let item = decode_notification(chat("c", "Invited").as_bytes(), Some(&long));
    assert_refused(
        &item.result.unwrap_err(),
        ErrorKind::InvalidField,
        &["`as`"],
    );
}

#[test]
fn refused_notifications_keep_what_could_be_read_for_the_record() {
    let item = notification(&chat_with(
        r#""id": "c", "state": "Sleeping", "capabilities": ["Answer"]"#,
    ));
    assert_eq!(item.interaction.as_deref(), Some("c"));
    assert_eq!(item.label.as_deref(), Some("Sleeping"));
    assert_eq!(item.capabilities, Some(vec!["Answer".to_owned()]));
    let item = notification(r#"{"messageType": "DeviceStateChangeMessage", "devices": []}"#);
    assert_eq!(item.label.as_deref(), Some("DeviceStateChangeMessage"));
    let item = notification(
        r#"{"messageType": "ChatStateChangeMessage", "notificationType": "NewMessages", "chat": {"id": 5}}"#,
    );
    assert_eq!(item.label.as_deref(), Some("NewMessages"));
    assert_eq!(item.interaction, None);
}

#[test]
fn unknown_members_are_tolerated() {
    let body = r#"{"channel": "/v2/me/chats", "id": "99", "ext": {"x": 1}, "data": {"messageType": "ChatStateChangeMessage",
        "notificationType": "StatusChange", "referenceId": "not a number", "future": [1, {}],
        "chat": {"id": "c", "state": "Invited", "uri": "http://x", "participants": [{"nickname": "Jo"}],
                 "queueName": ["not", "read"], "workbin": 5, "messages": null}}}"#;
    assert!(notification(body).result.is_ok());
}
