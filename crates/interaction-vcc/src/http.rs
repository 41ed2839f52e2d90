//! The HTTP side of the Interactions API: which endpoint a path names, and the response to send.

use interaction_core::{Error, ErrorKind};
use interaction_wire::Path;
use serde_json::json;

/// A VCC Interactions API endpoint (vcc-interactions-invoke.txt: "there are just two actions in
/// the Interactions API: Invoke and Register").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /interactions/Invoke`: [`crate::decode_invoke`].
    Invoke,
    /// `POST /interactions/register`: [`crate::decode_register`].
    Register,
}

impl Endpoint {
    /// The path as the vendor spells it: `/interactions/Invoke` or `/interactions/register`
    /// (vcc-interactions-invoke.txt, "Request URL"; vcc-interactions-register.txt, "Example
    /// Request").
    pub const fn path(self) -> &'static str {
        match self {
            Endpoint::Invoke => "/interactions/Invoke",
            Endpoint::Register => "/interactions/register",
        }
    }

    /// The endpoint whose [`Endpoint::path`] `target` is, ASCII case aside (MODEL.md section
    /// 6: "path case-insensitive"), with nothing before or after it: a match of the spelling
    /// nearly every request has, made without reading the target as a path ([`endpoint`]
    /// reads every other form).
    pub fn spelled(target: &str) -> Option<Endpoint> {
        [Endpoint::Invoke, Endpoint::Register]
            .into_iter()
            .find(|endpoint| target.eq_ignore_ascii_case(endpoint.path()))
    }
}

/// Which VCC Interactions endpoint a trace's `path` names, if any.
///
/// Accepted, case-insensitively (MODEL.md section 6: "path case-insensitive"):
/// `/interactions/Invoke` and `/interactions/register`; the same behind a host, with or without
/// a scheme (`https://***.api.newvoicemedia.com/interactions/Invoke`, as the page's "Request
/// URL" shows it); the pages' short names `/Invoke` and `/register` (vcc-interactions-invoke.txt:
/// "The Invoke action's endpoint—POST /Invoke"; vcc-interactions-register.txt: "The POST /register
/// endpoint"); a trailing slash, a query string or a fragment. Anything else, including a
/// path with other segments before `interactions` (`/v2/interactions/Invoke`), is `None`.
pub fn endpoint(path: &str) -> Option<Endpoint> {
    Endpoint::spelled(path).or_else(|| endpoint_in(&Path::parse(path)))
}

/// [`endpoint`] of a target already read (an endpoint reads its request's target once).
pub fn endpoint_in(path: &Path<'_>) -> Option<Endpoint> {
    if path.lacks_host() {
        return None;
    }
    // How many leading segments may be a host: one after a scheme (dropped by the reader),
    // none after a leading `/`, and at most one in a bare `host/interactions/Invoke`.
    let hosts = if path.relative { 0..=1 } else { 0..=0 };
    let segments = path.parts();
    let (last, before) = segments.split_last()?;
    let endpoint = if last.eq_ignore_ascii_case("invoke") {
        Endpoint::Invoke
    } else if last.eq_ignore_ascii_case("register") {
        Endpoint::Register
    } else {
        return None;
    };
    let before = match before.split_last() {
        Some((api, before)) if api.eq_ignore_ascii_case("interactions") => before,
        _ => before,
    };
    hosts.contains(&before.len()).then_some(endpoint)
}

/// The HTTP response to one Invoke request item or to a Register: `(status, JSON body)`.
///
/// * Success: `200` with body `null`. vcc-interactions-invoke.txt: "If our request is
///   successful, we will receive a 200 Success response"; the Interactions pages document no
///   response body.
/// * Refusal: `404` for [`ErrorKind::UnknownInteraction`] (the request names an interaction the
///   platform does not know), `400` for every other error, with body
///   `{"message": "<the error's Display>"}`. The Interactions pages document only "200 Success";
///   the error body reuses the shape the VCC Calls API documents for its 400 and 415 responses
///   (vcc-calls.txt: `{ "message": "Ccxml must be enabled for this account" }`).
pub fn response(result: Result<(), &Error>) -> (u16, serde_json::Value) {
    match result {
        Ok(()) => (200, serde_json::Value::Null),
        Err(error) => {
            let status = if error.kind() == ErrorKind::UnknownInteraction {
                404
            } else {
                400
            };
            (status, json!({ "message": error.to_string() }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        for (path, want) in [
            ("/interactions/Invoke", Some(Endpoint::Invoke)),
            ("/INTERACTIONS/invoke/", Some(Endpoint::Invoke)),
            (
                "https://***.api.newvoicemedia.com/interactions/Invoke",
                Some(Endpoint::Invoke),
            ),
            (
                "api.newvoicemedia.com/interactions/Invoke",
                Some(Endpoint::Invoke),
            ),
            ("interactions/Invoke", Some(Endpoint::Invoke)),
            ("/Invoke", Some(Endpoint::Invoke)),
            ("/interactions/Invoke?x=1", Some(Endpoint::Invoke)),
            ("/interactions/register", Some(Endpoint::Register)),
            (
                "https://***.api.newvoicemedia.com/interactions/register/",
                Some(Endpoint::Register),
            ),
            ("/Register", Some(Endpoint::Register)),
            ("  /interactions/Register  ", Some(Endpoint::Register)),
            ("callback", None),
            ("/v0/acc/calls", None),
            ("/v2/interactions/Invoke", None),
            ("/interactions/Invoked", None),
            ("/interactions", None),
            // A host named `interactions` and the page's short form `/Invoke`.
            ("https://interactions/Invoke", Some(Endpoint::Invoke)),
            ("", None),
            ("/", None),
        ] {
            assert_eq!(endpoint(path), want, "{path:?}");
            assert_eq!(endpoint_in(&Path::parse(path)), want, "{path:?}");
            // The match of the spelling never disagrees with the path's reading.
            let spelled = Endpoint::spelled(path);
            assert!(spelled.is_none() || spelled == want, "{path:?}");
        }
        for e in [Endpoint::Invoke, Endpoint::Register] {
            assert_eq!(endpoint(e.path()), Some(e));
            assert_eq!(Endpoint::spelled(e.path()), Some(e));
            assert_eq!(Endpoint::spelled(&e.path().to_ascii_uppercase()), Some(e));
            assert_eq!(Endpoint::spelled(&format!("{}/", e.path())), None);
        }
    }
}
