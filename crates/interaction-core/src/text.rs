//! Text a person reads: the one function that makes an input-derived value safe to show.
//!
//! Every message ([`crate::Error`]'s `Display`), every label of the replay's text timeline and
//! every quoted value goes through [`escape`], so that what a vendor sent can never drive a
//! terminal (ESC sequences), forge a line (CR, LF, U+2028), hide itself (zero-width characters)
//! or reorder what is printed around it (bidirectional overrides such as U+202E).

use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// The most characters [`quote`] keeps of a value before it cuts it with `…`.
pub const QUOTE_MAX_CHARS: usize = 64;

/// Whether `c` must be escaped before a person sees it: a control character (C0, DEL, C1), a
/// line or paragraph separator (U+2028, U+2029), or an invisible formatting character:
/// the soft hyphen U+00AD, the Arabic letter mark U+061C, the Mongolian vowel separator
/// U+180E, zero-width characters and joiners U+200B..=U+200D and U+2060..=U+2064, the
/// directional marks and embeddings U+200E, U+200F, U+202A..=U+202E, the isolates
/// U+2066..=U+2069, the deprecated format characters U+206A..=U+206F, the byte-order mark
/// U+FEFF, the interlinear annotation characters U+FFF9..=U+FFFB, and the tag characters
/// U+E0000..=U+E007F (the Unicode general category Cf, as far as a terminal is concerned).
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

/// `value` with every character [`needs_escape`] names written as its escape (`\u{1b}`, `\n`,
/// `\r`, `\t`, `\u{202e}`), and cut after `max_chars` characters with `…`. Borrowed when
/// nothing needed changing. The one escaping function of the workspace: messages, the replay's
/// text output and quoted values all use it.
///
/// ```
/// use interaction_core::text::escape;
///
/// assert_eq!(escape("plain", 64), "plain");
/// assert_eq!(escape("\u{1b}[2J", 64), "\\u{1b}[2J");
/// assert_eq!(escape("a\r\nb", 64), "a\\r\\nb");
/// assert_eq!(escape("evil\u{202e}txt", 64), "evil\\u{202e}txt");
/// assert_eq!(escape("abcdef", 3), "abc…");
/// ```
pub fn escape(value: &str, max_chars: usize) -> Cow<'_, str> {
    let plain = value.len() <= max_chars && !value.chars().any(needs_escape);
    if plain {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len().min(max_chars * 2));
    for (i, c) in value.chars().enumerate() {
        if i == max_chars {
            out.push('…');
            break;
        }
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// `value` escaped and cut at [`QUOTE_MAX_CHARS`], for quoting an input-derived value in a
/// message: `unsupported api `\u{1b}[2J``.
pub fn quote(value: &str) -> Cow<'_, str> {
    escape(value, QUOTE_MAX_CHARS)
}

fn push_escaped(out: &mut String, c: char) {
    if needs_escape(c) {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    } else {
        out.push(c);
    }
}

/// A [`fmt::Write`] that escapes what goes through it ([`needs_escape`]) and stops after
/// `max_chars` characters with `…`: how [`crate::Error`] writes its message, so that no value a
/// message quotes can carry a raw control or formatting character, however it got there.
pub(crate) struct Escaping<'a, W: fmt::Write> {
    inner: &'a mut W,
    left: usize,
    cut: bool,
}

impl<'a, W: fmt::Write> Escaping<'a, W> {
    pub(crate) fn new(inner: &'a mut W, max_chars: usize) -> Self {
        Escaping {
            inner,
            left: max_chars,
            cut: false,
        }
    }
}

impl<W: fmt::Write> fmt::Write for Escaping<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.cut {
            return Ok(());
        }
        if s.len() <= self.left && !s.chars().any(needs_escape) {
            self.left -= s.chars().count();
            return self.inner.write_str(s);
        }
        let mut buffer = String::new();
        for c in s.chars() {
            if self.left == 0 {
                self.cut = true;
                buffer.push('…');
                break;
            }
            self.left -= 1;
            push_escaped(&mut buffer, c);
        }
        self.inner.write_str(&buffer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_act_on() {
        for (raw, shown) in [
            ("\u{7}", "\\u{7}"),
            ("\u{0}", "\\u{0}"),
            ("\u{7f}", "\\u{7f}"),
            ("\u{85}", "\\u{85}"),
            ("\u{9b}31m", "\\u{9b}31m"),
            ("a\u{2028}b", "a\\u{2028}b"),
            ("\u{200b}", "\\u{200b}"),
            ("\u{feff}x", "\\u{feff}x"),
            ("\u{2066}\u{2069}", "\\u{2066}\\u{2069}"),
            ("\u{e0041}", "\\u{e0041}"),
        ] {
            assert_eq!(escape(raw, 64), shown, "{raw:?}");
        }
        for kept in ["Zoë 日本", "sip:alice@example.com", "a\u{a0}b", "\\u{1b}"] {
            assert!(matches!(escape(kept, 64), Cow::Borrowed(_)), "{kept:?}");
        }
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let raw = "x\u{1b}[31m\r\n\u{202e}y";
        let once = escape(raw, 64).into_owned();
        assert_eq!(escape(&once, 64), once);
    }

    #[test]
    fn the_writer_escapes_and_cuts_across_writes() {
        let mut out = String::new();
        let mut w = Escaping::new(&mut out, 6);
        let _ = w.write_str("ab");
        let _ = w.write_str("\n");
        let _ = w.write_str("cdefgh");
        assert_eq!(out, "ab\\ncde…");
    }
}
