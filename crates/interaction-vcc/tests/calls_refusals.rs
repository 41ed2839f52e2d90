//! Every Calls API request rule (vcc-calls.txt, "Returns HTTP Status Code 400"; MODEL.md
//! section 6, "VCC Calls"): a body that breaks only that rule is refused with the error kind,
//! a message naming the field, and the page's `{"message": ...}` in a 400; the limit itself is
//! accepted. Bad input never panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_refused, nested_arrays};
use interaction_core::{Callee, Caller, ErrorKind};
use interaction_vcc::calls::messages;
use interaction_vcc::{Consent, PlaceCall, calls_response, decode_call};
use serde_json::json;

/// A valid body with `from`, `to` and the top-level `extra` members (JSON text, without braces).
fn body(from: &str, to: &str, extra: &str) -> String {
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(", {extra}")
    };
    format!(r#"{{"from": {{{from}}}, "to": {{{to}}}{extra}}}"#)
}

const FROM: &str = r#""agentId": "1234""#;
const TO: &str = r#""telephoneNumber": "02072068888""#;

fn accepted(body: &str) -> PlaceCall {
    decode_call(body.as_bytes()).unwrap_or_else(|e| panic!("{body}: {e}"))
}

/// `body` is refused with `kind`, an error naming `field`, and a 400 carrying `message`.
#[track_caller]
fn refused(body: &str, kind: ErrorKind, field: &str, message: &str) {
    let err = decode_call(body.as_bytes()).expect_err(body);
    assert_refused(&err, kind, &[&format!("`{field}`")]);
    assert_eq!(
        calls_response(Err(&err)),
        (400, json!({ "message": message })),
        "{body}"
    );
}

// ---- from ----

#[test]
fn from_a_telephone_number_is_not_supported() {
    for from in [
        r#""telephoneNumber": "02072068888""#,
        r#""agentId": "1234", "telephoneNumber": "02072068888""#,
    ] {
        refused(
            &body(from, TO, ""),
            ErrorKind::InvalidField,
            "from.telephoneNumber",
            messages::TELEPHONE_NUMBER_NOT_SUPPORTED,
        );
    }
    // Empty counts as absent.
    accepted(&body(r#""agentId": "1234", "telephoneNumber": """#, TO, ""));
}

#[test]
fn from_an_agent_or_groups_not_both() {
    refused(
        &body(r#""agentId": "1234", "groups": ["030"]"#, TO, ""),
        ErrorKind::InvalidField,
        "from",
        messages::FROM_NOT_BOTH,
    );
    // An empty agentId, or an empty list of groups, is no selector: not "both".
    let call = accepted(&body(r#""agentId": "", "groups": ["030"]"#, TO, ""));
    assert!(matches!(call.from, Caller::Groups(_)));
    let call = accepted(&body(r#""agentId": "1234", "groups": []"#, TO, ""));
    assert!(matches!(call.from, Caller::Agent(_)));
}

#[test]
fn from_an_agent_or_groups_not_neither() {
    for from in [
        "",
        r#""agentId": """#,
        r#""agentId": null"#,
        r#""groups": []"#,
        r#""groups": null"#,
        r#""presentedCLID": "08008888888", "consent": "OneParty""#,
        r#""agentid": "1234""#,
    ] {
        refused(
            &body(from, TO, ""),
            ErrorKind::MissingField,
            "from",
            messages::AGENT_ID_REQUIRED,
        );
    }
    for no_from in [
        format!(r#"{{"to": {{{TO}}}}}"#),
        format!(r#"{{"from": null, "to": {{{TO}}}}}"#),
    ] {
        refused(
            &no_from,
            ErrorKind::MissingField,
            "from",
            messages::AGENT_ID_REQUIRED,
        );
    }
}

#[test]
fn agent_ids_have_at_most_11_digits() {
    accepted(&body(r#""agentId": "12345678901""#, TO, ""));
    accepted(&body(FROM, r#""agentId": "12345678901""#, ""));
    refused(
        &body(r#""agentId": "123456789012""#, TO, ""),
        ErrorKind::InvalidField,
        "from.agentId",
        messages::AGENT_ID_TOO_LONG,
    );
    refused(
        &body(FROM, r#""agentId": "123456789012""#, ""),
        ErrorKind::InvalidField,
        "to.agentId",
        messages::AGENT_ID_TOO_LONG,
    );
    // The length is checked before the characters.
    refused(
        &body(r#""agentId": "abcdefghijkl""#, TO, ""),
        ErrorKind::InvalidField,
        "from.agentId",
        messages::AGENT_ID_TOO_LONG,
    );
    // Characters, not bytes: six two-byte Arabic-Indic digits are not too long, but not ASCII
    // digits either.
    refused(
        &body(&format!(r#""agentId": "{}""#, "١".repeat(6)), TO, ""),
        ErrorKind::InvalidField,
        "from.agentId",
        messages::AGENT_ID_NOT_DIGITS,
    );
}

#[test]
fn agent_ids_are_digits_only() {
    for id in ["12a4", "-1", " 1", "1 ", "+44", "1.5", "١٢٣", "0x1F"] {
        refused(
            &body(&format!(r#""agentId": "{id}""#), TO, ""),
            ErrorKind::InvalidField,
            "from.agentId",
            messages::AGENT_ID_NOT_DIGITS,
        );
        refused(
            &body(FROM, &format!(r#""agentId": "{id}""#), ""),
            ErrorKind::InvalidField,
            "to.agentId",
            messages::AGENT_ID_NOT_DIGITS,
        );
    }
    // Leading zeros are digits; the id is kept verbatim.
    let call = accepted(&body(r#""agentId": "0042""#, TO, ""));
    assert!(matches!(&call.from, Caller::Agent(a) if a.as_str() == "0042"));
}

#[test]
fn groups_are_ids() {
    refused(
        &body(r#""groups": ["030", ""]"#, TO, ""),
        ErrorKind::MissingField,
        "from.groups[1]",
        "missing required field `from.groups[1]`",
    );
    refused(
        &body(r#""groups": ["03\u00070"]"#, TO, ""),
        ErrorKind::InvalidField,
        "from.groups[0]",
        "invalid `from.groups[0]`: contains a control character",
    );
    let long = "g".repeat(257);
    let err =
        decode_call(body(&format!(r#""groups": ["{long}"]"#), TO, "").as_bytes()).unwrap_err();
    assert_refused(&err, ErrorKind::InvalidField, &["`from.groups[0]`"]);
}

#[test]
fn a_presented_clid_is_a_telephone_number() {
    let call = accepted(&body(
        r#""agentId": "1234", "presentedCLID": "+44 1256 636451""#,
        TO,
        "",
    ));
    assert_eq!(call.presented_clid.as_deref(), Some("+44 1256 636451"));
    let thirty = "1".repeat(30);
    accepted(&body(
        &format!(r#""agentId": "1", "presentedCLID": "{thirty}""#),
        TO,
        "",
    ));
    for clid in ["withheld", "0800x", &"1".repeat(31)] {
        refused(
            &body(
                &format!(r#""agentId": "1", "presentedCLID": "{clid}""#),
                TO,
                "",
            ),
            ErrorKind::InvalidField,
            "from.presentedCLID",
            messages::PRESENTED_CLID_INVALID,
        );
    }
}

#[test]
fn consent_is_one_of_three_values() {
    for value in ["Unknown", "OneParty", "TwoParty"] {
        let call = accepted(&body(
            &format!(r#"{FROM}, "consent": "{value}""#),
            &format!(r#"{TO}, "consent": "{value}""#),
            "",
        ));
        assert_eq!(call.from_consent.map(Consent::name), Some(value));
        assert_eq!(call.to_consent.map(Consent::name), Some(value));
    }
    for value in ["oneparty", "ONEPARTY", "Both", "None", " OneParty"] {
        refused(
            &body(&format!(r#"{FROM}, "consent": "{value}""#), TO, ""),
            ErrorKind::InvalidField,
            "from.consent",
            messages::CONSENT_INVALID,
        );
        refused(
            &body(FROM, &format!(r#"{TO}, "consent": "{value}""#), ""),
            ErrorKind::InvalidField,
            "to.consent",
            messages::CONSENT_INVALID,
        );
    }
}

// ---- to ----

#[test]
fn to_a_number_or_an_agent_not_both() {
    refused(
        &body(
            FROM,
            r#""telephoneNumber": "02072068888", "agentId": "4567""#,
            "",
        ),
        ErrorKind::InvalidField,
        "to",
        messages::TO_NOT_BOTH,
    );
    let call = accepted(&body(
        FROM,
        r#""telephoneNumber": "", "agentId": "4567""#,
        "",
    ));
    assert!(matches!(call.to, Callee::Agent(_)));
}

#[test]
fn to_a_number_or_an_agent_not_neither() {
    for to in [
        "",
        r#""telephoneNumber": """#,
        r#""telephoneNumber": null, "agentId": null"#,
        r#""consent": "OneParty""#,
        r#""groups": ["030"]"#,
    ] {
        refused(
            &body(FROM, to, ""),
            ErrorKind::MissingField,
            "to",
            messages::TO_REQUIRED,
        );
    }
    refused(
        &format!(r#"{{"from": {{{FROM}}}}}"#),
        ErrorKind::MissingField,
        "to",
        messages::TO_REQUIRED,
    );
}

#[test]
fn telephone_numbers_have_at_most_30_characters() {
    let thirty = "1".repeat(30);
    let call = accepted(&body(
        FROM,
        &format!(r#""telephoneNumber": "{thirty}""#),
        "",
    ));
    assert!(matches!(&call.to, Callee::Number(n) if n.as_str() == thirty));
    for number in ["1".repeat(31), format!("+{thirty}"), "x".repeat(31)] {
        refused(
            &body(FROM, &format!(r#""telephoneNumber": "{number}""#), ""),
            ErrorKind::InvalidField,
            "to.telephoneNumber",
            messages::TELEPHONE_NUMBER_TOO_LONG,
        );
    }
    // Characters, not bytes: 30 Arabic-Indic digits (60 bytes) pass the length rule, then
    // fail the characters rule.
    refused(
        &body(
            FROM,
            &format!(r#""telephoneNumber": "{}""#, "٣".repeat(30)),
            "",
        ),
        ErrorKind::InvalidField,
        "to.telephoneNumber",
        messages::NUMBER_INVALID,
    );
}

#[test]
fn telephone_numbers_are_numbers() {
    for number in [
        "+442072068888",
        "020 7206 8888",
        "(020) 7206-8888",
        "020.7206.8888",
    ] {
        accepted(&body(
            FROM,
            &format!(r#""telephoneNumber": "{number}""#),
            "",
        ));
    }
    for number in ["abc", "0207x", "+", "++44", "0207#", "sip:1@x", "tel:+44"] {
        refused(
            &body(FROM, &format!(r#""telephoneNumber": "{number}""#), ""),
            ErrorKind::InvalidField,
            "to.telephoneNumber",
            messages::NUMBER_INVALID,
        );
    }
}

// ---- regarding, application ----

#[test]
fn references_have_at_most_2000_characters() {
    let max = "r".repeat(2000);
    let call = accepted(&body(
        FROM,
        TO,
        &format!(r#""regarding": {{"reference": "{max}"}}"#),
    ));
    assert_eq!(call.reference.as_deref(), Some(max.as_str()));
    refused(
        &body(
            FROM,
            TO,
            &format!(r#""regarding": {{"reference": "{max}r"}}"#),
        ),
        ErrorKind::InvalidField,
        "regarding.reference",
        messages::REFERENCE_TOO_LONG,
    );
    // Characters, not bytes: 1001 two-byte characters pass the length rule, then fail the
    // characters rule.
    refused(
        &body(
            FROM,
            TO,
            &format!(r#""regarding": {{"reference": "{}"}}"#, "é".repeat(1001)),
        ),
        ErrorKind::InvalidField,
        "regarding.reference",
        messages::REFERENCE_INVALID,
    );
}

#[test]
fn references_are_alphanumeric_or_a_url() {
    for reference in [
        "0012400000ATTUQ",
        "http://Test.com",
        "https://example.com/a/b?c=d&e=%20f#g",
        "urn:uuid:017db4a2-44b5",
    ] {
        accepted(&body(
            FROM,
            TO,
            &format!(r#""regarding": {{"reference": "{reference}"}}"#),
        ));
    }
    for reference in [
        "two words",
        "caf\u{e9}",
        "<script>",
        "a\\b",
        "{x}",
        "a|b",
        "\u{7}",
    ] {
        let reference = serde_json::to_string(reference).unwrap();
        refused(
            &body(
                FROM,
                TO,
                &format!(r#""regarding": {{"reference": {reference}}}"#),
            ),
            ErrorKind::InvalidField,
            "regarding.reference",
            messages::REFERENCE_INVALID,
        );
    }
    // No reference: nothing to check.
    for regarding in [
        r#""regarding": {}"#,
        r#""regarding": {"reference": ""}"#,
        r#""regarding": null"#,
    ] {
        assert_eq!(accepted(&body(FROM, TO, regarding)).reference, None);
    }
}

#[test]
fn applications_have_at_most_32_characters() {
    let max = "A".repeat(32);
    let call = accepted(&body(FROM, TO, &format!(r#""application": "{max}""#)));
    assert_eq!(call.application.as_deref(), Some(max.as_str()));
    refused(
        &body(FROM, TO, &format!(r#""application": "{max}A""#)),
        ErrorKind::InvalidField,
        "application",
        messages::APPLICATION_TOO_LONG,
    );
    // The length is checked before the characters.
    refused(
        &body(
            FROM,
            TO,
            &format!(r#""application": "{}""#, "a b".repeat(11)),
        ),
        ErrorKind::InvalidField,
        "application",
        messages::APPLICATION_TOO_LONG,
    );
    // Characters, not bytes.
    refused(
        &body(FROM, TO, &format!(r#""application": "{}""#, "é".repeat(17))),
        ErrorKind::InvalidField,
        "application",
        messages::APPLICATION_NOT_ALPHANUMERIC,
    );
}

#[test]
fn applications_are_alphanumeric() {
    for app in ["Test App", "app-1", "app_1", "app\u{e9}", "app.", "\u{661}"] {
        refused(
            &body(FROM, TO, &format!(r#""application": "{app}""#)),
            ErrorKind::InvalidField,
            "application",
            messages::APPLICATION_NOT_ALPHANUMERIC,
        );
    }
    assert_eq!(
        accepted(&body(FROM, TO, r#""application": """#)).application,
        None
    );
}

// ---- the order of checks ----

#[test]
fn from_then_to_then_regarding_then_application() {
    let bad_from = r#""agentId": "x""#;
    let bad_to = r#""telephoneNumber": "x""#;
    let bad_regarding = r#""regarding": {"reference": "a b"}"#;
    let bad_app = r#""application": "a b""#;
    let all_bad = format!("{bad_regarding}, {bad_app}");
    refused(
        &body(bad_from, bad_to, &all_bad),
        ErrorKind::InvalidField,
        "from.agentId",
        messages::AGENT_ID_NOT_DIGITS,
    );
    refused(
        &body(FROM, bad_to, &all_bad),
        ErrorKind::InvalidField,
        "to.telephoneNumber",
        messages::NUMBER_INVALID,
    );
    refused(
        &body(FROM, TO, &all_bad),
        ErrorKind::InvalidField,
        "regarding.reference",
        messages::REFERENCE_INVALID,
    );
}

// ---- JSON types ----

#[test]
fn the_wrong_json_type_is_malformed_naming_the_path() {
    for (text, path) in [
        ("", "Calls body"),
        ("{", "Calls body"),
        ("[]", "Calls body"),
        ("null", "Calls body"),
        (r#""call""#, "Calls body"),
        (r#"{"from": "1234", "to": {}}"#, "from"),
        (r#"{"from": {"agentId": 1234}, "to": {}}"#, "from.agentId"),
        (r#"{"from": {"groups": "030"}, "to": {}}"#, "from.groups"),
        (
            r#"{"from": {"groups": ["030", 200]}, "to": {}}"#,
            "from.groups[1]",
        ),
        (
            r#"{"from": {"agentId": "1", "consent": true}, "to": {}}"#,
            "from.consent",
        ),
        (
            r#"{"from": {"agentId": "1", "presentedCLID": 8}, "to": {}}"#,
            "from.presentedCLID",
        ),
        (r#"{"from": {"agentId": "1"}, "to": []}"#, "to"),
        (
            r#"{"from": {"agentId": "1"}, "to": {"telephoneNumber": 2072068888}}"#,
            "to.telephoneNumber",
        ),
        (
            r#"{"from": {"agentId": "1"}, "to": {"agentId": 4567}}"#,
            "to.agentId",
        ),
        (
            r#"{"from": {"agentId": "1"}, "to": {"agentId": "4567"}, "regarding": "x"}"#,
            "regarding",
        ),
        (
            r#"{"from": {"agentId": "1"}, "to": {"agentId": "4567"}, "regarding": {"reference": 1}}"#,
            "regarding.reference",
        ),
        (
            r#"{"from": {"agentId": "1"}, "to": {"agentId": "4567"}, "application": ["a"]}"#,
            "application",
        ),
    ] {
        let err = decode_call(text.as_bytes()).expect_err(text);
        assert_refused(&err, ErrorKind::Malformed, &[path]);
        let (status, response) = calls_response(Err(&err));
        assert_eq!(status, 400);
        assert_eq!(response["message"], err.to_string());
    }
    let err = decode_call(b"{\"from\": \"\xff\"}").unwrap_err();
    assert_refused(&err, ErrorKind::Malformed, &["Calls body"]);
}

#[test]
fn unknown_members_are_ignored_at_any_depth() {
    let deep = nested_arrays(10_000);
    let call = accepted(&body(
        &format!(r#"{FROM}, "future": {deep}"#),
        &format!(r#"{TO}, "extension": "12""#),
        &format!(r#""priority": {deep}"#),
    ));
    assert!(matches!(call.to, Callee::Number(_)));
    // A deep value where a string belongs is refused, not a stack overflow.
    let err =
        decode_call(body(FROM, TO, &format!(r#""application": {deep}"#)).as_bytes()).unwrap_err();
    assert_refused(&err, ErrorKind::Malformed, &["application"]);
}

#[test]
fn duplicate_members_take_the_last() {
    let call = accepted(
        r#"{"from": {"agentId": "1", "agentId": "2"}, "to": {"agentId": "3"}, "to": {"telephoneNumber": "4"}}"#,
    );
    assert!(matches!(&call.from, Caller::Agent(a) if a.as_str() == "2"));
    assert!(matches!(&call.to, Callee::Number(n) if n.as_str() == "4"));
}
