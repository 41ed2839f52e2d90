//! Which GWS endpoint a trace's `path` names: an agent operation on `/me/.../{id}`, or a CometD
//! channel carrying notifications.
//!
//! Source: gws-v2-interactions.txt ("The following operations are supported on
//! me/interactions/{id}"; "the true response arrives on the CometD topic (channel)
//! /v2/me/interactions/"); MODEL.md section 6 adds the media paths `/api/v2/me/{calls,chats,
//! emails,workitems}/{id}` and section 7 the channels `/v2/me/interactions`, `/v2/me/calls`, ...

use interaction_core::{Error, Media};
use interaction_wire::{Path, SmolStr, printable};

/// A collection of the agent's (`/me`) resources, as it appears in a request path or a CometD
/// channel name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    /// `interactions`: every media (gws-v2-interactions.txt, "me/interactions/{id}").
    Interactions,
    /// `calls`: voice interactions (media `live`).
    Calls,
    /// `chats`: chat interactions (media `chat`).
    Chats,
    /// `emails`: email interactions (media `nonlive`).
    Emails,
    /// `workitems`: workitems (media `nonlive`).
    Workitems,
}

impl Collection {
    /// Every collection, `interactions` first.
    pub const ALL: [Collection; 5] = [
        Collection::Interactions,
        Collection::Calls,
        Collection::Chats,
        Collection::Emails,
        Collection::Workitems,
    ];

    /// The path segment: `interactions`, `calls`, `chats`, `emails`, `workitems`.
    pub const fn segment(self) -> &'static str {
        match self {
            Collection::Interactions => "interactions",
            Collection::Calls => "calls",
            Collection::Chats => "chats",
            Collection::Emails => "emails",
            Collection::Workitems => "workitems",
        }
    }

    /// The media the collection holds; `None` for `interactions`, which holds every media.
    pub const fn media(self) -> Option<Media> {
        match self {
            Collection::Interactions => None,
            Collection::Calls => Some(Media::Live),
            Collection::Chats => Some(Media::Chat),
            Collection::Emails | Collection::Workitems => Some(Media::Nonlive),
        }
    }

    /// Checks that an interaction of `media` can be reached through this collection: a chat is
    /// not under `/api/v2/me/calls/{id}`. `interactions` reaches every media; `emails` and
    /// `workitems` both reach `nonlive` (the core does not tell an email from a workitem).
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `path` when the media differ.
    pub fn check(self, id: &str, media: Media) -> Result<(), Error> {
        match self.media() {
            Some(expected) if expected != media => Err(Error::invalid_field(
                "path",
                format!(
                    "`/me/{}/{{id}}` holds {} interactions, but interaction `{}` is {}",
                    self.segment(),
                    expected.name(),
                    printable(id),
                    media.name()
                ),
            )),
            _ => Ok(()),
        }
    }

    fn from_segment(segment: &str) -> Option<Collection> {
        Collection::ALL
            .into_iter()
            .find(|c| c.segment().eq_ignore_ascii_case(segment))
    }
}

/// What a GWS trace `path` names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /me/{collection}/{id}` or `POST /api/v2/me/{collection}/{id}`: an operation by the
    /// trace's `as` agent on interaction `id` ([`crate::decode_operation`]).
    Operation {
        /// The collection named in the path.
        collection: Collection,
        /// The interaction id: the last path segment, percent-decoded (not yet checked;
        /// [`crate::decode_operation`] checks it); inline when at most 23 bytes.
        id: SmolStr,
    },
    /// The CometD channel `/v2/me/{collection}`: a notification ([`crate::decode_notification`]).
    Channel(Collection),
}

/// Which GWS endpoint a trace's `path` names, if any.
///
/// Accepted (the fixed words case-insensitively, the id verbatim):
/// * operations: `/me/{collection}/{id}` (gws-v2-interactions.txt: "POST on
///   /me/interactions/{id}") and `/api/v2/me/{collection}/{id}` (the page's URIs:
///   `http://.../api/v2/interactions/...`), with `{collection}` one of `interactions`, `calls`,
///   `chats`, `emails`, `workitems`; also behind `scheme://host[:port]`;
/// * CometD channels: `/v2/me/{collection}` ("the CometD topic (channel) /v2/me/interactions/").
///
/// A trailing slash, a query string and a fragment are ignored; the id is percent-decoded
/// ([`interaction_wire::Path`], the one path reader). Anything else is `None`: a
/// collection without an id (`/me/interactions`), an id followed by more segments, other
/// prefixes (`/api/v1/me/...`), other collections (`/v2/me/devices`).
pub fn endpoint(path: &str) -> Option<Endpoint> {
    let path = Path::parse(path);
    if path.lacks_host() {
        return None;
    }
    let segments = path.parts();
    let word = |s: &str, w: &str| s.eq_ignore_ascii_case(w);
    match segments.as_slice() {
        [me, collection, id] if word(me, "me") => operation(collection, id),
        [api, v2, me, collection, id] if word(api, "api") && word(v2, "v2") && word(me, "me") => {
            operation(collection, id)
        }
        [v2, me, collection] if word(v2, "v2") && word(me, "me") => {
            Collection::from_segment(collection).map(Endpoint::Channel)
        }
        _ => None,
    }
}

fn operation(collection: &str, id: &str) -> Option<Endpoint> {
    Collection::from_segment(collection).map(|collection| Endpoint::Operation {
        collection,
        id: SmolStr::new(id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::unnecessary_wraps)] // compared with `endpoint`'s Option
    fn op(collection: Collection, id: &str) -> Option<Endpoint> {
        Some(Endpoint::Operation {
            collection,
            id: SmolStr::new(id),
        })
    }

    #[test]
    fn paths() {
        use Collection::*;
        for (path, want) in [
            (
                "/me/interactions/00009a8T8Y130123",
                op(Interactions, "00009a8T8Y130123"),
            ),
            ("/api/v2/me/interactions/abc", op(Interactions, "abc")),
            ("/API/V2/ME/Interactions/AbC/", op(Interactions, "AbC")),
            ("/api/v2/me/calls/c-1", op(Calls, "c-1")),
            ("/api/v2/me/chats/c-1", op(Chats, "c-1")),
            ("/api/v2/me/emails/e-1?x=1", op(Emails, "e-1")),
            ("/api/v2/me/workitems/w-1#frag", op(Workitems, "w-1")),
            ("/me/workitems/w-1", op(Workitems, "w-1")),
            (
                "http://gws.example.com:8090/api/v2/me/interactions/i-9",
                op(Interactions, "i-9"),
            ),
            ("me/interactions/i-9", op(Interactions, "i-9")),
            ("/v2/me/interactions", Some(Endpoint::Channel(Interactions))),
            (
                "/v2/me/interactions/",
                Some(Endpoint::Channel(Interactions)),
            ),
            ("/v2/me/calls", Some(Endpoint::Channel(Calls))),
            ("/v2/me/chats", Some(Endpoint::Channel(Chats))),
            ("/v2/me/emails", Some(Endpoint::Channel(Emails))),
            ("/v2/me/workitems", Some(Endpoint::Channel(Workitems))),
            ("/me/interactions", None),
            ("/me/interactions/a/b", None),
            ("/api/v1/me/interactions/a", None),
            ("/api/v2/interactions/a", None),
            ("/v2/me/devices", None),
            ("/me/devices/d-1", None),
            ("/v2/me/calls/c-1", None),
            ("callback", None),
            ("", None),
            ("/", None),
            ("http://host", None),
            (
                "/api/v2/me/interactions/a%2Fb%20c",
                op(Interactions, "a/b c"),
            ),
        ] {
            assert_eq!(endpoint(path), want, "{path:?}");
        }
    }

    #[test]
    fn media_paths_reach_their_media_only() {
        assert!(Collection::Interactions.check("x", Media::Live).is_ok());
        assert!(Collection::Calls.check("x", Media::Live).is_ok());
        assert!(Collection::Emails.check("x", Media::Nonlive).is_ok());
        assert!(Collection::Workitems.check("x", Media::Nonlive).is_ok());
        let err = Collection::Calls.check("x", Media::Chat).unwrap_err();
        assert_eq!(err.kind(), interaction_core::ErrorKind::InvalidField);
        assert_eq!(
            err.to_string(),
            "invalid `path`: `/me/calls/{id}` holds live interactions, but interaction `x` is chat"
        );
    }
}
