//! Every refusal: the error kind, and a message that names the field. Bad input never panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_refused, fixture, nested_arrays, nested_objects};
use interaction_core::{Action, Error, ErrorKind, Permission};
use interaction_vcc::{InvokeItem, decode_callbacks, decode_invoke, decode_register};

/// The whole Invoke body is refused.
fn invoke_refused(body: &str) -> Error {
    decode_invoke(body.as_bytes()).expect_err(body)
}

/// The body is read, and its single request is refused.
fn request_refused(request: &str) -> (InvokeItem, Error) {
    let body = format!(r#"{{"requests": [{request}]}}"#);
    let mut items = decode_invoke(body.as_bytes()).unwrap();
    assert_eq!(items.len(), 1);
    let item = items.remove(0);
    let err = item.result.clone().expect_err(request);
    (item, err)
}

/// A valid dispatch with `member` (`"name": value`) replaced or added.
fn dispatch_with(member: &str) -> String {
    format!(
        r#"{{"requestid": "r1", "externalid": "x1", "route": "R", "routingdata": {{"interactiontype": "live"}}, {member}}}"#
    )
}

const LONG: usize = 257;

// ---- Invoke: the envelope ----

#[test]
fn invoke_body_not_json() {
    for body in ["", "{", "not json", r#"{"requests": [}"#, "{} {}"] {
        assert_refused(
            &invoke_refused(body),
            ErrorKind::Malformed,
            &["Invoke body"],
        );
    }
    let err = decode_invoke(b"{\"requests\": [\"\xff\"]}").unwrap_err();
    assert_refused(&err, ErrorKind::Malformed, &["Invoke body"]);
}

#[test]
fn invoke_body_not_an_object() {
    for (body, kind) in [
        ("[]", "an array"),
        (r#""requests""#, "a string"),
        ("null", "null"),
        ("5", "a number"),
        ("true", "a boolean"),
    ] {
        let err = invoke_refused(body);
        assert_refused(
            &err,
            ErrorKind::Malformed,
            &["Invoke body", "JSON object", kind],
        );
    }
}

#[test]
fn invoke_requests_missing_wrong_type_or_empty() {
    for body in ["{}", r#"{"requests": null}"#, r#"{"Requests": []}"#] {
        assert_refused(
            &invoke_refused(body),
            ErrorKind::MissingField,
            &["`requests`"],
        );
    }
    for body in [
        r#"{"requests": {}}"#,
        r#"{"requests": "dispatch"}"#,
        r#"{"requests": 1}"#,
    ] {
        let err = invoke_refused(body);
        assert_refused(
            &err,
            ErrorKind::Malformed,
            &["requests:", "expected a sequence"],
        );
    }
    let err = invoke_refused(r#"{"requests": []}"#);
    assert_refused(&err, ErrorKind::InvalidField, &["`requests`"]);
}

#[test]
fn invoke_provider_refused() {
    let requests = r#""requests": [{"externalid": "x", "action": "release"}]"#;
    let err = invoke_refused(&format!(r#"{{"provider": 5, {requests}}}"#));
    assert_refused(
        &err,
        ErrorKind::Malformed,
        &["provider: invalid type: integer"],
    );
    let err = invoke_refused(&format!(r#"{{"provider": ["p"], {requests}}}"#));
    assert_refused(&err, ErrorKind::Malformed, &["provider"]);
    let err = invoke_refused(&format!(r#"{{"provider": "", {requests}}}"#));
    assert_refused(&err, ErrorKind::MissingField, &["`provider`"]);
    let long = "p".repeat(LONG);
    let err = invoke_refused(&format!(r#"{{"provider": "{long}", {requests}}}"#));
    assert_refused(&err, ErrorKind::InvalidField, &["`provider`", "257 bytes"]);
    let err = invoke_refused(&format!(r#"{{"provider": "a\u0000b", {requests}}}"#));
    assert_refused(&err, ErrorKind::InvalidField, &["`provider`", "control"]);
}

// ---- Invoke: one request ----

#[test]
fn request_not_an_object() {
    for request in ["5", r#""dispatch""#, "[]", "null"] {
        let (item, err) = request_refused(request);
        assert_refused(&err, ErrorKind::Malformed, &["requests[0]", "JSON object"]);
        assert_eq!(item.action, "dispatch");
        assert_eq!(item.externalid, None);
    }
}

#[test]
fn request_unknown_action() {
    for action in ["hold", "Dispatch", "RELEASE", "", "assign"] {
        let (item, err) =
            request_refused(&format!(r#"{{"action": "{action}", "externalid": "x"}}"#));
        assert_refused(
            &err,
            ErrorKind::Unsupported,
            &["action", &format!("`{action}`")],
        );
        assert_eq!(item.action, action, "the raw wire value");
        assert_eq!(item.externalid.as_deref(), Some("x"));
    }
}

#[test]
fn request_action_of_the_wrong_type() {
    let (item, err) = request_refused(r#"{"action": 5, "externalid": "x"}"#);
    assert_refused(
        &err,
        ErrorKind::Malformed,
        &["requests[0].action: invalid type: integer `5`, expected a string"],
    );
    assert_eq!(item.action, "5");
}

/// vcc-interactions-invoke.txt: "externalId is optional if action is dispatch"; a release
/// needs it, and an empty one is no id for either.
#[test]
fn request_externalid_required_for_a_release_optional_for_a_dispatch() {
    for request in [
        r#"{"action": "release"}"#,
        r#"{"action": "release", "externalid": null}"#,
        r#"{"action": "release", "externalid": ""}"#,
        r#"{"action": "dispatch", "externalid": "", "route": "R", "routingdata": {"interactiontype": "live"}}"#,
    ] {
        let (_, err) = request_refused(request);
        assert_refused(&err, ErrorKind::MissingField, &["`externalid`"]);
    }
    for request in [
        r#"{"route": "R", "routingdata": {"interactiontype": "live"}}"#,
        r#"{"action": "dispatch", "externalid": null, "route": "R", "routingdata": {"interactiontype": "live"}}"#,
    ] {
        let body = format!(r#"{{"requests": [{request}]}}"#);
        let items = decode_invoke(body.as_bytes()).unwrap();
        let invoked = items[0].result.clone().unwrap();
        assert_eq!(
            (items[0].externalid.as_ref(), invoked.interaction()),
            (None, None)
        );
    }
}

#[test]
fn request_ids_too_long_or_with_control_characters() {
    let long = "x".repeat(LONG);
    for (member, field) in [
        (format!(r#""externalid": "{long}""#), "`externalid`"),
        (r#""externalid": "a\u0007b""#.to_owned(), "`externalid`"),
        (format!(r#""route": "{long}""#), "`route`"),
        (r#""route": "Route\r\nX-Evil: 1""#.to_owned(), "`route`"),
        (format!(r#""requestid": "{long}""#), "`requestid`"),
        (
            format!(r#""requestid": "{}""#, "r".repeat(257)),
            "`requestid`",
        ),
        (r#""requestid": "r\u001b""#.to_owned(), "`requestid`"),
    ] {
        let (_, err) = request_refused(&dispatch_with(&member));
        assert_refused(&err, ErrorKind::InvalidField, &[field]);
    }
    let (_, err) = request_refused(&dispatch_with(r#""requestid": """#));
    assert_refused(&err, ErrorKind::MissingField, &["`requestid`"]);
    let (_, err) = request_refused(&dispatch_with(r#""route": """#));
    assert_refused(&err, ErrorKind::MissingField, &["`route`"]);
}

#[test]
fn request_members_of_the_wrong_type_name_their_path() {
    for (member, path) in [
        (
            r#""externalid": 88381694"#,
            "requests[0].externalid: invalid type: integer",
        ),
        (
            r#""requestid": 1"#,
            "requests[0].requestid: invalid type: integer",
        ),
        (
            r#""route": ["R"]"#,
            "requests[0].route: invalid type: sequence",
        ),
        (
            r#""route": {"name": "R"}"#,
            "requests[0].route: invalid type: map",
        ),
        (
            r#""routingdata": "live""#,
            "requests[0].routingdata: expected a JSON object, got a string",
        ),
        (
            r#""routingdata": ["live"]"#,
            "requests[0].routingdata: expected a JSON object, got an array",
        ),
        (
            r#""routingdata": {"interactiontype": 1}"#,
            "requests[0].routingdata.interactiontype: invalid type: integer",
        ),
    ] {
        let (_, err) = request_refused(&dispatch_with(member));
        assert_refused(&err, ErrorKind::Malformed, &[path]);
        assert!(!err.to_string().contains(" at line "), "{err}");
    }
}

#[test]
fn dispatch_needs_route_and_interactiontype() {
    let (_, err) =
        request_refused(r#"{"externalid": "x", "routingdata": {"interactiontype": "live"}}"#);
    assert_refused(&err, ErrorKind::MissingField, &["`route`"]);
    for request in [
        r#"{"externalid": "x", "route": "R"}"#,
        r#"{"externalid": "x", "route": "R", "routingdata": null}"#,
        r#"{"externalid": "x", "route": "R", "routingdata": {}}"#,
        r#"{"externalid": "x", "route": "R", "routingdata": {"interactiontype": ""}}"#,
        r#"{"externalid": "x", "route": "R", "routingdata": {"type": "live"}}"#,
    ] {
        let (_, err) = request_refused(request);
        assert_refused(
            &err,
            ErrorKind::MissingField,
            &["`routingdata.interactiontype`"],
        );
    }
    for media in ["voice", "Live", "NONLIVE", "email", "chat "] {
        let (_, err) = request_refused(&format!(
            r#"{{"externalid": "x", "route": "R", "routingdata": {{"interactiontype": "{media}"}}}}"#
        ));
        assert_refused(
            &err,
            ErrorKind::InvalidField,
            &["`routingdata.interactiontype`", &format!("`{media}`")],
        );
    }
}

/// One bad request does not sink the others: each gets its own result, in order.
#[test]
fn each_request_is_decoded_on_its_own() {
    let body = format!(
        r#"{{"requests": [{}, {}, 7, {}]}}"#,
        dispatch_with(r#""externalid": "a""#),
        dispatch_with(r#""route": 5"#),
        r#"{"action": "release", "externalid": "d"}"#,
    );
    let items = decode_invoke(body.as_bytes()).unwrap();
    assert_eq!(items.len(), 4);
    assert!(items[0].result.is_ok());
    assert_refused(
        items[1].result.as_ref().unwrap_err(),
        ErrorKind::Malformed,
        &["requests[1].route: invalid type: integer `5`, expected a string"],
    );
    assert_refused(
        items[2].result.as_ref().unwrap_err(),
        ErrorKind::Malformed,
        &["requests[2]"],
    );
    assert_eq!(items[3].result.as_ref().unwrap().action(), &Action::Release);
}

#[test]
fn deeply_nested_json_is_refused_not_a_crash() {
    let deep = nested_arrays(10_000);
    let body = format!(
        r#"{{"requests": [{}, {}]}}"#,
        dispatch_with(&format!(
            r#""routingdata": {{"interactiontype": "live", "deep": {deep}}}"#
        )),
        dispatch_with(r#""externalid": "fine""#),
    );
    let items = decode_invoke(body.as_bytes()).unwrap();
    assert_refused(
        items[0].result.as_ref().unwrap_err(),
        ErrorKind::Malformed,
        &["requests[0].routingdata.deep", "recursion limit"],
    );
    assert!(items[1].result.is_ok(), "the other request survives");

    let objects = nested_objects(10_000);
    let (_, err) = request_refused(&dispatch_with(&format!(
        r#""routingdata": {{"interactiontype": "chat", "x": {objects}}}"#
    )));
    assert_refused(
        &err,
        ErrorKind::Malformed,
        &["requests[0].routingdata.x", "recursion limit"],
    );

    // Deep nesting where a string, an object or the whole body belongs.
    let (_, err) = request_refused(&dispatch_with(&format!(r#""route": {deep}"#)));
    assert_refused(&err, ErrorKind::Malformed, &["requests[0].route"]);
    let (_, err) = request_refused(&dispatch_with(&format!(r#""routingdata": {deep}"#)));
    assert_refused(&err, ErrorKind::Malformed, &["requests[0].routingdata"]);
    let (_, err) = request_refused(&deep);
    assert_refused(&err, ErrorKind::Malformed, &["requests[0]"]);
    let very_deep = nested_arrays(200_000);
    assert_refused(
        &invoke_refused(&very_deep),
        ErrorKind::Malformed,
        &["Invoke body"],
    );
    let err = invoke_refused(&format!(
        r#"{{"requests": {very_deep}, "provider": {deep}}}"#
    ));
    assert_refused(&err, ErrorKind::Malformed, &["provider"]);
    assert_refused(
        &invoke_refused(&objects),
        ErrorKind::MissingField,
        &["`requests`"],
    );
}

// ---- Register ----

fn register_refused(body: &str) -> Error {
    decode_register(body.as_bytes()).expect_err(body)
}

fn register_with(member: &str) -> String {
    format!(r#"{{"provider": "P", {member}}}"#)
}

#[test]
fn register_body_not_json_or_not_an_object() {
    for body in ["", "{", "[]", r#""P""#, "null", &nested_arrays(100_000)] {
        assert_refused(
            &register_refused(body),
            ErrorKind::Malformed,
            &["register body"],
        );
    }
}

#[test]
fn register_provider_required() {
    for body in [
        "{}",
        r#"{"provider": null}"#,
        r#"{"provider": ""}"#,
        r#"{"Provider": "P"}"#,
    ] {
        assert_refused(
            &register_refused(body),
            ErrorKind::MissingField,
            &["`provider`"],
        );
    }
    let err = register_refused(r#"{"provider": 5}"#);
    assert_refused(&err, ErrorKind::Malformed, &["provider: invalid type"]);
    let err = register_refused(&format!(r#"{{"provider": "{}"}}"#, "p".repeat(LONG)));
    assert_refused(&err, ErrorKind::InvalidField, &["`provider`"]);
    let err = register_refused(r#"{"provider": "P\nQ"}"#);
    assert_refused(&err, ErrorKind::InvalidField, &["`provider`"]);
}

#[test]
fn register_endpoint_must_be_absolute_https() {
    for endpoint in [
        "http://endpoint.example.com/routingendpoint",
        "endpoint.example.com/routingendpoint",
        "/routingendpoint",
        "https://",
        "https:///routingendpoint",
        "ftp://example.com",
        "https://user:secret@example.com/",
        "https://example.com:70000/",
        "https://exa mple.com/",
        "",
    ] {
        let err = register_refused(&register_with(&format!(r#""endpoint": "{endpoint}""#)));
        assert_refused(&err, ErrorKind::InvalidField, &["`endpoint`"]);
    }
    let err = register_refused(&register_with(
        r#""endpoint": "https://e.example/\r\nX: 1""#,
    ));
    assert_refused(&err, ErrorKind::InvalidField, &["`endpoint`"]);
    let err = register_refused(&register_with(r#""endpoint": 443"#));
    assert_refused(&err, ErrorKind::Malformed, &["endpoint: invalid type"]);
}

#[test]
fn register_headers_are_a_string_map_with_valid_names_and_values() {
    for (headers, field) in [
        (r#"{"x-header1": 5}"#, "`headers.x-header1`"),
        (r#"{"x-header1": null}"#, "`headers.x-header1`"),
        (r#"{"x-header1": ["v"]}"#, "`headers.x-header1`"),
        (r#"{"x-header1": {"v": 1}}"#, "`headers.x-header1`"),
        (r#"{"ok": "v", "Bad Name": "v"}"#, "`headers.Bad Name`"),
        (r#"{"Bad:Name": "v"}"#, "`headers.Bad:Name`"),
        (r#"{"": "v"}"#, "`headers.`"),
        (r#"{"Bad\r\nName": "v"}"#, r"`headers.Bad\r\nName`"),
        (r#"{"X-Split": "v\r\nX-Evil: 1"}"#, "`headers.X-Split`"),
        (r#"{"X-Split": "v\nX-Evil: 1"}"#, "`headers.X-Split`"),
        (r#"{"X-Nul": "v\u0000"}"#, "`headers.X-Nul`"),
    ] {
        let err = register_refused(&register_with(&format!(r#""headers": {headers}"#)));
        assert_refused(&err, ErrorKind::InvalidField, &[field]);
    }
    let deep = nested_arrays(10_000);
    let err = register_refused(&register_with(&format!(r#""headers": {{"X": {deep}}}"#)));
    assert_refused(&err, ErrorKind::InvalidField, &["`headers.X`"]);
    // The page's words say "Array of key-value pairs"; only the object it shows is read.
    for headers in [r#"[["x-header1", "value1"]]"#, r#""x-header1: value1""#] {
        let err = register_refused(&register_with(&format!(r#""headers": {headers}"#)));
        assert_refused(&err, ErrorKind::Malformed, &["headers", "JSON object"]);
    }
}

#[test]
fn register_agentactionspermitted_keys_and_values() {
    for key in [
        "park",
        "Hold",
        "RELEASE",
        "retrieve",
        "transfer_to_agent",
        "",
    ] {
        let err = register_refused(&register_with(&format!(
            r#""agentactionspermitted": {{"release": 1, "{key}": 1}}"#
        )));
        assert_refused(
            &err,
            ErrorKind::Unsupported,
            &["agentactionspermitted", &format!("`{key}`")],
        );
    }
    let deep = nested_arrays(10_000);
    for value in [
        "2", "-1", "1.0", "256", r#""1""#, "true", "null", "[1]", &deep,
    ] {
        let err = register_refused(&register_with(&format!(
            r#""agentactionspermitted": {{"hold": {value}}}"#
        )));
        assert_refused(
            &err,
            ErrorKind::InvalidField,
            &["`agentactionspermitted.hold`", "0 or 1"],
        );
    }
    let err = register_refused(&register_with(r#""agentactionspermitted": [{"hold": 1}]"#));
    assert_refused(
        &err,
        ErrorKind::Malformed,
        &["agentactionspermitted", "JSON object"],
    );
}

#[test]
fn register_accepts_zero_and_absent_permissions() {
    let (_, settings) =
        decode_register(register_with(r#""agentactionspermitted": {"release": 0}"#).as_bytes())
            .unwrap();
    assert!(!settings.permissions.allows(Permission::Release));
    assert!(!settings.permissions.allows(Permission::Hold));
    let (_, settings) =
        decode_register(br#"{"provider": "P", "agentactionspermitted": null}"#).unwrap();
    assert_eq!(
        settings.permissions,
        interaction_core::Permissions::defaults()
    );
}

// ---- Callbacks ----

fn callbacks_refused(body: &str) -> Error {
    decode_callbacks(body.as_bytes()).expect_err(body)
}

/// The body is read, and its single element is refused.
fn element_refused(element: &str) -> (interaction_vcc::CallbackItem, Error) {
    let mut items = decode_callbacks(format!("[{element}]").as_bytes()).unwrap();
    assert_eq!(items.len(), 1);
    let item = items.remove(0);
    let err = item.result.clone().expect_err(element);
    (item, err)
}

/// The vendor's AssignToAgent element with `member` replaced or added.
fn assign_with(member: &str) -> String {
    format!(
        r#"{{"notification": "AssignToAgent", "objectid": "88381694", "notificationid": "n1", "params": {{"AccountName": "A", "Agent": "U", "AgentId": "5464"}}, {member}}}"#
    )
}

#[test]
fn callback_body_not_json_not_an_array_or_empty() {
    for body in ["", "[", "nope"] {
        assert_refused(
            &callbacks_refused(body),
            ErrorKind::Malformed,
            &["callback body"],
        );
    }
    // A single notification object, without the array around it.
    let single = String::from_utf8(fixture("callback-release.json")).unwrap();
    let single = single.trim().trim_start_matches('[').trim_end_matches(']');
    for body in [single, "null", "5", r#""Release""#] {
        let err = callbacks_refused(body);
        assert_refused(&err, ErrorKind::Malformed, &["callback body", "JSON array"]);
    }
    assert_refused(
        &callbacks_refused("[]"),
        ErrorKind::InvalidField,
        &["`callback`"],
    );
}

#[test]
fn callback_element_not_an_object() {
    for element in [
        "5",
        "[]",
        "null",
        r#""AssignToAgent""#,
        &nested_arrays(100_000),
    ] {
        let (item, err) = element_refused(element);
        assert_refused(&err, ErrorKind::Malformed, &["[0]", "JSON object"]);
        assert_eq!(item.action, "");
        assert_eq!(item.objectid, None);
    }
}

#[test]
fn callback_unknown_notification() {
    for name in [
        "Hold",
        "assigntoagent",
        "ASSIGNTOAGENT",
        "release",
        "Assign",
        "",
    ] {
        let (item, err) = element_refused(&assign_with(&format!(r#""notification": "{name}""#)));
        assert_refused(
            &err,
            ErrorKind::Unsupported,
            &["notification", &format!("`{name}`")],
        );
        assert_eq!(item.action, name, "the raw notification value");
        assert_eq!(item.objectid.as_deref(), Some("88381694"));
    }
}

#[test]
fn callback_required_members() {
    for (element, field) in [
        (
            r#"{"objectid": "1", "notificationid": "n", "params": {"AccountName": "A"}}"#,
            "`notification`",
        ),
        (
            r#"{"notification": "Release", "notificationid": "n", "params": {"AccountName": "A"}}"#,
            "`objectid`",
        ),
        (
            r#"{"notification": "Release", "objectid": "", "notificationid": "n", "params": {"AccountName": "A"}}"#,
            "`objectid`",
        ),
        (
            r#"{"notification": "Release", "objectid": "1", "params": {"AccountName": "A"}}"#,
            "`notificationid`",
        ),
        (
            r#"{"notification": "Release", "objectid": "1", "notificationid": "", "params": {"AccountName": "A"}}"#,
            "`notificationid`",
        ),
        (
            r#"{"notification": "Release", "objectid": "1", "notificationid": "n"}"#,
            "`params`",
        ),
        (
            r#"{"notification": "Release", "objectid": "1", "notificationid": "n", "params": {}}"#,
            "`params.AccountName`",
        ),
        (
            r#"{"notification": "AssignToAgent", "objectid": "1", "notificationid": "n", "params": {"AccountName": "A"}}"#,
            "`params.AgentId`",
        ),
        (
            r#"{"notification": "AssignToAgent", "objectid": "1", "notificationid": "n", "params": {"AccountName": "A", "AgentId": ""}}"#,
            "`params.AgentId`",
        ),
        (
            r#"{"notification": "AssignToAgent", "objectid": "1", "notificationid": "n", "params": {"AccountName": "A", "AgentId": null, "Agent": null}}"#,
            "`params.AgentId`",
        ),
    ] {
        let (_, err) = element_refused(element);
        assert_refused(&err, ErrorKind::MissingField, &[field]);
    }
    let (item, _) = element_refused(r#"{"objectid": "1"}"#);
    assert_eq!(item.action, "", "no notification, no action");
}

#[test]
fn callback_members_of_the_wrong_type_name_their_path() {
    for (member, path) in [
        (
            r#""notification": 1"#,
            "[0].notification: invalid type: integer",
        ),
        (
            r#""objectid": 88381694"#,
            "[0].objectid: invalid type: integer `88381694`, expected a string",
        ),
        (
            r#""notificationid": {}"#,
            "[0].notificationid: invalid type: map",
        ),
        (
            r#""params": ["A"]"#,
            "[0].params: expected a JSON object, got an array",
        ),
        (
            r#""params": {"AccountName": 5}"#,
            "[0].params.AccountName: invalid type: integer",
        ),
        (
            r#""params": {"AccountName": "A", "AgentId": 5464}"#,
            "[0].params.AgentId: invalid type: integer",
        ),
        (
            r#""params": {"AccountName": "A", "Agent": true}"#,
            "[0].params.Agent: invalid type: boolean",
        ),
    ] {
        let (_, err) = element_refused(&assign_with(member));
        assert_refused(&err, ErrorKind::Malformed, &[path]);
    }
    let (item, _) = element_refused(&assign_with(r#""notification": ["AssignToAgent"]"#));
    assert_eq!(
        item.action, r#"["AssignToAgent"]"#,
        "a non-string as its JSON text"
    );
}

#[test]
fn callback_ids_too_long_or_with_control_characters() {
    let long = "x".repeat(LONG);
    for (member, field) in [
        (format!(r#""objectid": "{long}""#), "`objectid`"),
        (r#""objectid": "8838\u00001694""#.to_owned(), "`objectid`"),
        (
            format!(r#""notificationid": "{}""#, "n".repeat(257)),
            "`notificationid`",
        ),
        (r#""notificationid": "n\tn""#.to_owned(), "`notificationid`"),
        (
            format!(r#""params": {{"AccountName": "A", "AgentId": "{long}"}}"#),
            "`params.AgentId`",
        ),
        (
            r#""params": {"AccountName": "A", "Agent": "a\u0085b"}"#.to_owned(),
            "`params.Agent`",
        ),
        (
            format!(r#""params": {{"AccountName": "{long}", "AgentId": "1"}}"#),
            "`params.AccountName`",
        ),
    ] {
        let (_, err) = element_refused(&assign_with(&member));
        assert_refused(&err, ErrorKind::InvalidField, &[field]);
    }
}

#[test]
fn callback_agent_falls_back_to_the_user_name() {
    let items = decode_callbacks(
        br#"[{"notification": "AssignToAgent", "objectid": "1", "notificationid": "n",
              "params": {"AccountName": "A", "Agent": "InsightsAgentEMEA"}}]"#,
    )
    .unwrap();
    let input = items[0].result.as_ref().unwrap();
    assert_eq!(input.action.agent().unwrap().as_str(), "InsightsAgentEMEA");
}

#[test]
fn each_callback_element_is_decoded_on_its_own() {
    let body = format!(
        "[{}, {}, {}, {}]",
        assign_with(r#""objectid": "a""#),
        assign_with(r#""notification": "Transfer""#),
        nested_arrays(10_000),
        assign_with(&format!(
            r#""params": {{"AccountName": "A", "AgentId": {}}}"#,
            nested_objects(10_000)
        )),
    );
    let items = decode_callbacks(body.as_bytes()).unwrap();
    assert_eq!(items.len(), 4);
    assert!(items[0].result.is_ok());
    assert_eq!(
        items[1].result.as_ref().unwrap_err().kind(),
        ErrorKind::Unsupported
    );
    assert_refused(
        items[2].result.as_ref().unwrap_err(),
        ErrorKind::Malformed,
        &["[2]"],
    );
    assert_refused(
        items[3].result.as_ref().unwrap_err(),
        ErrorKind::Malformed,
        &["[3].params.AgentId"],
    );
}
