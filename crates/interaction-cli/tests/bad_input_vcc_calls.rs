//! Bad input, systematically: the VCC Calls API, `POST /v0/{accountKey}/calls` (`docs/vcc.md`,
//! "The Calls API"). For every member of the request body (`from`, `to`, `regarding`,
//! `application`, the two `consent`s) and the record's `content_type`, a valid request from
//! `docs/traces/vcc-calls.jsonl` is mutated: the member missing or `null`, of the wrong JSON
//! type, over-long, holding control characters, a value outside its rule or enum. Each mutated
//! request is replayed where the trace would place the valid one; it must give the documented
//! outcome (a refusal of the documented kind whose message names the member), never panic,
//! leave the engine as it was, and leave the rest of the trace replaying exactly as it does
//! without it. `docs/bad-input.md` lists the table.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::bad_input::*;

use serde_json::{Value, json};

const CALLS: &str = "docs/traces/vcc-calls.jsonl";
const SECTION: &str = "vcc_calls";

/// Known bugs: cases the table expects to fail, listed in docs/bad-input.md (none at present;
/// `assert_bugs` in common/bad_input.rs checks that each still fails).
const BUGS: &[Bug] = &[];

#[test]
fn every_member_of_a_calls_request() {
    assert_table(SECTION, &table(), BUGS);
}

#[test]
fn the_doc_lists_the_vcc_calls_table() {
    check_doc(SECTION, &table(), BUGS);
}

fn table() -> Vec<Row> {
    let mut rows = full_request_rows();
    rows.extend(agent_to_agent_rows());
    rows.extend(groups_rows());
    rows
}

/// A consent: `Unknown`, `OneParty` or `TwoParty`, optional.
fn consent_row(base: &Base, pointer: &'static str, field: &'static str) -> Row {
    Row::new(
        base,
        pointer,
        field,
        "enum Unknown|OneParty|TwoParty, optional",
    )
    .missing(Expect::Accepted)
    .empty(Expect::Accepted)
    .wrong_for_string()
    .values(&[json!("Unknown"), json!("TwoParty")], Expect::Accepted)
    .values(
        &[
            json!("oneparty"),
            json!("ONEPARTY"),
            json!("One Party"),
            json!("Everyone"),
            json!("OneParty "),
        ],
        refused(INVALID),
    )
    .controls_in("One{}Party", refused(INVALID))
    .long("O".repeat(300), refused(INVALID))
}

/// A request naming every optional member (vcc-calls.jsonl line 41): agent to number.
#[allow(
    clippy::too_many_lines,
    reason = "a table: its rows one after the other"
)]
fn full_request_rows() -> Vec<Row> {
    let full = Base::new("every member (calls:41)", CALLS, 41);
    vec![
        Row::new(&full, "/body", "body", "object").wrong(
            &[
                json!(["from", "to"]),
                json!("x"),
                json!(5),
                json!(true),
                Value::Null,
            ],
            refused(MALFORMED),
        ),
        Row::new(
            &full,
            "/content_type",
            "content type",
            "trace `content_type`: a JSON media type, optional",
        )
        .values(
            &[
                json!("application/json"),
                json!("APPLICATION/JSON; charset=utf-8"),
                json!("application/json;version=6"),
            ],
            Expect::Accepted,
        )
        .values(
            &[
                json!("multipart/form-data; boundary=x"),
                json!("text/plain"),
                json!("application/jsonp"),
                json!(""),
            ],
            refused(UNSUPPORTED),
        )
        .wrong(&[json!(5)], refused_naming(MALFORMED, "content_type")),
        Row::new(&full, "/body/from", "from", "object, required")
            .missing(refused(MISSING))
            .value(json!({}), refused(MISSING))
            .wrong(
                &[json!("1234"), json!(5), json!(["1234"])],
                refused(MALFORMED),
            ),
        Row::new(
            &full,
            "/body/from/agentId",
            "from.agentId",
            "agent id: 1 to 11 ASCII digits",
        )
        .missing(refused_naming(MISSING, "from"))
        .empty(refused_naming(MISSING, "from"))
        .wrong(
            &[json!(1234), json!(true), json!(["1234"]), json!({"x": "y"})],
            refused(MALFORMED),
        )
        .long("1".repeat(12), refused(INVALID))
        .controls_in("12{}34", refused(INVALID))
        .values(
            &[
                json!("12a4"),
                json!("\u{661}\u{662}\u{663}"),
                json!("+1234"),
                json!(" 1234"),
                json!("12.5"),
            ],
            refused(INVALID),
        )
        .value(json!("9999"), refused_naming("unknown_agent", "Agent Id")),
        Row::new(&full, "/body/from/groups", "from", "groups beside agentId")
            .value(json!(["030"]), refused(INVALID))
            .value(json!([]), Expect::Accepted),
        Row::new(
            &full,
            "/body/from/telephoneNumber",
            "from.telephoneNumber",
            "not allowed in `from`",
        )
        .value(json!("01256636451"), refused(INVALID)),
        Row::new(
            &full,
            "/body/from/presentedCLID",
            "from.presentedCLID",
            "telephone number, optional, <= 30 characters",
        )
        .missing(Expect::Accepted)
        .empty(Expect::Accepted)
        .wrong_for_string()
        .long("0".repeat(31), refused(INVALID))
        .long("0".repeat(30), Expect::Accepted)
        .value(json!("+44 (20) 7206-8888"), Expect::Accepted)
        .controls_in("0800{}8888888", refused(INVALID))
        .values(
            &[
                json!("withheld"),
                json!("0800-CALL-NOW"),
                json!("++44"),
                json!("-"),
                json!("\u{661}\u{662}"),
            ],
            refused(INVALID),
        ),
        consent_row(&full, "/body/from/consent", "from.consent"),
        Row::new(&full, "/body/to", "to", "object, required")
            .missing(refused(MISSING))
            .value(json!({}), refused(MISSING))
            .wrong(
                &[json!("02072068888"), json!(5), json!(["02072068888"])],
                refused(MALFORMED),
            ),
        Row::new(
            &full,
            "/body/to/telephoneNumber",
            "to.telephoneNumber",
            "telephone number, <= 30 characters",
        )
        .missing(refused_naming(MISSING, "to"))
        .empty(refused_naming(MISSING, "to"))
        .wrong(
            &[
                json!(2_072_068_888_u64),
                json!(true),
                json!(["x"]),
                json!({"x": "y"}),
            ],
            refused(MALFORMED),
        )
        .long("0".repeat(31), refused(INVALID))
        .long("0".repeat(30), Expect::Accepted)
        .controls_in("0207{}2068888", refused(INVALID))
        .values(
            &[
                json!("call me"),
                json!("+"),
                json!("--"),
                json!("02072068888 ext 5"),
                json!("0207206888\u{665}"),
            ],
            refused(INVALID),
        ),
        Row::new(
            &full,
            "/body/to/agentId",
            "to",
            "agentId beside telephoneNumber",
        )
        .value(json!("4567"), refused(INVALID))
        .empty(Expect::Accepted),
        consent_row(&full, "/body/to/consent", "to.consent"),
        Row::new(&full, "/body/regarding", "regarding", "object, optional")
            .missing(Expect::Accepted)
            .value(json!({}), Expect::Accepted)
            .wrong(&[json!("x"), json!(5), json!(["x"])], refused(MALFORMED)),
        Row::new(
            &full,
            "/body/regarding/reference",
            "regarding.reference",
            "alphanumerics or a URL, optional, <= 2000 characters",
        )
        .missing(Expect::Accepted)
        .empty(Expect::Accepted)
        .wrong_for_string()
        .long("R".repeat(2001), refused(INVALID))
        .long("R".repeat(2000), Expect::Accepted)
        .value(json!("https://example.com/a?b=c&d=%20#e"), Expect::Accepted)
        .controls_in("ref{}1", refused(INVALID))
        .values(
            &[
                json!("order 1182"),
                json!("r\u{e9}f"),
                json!("a<b>"),
                json!("a\"b"),
                json!("a{b}"),
                json!("a\\b"),
            ],
            refused(INVALID),
        ),
        Row::new(
            &full,
            "/body/application",
            "application",
            "ASCII alphanumerics, optional, <= 32 characters",
        )
        .missing(Expect::Accepted)
        .empty(Expect::Accepted)
        .wrong_for_string()
        .long("A".repeat(33), refused(INVALID))
        .long("A".repeat(32), Expect::Accepted)
        .controls_in("app{}Name", refused(INVALID))
        .values(
            &[
                json!("Test App"),
                json!("app-name"),
                json!("app_name"),
                json!("app\u{e9}"),
            ],
            refused(INVALID),
        ),
    ]
}

/// An agent calling an agent (vcc-calls.jsonl line 11).
fn agent_to_agent_rows() -> Vec<Row> {
    let a2a = Base::new("agent to agent (calls:11)", CALLS, 11);
    vec![
        Row::new(
            &a2a,
            "/body/to/agentId",
            "to.agentId",
            "agent id: 1 to 11 ASCII digits",
        )
        .missing(refused_naming(MISSING, "to"))
        .empty(refused_naming(MISSING, "to"))
        .wrong(
            &[json!(4567), json!(true), json!(["4567"]), json!({"x": "y"})],
            refused(MALFORMED),
        )
        .long("4".repeat(12), refused(INVALID))
        .controls_in("45{}67", refused(INVALID))
        .values(
            &[json!("45a7"), json!("\u{664}\u{665}"), json!("-4567")],
            refused(INVALID),
        )
        .value(
            json!("7777"),
            refused_naming("unknown_agent", "invalid Agent Id"),
        )
        .value(
            json!("1234"),
            refused_naming("agent_unavailable", "dialed Agent"),
        ),
        consent_row(
            &a2a.clone().set("/body/to/consent", json!("TwoParty")),
            "/body/to/consent",
            "to.consent",
        ),
    ]
}

/// A call from groups (vcc-calls.jsonl line 14).
fn groups_rows() -> Vec<Row> {
    let groups = Base::new("from groups (calls:14)", CALLS, 14);
    vec![
        Row::new(
            &groups,
            "/body/from/groups",
            "from.groups",
            "list of group ids",
        )
        .missing(refused_naming(MISSING, "from"))
        .value(json!([]), refused_naming(MISSING, "from"))
        .wrong(
            &[json!("030"), json!(30), json!({"030": 1})],
            refused(MALFORMED),
        ),
        Row::new(
            &groups,
            "/body/from/groups/1",
            "from.groups[1]",
            "group id, <= 256 bytes",
        )
        .removed(Expect::Accepted)
        .wrong(
            &[
                json!(200),
                json!(true),
                json!(["200"]),
                json!({"x": "y"}),
                Value::Null,
            ],
            refused(MALFORMED),
        )
        .empty(refused(MISSING))
        .long("g".repeat(257), refused(INVALID))
        .long("g".repeat(256), Expect::Accepted)
        .controls_in("2{}00", refused(INVALID)),
        Row::new(
            &groups,
            "/body/from/agentId",
            "from",
            "agentId beside groups",
        )
        .value(json!("5464"), refused(INVALID))
        .empty(Expect::Accepted),
    ]
}
