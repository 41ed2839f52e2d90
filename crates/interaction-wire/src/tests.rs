//! The plumbing's own tests: paths in messages, `null` and duplicates, kinds, user data, and
//! what a body that is not an object gets.

use super::*;
use interaction_core::Value;

fn raw(text: &str) -> &RawValue {
    serde_json::from_str(text).unwrap()
}

// From interaction-vcc (with interaction-gws's copy's data as a second case).
#[test]
fn member_type_errors_name_the_path_without_a_misleading_position() {
    let obj = Object::parse(raw(r#"{"route": 5}"#), "requests[1]".into()).unwrap();
    let err = obj.get::<String>("route").unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: requests[1].route: invalid type: integer `5`, expected a string"
    );
    let obj = Object::parse(raw(r#"{"state": 5}"#), "data.workitem".into()).unwrap();
    let err = obj.get::<String>("state").unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: data.workitem.state: invalid type: integer `5`, expected a string"
    );
}

// From interaction-anywhere365: a whole body's members are named bare.
#[test]
fn member_type_errors_name_the_member_without_a_misleading_position() {
    let obj = Object::body(br#"{"ImAddress": 5}"#, "event body").unwrap();
    let err = obj.get::<String>("ImAddress").unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: ImAddress: invalid type: integer `5`, expected a string"
    );
}

// From interaction-vcc, interaction-gws and interaction-anywhere365 (which read it from bytes).
#[test]
fn null_reads_as_absent_and_the_last_duplicate_wins() {
    let obj = Object::parse(raw(r#"{"a": 1, "a": 2, "b": null}"#), String::new()).unwrap();
    assert_eq!(obj.get::<u8>("a").unwrap(), Some(2));
    assert_eq!(obj.get::<String>("b").unwrap(), None);
    assert_eq!(obj.path_of("b"), "b");
    let obj = Object::body(br#"{"a": 1, "a": 2, "b": null}"#, "body").unwrap();
    assert_eq!(obj.get::<u8>("a").unwrap(), Some(2));
    assert_eq!(obj.get::<String>("b").unwrap(), None);
}

#[test]
fn printable_escapes_and_shortens() {
    assert_eq!(printable("a\r\nb"), "a\\r\\nb");
    assert_eq!(printable(&"x".repeat(100)).chars().count(), 65);
}

#[test]
fn kinds_in_words() {
    assert_eq!(Kind::of(raw("[1]")).to_string(), "an array");
    assert_eq!(Kind::of(raw("\"s\"")).to_string(), "a string");
    assert_eq!(Kind::of(raw("-1")).to_string(), "a number");
    assert_eq!(Kind::of(raw("true")).to_string(), "a boolean");
    assert_eq!(Kind::of(raw("null")).to_string(), "null");
    assert_eq!(Kind::of(raw("{}")).to_string(), "an object");
}

// From interaction-gws.
#[test]
fn user_data_keeps_nested_values_and_refuses_what_is_not_an_object() {
    let obj = Object::top(
        raw(r#"{"userData": {"a": 1, "b": {"c": [true]}}, "bad": [1]}"#),
        "body",
    )
    .unwrap();
    let user_data = |name: &str| obj.raw(name).map(|raw| raw.user_data("", name)).transpose();
    let data = user_data("userData").unwrap().unwrap();
    assert_eq!(
        data.get("a"),
        Some(&Value::Number(interaction_core::Number::from_u64(1)))
    );
    assert!(matches!(data.get("b"), Some(Value::Object(_))));
    let err = user_data("bad").unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: bad: expected a JSON object, got an array"
    );
    assert_eq!(user_data("absent").unwrap(), None);
}

#[test]
fn user_data_too_deep_names_the_key_and_an_unread_deep_member_is_skipped() {
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    let body = format!(r#"{{"userData": {{"deep": {deep}}}, "other": {deep}, "id": "x"}}"#);
    let obj = Object::body(body.as_bytes(), "body").unwrap();
    assert_eq!(obj.get::<String>("id").unwrap().as_deref(), Some("x"));
    let err = obj
        .raw("userData")
        .unwrap()
        .user_data("", "userData")
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("malformed input: userData.deep: recursion limit exceeded"),
        "{err}"
    );
}

#[test]
fn a_body_that_is_not_json_or_not_an_object_is_refused_naming_it() {
    let err = Object::body(b"not json", "Invoke body").unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: Invoke body: expected ident at line 1 column 2"
    );
    let err = parse_body(b"\xff", "Invoke body").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("malformed input: Invoke body: "),
        "{err}"
    );
    let err = Object::body(br#""text""#, "command body").unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: command body: expected a JSON object, got a string"
    );
    let err = Object::parse(raw("[1]"), "requests[0]".into()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: requests[0]: expected a JSON object, got an array"
    );
}

#[test]
fn nested_objects_name_their_members_below_them() {
    let top = Object::body(br#"{"data": {"chat": {"id": 7}}, "list": [1]}"#, "body").unwrap();
    let data = top.object("data").unwrap().unwrap();
    let chat = data.object("chat").unwrap().unwrap();
    assert_eq!(chat.path_of("id"), "data.chat.id");
    let err = chat.get::<String>("id").unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: data.chat.id: invalid type: integer `7`, expected a string"
    );
    let err = top.object("list").unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: list: expected a JSON object, got an array"
    );
    assert!(top.object("absent").unwrap().is_none());
}

#[test]
fn members_come_in_order_with_duplicates_and_nulls() {
    let obj = Object::body(br#"{"b": 1, "a": null, "b": 2}"#, "body").unwrap();
    let members: Vec<(&str, &str)> = obj.members().map(|(k, v)| (k, v.get())).collect();
    assert_eq!(members, [("b", "1"), ("a", "null"), ("b", "2")]);
    assert_eq!(obj.raw("b").map(RawValue::get), Some("2"));
    assert!(obj.raw("a").is_none());
}

#[test]
fn join_names_members_below_their_parent_and_escapes_odd_names() {
    assert_eq!(join("", "route"), "route");
    assert_eq!(join("requests[0]", "route"), "requests[0].route");
    assert_eq!(join("headers", "a\nb"), "headers.a\\nb");
    assert_eq!(join("", &"k".repeat(70)), format!("{}…", "k".repeat(64)));
}

#[test]
fn entries_keep_order_and_duplicates_and_refuse_what_is_not_an_object() {
    let entries: Entries<u8> = serde_json::from_str(r#"{"z": 1, "a": 2, "z": 3}"#).unwrap();
    assert_eq!(
        entries.0,
        [
            ("z".to_owned(), 1),
            ("a".to_owned(), 2),
            ("z".to_owned(), 3)
        ]
    );
    let err = serde_json::from_str::<Entries<u8>>("[1]").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid type: sequence, expected a JSON object"),
        "{err}"
    );
}

#[test]
fn de_error_drops_serde_jsons_position_and_names_the_path() {
    let e = serde_json::from_str::<u8>("\"x\"").unwrap_err();
    assert!(e.to_string().ends_with(" at line 1 column 3"), "{e}");
    assert_eq!(
        de_error("a.b", &e).to_string(),
        "malformed input: a.b: invalid type: string \"x\", expected u8"
    );
}

#[test]
fn escaped_and_odd_names_are_found_and_named_as_before() {
    let obj = Object::body(br#"{"rout\u0065": 5, "a\nb": {"c": 1}}"#, "body").unwrap();
    let err = obj.get::<String>("route").unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: route: invalid type: integer `5`, expected a string"
    );
    let inner = obj.object("a\nb").unwrap().unwrap();
    let err = inner.get::<String>("c").unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: a\\nb.c: invalid type: integer `1`, expected a string"
    );
    let long = "x".repeat(70);
    let body = format!(r#"{{"{long}": {{"c": 1}}}}"#);
    let obj = Object::body(body.as_bytes(), "body").unwrap();
    let err = obj
        .object(&long)
        .unwrap()
        .unwrap()
        .get::<String>("c")
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("malformed input: {}….c: ", "x".repeat(64)))
    );
}

#[test]
fn a_body_that_is_not_an_object_gets_the_two_step_error() {
    for (body, message) in [
        (
            &b"[1]"[..],
            "malformed input: body: expected a JSON object, got an array",
        ),
        (
            b"{\"a\": 1} x",
            "malformed input: body: trailing characters at line 1 column 10",
        ),
        (
            b"{\"a\": }",
            "malformed input: body: expected value at line 1 column 7",
        ),
    ] {
        assert_eq!(Object::body(body, "body").unwrap_err().to_string(), message);
    }
}

#[test]
fn variants_mutate_every_value_and_member() {
    let all = variants(r#"{"a": {"b": "c"}}"#);
    let texts: Vec<String> = all
        .iter()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect();
    for expected in [
        r#"{"a": {"b": "c"}}"#,
        r#"[{"a": {"b": "c"}}]"#,
        r#"{"a": null}"#,
        r#"{"a": {"b": 5}}"#,
        r#"{"a": {}}"#,
        r#"{"a": {"b": "c"}, "a": null}"#,
        r#"{"a": null, "a": {"b": "c"}}"#,
        r#"{"a": {"b": "c"}, "a": {"b": "c"}}"#,
        r#"{"a": {"b": "c", "b": "c"}}"#,
        r#"{"\u0061": {"b": "c"}}"#,
        r#"{"a": {"\u0062": "c"}}"#,
        "{}",
    ] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected} not in {texts:#?}"
        );
    }
}

#[test]
fn object_only_refuses_an_array_for_a_struct() {
    #[derive(Debug, serde::Deserialize)]
    struct S {
        #[allow(dead_code)]
        a: Option<u8>,
    }
    assert!(serde_json::from_str::<S>("[1]").is_ok());
    assert!(serde_json::from_str::<ObjectOnly<S>>("[1]").is_err());
    assert!(serde_json::from_str::<ObjectOnly<S>>(r#"{"a": 1}"#).is_ok());
    assert!(typed::<ObjectOnly<S>>(b"{\"a\": 1, \"z\": \"\xff\"}").is_none());
}

/// User data longer than its bound is refused before it is read, by both reads.
#[test]
fn user_data_over_its_bound_is_refused_unread() {
    #[derive(serde::Deserialize)]
    struct Fast {
        #[serde(rename = "userData")]
        user_data: Option<crate::BoundedUserData>,
    }
    let n = interaction_core::MAX_USER_DATA_BYTES / 6 + 1;
    let members: Vec<String> = (0..n).map(|i| format!("\"{i}\":1e308")).collect();
    let body = format!("{{\"userData\": {{{}}}}}", members.join(","));
    let object = Object::body(body.as_bytes(), "body").unwrap();
    let err = object
        .raw("userData")
        .unwrap()
        .user_data("", "userData")
        .unwrap_err();
    assert_eq!(err.kind(), interaction_core::ErrorKind::InvalidField);
    assert!(
        err.to_string().starts_with("invalid `userData`: is "),
        "{err}"
    );
    assert!(typed::<ObjectOnly<Fast>>(body.as_bytes()).is_none());
    let small = br#"{"userData": {"a": 1e308}}"#;
    let ObjectOnly(fast) = typed::<ObjectOnly<Fast>>(small).unwrap();
    assert_eq!(fast.user_data.unwrap().0.len(), 1);
}

/// Quoted values go through the core's one escaping function.
#[test]
fn printable_escapes_format_characters_too() {
    assert_eq!(printable("a\u{202e}b\u{200b}"), "a\\u{202e}b\\u{200b}");
    assert_eq!(printable("\0"), "\\u{0}");
}

crate::members! {
    /// A body of one string member, for the tests of `read_body`.
    struct Probe<'a, M: crate::Mode> {
        "id" => id: M::Text<'a>,
    }
}

#[test]
fn an_object_no_pass_reads_is_refused_naming_the_body_or_the_element() {
    type Both<'a> = crate::Read<Probe<'a, crate::Fast>, Probe<'a, crate::Lax>>;
    let body = br#"{"\ud800": 1, "id": "x"}"#;
    let err = crate::read_body::<Probe<'_, crate::Fast>, Probe<'_, crate::Lax>>(body, "probe body")
        .map(|_: Both<'_>| ())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: probe body: unexpected end of hex escape"
    );
    let element: &RawValue = serde_json::from_str(r#"{"\ud800": 1}"#).unwrap();
    let err = crate::read_object::<Probe<'_, crate::Fast>, Probe<'_, crate::Lax>>(element, "[1]")
        .map(|_: Both<'_>| ())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed input: [1]: unexpected end of hex escape"
    );
    // A plain body reads in the fast pass, an escaped string in the lax one.
    assert!(matches!(
        crate::read_body::<Probe<'_, crate::Fast>, Probe<'_, crate::Lax>>(br#"{"id": "x"}"#, "b"),
        Ok(crate::Read::Fast(_))
    ));
    let lax = crate::read_body::<Probe<'_, crate::Fast>, Probe<'_, crate::Lax>>(
        br#"{"id": "\u0078"}"#,
        "b",
    );
    let Ok(crate::Read::Lax(probe)) = lax else {
        panic!("an escaped string reads in the lax pass");
    };
    assert_eq!(
        crate::text(probe.id.as_ref(), "id").unwrap().as_deref(),
        Some("x")
    );
}
