//! Which GWS endpoint a trace's `path` names: an agent operation on `/me/.../{id}`, or a CometD
//! channel carrying notifications.
//!
//! Source: gws-v2-interactions.txt ("The following operations are supported on
//! me/interactions/{id}"; "the true response arrives on the CometD topic (channel)
//! /v2/me/interactions/"); MODEL.md section 6 adds the media paths `/api/v2/me/{calls,chats,
//! emails,workitems}/{id}` and section 7 the channels `/v2/me/interactions`, `/v2/me/calls`, ...

use interaction_core::{Error, Media};
use interaction_wire::{Path, SmolStr, is_plain_segment, printable};

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

/// A CometD channel of the agent's own resources that carries no interaction notifications
/// of a collection (GWS 8.5 CallsMessageType, WorkbinsMessageType).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgentChannel {
    /// `/v2/me/devices`: `DeviceStateChangeMessage` (the agent's state).
    Devices,
    /// `/v2/me/workbins`: `WorkbinStateChangeMessage`, `WorkbinSubscriptionStateChangeMessage`.
    Workbins,
    /// `/v2/me/outbound`: `OutboundRecordMessage` (outbound campaign records).
    Outbound,
    /// `/v2/me`: the agent's own notifications (password changes).
    Me,
}

/// What a GWS request target or CometD channel names (GWS 8.5, docs.genesys.com
/// `Documentation/HTCC/8.5.2/API/...`; see `../shared/spec/vendor-supplement.md`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `/me/{collection}/{id}` or `/api/v2/me/{collection}/{id}`: an operation (`POST`) by the
    /// authenticated agent on interaction `id` ([`crate::decode_operation`]), or a read of it
    /// (`GET`).
    Operation {
        /// The collection named in the path.
        collection: Collection,
        /// The interaction id: the last path segment, percent-decoded (not yet checked;
        /// [`crate::decode_operation`] checks it); inline when at most 23 bytes.
        id: SmolStr,
    },
    /// `/api/v2/me/{collection}`: `POST` creates (workitem `Create`, WorkitemCreate; email
    /// `Create`, EmailCreate), `GET` lists the agent's interactions of the collection
    /// (`GET /api/v2/me/interactions?fields=*`, also the body of a resync).
    Collection(Collection),
    /// `/api/v2/interactions/{id}`: `GET` one interaction (the 8.5.0 Interactions API).
    Interaction {
        /// The interaction id, percent-decoded.
        id: SmolStr,
    },
    /// `/api/v2/me/devices/{id}/calls`: `POST` `Dial` (CallsDial).
    DeviceCalls {
        /// The device id.
        device: SmolStr,
    },
    /// `/api/v2/me/channels/{channel}`: agent state operations (`Ready`, `NotReady`,
    /// `AfterCallWork`, `AuxWork`: AgentStateReady and the pages after it).
    AgentState {
        /// The media channel (`voice`).
        channel: SmolStr,
    },
    /// `/api/v2/me`: `StartContactCenterSession`, `EndContactCenterSession`, and agent state
    /// operations some clients post there; `GET` reads the agent.
    Me,
    /// `/api/v2/me/workbins/{id}`: `AddChat`, `AddWorkitem`, `AddInteraction`, ... and
    /// `Subscribe` / `Unsubscribe` (WorkbinAddInteractionToGW, WorkbinSubscribingToGWNotif).
    MyWorkbin {
        /// The workbin id.
        workbin: SmolStr,
    },
    /// `/api/v2/me/workbins`: `GET` the agent's workbins.
    MyWorkbins,
    /// `/api/v2/workbins/{id}`: `PullWorkitem`, `PullChat`, ... (PullInteractionFromWorkbin);
    /// `/api/v2/workbins/{id}/workitems`: `GET` its content (WorkbinGetWorkbinContent).
    Workbin {
        /// The workbin id.
        workbin: SmolStr,
        /// Whether the path names its `workitems` (the content read).
        content: bool,
    },
    /// The CometD channel `/v2/me/{collection}`: a notification ([`crate::decode_notification`]).
    Channel(Collection),
    /// Another CometD channel of the agent: devices, workbins, outbound, `/v2/me`.
    AgentChannel(AgentChannel),
}

impl Endpoint {
    /// Whether this names a CometD channel (a message the platform pushes), not a request.
    pub const fn is_channel(&self) -> bool {
        matches!(self, Endpoint::Channel(_) | Endpoint::AgentChannel(_))
    }

    /// The operation `target` names when it is written as the GWS 8.5 pages write an
    /// operation's target, `/api/v2/me/{collection}/{id}` (the fixed words in any ASCII case,
    /// as [`endpoint`] reads them), with nothing before or after it and an id of visible ASCII
    /// other than `/`, `?`, `#` and `%` (so that nothing in it is decoded or cut off): the
    /// match of the form every operation a service receives has, made without reading the
    /// target as a path. `None` for every other target, which [`endpoint`] reads (to the same
    /// endpoint, when this gives one: a test holds it).
    pub fn spelled(target: &str) -> Option<Endpoint> {
        const PREFIX: &str = "/api/v2/me/";
        let head = target.get(..PREFIX.len())?;
        if !head.eq_ignore_ascii_case(PREFIX) {
            return None;
        }
        let rest = target.get(PREFIX.len()..)?;
        // Plain byte loops: a target is a few dozen bytes, too few for a searcher to pay.
        let slash = rest.bytes().position(|b| b == b'/')?;
        let (collection, id) = (rest.get(..slash)?, rest.get(slash + 1..)?);
        if !is_plain_segment(id) {
            return None;
        }
        operation(collection, id)
    }
}

/// Which GWS endpoint a request target or channel names, if any.
///
/// Accepted (the fixed words case-insensitively, ids verbatim and percent-decoded):
/// * `/me/{collection}/{id}` (gws-v2-interactions.txt: "POST on /me/interactions/{id}") and
///   `/api/v2/me/{collection}/{id}`, with `{collection}` one of `interactions`, `calls`,
///   `chats`, `emails`, `workitems`; also behind `scheme://host[:port]`;
/// * `/api/v2/me/{collection}`, `/api/v2/interactions/{id}`, `/api/v2/me/devices/{id}/calls`,
///   `/api/v2/me/channels/{channel}`, `/api/v2/me`, `/api/v2/me/workbins[/{id}]`,
///   `/api/v2/workbins/{id}[/workitems]` (the GWS 8.5 pages named in
///   `../shared/spec/vendor-supplement.md`);
/// * CometD channels: `/v2/me/{collection}` ("the CometD topic (channel) /v2/me/interactions/"),
///   `/v2/me/devices`, `/v2/me/workbins`, `/v2/me/outbound`, `/v2/me`.
///
/// A trailing slash, a query string and a fragment are ignored ([`interaction_wire::Path`], the
/// one path reader). Anything else is `None`: `/me/interactions` without `/api/v2`, an id
/// followed by more segments, other prefixes (`/api/v1/me/...`).
pub fn endpoint(path: &str) -> Option<Endpoint> {
    Endpoint::spelled(path).or_else(|| endpoint_in(&Path::parse(path)))
}

/// [`endpoint`] of a target already read.
pub fn endpoint_in(path: &Path<'_>) -> Option<Endpoint> {
    if path.lacks_host() {
        return None;
    }
    let segments = path.parts();
    let word = |s: &str, w: &str| s.eq_ignore_ascii_case(w);
    let id = |s: &str| SmolStr::new(s);
    match segments.as_slice() {
        [me, collection, x] if word(me, "me") => operation(collection, x),
        [api, v2, rest @ ..] if word(api, "api") && word(v2, "v2") => match rest {
            [me] if word(me, "me") => Some(Endpoint::Me),
            [me, workbins] if word(me, "me") && word(workbins, "workbins") => {
                Some(Endpoint::MyWorkbins)
            }
            [me, collection] if word(me, "me") => {
                Collection::from_segment(collection).map(Endpoint::Collection)
            }
            [me, workbins, w] if word(me, "me") && word(workbins, "workbins") => {
                Some(Endpoint::MyWorkbin { workbin: id(w) })
            }
            [me, channels, c] if word(me, "me") && word(channels, "channels") => {
                Some(Endpoint::AgentState { channel: id(c) })
            }
            [me, collection, x] if word(me, "me") => operation(collection, x),
            [me, devices, d, calls]
                if word(me, "me") && word(devices, "devices") && word(calls, "calls") =>
            {
                Some(Endpoint::DeviceCalls { device: id(d) })
            }
            [interactions, x] if word(interactions, "interactions") => {
                Some(Endpoint::Interaction { id: id(x) })
            }
            [workbins, w] if word(workbins, "workbins") => Some(Endpoint::Workbin {
                workbin: id(w),
                content: false,
            }),
            [workbins, w, items] if word(workbins, "workbins") && word(items, "workitems") => {
                Some(Endpoint::Workbin {
                    workbin: id(w),
                    content: true,
                })
            }
            _ => None,
        },
        [v2, me] if word(v2, "v2") && word(me, "me") => {
            Some(Endpoint::AgentChannel(AgentChannel::Me))
        }
        [v2, me, channel] if word(v2, "v2") && word(me, "me") => {
            match Collection::from_segment(channel) {
                Some(collection) => Some(Endpoint::Channel(collection)),
                None if word(channel, "devices") => {
                    Some(Endpoint::AgentChannel(AgentChannel::Devices))
                }
                None if word(channel, "workbins") => {
                    Some(Endpoint::AgentChannel(AgentChannel::Workbins))
                }
                None if word(channel, "outbound") => {
                    Some(Endpoint::AgentChannel(AgentChannel::Outbound))
                }
                None => None,
            }
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
    use proptest::prelude::*;

    use super::*;

    /// `Endpoint::spelled` never disagrees with the path reader: for every target it matches,
    /// `endpoint_in` of the target read as a path is the same endpoint.
    fn agrees(target: &str) {
        if let Some(spelled) = Endpoint::spelled(target) {
            assert_eq!(
                endpoint_in(&Path::parse(target)),
                Some(spelled),
                "{target:?}"
            );
        }
    }

    #[test]
    fn the_spelled_operation_is_the_operation_the_path_names() {
        use Collection::*;
        for (target, want) in [
            ("/api/v2/me/chats/ix-123", op(Chats, "ix-123")),
            ("/API/V2/Me/Calls/c-1", op(Calls, "c-1")),
            (
                "/api/v2/me/interactions/00009a8T8Y130123",
                op(Interactions, "00009a8T8Y130123"),
            ),
            ("/api/v2/me/workitems/w:1~x", op(Workitems, "w:1~x")),
            // Read as a path instead: every other form.
            ("/api/v2/me/chats/ix-123/", None),
            ("/api/v2/me/chats/ix%2D123", None),
            ("/api/v2/me/chats/ix-123?x=1", None),
            ("/api/v2/me/chats/ix-123#f", None),
            ("/api/v2/me/chats/ix 123", None),
            ("/api/v2/me/chats/ix-123 ", None),
            (" /api/v2/me/chats/ix-123", None),
            ("/api/v2/me//chats/ix-123", None),
            ("/api/v2/me/chats/", None),
            ("/api/v2/me/chats", None),
            ("/api/v2/me/workbins/w-1", None),
            ("/api/v2/me/channels/voice", None),
            ("/api/v2/me/devices/d-1/calls", None),
            ("/me/chats/ix-123", None),
            ("http://gws.example.com/api/v2/me/chats/ix-123", None),
            ("/api/v2/me/chats/ïx", None),
            ("/api/v2/mé/chats/x", None),
        ] {
            assert_eq!(Endpoint::spelled(target), want, "{target:?}");
            agrees(target);
            if want.is_some() {
                assert_eq!(endpoint(target), want, "{target:?}");
            }
        }
    }

    proptest! {
        /// Targets made of the words a GWS target has and of bytes the path reader treats
        /// apart (`/`, `%`, `?`, `#`, spaces, non-ASCII): the spelled match agrees.
        #[test]
        fn the_spelled_match_never_disagrees_with_the_path_reader(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("/"), Just("api"), Just("API"), Just("v2"), Just("me"), Just("chats"),
                    Just("Calls"), Just("interactions"), Just("workbins"), Just("x-1"),
                    Just("%2F"), Just("%41"), Just("?q=1"), Just("#f"), Just(" "), Just("é"),
                    Just("//"), Just("%"),
                ],
                0..10,
            )
        ) {
            let target: String = parts.concat();
            agrees(&target);
            agrees(&format!("/api/v2/me/{target}"));
            agrees(&format!("/api/v2/me/chats/{target}"));
        }
    }

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
            (
                "/api/v2/interactions/a",
                Some(Endpoint::Interaction { id: "a".into() }),
            ),
            (
                "/v2/me/devices",
                Some(Endpoint::AgentChannel(AgentChannel::Devices)),
            ),
            ("/api/v2/me", Some(Endpoint::Me)),
            (
                "/api/v2/me/channels/voice",
                Some(Endpoint::AgentState {
                    channel: "voice".into(),
                }),
            ),
            (
                "/api/v2/me/devices/d-1/calls",
                Some(Endpoint::DeviceCalls {
                    device: "d-1".into(),
                }),
            ),
            (
                "/api/v2/me/workitems",
                Some(Endpoint::Collection(Workitems)),
            ),
            (
                "/api/v2/me/interactions?fields=*",
                Some(Endpoint::Collection(Interactions)),
            ),
            (
                "/api/v2/me/workbins/wb-1",
                Some(Endpoint::MyWorkbin {
                    workbin: "wb-1".into(),
                }),
            ),
            ("/api/v2/me/workbins", Some(Endpoint::MyWorkbins)),
            (
                "/api/v2/workbins/wb-1",
                Some(Endpoint::Workbin {
                    workbin: "wb-1".into(),
                    content: false,
                }),
            ),
            (
                "/api/v2/workbins/wb-1/workitems?fields=*",
                Some(Endpoint::Workbin {
                    workbin: "wb-1".into(),
                    content: true,
                }),
            ),
            (
                "/v2/me/workbins",
                Some(Endpoint::AgentChannel(AgentChannel::Workbins)),
            ),
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
