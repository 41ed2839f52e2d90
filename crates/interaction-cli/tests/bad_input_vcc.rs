//! Bad input, systematically: the VCC Interactions API (`docs/vcc.md`). For every field of the
//! Invoke envelope and request (with its `routingdata`), the Register body and the callback
//! element (with its `params`), a valid message from `docs/traces/vcc-day.jsonl` is mutated: the
//! field missing or `null`, of the wrong JSON type, over-long, holding control characters, an
//! unknown enum value. Each mutated message is replayed where the trace would apply the valid
//! one; it must give the documented outcome (a refusal of the documented kind whose message
//! names the field), never panic, leave the engine as it was, and leave the rest of the trace
//! replaying exactly as it does without it. `docs/bad-input.md` lists the table.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::bad_input::*;

use serde_json::{Value, json};

const DAY: &str = "docs/traces/vcc-day.jsonl";
const SECTION: &str = "vcc";

/// Known bugs: cases the table expects to fail, listed in docs/bad-input.md (none at present;
/// `assert_bugs` in common/bad_input.rs checks that each still fails).
const BUGS: &[Bug] = &[];

#[test]
fn every_field_of_every_vcc_wire_type() {
    assert_table(SECTION, &table(), BUGS);
}

#[test]
fn the_doc_lists_the_vcc_table() {
    check_doc(SECTION, &table(), BUGS);
}

fn table() -> Vec<Row> {
    let mut rows = invoke_rows();
    rows.extend(routing_rows());
    rows.extend(register_rows());
    rows.extend(callback_rows());
    rows
}

/// The Invoke envelope and one request: a dispatch (with a user-data member added to its
/// `routingdata`) and a release.
#[allow(
    clippy::too_many_lines,
    reason = "a table: its rows one after the other"
)]
fn invoke_rows() -> Vec<Row> {
    let dispatch = Base::new("Invoke dispatch (day:21)", DAY, 21)
        .set("/body/requests/0/routingdata/subject", json!("Case 20481"));
    let release = Base::new("Invoke release (day:17)", DAY, 17);
    vec![
        Row::new(&dispatch, "/path", "path", "trace `path`: a known endpoint")
            .values(
                &[json!("/interactions/Transfer"), json!("/v2/interactions/Invoke"), json!("/interactions"), json!("")],
                refused(UNSUPPORTED),
            )
            .values(&[json!("HTTPS://host.example.com/INTERACTIONS/invoke/?x=1")], Expect::Accepted)
            .controls_in("/interactions/Inv{}oke", refused(UNSUPPORTED)),
        id_row(&dispatch, "/body/provider", "provider", false, 256)
            .value(json!("NoSuchProvider"), refused("unknown_provider")),
        Row::new(&dispatch, "/body/requests", "requests", "list of requests, required")
            .missing(refused(MISSING))
            .wrong(&[json!({}), json!("dispatch"), json!(5)], refused(MALFORMED))
            .value(json!([]), refused(INVALID)),
        Row::new(&dispatch, "/body/requests/0", "requests[0]", "request object")
            .removed(refused_naming(INVALID, "requests"))
            .wrong(
                &[json!(5), json!("dispatch"), json!([]), Value::Null],
                refused(MALFORMED),
            ),
        Row::new(
            &dispatch,
            "/body/requests/0/action",
            "action",
            "enum dispatch|release, optional (dispatch)",
        )
        .missing(Expect::Accepted)
        .wrong_for_string()
        .values(
            &[json!(""), json!("Dispatch"), json!("DISPATCH"), json!("transfer"), json!("dispatch ")],
            refused(UNSUPPORTED),
        )
        .controls_in("dis{}patch", refused(UNSUPPORTED))
        .long("d".repeat(300), refused(UNSUPPORTED)),
        id_row(&dispatch, "/body/requests/0/requestid", "requestid", false, 256)
            .long("r".repeat(256), Expect::Accepted),
        // vcc-interactions-invoke.txt: "externalId is optional if action is dispatch".
        id_row(&dispatch, "/body/requests/0/externalid", "externalid", false, 256)
            .long("e".repeat(256), Expect::Accepted),
        id_row(&dispatch, "/body/requests/0/route", "route", true, 256)
            .long("n".repeat(256), Expect::Accepted),
        Row::new(&dispatch, "/body/requests/0/routingdata", "routingdata", "object, required (dispatch)")
            .missing(refused_naming(MISSING, "routingdata.interactiontype"))
            .value(json!({}), refused_naming(MISSING, "routingdata.interactiontype"))
            .wrong(&[json!(5), json!("nonlive"), json!(["nonlive"])], refused(MALFORMED)),
        Row::new(
            &dispatch,
            "/body/requests/0/routingdata/interactiontype",
            "routingdata.interactiontype",
            "enum live|nonlive|chat, required (dispatch)",
        )
        .missing(refused(MISSING))
        .empty(refused(MISSING))
        .wrong_for_string()
        .values(
            &[json!("email"), json!("Live"), json!("NONLIVE"), json!("voice"), json!("chat ")],
            refused(INVALID),
        )
        .controls_in("non{}live", refused(INVALID))
        .long("l".repeat(300), refused(INVALID)),
        Row::new(
            &dispatch,
            "/body/requests/0/routingdata/subject",
            "routingdata.subject",
            "user data: any JSON value, optional",
        )
        .missing(Expect::Accepted)
        .values(
            &[json!(5), json!(true), json!(["x"]), json!({"x": "y"})],
            Expect::Accepted,
        )
        .long("s".repeat(10_000), Expect::Accepted)
        .controls_in("a{}b", Expect::Accepted)
        .deep(refused(MALFORMED))
        .exempt("over-long and control characters: a user-data value is free JSON kept verbatim; no limit or character rule is documented"),
        // The release: the provider must be the dispatch's; the id must be known.
        id_row(&release, "/body/provider", "provider", false, 256)
            .removed(refused_naming("provider_mismatch", "provider"))
            .null(refused_naming("provider_mismatch", "provider"))
            .value(json!("ReleaseOnlyProvider"), refused_naming("provider_mismatch", "provider")),
        Row::new(&release, "/body/requests/0/action", "action", "enum dispatch|release")
            .removed(refused_naming(MISSING, "route"))
            .values(&[json!("Release"), json!("hangup")], refused(UNSUPPORTED)),
        // A release does not use the dispatch members; their JSON types are still checked.
        Row::new(&release, "/body/requests/0/route", "route", "name, not used by a release")
            .wrong_for_string()
            .long("n".repeat(257), Expect::Accepted)
            .controls_in("a{}b", Expect::Accepted)
            .exempt("over-long and control characters: a release does not use `route`; only its JSON type is checked"),
        Row::new(&release, "/body/requests/0/routingdata", "routingdata", "object, not used by a release")
            .wrong(&[json!(5), json!("nonlive")], refused(MALFORMED))
            .value(json!({"interactiontype": "email"}), Expect::Accepted)
            .value(json!({"interactiontype": 5}), refused_naming(MALFORMED, "routingdata.interactiontype")),
        id_row(&release, "/body/requests/0/requestid", "requestid", false, 256)
            .long("r".repeat(256), Expect::Accepted),
        id_row(&release, "/body/requests/0/externalid", "externalid", true, 256)
            .value(json!("no-such-interaction"), refused_naming("unknown_interaction", "no-such-interaction")),
    ]
}

/// A number of seconds (`loggedintimeout`, `loggedouttimeout`, `expiryafter`): optional, a
/// whole number from 0 to 4 294 967 295.
fn seconds_row(base: &Base, pointer: &str, field: &str) -> Row {
    Row::new(
        base,
        pointer,
        field,
        "seconds: a whole number 0..=4294967295, optional",
    )
    .missing(Expect::Accepted)
    .values(&[json!(0), json!(4_294_967_295_u64)], Expect::Accepted)
    .wrong(
        &[json!("20"), json!(true), json!([20]), json!({"s": 20})],
        refused(MALFORMED),
    )
    .values(
        &[
            json!(-1),
            json!(1.5),
            json!(20.0),
            json!(4_294_967_296_u64),
            json!(1e300),
        ],
        refused(INVALID),
    )
}

/// A dispatch's routing data (issue 13): `linkeddata`, `routingdata.personalqueue` and
/// `routingdata.skills`, on the Create inbound interaction page's "Full dispatch" sample and the
/// Requests page's sample (its `object` link with `owner` and `key`).
#[allow(
    clippy::too_many_lines,
    reason = "a table: its rows one after the other"
)]
fn routing_rows() -> Vec<Row> {
    let full = Base::new("Invoke full dispatch (day:32)", DAY, 32);
    let object = Base::new("Invoke with an object link (day:33)", DAY, 33);
    let link = json!({"type": "clid", "value": "1"});
    let skill = json!({"name": "s"});
    vec![
        Row::new(&full, "/body/requests/0/linkeddata", "linkeddata", "list of links, optional, <= 64, <= 64 KiB of JSON")
            .missing(Expect::Accepted)
            .value(json!([]), Expect::Accepted)
            .wrong(&[json!({}), json!("clid"), json!(5)], refused(MALFORMED))
            .case("64 links", Mutation::Set(json!(vec![link.clone(); 64])), Expect::Accepted)
            .case("65 links", Mutation::Set(json!(vec![link; 65])), refused(INVALID))
            .case(
                "70 028 bytes of JSON",
                Mutation::Set(json!([{"type": "clid", "value": "v".repeat(70_000)}])),
                refused(INVALID),
            ),
        Row::new(&full, "/body/requests/0/linkeddata/1", "linkeddata[1]", "link object")
            .removed(Expect::Accepted)
            .wrong(&[json!(5), json!("url"), json!([]), Value::Null], refused(MALFORMED)),
        id_row(&full, "/body/requests/0/linkeddata/1/type", "linkeddata[1].type", true, 256)
            .long("t".repeat(256), Expect::Accepted)
            // Any word is a type: the pages list none; an unknown one is kept as its text.
            .values(&[json!("crmcase"), json!("URL"), json!("web link")], Expect::Accepted),
        id_row(&full, "/body/requests/0/linkeddata/1/label", "linkeddata[1].label", false, 256)
            .long("l".repeat(256), Expect::Accepted),
        Row::new(&full, "/body/requests/0/linkeddata/1/value", "linkeddata[1].value", "any JSON, required; a string <= 2048 bytes, no control characters")
            .missing(refused(MISSING))
            .values(&[json!(5), json!(true), json!(["x"]), json!({"id": "x"}), json!("")], Expect::Accepted)
            .long(format!("https://vonage.com/{}", "a".repeat(2048 - 19)), Expect::Accepted)
            .long(format!("https://vonage.com/{}", "a".repeat(2049 - 19)), refused(INVALID))
            .controls_in("https://vonage.com/{}", refused(INVALID))
            .deep(refused(MALFORMED)),
        Row::new(&object, "/body/requests/0/linkeddata/2/value", "linkeddata[2].value", "an object link's value: any JSON")
            .values(&[json!({"id": "500ea8787a87s87s", "n": [1, 2.5]}), json!(500)], Expect::Accepted),
        Row::new(&object, "/body/requests/0/linkeddata/2/owner", "linkeddata[2].owner", "another member of a link: any JSON, kept")
            .missing(Expect::Accepted)
            .values(&[json!(5), json!(["x"]), json!({"x": "y"})], Expect::Accepted)
            .long("o".repeat(10_000), Expect::Accepted)
            .controls_in("a{}b", Expect::Accepted)
            .deep(refused_naming(MALFORMED, "linkeddata[2].owner"))
            .exempt("over-long and control characters: a link's other members are free JSON kept verbatim, bounded by the 64 KiB of `linkeddata`"),
        Row::new(&full, "/body/requests/0/routingdata/personalqueue", "routingdata.personalqueue", "object, optional")
            .missing(Expect::Accepted)
            .value(json!({}), refused_naming(MISSING, "routingdata.personalqueue.agent"))
            .wrong(&[json!("AgentUsername"), json!(5), json!(["AgentUsername"])], refused(MALFORMED)),
        id_row(&full, "/body/requests/0/routingdata/personalqueue/agent", "routingdata.personalqueue.agent", true, 256)
            .long("a".repeat(256), Expect::Accepted),
        seconds_row(&full, "/body/requests/0/routingdata/personalqueue/loggedintimeout", "routingdata.personalqueue.loggedintimeout"),
        seconds_row(&full, "/body/requests/0/routingdata/personalqueue/loggedouttimeout", "routingdata.personalqueue.loggedouttimeout"),
        Row::new(&full, "/body/requests/0/routingdata/skills", "routingdata.skills", "list of skills, optional, <= 64")
            .missing(Expect::Accepted)
            .value(json!([]), Expect::Accepted)
            .wrong(&[json!({}), json!("skillMandatory"), json!(5)], refused(MALFORMED))
            .case("64 skills", Mutation::Set(json!(vec![skill.clone(); 64])), Expect::Accepted)
            .case("65 skills", Mutation::Set(json!(vec![skill; 65])), refused(INVALID)),
        Row::new(&full, "/body/requests/0/routingdata/skills/1", "routingdata.skills[1]", "skill object")
            .removed(Expect::Accepted)
            .wrong(&[json!(5), json!("skillExpiring"), json!([]), Value::Null], refused(MALFORMED)),
        id_row(&full, "/body/requests/0/routingdata/skills/1/name", "routingdata.skills[1].name", true, 256)
            .long("s".repeat(256), Expect::Accepted),
        seconds_row(&full, "/body/requests/0/routingdata/skills/1/expiryafter", "routingdata.skills[1].expiryafter"),
    ]
}

/// The Register body, re-registering the day's first provider with its own settings after line
/// 20 (an upsert: the valid body changes nothing).
fn register_rows() -> Vec<Row> {
    let register = Base::new("Register (day:1, after line 20)", DAY, 1).after(20);
    let endpoint = "https://endpoint.example.com/";
    let mut rows = vec![
        Row::new(&register, "/body", "register body", "object")
            .wrong(&[json!([]), json!("x"), json!(5), json!(true)], refused(MALFORMED)),
        id_row(&register, "/body/provider", "provider", true, 256),
        Row::new(&register, "/body/endpoint", "endpoint", "absolute https URL, optional, <= 2048 bytes")
            .missing(Expect::Accepted)
            .empty(refused(INVALID))
            .wrong_for_string()
            .long(format!("{endpoint}{}", "a".repeat(2049 - endpoint.len())), refused(INVALID))
            .long(format!("{endpoint}{}", "a".repeat(2048 - endpoint.len())), Expect::Accepted)
            .controls_in("https://endpoint.example.com/a{}b", refused(INVALID))
            .values(
                &[
                    json!("http://endpoint.example.com/routingendpoint"),
                    json!("endpoint.example.com/routingendpoint"),
                    json!("https://"),
                    json!("https://user:pw@endpoint.example.com/"),
                    json!("https://endpoint.example.com:0/"),
                    json!("https://endpoint.example.com:65536/"),
                    json!("https://endpoint example.com/"),
                    json!("ftp://endpoint.example.com/"),
                ],
                refused(INVALID),
            ),
        Row::new(&register, "/body/headers", "headers", "map of header name to value, optional")
            .missing(Expect::Accepted)
            .value(json!({}), Expect::Accepted)
            .wrong(&[json!("x"), json!(["x-header1", "value1"]), json!(5), json!(true)], refused(MALFORMED)),
        Row::new(&register, "/body/headers/x-header1", "headers.x-header1", "header value: a string without CR, LF, NUL, at most 8192 bytes")
            .removed(Expect::Accepted)
            .wrong(&[json!(5), json!(true), json!(["v"]), json!({"v": 1}), Value::Null], refused(INVALID))
            .values(&[json!("a\rb"), json!("a\nb"), json!("a\u{0}b"), json!("v\r\nX-Injected: 1")], refused(INVALID))
            .values(&[json!("a\u{7}b"), json!("a\tb"), json!("")], Expect::Accepted)
            .long("v".repeat(8192), Expect::Accepted)
            .long("v".repeat(8193), refused(INVALID))
            .exempt("control characters other than CR, LF and NUL: docs/vcc.md refuses only those (RFC 9110 section 5.5)"),
        Row::new(&register, "/body/headers/x-header1", "headers.", "header name: an RFC 9110 token")
            .renamed("x header", refused(INVALID))
            .renamed("x:header", refused(INVALID))
            .renamed("", refused(INVALID))
            .renamed("x\u{7}header", refused(INVALID))
            .renamed("x\nheader", refused(INVALID))
            .renamed("\u{e9}t\u{e9}", refused(INVALID))
            .renamed("X-Custom_Header.1~!#$%&'*+^`|", Expect::Accepted)
            .renamed("Content-Length", refused(INVALID))
            .renamed("transfer-encoding", refused(INVALID))
            .renamed("Host", refused(INVALID))
            .renamed("X-HEADER2", refused(INVALID)),
        Row::new(&register, "/body/agentactionspermitted", "agentactionspermitted", "map of permission to 0|1, optional (defaults)")
            .missing(Expect::Accepted)
            .value(json!({}), Expect::Accepted)
            .wrong(&[json!("release"), json!([1]), json!(5)], refused(MALFORMED)),
        Row::new(&register, "/body/agentactionspermitted/hold", "agentactionspermitted", "permission key: release|hold|transferToAgent|transferToRoute")
            .renamed("Hold", refused(UNSUPPORTED))
            .renamed("conference", refused(UNSUPPORTED))
            .renamed("transfer_to_agent", refused(UNSUPPORTED))
            .renamed("", refused(UNSUPPORTED))
            .renamed("ho\u{7}ld", refused(UNSUPPORTED)),
    ];
    for (pointer, field) in [
        (
            "/body/agentactionspermitted/release",
            "agentactionspermitted.release",
        ),
        (
            "/body/agentactionspermitted/hold",
            "agentactionspermitted.hold",
        ),
        (
            "/body/agentactionspermitted/transferToAgent",
            "agentactionspermitted.transferToAgent",
        ),
        (
            "/body/agentactionspermitted/transferToRoute",
            "agentactionspermitted.transferToRoute",
        ),
    ] {
        rows.push(
            Row::new(&register, pointer, field, "flag: the number 0 or 1")
                .removed(Expect::Accepted)
                .value(json!(0), Expect::Accepted)
                .wrong(
                    &[
                        json!("1"),
                        json!(true),
                        json!([1]),
                        json!({"v": 1}),
                        Value::Null,
                    ],
                    refused(INVALID),
                )
                .values(
                    &[json!(2), json!(-1), json!(1.0), json!(0.5), json!(1e300)],
                    refused(INVALID),
                ),
        );
    }
    rows
}

/// The callback element: an AssignToAgent (also without `AgentId`, naming the agent by `Agent`)
/// and a Release.
fn callback_rows() -> Vec<Row> {
    let assign = Base::new("callback AssignToAgent (day:22)", DAY, 22);
    let by_name = Base::new("callback AssignToAgent without AgentId (day:22)", DAY, 22)
        .without("/body/0/params/AgentId");
    let release = Base::new("callback Release (day:19)", DAY, 19);
    let mut rows = vec![
        Row::new(&assign, "/body", "callback body", "array of notifications")
            .wrong(
                &[
                    json!({"notification": "Release"}),
                    json!("x"),
                    json!(5),
                    Value::Null,
                ],
                refused(MALFORMED),
            )
            .value(json!([]), refused_naming(INVALID, "callback")),
        Row::new(&assign, "/body/0", "[0]", "notification object")
            .removed(refused_naming(INVALID, "callback"))
            .wrong(
                &[json!(5), json!("AssignToAgent"), json!([]), Value::Null],
                refused(MALFORMED),
            ),
        Row::new(
            &by_name,
            "/body/0/params/Agent",
            "params.Agent",
            "id, used when AgentId is absent",
        )
        .missing(refused_naming(MISSING, "params.AgentId"))
        .empty(refused(MISSING))
        .wrong_for_string()
        .long("a".repeat(257), refused(INVALID))
        .controls_in("a{}b", refused(INVALID)),
        id_row(
            &assign,
            "/body/0/params/AgentId",
            "params.AgentId",
            false,
            256,
        )
        .long("9".repeat(256), Expect::Accepted),
        // With AgentId given, Agent (the user name) is not used; its JSON type is still checked.
        Row::new(&assign, "/body/0/params/Agent", "params.Agent", "user name, not used beside AgentId")
            .missing(Expect::Accepted)
            .empty(Expect::Accepted)
            .wrong_for_string()
            .long("a".repeat(257), Expect::Accepted)
            .controls_in("a{}b", Expect::Accepted)
            .exempt("empty, over-long and control characters when AgentId is given: `Agent` is then not used (docs/vcc.md); only its JSON type is checked"),
    ];
    for base in [&assign, &release] {
        rows.extend([
            Row::new(
                base,
                "/body/0/notification",
                "notification",
                "enum AssignToAgent|Release, required",
            )
            .missing(refused(MISSING))
            .wrong_for_string()
            .values(
                &[
                    json!(""),
                    json!("assigntoagent"),
                    json!("Assign"),
                    json!("Transfer"),
                    json!("Release "),
                ],
                refused(UNSUPPORTED),
            )
            .controls_in("Rel{}ease", refused(UNSUPPORTED))
            .long("N".repeat(300), refused(UNSUPPORTED)),
            id_row(base, "/body/0/objectid", "objectid", true, 256).value(
                json!("no-such-interaction"),
                refused_naming("unknown_interaction", "no-such-interaction"),
            ),
            id_row(base, "/body/0/notificationid", "notificationid", true, 256)
                .long("n".repeat(256), Expect::Accepted),
            Row::new(base, "/body/0/params", "params", "object, required")
                .missing(refused(MISSING))
                .value(json!({}), refused_naming(MISSING, "params.AccountName"))
                .wrong(&[json!("x"), json!(5), json!(["x"])], refused(MALFORMED)),
            id_row(
                base,
                "/body/0/params/AccountName",
                "params.AccountName",
                true,
                256,
            ),
        ]);
    }
    rows
}
