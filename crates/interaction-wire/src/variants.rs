//! [`crate::variants`]: mutated bodies for the adapters' fast-read tests.

use serde_json::Value;

/// What to do at the target node.
#[derive(Clone, Copy)]
enum Op {
    /// Write this text instead of the value.
    Replace(&'static str),
    /// Drop the member (a member only).
    Drop,
    /// Write the member twice.
    Twice,
    /// Write the member, then the same name with `null`.
    ThenNull,
    /// Write the same name with `null`, then the member.
    NullThen,
    /// Write the member's name with its first character as a `\u` escape.
    EscapedName,
}

const REPLACEMENTS: &[&str] = &[
    "null",
    "5",
    "-1.5e3",
    "1e400",
    "true",
    "\"\"",
    "\"s\"",
    "\"a\\u0041b\"",
    "\"a\\nb\"",
    "\"\\ud800\"",
    "[]",
    "[1]",
    "{}",
    "{\"k\": 1}",
];

pub(crate) fn all(seed: &str) -> Vec<Vec<u8>> {
    let mut out = vec![
        seed.as_bytes().to_vec(),
        format!("[{seed}]").into_bytes(),
        format!("{seed} x").into_bytes(),
        format!(" {seed} ").into_bytes(),
    ];
    let mut cut = seed.len() / 2;
    while !seed.is_char_boundary(cut) {
        cut -= 1;
    }
    out.push(seed.as_bytes().get(..cut).unwrap_or_default().to_vec());
    let Ok(value) = serde_json::from_str::<Value>(seed) else {
        return out;
    };
    if let Value::Object(_) = &value {
        let text = render(&value, usize::MAX, Op::Drop);
        let mut bytes = b"{\"zz\": \"\xff\", ".to_vec();
        bytes.extend_from_slice(text.get(1..).unwrap_or_default().as_bytes());
        out.push(bytes);
    }
    let deep = format!("{}{}", "[".repeat(130), "]".repeat(130));
    let nodes = count(&value);
    for target in 0..nodes {
        let ops = REPLACEMENTS.iter().map(|r| Op::Replace(r)).chain([
            Op::Drop,
            Op::Twice,
            Op::ThenNull,
            Op::NullThen,
            Op::EscapedName,
        ]);
        for op in ops {
            out.push(render(&value, target, op).into_bytes());
        }
        out.push(render_with(&value, target, &deep).into_bytes());
    }
    out
}

fn count(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(map) => map.values().map(count).sum(),
        _ => 0,
    }
}

fn render(value: &Value, target: usize, op: Op) -> String {
    let mut out = String::new();
    let mut index = 0;
    write(value, target, op, &mut index, &mut out);
    out
}

fn render_with(value: &Value, target: usize, text: &str) -> String {
    let mut out = String::new();
    let mut index = 0;
    // A leaked replacement would need 'static; write it through a placeholder instead.
    write(value, target, Op::Replace("\u{1}"), &mut index, &mut out);
    out.replace('\u{1}', text)
}

fn write(value: &Value, target: usize, op: Op, index: &mut usize, out: &mut String) {
    let me = *index;
    *index += 1;
    if me == target
        && let Op::Replace(text) = op
    {
        out.push_str(text);
        skip(value, index);
        return;
    }
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, target, op, index, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            for (name, item) in map {
                let at = *index;
                let quoted = serde_json::to_string(name).unwrap_or_default();
                let member = |out: &mut String, name_text: &str, index: &mut usize| {
                    out.push_str(name_text);
                    out.push_str(": ");
                    write(item, target, op, index, out);
                };
                let mut sep = |out: &mut String| {
                    if !first {
                        out.push_str(", ");
                    }
                    first = false;
                };
                if at == target {
                    match op {
                        Op::Drop => {
                            *index += 1;
                            skip(item, index);
                        }
                        Op::Twice => {
                            let mut scratch = *index;
                            sep(out);
                            member(out, &quoted, &mut scratch);
                            sep(out);
                            member(out, &quoted, index);
                        }
                        Op::ThenNull => {
                            sep(out);
                            member(out, &quoted, index);
                            sep(out);
                            out.push_str(&quoted);
                            out.push_str(": null");
                        }
                        Op::NullThen => {
                            sep(out);
                            out.push_str(&quoted);
                            out.push_str(": null");
                            sep(out);
                            member(out, &quoted, index);
                        }
                        Op::EscapedName => {
                            let mut chars = name.chars();
                            let escaped = match chars.next() {
                                Some(c) if c.is_ascii() => {
                                    let rest =
                                        serde_json::to_string(chars.as_str()).unwrap_or_default();
                                    format!(
                                        "\"\\u{:04x}{}",
                                        u32::from(c),
                                        rest.get(1..).unwrap_or("")
                                    )
                                }
                                _ => quoted.clone(),
                            };
                            sep(out);
                            member(out, &escaped, index);
                        }
                        Op::Replace(_) => {
                            sep(out);
                            member(out, &quoted, index);
                        }
                    }
                } else {
                    sep(out);
                    member(out, &quoted, index);
                }
            }
            out.push('}');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap_or_default()),
    }
}

/// Advances `index` past `value`'s nodes without writing them.
fn skip(value: &Value, index: &mut usize) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| {
            *index += 1;
            skip(v, index);
        }),
        Value::Object(map) => map.values().for_each(|v| {
            *index += 1;
            skip(v, index);
        }),
        _ => {}
    }
}
