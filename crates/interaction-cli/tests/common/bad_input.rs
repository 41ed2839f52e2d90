//! The bad-input harness shared by the `bad_input_*` tests: a valid base message from a bundled
//! trace, a table of its fields, mutations per field (missing, wrong type, over-long, control
//! characters, unknown enum value), and the checks each mutated message must pass when replayed
//! where the trace would apply the valid one (`docs/bad-input.md`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};

use interaction_cli::{Record, Replayer};
use serde_json::{Value, json};

//
// The same in each `bad_input_*.rs` (integration test files are separate crates, and
// `tests/common/` belongs to the replay tests). A table is a list of [`Row`]s: one field of one
// base message, with the cases generated for it. [`check_table`] runs every case; [`render`]
// writes the table for `docs/bad-input.md`.

/// `missing_field`.
pub(crate) const MISSING: &str = "missing_field";
/// `malformed`.
pub(crate) const MALFORMED: &str = "malformed";
/// `invalid_field`.
pub(crate) const INVALID: &str = "invalid_field";
/// `unsupported`.
pub(crate) const UNSUPPORTED: &str = "unsupported";

/// Control characters put into a text value: BEL, NUL, LF, ESC (a terminal escape), DEL and
/// the C1 control NEL.
pub(crate) const CONTROLS: [&str; 6] = ["\u{7}", "\u{0}", "\n", "\u{1b}[31m", "\u{7f}", "\u{85}"];

/// A valid message to mutate: line `line` of `trace` (a repository path) with `patches`
/// applied, replayed as line `line` after the trace's lines `1..=after`. The lines after
/// `after` (the base line itself excepted) are the continuation.
#[derive(Clone)]
pub(crate) struct Base {
    pub(crate) name: String,
    pub(crate) trace: &'static str,
    pub(crate) line: usize,
    pub(crate) after: usize,
    pub(crate) patches: Vec<(&'static str, Mutation)>,
}

#[allow(
    dead_code,
    reason = "the harness is the same in each bad_input file; not every table uses every builder"
)]
impl Base {
    pub(crate) fn new(name: &str, trace: &'static str, line: usize) -> Base {
        Base {
            name: name.to_owned(),
            trace,
            line,
            after: line - 1,
            patches: Vec::new(),
        }
    }

    /// Replays the base after the trace's lines `1..=after` instead of `1..line`.
    pub(crate) fn after(mut self, after: usize) -> Base {
        self.after = after;
        self
    }

    /// The base with `pointer` set to `value` (a variant of the trace's message).
    pub(crate) fn set(mut self, pointer: &'static str, value: Value) -> Base {
        self.patches.push((pointer, Mutation::Set(value)));
        self
    }

    /// The base without the member at `pointer`.
    pub(crate) fn without(mut self, pointer: &'static str) -> Base {
        self.patches.push((pointer, Mutation::Remove));
        self
    }

    /// Its trace line, as JSON.
    pub(crate) fn message(&self, lines: &[String]) -> Value {
        let text = &lines[self.line - 1];
        let mut message: Value = serde_json::from_str(text).unwrap();
        for (pointer, mutation) in &self.patches {
            mutate(&mut message, pointer, mutation);
        }
        message
    }
}

/// A change to one member of a trace line.
#[derive(Clone, Debug)]
#[allow(
    dead_code,
    reason = "the harness is the same in each bad_input file; not every table uses every builder"
)]
pub(crate) enum Mutation {
    /// The member removed (an array element: taken out).
    Remove,
    /// The member set to a value.
    Set(Value),
    /// The member kept under another key (an unknown map key).
    RenameKey(String),
}

/// What a case must give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
    /// Not rejected (an optional member removed, a value with no rule).
    Accepted,
    /// Rejected with this kind; the message names this field (`None`: the row's field).
    Refused(&'static str, Option<&'static str>),
}

/// Rejected with `kind`, naming the row's field.
pub(crate) const fn refused(kind: &'static str) -> Expect {
    Expect::Refused(kind, None)
}

/// Rejected with `kind`, naming `field`.
pub(crate) const fn refused_naming(kind: &'static str, field: &'static str) -> Expect {
    Expect::Refused(kind, Some(field))
}

/// One generated case.
pub(crate) struct Case {
    pub(crate) label: String,
    pub(crate) mutation: Mutation,
    pub(crate) expect: Expect,
}

/// A field of a base message and the cases generated for it.
pub(crate) struct Row {
    pub(crate) base: Base,
    pub(crate) pointer: String,
    pub(crate) field: String,
    pub(crate) kind: String,
    pub(crate) cases: Vec<Case>,
    pub(crate) exempt: Option<&'static str>,
}

#[allow(
    dead_code,
    reason = "the harness is the same in each bad_input file; not every table uses every builder"
)]
impl Row {
    /// A row with no cases yet. `pointer` is a JSON pointer into the trace line (`/body/...`,
    /// `/as`, `/path`); `field` the wire name a message must give; `kind` says what the field is.
    pub(crate) fn new(
        base: &Base,
        pointer: impl Into<String>,
        field: impl Into<String>,
        kind: &str,
    ) -> Row {
        Row {
            base: base.clone(),
            pointer: pointer.into(),
            field: field.into(),
            kind: kind.to_owned(),
            cases: Vec::new(),
            exempt: None,
        }
    }

    /// Adds a case (or replaces the case of the same label).
    pub(crate) fn case(
        mut self,
        label: impl Into<String>,
        mutation: Mutation,
        expect: Expect,
    ) -> Row {
        let label = label.into();
        let case = Case {
            label,
            mutation,
            expect,
        };
        // A later case replaces an earlier one with the same label: a row built by `id_row`
        // can change what one of its cases must give.
        match self.cases.iter_mut().find(|c| c.label == case.label) {
            Some(old) => *old = case,
            None => self.cases.push(case),
        }
        self
    }

    /// The member removed, and set to `null`.
    pub(crate) fn missing(self, expect: Expect) -> Row {
        self.removed(expect).null(expect)
    }

    pub(crate) fn removed(self, expect: Expect) -> Row {
        self.case("missing", Mutation::Remove, expect)
    }

    pub(crate) fn null(self, expect: Expect) -> Row {
        self.case("null", Mutation::Set(Value::Null), expect)
    }

    /// The empty string.
    pub(crate) fn empty(self, expect: Expect) -> Row {
        self.value(json!(""), expect)
    }

    /// Each value, labelled by its JSON text.
    pub(crate) fn values(mut self, values: &[Value], expect: Expect) -> Row {
        for v in values {
            self = self.value(v.clone(), expect);
        }
        self
    }

    pub(crate) fn value(self, value: Value, expect: Expect) -> Row {
        let label = label_of(&value);
        self.case(label, Mutation::Set(value), expect)
    }

    /// Values of the wrong JSON type.
    pub(crate) fn wrong(self, values: &[Value], expect: Expect) -> Row {
        self.values(values, expect)
    }

    /// A string of the wrong type for a string member: a number, a boolean, an array, an
    /// object.
    pub(crate) fn wrong_for_string(self) -> Row {
        self.wrong(
            &[json!(5), json!(true), json!(["x"]), json!({"x": "y"})],
            refused(MALFORMED),
        )
    }

    /// An over-long value (or one at the limit), labelled by its length in bytes.
    pub(crate) fn long(self, value: String, expect: Expect) -> Row {
        let label = format!("{} bytes", value.len());
        self.case(label, Mutation::Set(Value::String(value)), expect)
    }

    /// `template` with `{}` replaced by each of [`CONTROLS`].
    pub(crate) fn controls_in(mut self, template: &str, expect: Expect) -> Row {
        for c in CONTROLS {
            self = self.value(json!(template.replace("{}", c)), expect);
        }
        self
    }

    /// A value nested 200 levels deep (the decoders stop at 128).
    pub(crate) fn deep(self, expect: Expect) -> Row {
        let mut v = json!("x");
        for _ in 0..200 {
            v = json!([v]);
        }
        self.case("nested 200 deep", Mutation::Set(v), expect)
    }

    /// The member kept under the key `key`.
    pub(crate) fn renamed(self, key: &str, expect: Expect) -> Row {
        let label = format!("key {}", label_of(&json!(key)));
        self.case(label, Mutation::RenameKey(key.to_owned()), expect)
    }

    pub(crate) fn exempt(mut self, reason: &'static str) -> Row {
        self.exempt = Some(reason);
        self
    }
}

/// An id: required (`missing_field` when absent, `null` or empty) or optional (accepted when
/// absent or `null`, `missing_field` when empty); `malformed` of the wrong type; `invalid_field`
/// over `limit` bytes or with a control character; accepted at `limit` bytes when
/// `at_limit_ok`.
#[allow(
    dead_code,
    reason = "the harness is the same in each bad_input file; not every table uses every builder"
)]
pub(crate) fn id_row(
    base: &Base,
    pointer: impl Into<String>,
    field: impl Into<String>,
    required: bool,
    limit: usize,
) -> Row {
    let (absent, what) = if required {
        (refused(MISSING), "required")
    } else {
        (Expect::Accepted, "optional")
    };
    Row::new(
        base,
        pointer,
        field,
        &format!("id, {what}, <= {limit} bytes"),
    )
    .missing(absent)
    .empty(refused(MISSING))
    .wrong_for_string()
    .long("x".repeat(limit + 1), refused(INVALID))
    .controls_in("a{}b", refused(INVALID))
    // Whitespace only is no id (an invisible or bidirectional character is kept as sent, and
    // escaped wherever a person reads it: `interaction-core`'s `check_id` tests).
    .values(
        &[Value::from("   "), Value::from("\u{a0}")],
        refused(INVALID),
    )
}

/// A value's label: a string as Rust writes it (every control character escaped), anything
/// else as its JSON text; long ones cut in the middle.
pub(crate) fn label_of(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("{s:?}"),
        // JSON escapes only the C0 controls; DEL and the C1 controls must show too.
        other => other
            .to_string()
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    };
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > 48 {
        let head: String = chars[..28].iter().collect();
        let tail: String = chars[chars.len() - 12..].iter().collect();
        format!("{head}...{tail} ({} bytes)", text.len())
    } else {
        text
    }
}

pub(crate) fn mutate(message: &mut Value, pointer: &str, mutation: &Mutation) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let container = message
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent} in the base message"));
    match container {
        Value::Object(map) => match mutation {
            Mutation::Remove => {
                map.shift_remove(key);
            }
            Mutation::Set(v) => {
                map.insert(key.to_owned(), v.clone());
            }
            Mutation::RenameKey(new) => {
                let v = map.shift_remove(key).unwrap();
                map.insert(new.clone(), v);
            }
        },
        Value::Array(items) => {
            let index: usize = key.parse().unwrap();
            match mutation {
                Mutation::Remove => {
                    items.remove(index);
                }
                Mutation::Set(v) => items[index] = v.clone(),
                Mutation::RenameKey(_) => panic!("{pointer}: an array has no keys"),
            }
        }
        _ => panic!("{pointer}: {parent} is not an object or an array"),
    }
}

/// What replaying a base with (or without) a mutated line gave.
pub(crate) struct Run {
    /// The mutated line's records (empty without one).
    pub(crate) records: Vec<Record>,
    /// The engine after the mutated line equals the engine before it.
    pub(crate) unchanged: bool,
    /// The records of the base message and the continuation, replayed after it.
    pub(crate) rest: Vec<Record>,
}

pub(crate) fn replay_base(lines: &[String], base: &Base, mutated: Option<&str>) -> Run {
    let mut replayer = Replayer::new();
    let mut ignored = Vec::new();
    for n in 1..=base.after {
        replayer.replay_line(n, &lines[n - 1], &mut ignored);
    }
    let before = replayer.engine().clone();
    let mut records = Vec::new();
    if let Some(text) = mutated {
        replayer.replay_line(base.line, text, &mut records);
    }
    let unchanged = *replayer.engine() == before;
    let mut rest = Vec::new();
    let message = base.message(lines).to_string();
    replayer.replay_line(base.line, &message, &mut rest);
    for n in base.after + 1..=lines.len() {
        if n != base.line {
            replayer.replay_line(n, &lines[n - 1], &mut rest);
        }
    }
    Run {
        records,
        unchanged,
        rest,
    }
}

/// A known bug: the case `case` of the row `field` on the base `base` does not do what the
/// docs say (a `case` ending in `*` names every case whose label starts with the rest). It is
/// left out of the table's test and run by an ignored test instead.
pub(crate) struct Bug {
    pub(crate) base: &'static str,
    pub(crate) field: &'static str,
    pub(crate) case: &'static str,
    pub(crate) what: &'static str,
}

impl Bug {
    pub(crate) fn names(&self, row: &Row, case: &Case) -> bool {
        let label = match self.case.strip_suffix('*') {
            Some(prefix) => case.label.starts_with(prefix),
            None => case.label == self.case,
        };
        label && self.base == row.base.name && self.field == row.field
    }
}

pub(crate) fn is_bug(bugs: &[Bug], row: &Row, case: &Case) -> bool {
    bugs.iter().any(|b| b.names(row, case))
}

/// Runs every case of `rows` (only the known bugs when `only_bugs`, else all but them) and
/// returns the failures; panics if a known bug names no case.
pub(crate) fn check_table(rows: &[Row], bugs: &[Bug], only_bugs: bool) -> Vec<String> {
    let mut traces: HashMap<&str, Vec<String>> = HashMap::new();
    let mut failures = Vec::new();
    for row in rows {
        let lines = traces.entry(row.base.trace).or_insert_with(|| {
            super::read(row.base.trace)
                .lines()
                .map(str::to_owned)
                .collect()
        });
        let reference = replay_base(lines, &row.base, None);
        let base_records: Vec<&Record> = reference
            .rest
            .iter()
            .filter(|r| r.line == row.base.line)
            .collect();
        if base_records.is_empty() || base_records.iter().any(|r| r.outcome == "rejected") {
            failures.push(format!(
                "{}: the base message is not accepted: {base_records:?}",
                row.base.name
            ));
            continue;
        }
        for case in &row.cases {
            if is_bug(bugs, row, case) != only_bugs {
                continue;
            }
            let mut message = row.base.message(lines);
            mutate(&mut message, &row.pointer, &case.mutation);
            let text = message.to_string();
            let id = format!("{} `{}` [{}]", row.base.name, row.field, case.label);
            let run = catch_unwind(AssertUnwindSafe(|| {
                replay_base(lines, &row.base, Some(&text))
            }));
            match run {
                Err(_) => failures.push(format!("{id}: panicked on {text}")),
                Ok(run) => {
                    if let Some(why) = verdict(row, case, &run, &reference) {
                        failures.push(format!("{id}: {why}\n    line: {text}"));
                    }
                }
            }
        }
    }
    for bug in bugs {
        assert!(
            rows.iter()
                .any(|row| row.cases.iter().any(|case| bug.names(row, case))),
            "the known bug {} `{}` [{}] names no case of the table",
            bug.base,
            bug.field,
            bug.case
        );
    }
    failures
}

/// Why a case failed, if it did.
pub(crate) fn verdict(row: &Row, case: &Case, run: &Run, reference: &Run) -> Option<String> {
    if run.records.is_empty() {
        return Some("no record".to_owned());
    }
    match case.expect {
        Expect::Accepted => run
            .records
            .iter()
            .find(|r| r.outcome == "rejected")
            .map(|r| format!("expected accepted, got {:?}", r.error)),
        Expect::Refused(kind, field) => {
            let field = field.unwrap_or(&row.field);
            for r in &run.records {
                let Some(error) = r.error.as_ref().filter(|_| r.outcome == "rejected") else {
                    return Some(format!(
                        "expected {kind} naming `{field}`, got {}",
                        r.outcome
                    ));
                };
                if error.kind != kind || !names(&error.message, field) {
                    return Some(format!(
                        "expected {kind} naming `{field}`, got {} {:?}",
                        error.kind, error.message
                    ));
                }
                if error.message.chars().any(char::is_control) {
                    return Some(format!("raw control character in {:?}", error.message));
                }
                if r.effects.iter().any(|e| e.to_json()["type"] != "response") {
                    return Some(format!("a refusal with effects {:?}", r.effects));
                }
            }
            if !run.unchanged {
                return Some("the refusal changed the engine".to_owned());
            }
            if run.rest != reference.rest {
                return Some(
                    "the rest of the trace replays differently after the refusal".to_owned(),
                );
            }
            None
        }
    }
}

/// `message` names `field`: the name stands alone, not inside a longer name (`from` is not
/// named by `from.agentId`; a full stop ending a sentence is not a longer name).
pub(crate) fn names(message: &str, field: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    message.match_indices(field).any(|(i, _)| {
        let before = message[..i].chars().next_back();
        let mut after = message[i + field.len()..].chars();
        let ends = field.ends_with(['.', '['])
            || match after.next() {
                None => true,
                Some('.') => after.next().is_none_or(char::is_whitespace),
                Some(c) => !word(c) && c != '[',
            };
        !before.is_some_and(word) && ends
    })
}

/// The table as Markdown: one line per row, its cases grouped by what they must give.
pub(crate) fn render(rows: &[Row], bugs: &[Bug]) -> String {
    let cases: usize = rows.iter().map(|r| r.cases.len()).sum();
    let mut out = format!(
        "{} rows, {cases} cases.\n\n| base message | field | what it is | cases: expected |\n|---|---|---|---|\n",
        rows.len()
    );
    for row in rows {
        let mut groups: Vec<(Expect, Vec<String>)> = Vec::new();
        for case in &row.cases {
            let text = case.label.replace('|', "\\|");
            let mut label = if text.contains('`') {
                format!("`` {text} ``")
            } else {
                format!("`{text}`")
            };
            if is_bug(bugs, row, case) {
                label.push_str(" (bug)");
            }
            match groups.iter_mut().find(|(e, _)| *e == case.expect) {
                Some((_, labels)) => labels.push(label),
                None => groups.push((case.expect, vec![label])),
            }
        }
        let groups: Vec<String> = groups
            .into_iter()
            .map(|(expect, labels)| {
                let expect = match expect {
                    Expect::Accepted => "accepted".to_owned(),
                    Expect::Refused(kind, None) => format!("**{kind}**"),
                    Expect::Refused(kind, Some(f)) => format!("**{kind}** `{f}`"),
                };
                format!("{}: {expect}", labels.join(", "))
            })
            .collect();
        let kind = match row.exempt {
            Some(reason) => format!("{}; exempt: {reason}", row.kind),
            None => row.kind.clone(),
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {kind} | {} |",
            row.base.name,
            row.field,
            groups.join("; ")
        );
    }
    let mut whats: Vec<&str> = Vec::new();
    for bug in bugs {
        if !whats.contains(&bug.what) {
            whats.push(bug.what);
        }
    }
    if !whats.is_empty() {
        out.push_str("\nKnown bugs (the ignored test; `*` ends a label prefix):\n\n");
    }
    for what in whats {
        let cases: Vec<String> = bugs
            .iter()
            .filter(|b| b.what == what)
            .map(|b| format!("{} `{}` `{}`", b.base, b.field, b.case))
            .collect();
        let _ = writeln!(out, "- {what}. Cases: {}.", cases.join("; "));
    }
    out
}

/// Checks that `docs/bad-input.md` holds `render(rows)` between the markers of `section`;
/// with `BAD_INPUT_BLESS=1` in the environment, writes it there instead.
pub(crate) fn check_doc(section: &str, rows: &[Row], bugs: &[Bug]) {
    let begin = format!("<!-- begin {section} (generated by its test) -->\n");
    let end = format!("<!-- end {section} -->");
    let path = super::repo_file("docs/bad-input.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let start = doc.find(&begin).unwrap_or_else(|| panic!("no {begin}")) + begin.len();
    let stop = start
        + doc[start..]
            .find(&end)
            .unwrap_or_else(|| panic!("no {end}"));
    let table = render(rows, bugs);
    if std::env::var_os("BAD_INPUT_BLESS").is_some() {
        let new = format!("{}{table}{}", &doc[..start], &doc[stop..]);
        std::fs::write(&path, new).unwrap();
    } else {
        assert!(
            doc[start..stop] == table,
            "docs/bad-input.md, section {section}, differs from the table; run with \
             BAD_INPUT_BLESS=1 to rewrite it. Expected:\n{table}"
        );
    }
}

/// Runs the table (all but the known bugs) and fails with every failure.
pub(crate) fn assert_table(section: &str, rows: &[Row], bugs: &[Bug]) {
    let cases: usize = rows.iter().map(|r| r.cases.len()).sum();
    eprintln!("{section}: {} rows, {cases} cases", rows.len());
    let failures = check_table(rows, bugs, false);
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Runs only the known bugs: each must fail until it is fixed.
#[allow(dead_code, reason = "not every table has known bugs")]
pub(crate) fn assert_bugs(rows: &[Row], bugs: &[Bug]) {
    let failures = check_table(rows, bugs, true);
    assert!(
        failures.is_empty(),
        "{} known bugs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
