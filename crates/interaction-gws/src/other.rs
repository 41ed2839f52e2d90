//! The CometD messages of the agent's other channels: `DeviceStateChangeMessage` on
//! `/v2/me/devices` (the agent's state), `WorkbinStateChangeMessage` and
//! `WorkbinSubscriptionStateChangeMessage` on `/v2/me/workbins`, and the message that carries
//! nothing the model holds (`OutboundRecordMessage`). The `/v2/me` password notifications
//! (AsyncTelephonyOpsNotifications 8.5.0) carry no `messageType` and are refused as any
//! notification without one is.
//!
//! Sources: GWS 8.5 CallsMessageType ("DeviceStateChangeMessage ... data.devices: An array of
//! device resources"), AgentStateReady / AgentStateNotReady / AgentStateAfterCallWork /
//! AgentStateAuxWork (the `userState` each sets: `{"state": "Ready"}`, `{"state":
//! "NotReady"}`, `{"state": "NotReady", "workMode": "AfterCallWork"}`, `{"state": "NotReady",
//! "workMode": "AuxWork"}`), WorkbinsMessageType and WorkbinAddInteractionToGW (`"action":
//! "ItemAdded"` with a `<media>StateResourceV2` naming the interaction).

use interaction_core::{AgentAction, AgentId, Error, InteractionId, Name};
use interaction_wire::{
    ListMember, ObjectMember, RawList, RawObject, Read, Text, members, printable, text_at,
};
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

/// A message of the agent's other channels, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OtherMessage {
    /// `DeviceStateChangeMessage`: the agent's state as its (first) device reports it; `None`
    /// when no device carries a `userState` the model reads.
    Device {
        /// The agent whose channel carried it.
        agent: AgentId,
        /// The agent action the reported state stands for.
        action: Option<AgentAction>,
    },
    /// `WorkbinStateChangeMessage` `ItemAdded`: the interaction is now in workbin `workbin`.
    WorkbinItemAdded {
        /// The agent whose channel carried it.
        agent: AgentId,
        /// The workbin (`data.id`).
        workbin: Name,
        /// The interaction (the state resource's `id`).
        interaction: InteractionId,
    },
    /// A message with nothing for the model (`WorkbinSubscriptionStateChangeMessage`, any
    /// other workbin `action`, `OutboundRecordMessage`): accepted, nothing changes.
    Nothing {
        /// The `messageType`, or the `notificationType` of a `/v2/me` message.
        what: String,
    },
}

/// The `messageType`s this module reads.
pub const OTHER_MESSAGE_TYPES: [&str; 4] = [
    "DeviceStateChangeMessage",
    "WorkbinStateChangeMessage",
    "WorkbinSubscriptionStateChangeMessage",
    "OutboundRecordMessage",
];

/// The state resources of a `WorkbinStateChangeMessage`, one per media (WorkbinsMessageType).
const STATE_RESOURCES: [&str; 6] = [
    "chatStateResourceV2",
    "emailStateResourceV2",
    "workitemStateResourceV2",
    "openmediaStateResourceV2",
    "facebookStateResourceV2",
    "twitterStateResourceV2",
];

/// The `messageType` of a body (or of its CometD envelope's `data`), when it is one of
/// [`OTHER_MESSAGE_TYPES`]; `None` otherwise (or when the body is not a JSON object).
pub fn other_message_type(body: &[u8]) -> Option<&'static str> {
    let top = read(body).ok()?;
    let data = top.data.as_ref().and_then(ObjectMember::ok);
    let name = match (&top.message_type, &data) {
        (None, Some(data)) => data.message_type.as_ref()?.ok()?,
        _ => top.message_type.as_ref()?.ok()?,
    };
    OTHER_MESSAGE_TYPES.into_iter().find(|t| *t == name)
}

members! {
    /// A message of the other channels ([`interaction_wire::read_body`]), every member kept
    /// raw and read when used (these messages are rare: one lax type serves both passes); `D`
    /// its `data`: the CometD envelope's message at the top, ignored inside it.
    struct OtherBody<'a, D> {
        "messageType" => message_type: &'a RawValue,
        "data" => data: D,
        "devices" => devices: RawList<'a, &'a RawValue>,
        "action" => action: &'a RawValue,
        "id" => id: &'a RawValue,
        "chatStateResourceV2" => chat: RawObject<'a, IdBody<'a>>,
        "emailStateResourceV2" => email: RawObject<'a, IdBody<'a>>,
        "workitemStateResourceV2" => workitem: RawObject<'a, IdBody<'a>>,
        "openmediaStateResourceV2" => openmedia: RawObject<'a, IdBody<'a>>,
        "facebookStateResourceV2" => facebook: RawObject<'a, IdBody<'a>>,
        "twitterStateResourceV2" => twitter: RawObject<'a, IdBody<'a>>,
    }
}

/// A whole body: a message whose `data` may be the message itself.
type Top<'a> = OtherBody<'a, RawObject<'a, OtherBody<'a, IgnoredAny>>>;

members! {
    /// A state resource: its `id`.
    struct IdBody<'a> {
        "id" => id: &'a RawValue,
    }
}

members! {
    /// A `devices` element.
    struct DeviceBody<'a> {
        "userState" => user_state: RawObject<'a, UserStateBody<'a>>,
    }
}

members! {
    /// A device's `userState`.
    struct UserStateBody<'a> {
        "state" => state: &'a RawValue,
        "workMode" => work_mode: &'a RawValue,
    }
}

/// The body as a [`Top`].
fn read(body: &[u8]) -> Result<Top<'_>, Error> {
    match interaction_wire::read_body::<Top<'_>, Top<'_>>(body, "notification body")? {
        Read::Fast(top) | Read::Lax(top) => Ok(top),
    }
}

/// Decodes a message of the agent's other channels (one of [`OTHER_MESSAGE_TYPES`]) received on
/// agent `as_agent`'s channel.
///
/// # Errors
/// [`Error::Malformed`] for a body that is not an object or a member of the wrong JSON type
/// (`devices` not a list, `userState.state` not a string, ...); [`Error::MissingField`] `as`,
/// `id` (a workbin's) or the state resource's `id` of an `ItemAdded`;
/// [`Error::Unsupported`] `messageType` for any other message type; the names and ids are
/// checked as every id is (empty, over 256 bytes, a control character: invalid).
pub fn decode_other(body: &[u8], as_agent: Option<&str>) -> Result<OtherMessage, Error> {
    let top = read(body)?;
    let data = top
        .data
        .as_ref()
        .map(|data| data.object("", "data"))
        .transpose()?;
    match (&top.message_type, data) {
        (None, Some(data)) => message(&data, "data", as_agent),
        _ => message(&top, "", as_agent),
    }
}

/// The agent action the first device with a known `userState` reports, if any.
fn device_action<D>(data: &OtherBody<'_, D>, prefix: &str) -> Result<Option<AgentAction>, Error> {
    let devices = data
        .devices
        .as_ref()
        .map(|d| d.list(prefix, "devices"))
        .transpose()?;
    let mut action = None;
    for (index, raw) in devices.iter().flat_map(|d| d.iter()).enumerate() {
        let path = format!("devices[{index}]");
        let device =
            match interaction_wire::read_object::<DeviceBody<'_>, DeviceBody<'_>>(raw, &path)? {
                Read::Fast(device) | Read::Lax(device) => device,
            };
        let Some(user_state) = device.user_state.as_ref() else {
            continue;
        };
        let user_state = user_state.object(&path, "userState")?;
        let at = format!("{path}.userState");
        let state = text_at(user_state.state.as_ref(), &at, "state")?;
        let work_mode = text_at(user_state.work_mode.as_ref(), &at, "workMode")?;
        action = match (state.as_deref(), work_mode.as_deref()) {
            (Some("Ready"), _) => Some(AgentAction::SetReady),
            (Some("NotReady"), Some("AfterCallWork")) => Some(AgentAction::SetAfterCallWork),
            (Some("NotReady"), Some(mode)) => Some(AgentAction::SetNotReady {
                reason: Some(Name::parse(mode, "userState.workMode")?),
            }),
            (Some("NotReady"), None) => Some(AgentAction::SetNotReady { reason: None }),
            _ => None,
        };
        if action.is_some() {
            break;
        }
    }
    Ok(action)
}

/// [`decode_other`] of one message, found at `prefix` (`data` in an envelope; for messages).
fn message<D>(
    data: &OtherBody<'_, D>,
    prefix: &str,
    as_agent: Option<&str>,
) -> Result<OtherMessage, Error> {
    let message_type = text_at(data.message_type.as_ref(), prefix, "messageType")?
        .ok_or_else(|| Error::missing_field("messageType"))?;
    let agent = || AgentId::parse(as_agent.ok_or_else(|| Error::missing_field("as"))?, "as");
    match message_type.as_ref() {
        "DeviceStateChangeMessage" => {
            let action = device_action(data, prefix)?;
            Ok(OtherMessage::Device {
                agent: agent()?,
                action,
            })
        }
        "WorkbinStateChangeMessage" => {
            let action = text_at(data.action.as_ref(), prefix, "action")?;
            if action.as_deref() != Some("ItemAdded") {
                return Ok(OtherMessage::Nothing {
                    what: format!(
                        "WorkbinStateChangeMessage {}",
                        printable(action.as_deref().unwrap_or(""))
                    ),
                });
            }
            let workbin = text_at(data.id.as_ref(), prefix, "id")?
                .ok_or_else(|| Error::missing_field("id"))?;
            let mut interaction = None;
            let resources = [
                &data.chat,
                &data.email,
                &data.workitem,
                &data.openmedia,
                &data.facebook,
                &data.twitter,
            ];
            for (key, resource) in STATE_RESOURCES.into_iter().zip(resources) {
                if let Some(resource) = resource {
                    let resource = resource.object(prefix, key)?;
                    let field = format!("{key}.id");
                    let at = interaction_wire::join(prefix, key);
                    let id = text_at(resource.id.as_ref(), &at, "id")?
                        .ok_or_else(|| Error::missing_field(field.clone()))?;
                    interaction = Some(InteractionId::parse(&id, &field)?);
                    break;
                }
            }
            // Any of the state resources names the interaction: the message names them all.
            let interaction = interaction.ok_or_else(|| {
                Error::missing_field(format!(
                    "a state resource ({})",
                    STATE_RESOURCES.join(" | ")
                ))
            })?;
            Ok(OtherMessage::WorkbinItemAdded {
                agent: agent()?,
                workbin: Name::parse(&workbin, "id")?,
                interaction,
            })
        }
        "WorkbinSubscriptionStateChangeMessage" | "OutboundRecordMessage" => {
            agent()?;
            Ok(OtherMessage::Nothing {
                what: message_type.into_owned(),
            })
        }
        other => Err(Error::unsupported("messageType", printable(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_device_sample_of_each_agent_state_page_reads() {
        let device = |user_state: &str| {
            format!(
                r#"{{"data": {{"messageType": "DeviceStateChangeMessage", "devices": [{{"id": "d1", "deviceState": "Active", "userState": {user_state}, "capabilities": ["ForwardCallsOn"]}}]}}, "channel": "/v2/me/devices"}}"#
            )
        };
        let cases = [
            (
                r#"{"id": "x", "displayName": "Ready", "state": "Ready"}"#,
                Some(AgentAction::SetReady),
            ),
            (
                r#"{"id": "x", "displayName": "Not Ready", "state": "NotReady"}"#,
                Some(AgentAction::SetNotReady { reason: None }),
            ),
            (
                r#"{"id": "x", "displayName": "After Call Work", "state": "NotReady", "workMode": "AfterCallWork"}"#,
                Some(AgentAction::SetAfterCallWork),
            ),
            (
                r#"{"id": "x", "displayName": "Not Ready", "state": "NotReady", "workMode": "AuxWork"}"#,
                Some(AgentAction::SetNotReady {
                    reason: Some(Name::parse("AuxWork", "t").unwrap()),
                }),
            ),
            (r#"{"id": "x", "state": "LoggedOut"}"#, None),
        ];
        for (user_state, want) in cases {
            let body = device(user_state);
            assert_eq!(
                other_message_type(body.as_bytes()),
                Some("DeviceStateChangeMessage")
            );
            assert_eq!(
                decode_other(body.as_bytes(), Some("1001")).unwrap(),
                OtherMessage::Device {
                    agent: AgentId::parse("1001", "t").unwrap(),
                    action: want
                },
                "{user_state}"
            );
        }
    }

    #[test]
    fn workbin_messages_read() {
        let added = br#"{"data": {"messageType": "WorkbinStateChangeMessage", "action": "ItemAdded", "id": "wb-1", "chatStateResourceV2": {"capabilities": [], "chatType": "Inbound", "id": "0001BaBFVPR20035"}}}"#;
        assert!(matches!(
            decode_other(added, Some("1001")).unwrap(),
            OtherMessage::WorkbinItemAdded { workbin, interaction, .. }
                if workbin.as_str() == "wb-1" && interaction.as_str() == "0001BaBFVPR20035"
        ));
        // Without a state resource the message names every one it would read.
        let bare = br#"{"data": {"messageType": "WorkbinStateChangeMessage", "action": "ItemAdded", "id": "wb-1"}}"#;
        let error = decode_other(bare, Some("1001")).unwrap_err().to_string();
        assert!(
            error.contains("chatStateResourceV2 | emailStateResourceV2"),
            "{error}"
        );
        let no_id = br#"{"data": {"messageType": "WorkbinStateChangeMessage", "action": "ItemAdded", "id": "wb-1", "emailStateResourceV2": {"id": ""}}}"#;
        let error = decode_other(no_id, Some("1001")).unwrap_err().to_string();
        assert!(error.contains("emailStateResourceV2.id"), "{error}");
        let subscribed = br#"{"data": {"stateResource": "Subscribed", "id": "aee812a5", "messageType": "WorkbinSubscriptionStateChangeMessage"}}"#;
        assert!(matches!(
            decode_other(subscribed, Some("1001")).unwrap(),
            OtherMessage::Nothing { .. }
        ));
        assert_eq!(
            other_message_type(br#"{"messageType": "CallStateChangeMessage"}"#),
            None
        );
        assert_eq!(other_message_type(b"[1"), None);
        let bad = br#"{"messageType": "DeviceStateChangeMessage", "devices": 3}"#;
        assert_eq!(
            decode_other(bad, Some("1001")).unwrap_err().kind(),
            interaction_core::ErrorKind::Malformed
        );
    }
}
