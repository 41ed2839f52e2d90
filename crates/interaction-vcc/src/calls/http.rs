//! The HTTP side of the Calls API: the path, the request's content type, and the response.

use std::borrow::Cow;

use interaction_core::{Error, MAX_ID_LEN};
use interaction_wire::{Path, SmolStr, is_plain_segment, printable};
use serde_json::json;

use super::{messages, wire};

/// What the [`Error::Unsupported`] of an [`UnsupportedContentType`] names
/// (`unsupported content type ...`).
const CONTENT_TYPE: &str = "content type";

/// A Calls API request whose `Content-Type` is not JSON ([`check_content_type`]), answered
/// `415` (vcc-calls.txt: "415 Unsupported Media Type ... The requested resource does not
/// support content type 'multipart/form-data'."). Its own type, so that the status is read from
/// the refusal itself, never from an error's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedContentType {
    /// The media type sent, without its parameters (control characters escaped, at most 64
    /// characters): `multipart/form-data` for `multipart/form-data; boundary=...`.
    pub media_type: String,
}

impl UnsupportedContentType {
    /// The page's answer: `415` with `{"message": "The requested resource does not support
    /// content type '<type>'."}` ([`messages::unsupported_content_type`]).
    pub fn response(&self) -> (u16, serde_json::Value) {
        let message = messages::unsupported_content_type(&self.media_type);
        (415, json!({ "message": message }))
    }

    /// The refusal as an item or a record shows it: [`Error::Unsupported`], kind
    /// `unsupported`: "unsupported content type `text/plain`".
    pub fn error(&self) -> Error {
        Error::unsupported(CONTENT_TYPE, &self.media_type)
    }
}

impl From<UnsupportedContentType> for Error {
    fn from(refused: UnsupportedContentType) -> Error {
        refused.error()
    }
}

/// A `POST /v0/{accountKey}/calls` path, read by [`calls_path`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallsPath {
    /// The `{accountKey}` segment, verbatim (the page's examples: `a1b2c3d4e5`, `lmccg0ujju4`):
    /// a [`SmolStr`], held inline (no allocation) up to 23 bytes.
    pub account_key: SmolStr,
    /// `scheme://host` when the path names a host (`https://***.newvoicemedia.com`), `https://`
    /// being assumed for a bare `host/v0/...`; `None` for a path that starts with `/`.
    pub origin: Option<String>,
}

impl CallsPath {
    /// The path `target` is when it is written as the page's requests write it,
    /// `/v0/{accountKey}/calls` (`v0` and `calls` in any ASCII case, as [`calls_path`] reads
    /// them), with nothing before or after it and an account key of at most
    /// [`MAX_ID_LEN`] bytes of visible ASCII other than `/`, `?`, `#` and `%`: the match of the
    /// form nearly every request has, made without reading the target as a path. `None` for
    /// every other target, which [`calls_path`] reads (to the same path, when this gives one: a
    /// test holds it).
    pub fn spelled(target: &str) -> Option<CallsPath> {
        const VERSION: &str = "/v0/";
        const CALLS: &str = "/calls";
        let end = target.len().checked_sub(CALLS.len())?;
        let (head, tail) = (target.get(..VERSION.len())?, target.get(end..)?);
        if !head.eq_ignore_ascii_case(VERSION) || !tail.eq_ignore_ascii_case(CALLS) {
            return None;
        }
        let key = target.get(VERSION.len()..end)?;
        if key.len() > MAX_ID_LEN || !is_plain_segment(key) {
            return None;
        }
        Some(CallsPath {
            account_key: SmolStr::new(key),
            origin: None,
        })
    }

    /// The URL of call `id`, the `href` of the `201` body's `_self` link:
    /// `{origin}/V0/{accountKey}/Calls/{id}`, spelled as the page's sample spells it
    /// (`https://emea.newvoicemedia.com/V0/lmccg0ujju4/Calls/017db4a2-...`). Without an origin
    /// the link is the absolute path `/V0/{accountKey}/Calls/{id}`.
    pub fn call_href(&self, id: &str) -> String {
        format!(
            "{}/V0/{}/Calls/{id}",
            self.origin.as_deref().unwrap_or_default(),
            self.account_key
        )
    }
}

/// Reads a trace `path` as the Calls API's `POST /v0/{accountKey}/calls`, if it is one.
///
/// Accepted: `/v0/{accountKey}/calls`; the same behind a host, with or without a scheme
/// (`https://***.newvoicemedia.com/v0/a1b2c3d4e5/calls/`, as the page's curl examples show
/// it); `v0` and `calls` in any case (the page writes `v0/.../calls` in requests and
/// `V0/.../Calls` in its links); a trailing slash, a query string or a fragment. The account key
/// is any segment of at most 256 bytes without whitespace or control characters. Anything else
/// (a call id after `calls`, another version) is `None`.
pub fn calls_path(path: &str) -> Option<CallsPath> {
    CallsPath::spelled(path).or_else(|| calls_path_in(&Path::parse(path)))
}

/// [`calls_path`] of a target already read (an endpoint reads its request's target once).
pub fn calls_path_in(path: &Path<'_>) -> Option<CallsPath> {
    if path.lacks_host() {
        return None;
    }
    let segments = path.parts();
    let [before @ .., version, key, calls] = segments.as_slice() else {
        return None;
    };
    let hosts = if path.relative { 0..=1 } else { 0..=0 };
    if !version.eq_ignore_ascii_case("v0")
        || !calls.eq_ignore_ascii_case("calls")
        || !hosts.contains(&before.len())
        || key.len() > MAX_ID_LEN
        || key.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return None;
    }
    let origin = match (path.origin, before.first()) {
        (Some((scheme, host)), _) => Some(format!("{scheme}://{host}")),
        (None, Some(host)) => Some(format!("https://{host}")),
        (None, None) => None,
    };
    Some(CallsPath {
        account_key: SmolStr::new(key),
        origin,
    })
}

/// Checks a request's `Content-Type` (vcc-calls.txt: "Content-Type (required) application/json
/// Indicates that the media type sent by the client is JavaScript Object Notation (JSON)").
///
/// The media type (before any `;`) must be `application/json`, in any case, with any parameters
/// (`application/json; version=6`, `application/json;version=6` as the page's examples send it,
/// `; charset=utf-8`). Whitespace around it is ignored.
///
/// # Errors
/// [`UnsupportedContentType`] naming the media type without its parameters, whose
/// [`UnsupportedContentType::response`] is the page's `415`, "The requested resource does not
/// support content type 'multipart/form-data'." (the page's sample names the type without the
/// `boundary` parameter a multipart type always carries), and whose
/// [`UnsupportedContentType::error`] is the item's `unsupported content type
/// `multipart/form-data``.
pub fn check_content_type(content_type: &str) -> Result<(), UnsupportedContentType> {
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if media_type.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(UnsupportedContentType {
            media_type: printable(media_type),
        })
    }
}

/// The HTTP response to a Calls API request: `(status, JSON body)`.
///
/// * `Ok(call)`: `201` with the call ([`super::PlaceCall::created`]; vcc-calls.txt: "Successful
///   calls return HTTP status code of 201").
/// * A refusal: `400` with `{"message": ...}` (vcc-calls.txt, "Returns HTTP Status Code 400"):
///   the page's own words where it has them, exactly as spelled in [`messages`], read from the
///   error's variant (an [`Error::InvalidFieldWorded`] or [`Error::MissingFieldWorded`] gives
///   its message: a missing `from` "Agent Id must be specified", a missing `to` "Either
///   telephone number or agent id required"; the agent refusals of [`super::check_call`] carry
///   the page's message); else the error's message, which names the field (`from.groups[0]:
///   ...`, a malformed body).
///
/// A content type refusal is not an [`Error`] here: [`UnsupportedContentType::response`] is
/// its `415`.
pub fn calls_response(result: Result<&wire::Call, &Error>) -> (u16, serde_json::Value) {
    let error = match result {
        Ok(call) => return (201, serde_json::to_value(call).unwrap_or_default()),
        Err(error) => error,
    };
    let message: Cow<'_, str> = match error {
        Error::InvalidFieldWorded { message, .. } | Error::MissingFieldWorded { message, .. } => {
            Cow::Borrowed(*message)
        }
        other => other.to_string().into(),
    };
    (400, json!({ "message": message }))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `CallsPath::spelled` never disagrees with the path reader.
    fn agrees(target: &str) {
        if let Some(spelled) = CallsPath::spelled(target) {
            assert_eq!(
                calls_path_in(&Path::parse(target)),
                Some(spelled),
                "{target:?}"
            );
        }
    }

    #[test]
    fn the_spelled_path_is_the_path_the_reader_reads() {
        let key = |k: &str| {
            Some(CallsPath {
                account_key: SmolStr::new(k),
                origin: None,
            })
        };
        let long = format!("/v0/{}/calls", "k".repeat(MAX_ID_LEN + 1));
        for (target, want) in [
            ("/v0/a1b2c3d4e5/calls", key("a1b2c3d4e5")),
            ("/V0/lmccg0ujju4/Calls", key("lmccg0ujju4")),
            ("/v0/a-b_c.d~e:f/CALLS", key("a-b_c.d~e:f")),
            // Read as a path instead: every other form.
            ("/v0/a1b2c3d4e5/calls/", None),
            ("/v0/a1%62/calls", None),
            ("/v0/a1/calls?x=1", None),
            ("/v0/a1/calls#f", None),
            ("/v0/a 1/calls", None),
            ("/v0//calls", None),
            ("/v0/calls", None),
            ("/v0/a/b/calls", None),
            ("/v1/a1/calls", None),
            (" /v0/a1/calls", None),
            ("https://emea.newvoicemedia.com/v0/a1/calls", None),
            ("/v0/é/calls", None),
            (long.as_str(), None),
        ] {
            assert_eq!(CallsPath::spelled(target), want, "{target:?}");
            agrees(target);
            if want.is_some() {
                assert_eq!(calls_path(target), want, "{target:?}");
            }
        }
    }

    proptest! {
        /// Targets made of the words a Calls API target has and of the bytes the path reader
        /// treats apart: the spelled match agrees.
        #[test]
        fn the_spelled_match_never_disagrees_with_the_path_reader(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("/"), Just("v0"), Just("V0"), Just("calls"), Just("Calls"),
                    Just("a1b2"), Just("%2F"), Just("%41"), Just("?q=1"), Just("#f"),
                    Just(" "), Just("é"), Just("//"), Just("%"), Just("\t"),
                ],
                0..8,
            )
        ) {
            let target: String = parts.concat();
            agrees(&target);
            agrees(&format!("/v0/{target}/calls"));
            agrees(&format!("/v0/{target}"));
        }
    }

    #[test]
    fn paths() {
        let relative = |key: &str| {
            Some(CallsPath {
                account_key: SmolStr::new(key),
                origin: None,
            })
        };
        let hosted = |key: &str, origin: &str| {
            Some(CallsPath {
                account_key: SmolStr::new(key),
                origin: Some(origin.to_owned()),
            })
        };
        for (path, want) in [
            ("/v0/a1b2c3d4e5/calls", relative("a1b2c3d4e5")),
            ("/v0/a1b2c3d4e5/calls/", relative("a1b2c3d4e5")),
            ("/V0/lmccg0ujju4/Calls?x=1#f", relative("lmccg0ujju4")),
            ("  /v0/k/calls  ", relative("k")),
            (
                "https://***.newvoicemedia.com/v0/a1b2c3d4e5/calls/",
                hosted("a1b2c3d4e5", "https://***.newvoicemedia.com"),
            ),
            (
                "emea.newvoicemedia.com/v0/k/calls",
                hosted("k", "https://emea.newvoicemedia.com"),
            ),
            ("v0/k/calls", relative("k")),
            ("/v0/k/calls/017db4a2", None),
            ("/v1/k/calls", None),
            ("/x/v0/k/calls", None),
            ("https:///v0/k/calls", None),
            ("/v0//calls", None),
            ("/v0/calls", None),
            ("/v0/a b/calls", None),
            ("/interactions/Invoke", None),
            ("callback", None),
            ("", None),
        ] {
            assert_eq!(calls_path(path), want, "{path:?}");
        }
        let long = format!("/v0/{}/calls", "k".repeat(MAX_ID_LEN + 1));
        assert_eq!(calls_path(&long), None);
    }

    #[test]
    fn hrefs() {
        let path = calls_path("https://emea.newvoicemedia.com/v0/lmccg0ujju4/calls").unwrap();
        assert_eq!(
            path.call_href("017db4a2-44b5-672e-8b9f-1a805fed07ad"),
            "https://emea.newvoicemedia.com/V0/lmccg0ujju4/Calls/017db4a2-44b5-672e-8b9f-1a805fed07ad"
        );
        let path = calls_path("/v0/a1b2c3d4e5/calls").unwrap();
        assert_eq!(path.call_href("call-3"), "/V0/a1b2c3d4e5/Calls/call-3");
    }

    #[test]
    fn content_types() {
        for ok in [
            "application/json",
            "application/json; version=6",
            "application/json;version=6",
            "Application/JSON; charset=utf-8",
            "  application/json  ",
        ] {
            assert_eq!(check_content_type(ok), Ok(()), "{ok}");
        }
        for (bad, named) in [
            ("multipart/form-data; boundary=----x", "multipart/form-data"),
            ("text/plain", "text/plain"),
            ("application/xml", "application/xml"),
            ("application/jsonx", "application/jsonx"),
            ("text/json", "text/json"),
            ("", ""),
        ] {
            let refused = check_content_type(bad).unwrap_err();
            assert_eq!(refused.media_type, named);
            let err = refused.error();
            assert_eq!(
                err.kind(),
                interaction_core::ErrorKind::Unsupported,
                "{bad}"
            );
            assert_eq!(
                err.to_string(),
                format!("unsupported content type `{named}`")
            );
            let (status, body) = refused.response();
            assert_eq!(status, 415, "{bad}");
            assert_eq!(
                body,
                json!({"message": format!(
                    "The requested resource does not support content type '{named}'."
                )})
            );
        }
    }

    #[test]
    fn the_pages_415_sample() {
        let refused = check_content_type("multipart/form-data").unwrap_err();
        assert_eq!(
            refused.response(),
            (
                415,
                json!({"message": "The requested resource does not support content type 'multipart/form-data'."})
            )
        );
    }

    /// The status comes from the refusal's type: an `Error` that reads as a content type
    /// refusal is still a 400, and the page's 400 words come from the worded variants only.
    #[test]
    fn other_unsupported_errors_are_400() {
        let err = Error::unsupported("notification", "x");
        assert_eq!(calls_response(Err(&err)).0, 400);
        let lookalike = Error::unsupported(CONTENT_TYPE, "text/plain");
        assert_eq!(calls_response(Err(&lookalike)).0, 400);
        assert_eq!(
            calls_response(Err(&Error::missing_field("from"))).1,
            json!({"message": "missing required field `from`"})
        );
        let worded = Error::MissingFieldWorded {
            field: "from",
            message: messages::AGENT_ID_REQUIRED,
        };
        assert_eq!(worded.to_string(), "missing required field `from`");
        assert_eq!(worded.kind(), interaction_core::ErrorKind::MissingField);
        assert_eq!(
            calls_response(Err(&worded)),
            (400, json!({"message": "Agent Id must be specified"}))
        );
    }

    #[test]
    fn refusals_without_the_pages_words_keep_their_message() {
        let err = Error::invalid_field("from.groups[0]", "contains a control character");
        assert_eq!(
            calls_response(Err(&err)),
            (
                400,
                json!({"message": "invalid `from.groups[0]`: contains a control character"})
            )
        );
        let err = Error::missing_field("from.groups[0]");
        assert_eq!(
            calls_response(Err(&err)).1,
            json!({"message": "missing required field `from.groups[0]`"})
        );
    }
}
