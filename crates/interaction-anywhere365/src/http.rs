//! The HTTP side of the CTI Broker: which endpoint a path names, and the response to send.
//!
//! Source: anywhere365-cti-broker.txt, "Fire Commands", "Subscribe for Events" and "Unsubscribe
//! for Events" (their URL, Method, Success response and Error response rows).

use interaction_core::Error;
use interaction_wire::Path;
use serde_json::json;

use crate::subscription::SubscriptionId;

/// A CTI Broker endpoint (anywhere365-cti-broker.txt: "There are two endpoints": commands, and
/// subscribe/unsubscribe).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /api/command`: [`crate::decode_command`].
    Command,
    /// `POST /api/subscribe`: [`crate::decode_subscribe`], then
    /// [`crate::Subscriptions::subscribe`].
    Subscribe,
    /// `DELETE /api/subscribe/:id`: [`crate::Subscriptions::unsubscribe`] of the id, as it
    /// appears in the path.
    Unsubscribe(String),
}

impl Endpoint {
    /// The HTTP method the page documents for it: `POST`, or `DELETE` for
    /// [`Endpoint::Unsubscribe`].
    pub const fn method(&self) -> &'static str {
        match self {
            Endpoint::Command | Endpoint::Subscribe => "POST",
            Endpoint::Unsubscribe(_) => "DELETE",
        }
    }
}

/// Which CTI Broker endpoint a trace's `path` names, if any.
///
/// Accepted, with the segments `api`, `command` and `subscribe` in any case: `/api/command`,
/// `/api/subscribe`, `/api/subscribe/{id}`; the same without the leading `/` (the form of the
/// page's `Location: api/subscribe/:id`), or behind a host, with or without a scheme
/// (`https://cti.example.com/api/command`); a trailing slash, a query string or a fragment.
/// Anything else is `None`. The id is returned as it appears (it is checked by
/// [`crate::Subscriptions::unsubscribe`]).
pub fn endpoint(path: &str) -> Option<Endpoint> {
    let path = Path::parse(path);
    if path.lacks_host() {
        return None;
    }
    // A bare `host/api/...`: the host dropped.
    let segments = path.without_bare_host(1, |first| !first.eq_ignore_ascii_case("api"));
    match segments.as_slice() {
        [api, command]
            if api.eq_ignore_ascii_case("api") && command.eq_ignore_ascii_case("command") =>
        {
            Some(Endpoint::Command)
        }
        [api, subscribe]
            if api.eq_ignore_ascii_case("api") && subscribe.eq_ignore_ascii_case("subscribe") =>
        {
            Some(Endpoint::Subscribe)
        }
        [api, subscribe, id]
            if api.eq_ignore_ascii_case("api") && subscribe.eq_ignore_ascii_case("subscribe") =>
        {
            Some(Endpoint::Unsubscribe((*id).to_owned()))
        }
        _ => None,
    }
}

/// An HTTP response: status, the `Location` header when there is one, and the JSON body
/// (`null` for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The `Location` header (`201 Created` of a subscribe only).
    pub location: Option<String>,
    /// The body; `null` when the page documents none ("202 – No Content").
    pub body: serde_json::Value,
}

impl Response {
    fn refused(status: u16, error: &Error) -> Response {
        Response {
            status,
            location: None,
            body: json!({ "message": error.to_string() }),
        }
    }
}

/// The response to `POST /api/command`.
///
/// * Success: `202` with no body ("Success response 202 – No Content").
/// * Refusal: `500` with `{"message": "<the error>"}`. The page documents one error response,
///   "500 – Internal Server Error", and no error body; the body reuses the `{"message": ...}`
///   shape of the other adapters so that the refusal names its field.
pub fn command_response(result: Result<(), &Error>) -> Response {
    match result {
        Ok(()) => Response {
            status: 202,
            location: None,
            body: serde_json::Value::Null,
        },
        Err(error) => Response::refused(500, error),
    }
}

/// The response to `POST /api/subscribe`.
///
/// * Success: `201` with header `Location: api/subscribe/{id}` and no body ("Success response
///   Code : 201 created Location: api/subscribe/:id").
/// * Refusal: `500` with `{"message": "<the error>"}` ("Error response 500 – Internal Server
///   Error").
pub fn subscribe_response(result: Result<&SubscriptionId, &Error>) -> Response {
    match result {
        Ok(id) => Response {
            status: 201,
            location: Some(id.location()),
            body: serde_json::Value::Null,
        },
        Err(error) => Response::refused(500, error),
    }
}

/// The response to `DELETE /api/subscribe/:id`.
///
/// * Success: `202` with no body ("Success response 202 – No Content").
/// * Refusal: `404` with `{"message": "<the error>"}` ("Error response 404 – Not found"): the id
///   names no live subscription (never subscribed, already unsubscribed, or not a valid id).
pub fn unsubscribe_response(result: Result<(), &Error>) -> Response {
    match result {
        Ok(()) => Response {
            status: 202,
            location: None,
            body: serde_json::Value::Null,
        },
        Err(error) => Response::refused(404, error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let id = "296854af-2ba7-45d0-b460-085dc1843b3d";
        for (path, want) in [
            ("/api/command", Some(Endpoint::Command)),
            ("/API/Command/", Some(Endpoint::Command)),
            ("api/command", Some(Endpoint::Command)),
            (
                "https://cti.example.com/api/command",
                Some(Endpoint::Command),
            ),
            ("cti.example.com/api/command?x=1", Some(Endpoint::Command)),
            ("/api/subscribe", Some(Endpoint::Subscribe)),
            ("  /api/subscribe#f ", Some(Endpoint::Subscribe)),
            (
                "/api/subscribe/296854af-2ba7-45d0-b460-085dc1843b3d",
                Some(Endpoint::Unsubscribe(id.into())),
            ),
            (
                "api/subscribe/296854af-2ba7-45d0-b460-085dc1843b3d",
                Some(Endpoint::Unsubscribe(id.into())),
            ),
            (
                "https://cti.example.com/api/subscribe/296854af-2ba7-45d0-b460-085dc1843b3d",
                Some(Endpoint::Unsubscribe(id.into())),
            ),
            ("callback", None),
            ("/api", None),
            ("/api/commands", None),
            ("/v2/api/command", None),
            ("/api/subscribe/a/b", None),
            // A host named `api` and the path `/command`: no endpoint.
            ("https://api/command", None),
            ("", None),
        ] {
            assert_eq!(endpoint(path), want, "{path:?}");
        }
        assert_eq!(Endpoint::Command.method(), "POST");
        assert_eq!(Endpoint::Unsubscribe(id.into()).method(), "DELETE");
    }

    #[test]
    fn responses() {
        let err = Error::missing_field("ImAddress");
        assert_eq!(command_response(Ok(())).status, 202);
        let refused = command_response(Err(&err));
        assert_eq!(refused.status, 500);
        assert_eq!(
            refused.body,
            json!({"message": "missing required field `ImAddress`"})
        );
        let id = SubscriptionId::numbered(1);
        let created = subscribe_response(Ok(&id));
        assert_eq!(created.status, 201);
        assert_eq!(
            created.location.as_deref(),
            Some("api/subscribe/00000000-0000-0000-0000-000000000001")
        );
        assert_eq!(subscribe_response(Err(&err)).status, 500);
        assert_eq!(unsubscribe_response(Ok(())).status, 202);
        assert_eq!(unsubscribe_response(Err(&err)).status, 404);
    }
}
