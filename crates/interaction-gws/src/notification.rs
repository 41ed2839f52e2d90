//! CometD notifications on `/v2/me/...` channels, read as platform facts for the subscribed
//! agent (the trace's `as`).
//!
//! Source: gws-v2-interactions.txt ("In most cases, the true response arrives on the CometD
//! topic (channel) /v2/me/interactions/"; "Accepting the invitation associates the interaction
//! with the agent"); the message shape follows GWS's documented `WorkitemStateChangeMessage`
//! (`{"data": {"workitem": {"state", "capabilities", "id", "workitemType"}, "notificationType":
//! "StatusChange", "messageType": "WorkitemStateChangeMessage"}}`); rules: MODEL.md section 6.

use interaction_core::{
    Action, Actor, AgentId, Api, Callee, Caller, Direction, Error, Input, Interaction,
    InteractionId, Media, Name, Refusal, State, UserData,
};
use std::borrow::Cow;

use interaction_wire::{
    Fast, Lax, ListMember, Mode, ObjectMember, Read, SmolStr, Text, UserDataMember, members,
    printable, text_at,
};
use serde::de::IgnoredAny;
use serde_json::Value;
use serde_json::value::RawValue;

/// The `notificationType` that reports a state change; every other type updates data only.
const STATUS_CHANGE: &str = "StatusChange";
/// The `notificationType` of a change of a call's other parties (RemoveParticipantFromConference:
/// "will result in a "ParticipantsUpdated" notification which will contain the updated list of
/// participants").
const PARTICIPANTS_UPDATED: &str = "ParticipantsUpdated";
/// The most parties a `ParticipantsUpdated` is read for.
pub const MAX_PARTICIPANTS: usize = 64;

/// The message types this adapter reads (`messageType`), each with its resource member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageType {
    /// `CallStateChangeMessage`: resource `call`, media `live`, direction `callType`.
    Call,
    /// `ChatStateChangeMessage`: resource `chat`, media `chat`, direction `chatType`.
    Chat,
    /// `EmailStateChangeMessage`: resource `email`, media `nonlive`, direction `emailType`.
    Email,
    /// `WorkitemStateChangeMessage`: resource `workitem`, media `nonlive`, direction
    /// `workitemType`.
    Workitem,
    /// `OpenMediaStateChangeMessage`: resource `interaction`, media `nonlive`.
    OpenMedia,
    /// `InteractionStateChangeMessage`, the generic message of `/v2/me/interactions`: resource
    /// `interaction`, media `nonlive`.
    Interaction,
}

impl MessageType {
    /// Every message type.
    pub const ALL: [MessageType; 6] = [
        MessageType::Call,
        MessageType::Chat,
        MessageType::Email,
        MessageType::Workitem,
        MessageType::OpenMedia,
        MessageType::Interaction,
    ];

    /// The `messageType` value.
    pub const fn wire_name(self) -> &'static str {
        match self {
            MessageType::Call => "CallStateChangeMessage",
            MessageType::Chat => "ChatStateChangeMessage",
            MessageType::Email => "EmailStateChangeMessage",
            MessageType::Workitem => "WorkitemStateChangeMessage",
            MessageType::OpenMedia => "OpenMediaStateChangeMessage",
            MessageType::Interaction => "InteractionStateChangeMessage",
        }
    }

    /// The message type with that `messageType` value (case-sensitive).
    pub fn from_wire(name: &str) -> Option<MessageType> {
        MessageType::ALL.into_iter().find(|m| m.wire_name() == name)
    }

    /// The member holding the interaction resource: `call`, `chat`, `email`, `workitem` or
    /// `interaction`.
    pub const fn resource_key(self) -> &'static str {
        match self {
            MessageType::Call => "call",
            MessageType::Chat => "chat",
            MessageType::Email => "email",
            MessageType::Workitem => "workitem",
            MessageType::OpenMedia | MessageType::Interaction => "interaction",
        }
    }

    /// The media of an interaction first seen in this message: Call `live`, Chat `chat`, the
    /// others `nonlive`.
    pub const fn media(self) -> Media {
        match self {
            MessageType::Call => Media::Live,
            MessageType::Chat => Media::Chat,
            _ => Media::Nonlive,
        }
    }

    /// The resource members that give the direction, in the order they are looked for: the one
    /// named for the media (`callType`, ...), or for the generic messages any of the four.
    pub const fn direction_keys(self) -> &'static [&'static str] {
        match self {
            MessageType::Call => &["callType"],
            MessageType::Chat => &["chatType"],
            MessageType::Email => &["emailType"],
            MessageType::Workitem => &["workitemType"],
            MessageType::OpenMedia | MessageType::Interaction => {
                &["callType", "chatType", "emailType", "workitemType"]
            }
        }
    }
}

/// A GWS interaction state (the resource's `state` in a `StatusChange`): the seed page's,
/// and the GWS 8.5 pages' call states (CallsMessageType: Dialing, Ringing, Established, Held,
/// Released), chat `LeftChat` (ChatLeave) and email `Composing` / `Canceled` (EmailCreate,
/// EmailCancel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GwsState {
    /// Presented to the agent: offered.
    Invited,
    /// A call ringing on the agent's device: offered.
    Ringing,
    /// An outbound call placed from the agent's device (a dial, a consult call): dialing.
    Dialing,
    /// Worked by the agent (open media): connected.
    Processing,
    /// Worked by the agent (chat): connected.
    Chatting,
    /// Worked by the agent (call): connected.
    Established,
    /// An outbound email the agent is writing (Create, Reply): connected.
    Composing,
    /// On hold.
    Held,
    /// The offer was withdrawn.
    Revoked,
    /// Parked in a workbin.
    InWorkbin,
    /// The agent finished: ended, completed.
    Completed,
    /// Released: the media ended for this agent (ended, or in wrap-up).
    Released,
    /// The agent left the chat (ChatLeave): its part of the chat is over, its work is not
    /// (`Complete` is still offered): wrap-up.
    LeftChat,
    /// The agent cancelled an outbound email (EmailCancel): cancelled.
    Canceled,
}

impl GwsState {
    /// Every state.
    pub const ALL: [GwsState; 14] = [
        GwsState::Invited,
        GwsState::Ringing,
        GwsState::Dialing,
        GwsState::Processing,
        GwsState::Chatting,
        GwsState::Established,
        GwsState::Composing,
        GwsState::Held,
        GwsState::Revoked,
        GwsState::InWorkbin,
        GwsState::Completed,
        GwsState::Released,
        GwsState::LeftChat,
        GwsState::Canceled,
    ];

    /// The `state` value as GWS spells it.
    pub const fn wire_name(self) -> &'static str {
        match self {
            GwsState::Invited => "Invited",
            GwsState::Ringing => "Ringing",
            GwsState::Dialing => "Dialing",
            GwsState::Processing => "Processing",
            GwsState::Chatting => "Chatting",
            GwsState::Established => "Established",
            GwsState::Composing => "Composing",
            GwsState::Held => "Held",
            GwsState::Revoked => "Revoked",
            GwsState::InWorkbin => "InWorkbin",
            GwsState::Completed => "Completed",
            GwsState::Released => "Released",
            GwsState::LeftChat => "LeftChat",
            GwsState::Canceled => "Canceled",
        }
    }

    /// The state with that `state` value (case-sensitive).
    pub fn from_wire(name: &str) -> Option<GwsState> {
        GwsState::ALL.into_iter().find(|s| s.wire_name() == name)
    }
}

/// What a notification reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `notificationType` `StatusChange`: the interaction is now in this state.
    Status(GwsState),
    /// Any other `notificationType` (`ParticipantsUpdated`, `PropertiesUpdated`, ...): data
    /// changed, the state did not.
    Update {
        /// The `notificationType` as it came.
        notification_type: String,
    },
}

/// A decoded notification, before it is weighed against the interaction's current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The message type.
    pub message_type: MessageType,
    /// The interaction (the resource's `id`).
    pub interaction: InteractionId,
    /// The agent whose channel carried it (the trace's `as`).
    pub agent: AgentId,
    /// The media, from the message type.
    pub media: Media,
    /// The direction, from `callType` / `chatType` / `emailType` / `workitemType`; inbound when
    /// absent.
    pub direction: Direction,
    /// What it reports.
    pub event: Event,
    /// The resource's `userData`, when present.
    pub user_data: Option<UserData>,
    /// The resource's `workbin`, read for `InWorkbin` only.
    pub workbin: Option<Name>,
    /// The resource's `capabilities`, verbatim.
    pub capabilities: Option<Vec<String>>,
    /// A `Dialing` call's `dnis` (the number dialed), read for `Dialing` only.
    pub dnis: Option<Name>,
    /// A call's original call, when it is a consult call: the id that ends its
    /// `parentCallPath` (`"/calls/<id>"`), else its `parentCallUri` (`".../calls/<id>"`);
    /// CompleteConference: the consult call resource carries `"callType":"Consult"`,
    /// `"parentCallUri"` and `"parentCallPath"`. Read for calls only; `None` when neither is
    /// present or neither ends in `/calls/` and a valid id (a link we cannot read is no reason
    /// to refuse the call's state).
    pub parent: Option<InteractionId>,
    /// A call's other parties, read for a `ParticipantsUpdated` only: each element's
    /// `phoneNumber` (the 8.5.2 samples' `{"e164Number", "formattedPhoneNumber", "phoneNumber",
    /// "digits"}`), else its `digits`, or the element itself when it is a string (CallResource's
    /// list of strings); elements of no such shape are skipped, and at most
    /// [`MAX_PARTICIPANTS`] are kept. `None` for any other notification, or a `participants`
    /// that is not a list.
    pub participants: Option<Vec<Name>>,
    /// The message's `referenceId` (a number or a string, as its text), linking it to the
    /// request whose answer carried it (WorkitemCreate: `"referenceId": 8` in the answer and
    /// the notification); `None` when absent or neither a number nor a string.
    pub reference: Option<SmolStr>,
}

/// What a notification does to the engine.
// A fact is made and consumed at once, by value: boxing the input would allocate once per
// notification on the decode path (docs/PERFORMANCE.md) to save stack space nobody keeps.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// Apply this platform input.
    Apply(Input),
    /// Nothing changes: a data notification without `userData` on a live interaction, or a
    /// `Dialing` for a call already known. The replay records it `applied` with `from == to`.
    Unchanged,
    /// A notification on this agent's channel about an interaction the agent no longer holds
    /// (another agent owns it, or it waits in a queue): "a `Released`/`Completed` on agent A's
    /// channel means A no longer holds it; it does not end the interaction for agent B who now
    /// holds it" (vendor-supplement.md, GWS). Nothing changes; the record is `ignored`.
    Ignored,
}

/// One decoded (or refused) notification, with what could be read of it for the record.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationItem {
    /// The resource's `id` when it is a string, even if the notification was refused.
    pub interaction: Option<SmolStr>,
    /// The vendor value that decides the mapping, as it came (shortened to 64 characters): the
    /// `state` of a `StatusChange`, else the `notificationType`, or the `messageType` when that is
    /// unknown; `None` when not readable.
    pub label: Option<SmolStr>,
    /// The resource's `capabilities` when it is a list of strings, even if the notification was
    /// refused.
    pub capabilities: Option<Vec<String>>,
    /// The notification, or why it was refused.
    pub result: Result<Notification, Error>,
}

/// Decodes a CometD notification body received on agent `as_agent`'s channel (the trace's
/// `as`).
///
/// Shape: `{"messageType", "notificationType", <resource>: {"id", "state"?, "capabilities"?,
/// "userData"?, "<media>Type"?, "workbin"?, ...}}`, or the whole CometD message `{"channel"?,
/// "data": {...}}` (unwrapped when the body has `data` and no `messageType`). The resource
/// member is named for the message type ([`MessageType::resource_key`]). Unknown members are
/// ignored at any depth.
///
/// # Errors
/// The result is refused, in this order, when: the body is not JSON or not an object
/// ([`Error::Malformed`] `notification body`); `messageType` is absent ([`Error::MissingField`])
/// or another value ([`Error::Unsupported`] `messageType`); `notificationType` is absent
/// ([`Error::MissingField`]); the resource member is absent ([`Error::MissingField`], for
/// example `workitem`); its `id` is absent, empty, over 256 bytes or holds a control character
/// ([`Error::MissingField`] / [`Error::InvalidField`] `workitem.id`); `capabilities` is not a
/// list of strings or `userData` not an object ([`Error::Malformed`] naming the path; a
/// `userData` value nested deeper than 128 levels too); a `StatusChange` has no `state`
/// ([`Error::MissingField`] `workitem.state`) or an unknown one ([`Error::Unsupported`]
/// `state`); the direction member is not `Inbound`, `Outbound`, `Internal` or `Consult`
/// ([`Error::InvalidField`]); an `InWorkbin` `workbin` is empty, too long or holds a control
/// character; `as` is absent ([`Error::MissingField`] `as`) or invalid. Any member of the wrong
/// JSON type is [`Error::Malformed`] naming its path (`data.workitem.state: invalid type: ...`).
pub fn decode_notification(body: &[u8], as_agent: Option<&str>) -> NotificationItem {
    const WHAT: &str = "notification body";
    let mut item = NotificationItem {
        interaction: None,
        label: None,
        capabilities: None,
        result: Err(Error::missing_field("messageType")),
    };
    item.result = match interaction_wire::read_body::<Top<'_, Fast>, Top<'_, Lax>>(body, WHAT) {
        Ok(Read::Fast(mut top)) => decode(&mut top, as_agent, &mut item),
        Ok(Read::Lax(mut top)) => decode(&mut top, as_agent, &mut item),
        Err(e) => Err(e),
    };
    item
}

members! {
    /// A notification message ([`interaction_wire::read_body`]), its members as pass `M` holds
    /// them: [`Fast`] or [`Lax`]; `D` its `data`: the CometD envelope's message at the top,
    /// ignored inside it.
    struct MessageBody<'a, M: Mode, D> {
        "messageType" => message_type: M::Text<'a>,
        "notificationType" => notification_type: M::Text<'a>,
        "data" => data: D,
        "call" => call: M::Object<'a, ResourceBody<'a, M>>,
        "chat" => chat: M::Object<'a, ResourceBody<'a, M>>,
        "email" => email: M::Object<'a, ResourceBody<'a, M>>,
        "workitem" => workitem: M::Object<'a, ResourceBody<'a, M>>,
        "interaction" => interaction: M::Object<'a, ResourceBody<'a, M>>,
        "referenceId" => reference_id: &'a RawValue,
    }
}

/// A whole body: a message whose `data` may be the message itself (a CometD envelope).
type Top<'a, M> = MessageBody<'a, M, <M as Mode>::Object<'a, Box<Inner<'a, M>>>>;

/// The message inside a CometD envelope (its own `data` is not read).
type Inner<'a, M> = MessageBody<'a, M, IgnoredAny>;

members! {
    /// A resource member (`call`, `chat`, ...).
    struct ResourceBody<'a, M: Mode> {
        "id" => id: M::Text<'a>,
        "state" => state: M::Text<'a>,
        "capabilities" => capabilities: M::List<'a, String>,
        "userData" => user_data: M::UserData<'a>,
        "workbin" => workbin: M::Text<'a>,
        "callType" => call_type: M::Text<'a>,
        "chatType" => chat_type: M::Text<'a>,
        "emailType" => email_type: M::Text<'a>,
        "workitemType" => workitem_type: M::Text<'a>,
        "dnis" => dnis: M::Text<'a>,
        "parentCallPath" => parent_call_path: M::Text<'a>,
        "parentCallUri" => parent_call_uri: M::Text<'a>,
        "participants" => participants: &'a RawValue,
    }
}

/// Decodes a body either pass read, filling `item`'s labels as soon as they can be read.
/// `data` is unwrapped when the body has it and no `messageType` (a `data` that is not an
/// object is refused whatever else the body holds).
fn decode<M: Mode>(
    top: &mut Top<'_, M>,
    as_agent: Option<&str>,
    item: &mut NotificationItem,
) -> Result<Notification, Error> {
    let data = top
        .data
        .take()
        .map(|data| data.into_object("", "data"))
        .transpose()?;
    match (&top.message_type, data) {
        (None, Some(mut data)) => message(&mut data, "data", as_agent, item),
        _ => message(top, "", as_agent, item),
    }
}

/// [`decode`] of one message, found at `prefix` (`data` in an envelope; for messages): its
/// type, its labels leniently, then its members strictly.
fn message<M: Mode, D>(
    data: &mut MessageBody<'_, M, D>,
    prefix: &str,
    as_agent: Option<&str>,
    item: &mut NotificationItem,
) -> Result<Notification, Error> {
    let message_type = text_at(data.message_type.as_ref(), prefix, "messageType")?
        .ok_or_else(|| Error::missing_field("messageType"))?;
    let Some(kind) = MessageType::from_wire(&message_type) else {
        item.label = Some(interaction_wire::label(&message_type));
        return Err(Error::unsupported("messageType", printable(&message_type)));
    };
    let key = kind.resource_key();
    let resource = match kind {
        MessageType::Call => data.call.take(),
        MessageType::Chat => data.chat.take(),
        MessageType::Email => data.email.take(),
        MessageType::Workitem => data.workitem.take(),
        MessageType::OpenMedia | MessageType::Interaction => data.interaction.take(),
    };
    // Labels first, leniently: a refused notification still names what it was about.
    let notification_type = text_at(data.notification_type.as_ref(), prefix, "notificationType");
    if let Some(resource) = resource.as_ref().and_then(ObjectMember::ok) {
        item.interaction = resource.id.as_ref().and_then(Text::ok).map(SmolStr::new);
        item.capabilities = resource
            .capabilities
            .as_ref()
            .and_then(|c| c.list("", "").ok())
            .map(|c| c.clone());
        item.label = match notification_type.as_ref().ok().and_then(Option::as_deref) {
            Some(STATUS_CHANGE) => resource.state.as_ref().and_then(Text::ok),
            other => other.map(Cow::Borrowed),
        }
        .map(|label| interaction_wire::label(&label));
    }
    // Then strictly.
    let notification_type =
        notification_type?.ok_or_else(|| Error::missing_field("notificationType"))?;
    let resource = resource
        .ok_or_else(|| Error::missing_field(key))?
        .into_object(prefix, key)?;
    let participants_updated =
        kind == MessageType::Call && notification_type == PARTICIPANTS_UPDATED;
    let path = if prefix.is_empty() {
        Cow::Borrowed(key)
    } else {
        Cow::Owned(format!("{prefix}.{key}"))
    };
    let fields = resource_fields(resource, kind, &path, notification_type == STATUS_CHANGE)?;
    let view = ResourceView {
        id: &fields.id,
        state: fields.state.as_deref(),
        workbin: fields.workbin.as_deref(),
        types: direction_types(kind, fields.types.each_ref().map(|t| t.as_deref())),
        capabilities: fields.capabilities,
        user_data: fields.user_data,
        dnis: fields.dnis.as_deref(),
        parent: fields.parent.each_ref().map(|p| p.as_deref()),
        participants: fields.participants.filter(|_| participants_updated),
        reference: data.reference_id,
    };
    finish(kind, &notification_type, view, as_agent)
}

/// A resource's members the decoding reads, type-checked in this order: `id`,
/// `capabilities`, `userData`, `state` for a `StatusChange`, `workbin` for an `InWorkbin`,
/// `dnis` for a `Dialing`, `parentCallPath` and `parentCallUri` for a call, and the message
/// type's direction members ([`MessageType::direction_keys`]); the others are not read.
struct ResourceFields<'a> {
    id: Cow<'a, str>,
    capabilities: Option<Vec<String>>,
    user_data: Option<UserData>,
    state: Option<Cow<'a, str>>,
    workbin: Option<Cow<'a, str>>,
    /// `callType`, `chatType`, `emailType`, `workitemType`.
    types: [Option<Cow<'a, str>>; 4],
    dnis: Option<Cow<'a, str>>,
    parent: [Option<Cow<'a, str>>; 2],
    participants: Option<&'a RawValue>,
}

/// Reads [`ResourceFields`] out of a resource found at `path` (`chat`, `data.chat`; for
/// messages), in their order.
fn resource_fields<'a, M: Mode>(
    resource: ResourceBody<'a, M>,
    kind: MessageType,
    path: &str,
    status_change: bool,
) -> Result<ResourceFields<'a>, Error> {
    let key = kind.resource_key();
    let id = text_at(resource.id.as_ref(), path, "id")?
        .ok_or_else(|| Error::missing_field(format!("{key}.id")))?;
    let capabilities = resource
        .capabilities
        .map(|c| c.into_list(path, "capabilities"))
        .transpose()?;
    let user_data = resource
        .user_data
        .map(|d| d.user_data(path, "userData"))
        .transpose()?;
    let state = if status_change {
        text_at(resource.state.as_ref(), path, "state")?
    } else {
        None
    };
    let workbin = if state.as_deref() == Some(GwsState::InWorkbin.wire_name()) {
        text_at(resource.workbin.as_ref(), path, "workbin")?
    } else {
        None
    };
    let dnis = if state.as_deref() == Some(GwsState::Dialing.wire_name()) {
        text_at(resource.dnis.as_ref(), path, "dnis")?
    } else {
        None
    };
    let parent = if kind == MessageType::Call {
        [
            text_at(resource.parent_call_path.as_ref(), path, "parentCallPath")?,
            text_at(resource.parent_call_uri.as_ref(), path, "parentCallUri")?,
        ]
    } else {
        [None, None]
    };
    let mut types = [None, None, None, None];
    for &member in kind.direction_keys() {
        let (slot, value) = match member {
            "callType" => (0, &resource.call_type),
            "chatType" => (1, &resource.chat_type),
            "emailType" => (2, &resource.email_type),
            _ => (3, &resource.workitem_type),
        };
        if let Some(t) = types.get_mut(slot) {
            *t = text_at(value.as_ref(), path, member)?;
        }
    }
    Ok(ResourceFields {
        id,
        capabilities,
        user_data,
        state,
        workbin,
        types,
        dnis,
        parent,
        participants: resource.participants,
    })
}

/// `callType`, `chatType`, `emailType`, `workitemType`: those the message type reads, the
/// others `None` (they are not read).
fn direction_types(kind: MessageType, types: [Option<&str>; 4]) -> [Option<&str>; 4] {
    let [call, chat, email, workitem] = types;
    match kind {
        MessageType::Call => [call, None, None, None],
        MessageType::Chat => [None, chat, None, None],
        MessageType::Email => [None, None, email, None],
        MessageType::Workitem => [None, None, None, workitem],
        MessageType::OpenMedia | MessageType::Interaction => types,
    }
}

/// A resource's members as the rest of the decoding reads them, from either read.
struct ResourceView<'r> {
    id: &'r str,
    /// Read for a `StatusChange` only.
    state: Option<&'r str>,
    /// Read for an `InWorkbin` only.
    workbin: Option<&'r str>,
    /// `callType`, `chatType`, `emailType`, `workitemType`, as [`direction_types`] gives them.
    types: [Option<&'r str>; 4],
    capabilities: Option<Vec<String>>,
    user_data: Option<UserData>,
    /// Read for a `Dialing` only.
    dnis: Option<&'r str>,
    /// `parentCallPath`, `parentCallUri`: read for a call only.
    parent: [Option<&'r str>; 2],
    /// `participants`, as it came: read for a call's `ParticipantsUpdated` only.
    participants: Option<&'r RawValue>,
    /// The message's `referenceId`, as it came.
    reference: Option<&'r RawValue>,
}

/// The member paths of a resource's `id` and `workbin` (for messages), without building them.
const fn paths(kind: MessageType) -> (&'static str, &'static str) {
    match kind {
        MessageType::Call => ("call.id", "call.workbin"),
        MessageType::Chat => ("chat.id", "chat.workbin"),
        MessageType::Email => ("email.id", "email.workbin"),
        MessageType::Workitem => ("workitem.id", "workitem.workbin"),
        MessageType::OpenMedia | MessageType::Interaction => {
            ("interaction.id", "interaction.workbin")
        }
    }
}

/// The checks after the resource is read, shared by both reads.
fn finish(
    kind: MessageType,
    notification_type: &str,
    wire: ResourceView<'_>,
    as_agent: Option<&str>,
) -> Result<Notification, Error> {
    let key = kind.resource_key();
    let (id_path, workbin_path) = paths(kind);
    let interaction = InteractionId::parse(wire.id, id_path)?;
    let event = if notification_type == STATUS_CHANGE {
        let state = wire
            .state
            .ok_or_else(|| Error::missing_field(format!("{key}.state")))?;
        Event::Status(
            GwsState::from_wire(state)
                .ok_or_else(|| Error::unsupported("state", printable(state)))?,
        )
    } else {
        Event::Update {
            notification_type: notification_type.to_owned(),
        }
    };
    let direction = direction(wire.types, kind)?;
    let workbin = match (&event, wire.workbin) {
        (Event::Status(GwsState::InWorkbin), Some(workbin)) => {
            Some(Name::parse(workbin, workbin_path)?)
        }
        _ => None,
    };
    // A number we cannot read is no reason to refuse the call: it is only its callee's name.
    let dnis = match &event {
        Event::Status(GwsState::Dialing) => wire.dnis.and_then(|d| Name::parse(d, "dnis").ok()),
        _ => None,
    };
    let parent = wire.parent.into_iter().flatten().find_map(parent_call);
    let participants = wire.participants.and_then(parties);
    let reference = wire.reference.and_then(reference_of);
    let agent = AgentId::parse(as_agent.ok_or_else(|| Error::missing_field("as"))?, "as")?;
    Ok(Notification {
        message_type: kind,
        interaction,
        agent,
        media: kind.media(),
        direction,
        event,
        user_data: wire.user_data,
        workbin,
        capabilities: wire.capabilities,
        dnis,
        parent,
        participants,
        reference,
    })
}

/// A `referenceId`'s text: a string's content, a number's digits; `None` for anything else.
fn reference_of(raw: &RawValue) -> Option<SmolStr> {
    match serde_json::from_str::<Value>(raw.get()).ok()? {
        Value::String(text) => Some(SmolStr::new(text)),
        Value::Number(number) => Some(SmolStr::new(number.to_string())),
        _ => None,
    }
}

/// The parties of a call's `participants` list (see [`Notification::participants`]); `None`
/// when it is not a list.
fn parties(raw: &RawValue) -> Option<Vec<Name>> {
    let list: Vec<&RawValue> = serde_json::from_str(raw.get()).ok()?;
    let mut parties = Vec::new();
    for element in list {
        if parties.len() == MAX_PARTICIPANTS {
            break;
        }
        let number = match serde_json::from_str::<Value>(element.get()) {
            Ok(Value::String(number)) => Some(number),
            Ok(Value::Object(party)) => ["phoneNumber", "digits"]
                .into_iter()
                .find_map(|key| party.get(key).and_then(Value::as_str).map(str::to_owned)),
            _ => None,
        };
        if let Some(name) = number.and_then(|n| Name::parse(&n, "participants").ok()) {
            parties.push(name);
        }
    }
    Some(parties)
}

/// The call id a `parentCallPath` (`/calls/<id>`) or `parentCallUri`
/// (`http://host/api/v2/me/calls/<id>`) ends with; `None` when it does not end in `/calls/`
/// and a valid id.
fn parent_call(link: &str) -> Option<InteractionId> {
    InteractionId::parse(call_id_in(link)?, "parentCallPath").ok()
}

/// The last segment of a call path or URI that ends in `/calls/<id>` (`parentCallPath`,
/// `parentCallUri`, `consultCallUri`, `otherCallUri`), not yet checked; `None` otherwise.
pub(crate) fn call_id_in(link: &str) -> Option<&str> {
    let (_, id) = link.rsplit_once("/calls/")?;
    (!id.is_empty() && !id.contains('/')).then_some(id)
}

impl Notification {
    /// What this notification does, given the interaction as the engine holds it now
    /// (`current`, `None` when never seen). MODEL.md section 6:
    ///
    /// | `state` | current state | core input (actor `platform`) |
    /// |---|---|---|
    /// | `Invited`, `Ringing` | unknown | `offer {as}`, creating the interaction offered (media, direction, `userData`) |
    /// | `Invited` | connected or held by another agent | `transfer_to_agent {as}` (the platform reports a transfer) |
    /// | `Invited`, `Ringing` | dialing from another agent | [`Fact::Ignored`]: `as` is the callee, alerted; the call stays the caller's |
    /// | `Invited` | otherwise | `offer {as}` |
    /// | `Dialing` | unknown | `dial` by the platform from `as` to the call's `dnis`, creating it dialing |
    /// | `Dialing` | known (ended: `already_ended`) | nothing changes |
    /// | `Processing`, `Chatting`, `Established`, `Composing` | unknown | `assign {as}`, creating it connected |
    /// | same | offered to `as` | `accept` |
    /// | same | held by `as` | `retrieve` |
    /// | same | connected or held by another agent | `transferred {as}` |
    /// | same | in a workbin | `pull {as}` |
    /// | same | dialing from another agent | `answer` (no agent: connected to the calling agent; `as` is the callee) |
    /// | same | dialing | `answer {as}` |
    /// | same | otherwise (queued, offered to another, connected to `as`, ended) | `assign {as}` |
    /// | `InWorkbin` | any | `place_in_workbin {workbin}` (the resource's, else the current one) |
    /// | `Completed`, `Released` | offered to `as` | `reject` (a workitem or call it rejected goes back to routing) |
    /// | `Held` / `Completed` / `Canceled` | held by `as`, unknown or ended | `hold` / `complete` / `cancel` |
    /// | `Released` | held by `as`, unknown or ended | `release`, saying wrap-up is required when `Complete` is still offered or `userData` has `acw_time` |
    /// | `LeftChat` | held by `as`, unknown or ended | `release`, wrap-up required |
    /// | `Revoked` | offered to another agent | ignored; otherwise `revoke` |
    /// | `Held`, `Completed`, `Released`, `LeftChat`, `Canceled` | held by another agent, or queued | [`Fact::Ignored`]: one agent's view |
    ///
    /// Any other `notificationType` is [`Action::UpdateUserData`] with the resource's
    /// `userData` when it has one, else [`Fact::Unchanged`]; about an interaction `current`
    /// does not hold, it is always [`Action::UpdateUserData`] (its data, or none), which the
    /// engine refuses `unknown_interaction` for an id never seen and `already_ended` for one
    /// it forgot after its end. The engine then decides: a fact
    /// that restates the current state is an applied no-op, an ended interaction refuses
    /// everything but a restated end (`already_ended`).
    ///
    /// # Errors
    /// [`Refusal::AlreadyEnded`] for a data notification about an ended interaction still held
    /// when it carries no `userData`; [`Error::MissingField`] `<resource>.workbin` for `InWorkbin` when neither the
    /// resource nor the current state names a workbin.
    pub fn fact(&self, current: Option<&Interaction>) -> Result<Fact, Error> {
        self.clone().into_fact(current)
    }

    /// [`Notification::fact`], consuming the notification: its user data moves into the input
    /// instead of being copied (what the replay uses).
    ///
    /// # Errors
    /// As [`Notification::fact`].
    pub fn into_fact(self, current: Option<&Interaction>) -> Result<Fact, Error> {
        let Notification {
            message_type,
            interaction,
            agent,
            media,
            direction,
            event,
            user_data,
            workbin,
            capabilities,
            dnis,
            parent: _,
            participants: _,
            reference: _,
        } = self;
        let state = current.map(Interaction::state);
        // A platform fact about an interaction never seen creates it (MODEL.md section 3).
        let first_sight = |interaction, user_data: Option<UserData>, action| {
            Input::new(interaction, action, Actor::Platform)
                .with_first_sight_data(media, direction, user_data.unwrap_or_default())
                .via(Api::Gws)
        };
        let held_by_other = |owner: &AgentId| owner != &agent;
        let mut wrap_up = None;
        let action = match event {
            Event::Update { .. } => return update_fact(interaction, user_data, current),
            Event::Status(GwsState::Invited | GwsState::Ringing) => match state {
                None => {
                    return Ok(Fact::Apply(first_sight(
                        interaction,
                        user_data,
                        Action::Offer { agent },
                    )));
                }
                Some(State::Connected { owner } | State::Held { owner })
                    if held_by_other(owner) =>
                {
                    Action::TransferToAgent { agent }
                }
                // Another agent is dialing it: this agent is the callee, alerted (an
                // internal or consult call between two agents); the call is still the
                // caller's, dialing.
                Some(dialing @ State::Dialing { .. })
                    if dialing.owner().is_some_and(held_by_other) =>
                {
                    return Ok(Fact::Ignored);
                }
                Some(_) => Action::Offer { agent },
            },
            Event::Status(GwsState::Dialing) => {
                return dialing(interaction, agent, dnis, media, state);
            }
            Event::Status(
                GwsState::Processing
                | GwsState::Chatting
                | GwsState::Established
                | GwsState::Composing,
            ) => match state {
                None => {
                    return Ok(Fact::Apply(first_sight(
                        interaction,
                        user_data,
                        Action::Assign { agent },
                    )));
                }
                Some(state) => working(state, agent),
            },
            Event::Status(GwsState::InWorkbin) => {
                let current_workbin = match state {
                    Some(State::InWorkbin { workbin, .. }) => Some(workbin.clone()),
                    _ => None,
                };
                let workbin = workbin.or(current_workbin).ok_or_else(|| {
                    Error::missing_field(format!("{}.workbin", message_type.resource_key()))
                })?;
                Action::PlaceInWorkbin { workbin }
            }
            Event::Status(departure) => {
                match leaving(
                    departure,
                    state,
                    &agent,
                    capabilities.as_deref(),
                    user_data.as_ref(),
                ) {
                    Some((action, wrap)) => {
                        wrap_up = wrap;
                        action
                    }
                    None => return Ok(Fact::Ignored),
                }
            }
        };
        let mut input = Input::new(interaction, action, Actor::Platform).via(Api::Gws);
        if let Some(wrap_up) = wrap_up {
            input = input.with_wrap_up(wrap_up);
        }
        Ok(Fact::Apply(input))
    }
}

/// A `Dialing` notification: a call placed (first sight), nothing for one already known, too
/// late for one that ended.
fn dialing(
    interaction: InteractionId,
    agent: AgentId,
    dnis: Option<Name>,
    media: Media,
    state: Option<&State>,
) -> Result<Fact, Error> {
    match state {
        None => Ok(Fact::Apply(placed(interaction, agent, dnis, media)?)),
        Some(State::Ended { reason }) => Err(Refusal::AlreadyEnded {
            interaction,
            reason: *reason,
            action: interaction_core::ActionKind::Dial,
        }
        .into()),
        Some(_) => Ok(Fact::Unchanged),
    }
}

/// The platform's report of a call this agent placed, seen first as `Dialing` (CallsDial: "The
/// first notification for an outbound internal call is state `Dialing`"): a dial from the
/// agent to the call's `dnis` (`unknown` when it has none).
fn placed(
    interaction: InteractionId,
    agent: AgentId,
    dnis: Option<Name>,
    media: Media,
) -> Result<Input, Error> {
    let to = match dnis {
        Some(number) => number,
        None => Name::parse("unknown", "dnis")?,
    };
    Ok(Input::new(
        interaction,
        Action::Dial {
            from: Caller::Agent(agent),
            to: Callee::Number(to),
            media,
        },
        Actor::Platform,
    )
    .via(Api::Gws))
}

/// What a state that ends or parks this agent's part (`Held`, `Revoked`, `Completed`,
/// `Released`, `LeftChat`, `Canceled`) means from this agent's view: the action, and whether
/// it says wrap-up is required; `None` when the agent does not hold the interaction (another
/// agent owns it, or it waits in a queue): ignored.
fn leaving(
    gws: GwsState,
    state: Option<&State>,
    agent: &AgentId,
    capabilities: Option<&[String]>,
    user_data: Option<&UserData>,
) -> Option<(Action, Option<bool>)> {
    let holds = state.is_none_or(|s| s.owner() == Some(agent) || matches!(s, State::Ended { .. }));
    let offered = state.is_some_and(|s| s.offered_to() == Some(agent));
    match gws {
        // The offered agent's Completed (a workitem it rejected) or Released (a call it
        // rejected, redirected to its queue): the interaction goes back to routing.
        GwsState::Completed | GwsState::Released if offered => Some((Action::Reject, None)),
        GwsState::Revoked => {
            let other = state.is_some_and(|s| {
                !offered && s.offered_to().is_some() && !matches!(s, State::Ended { .. })
            });
            (!other).then_some((Action::Revoke, None))
        }
        _ if !holds => None,
        GwsState::Held => Some((Action::Hold, None)),
        GwsState::Completed => Some((Action::Complete, None)),
        GwsState::Released => {
            // "Released (the media ended; the call may still offer completion / after-call
            // work)": a vendor fact that wrap-up is required.
            let completes = capabilities.is_some_and(|c| c.iter().any(|c| c == "Complete"));
            let acw = user_data.is_some_and(|d| d.contains_key("acw_time"));
            Some((Action::Release, (completes || acw).then_some(true)))
        }
        // The agent left the chat: its part is over, its work is not (Complete is still
        // offered): after-call work, which its Completed ends.
        GwsState::LeftChat => Some((Action::Release, Some(true))),
        GwsState::Canceled => Some((Action::Cancel, None)),
        _ => None,
    }
}

/// A data notification (not `StatusChange`).
fn update_fact(
    interaction: InteractionId,
    user_data: Option<UserData>,
    current: Option<&Interaction>,
) -> Result<Fact, Error> {
    let Some(it) = current else {
        // Not held: the engine refuses it, telling an id never seen (`unknown_interaction`)
        // from one that ended and was forgotten (`already_ended`).
        return Ok(Fact::Apply(
            Input::new(
                interaction,
                Action::UpdateUserData {
                    user_data: user_data.unwrap_or_default(),
                },
                Actor::Platform,
            )
            .via(Api::Gws),
        ));
    };
    match (user_data, it.state()) {
        (Some(user_data), _) => Ok(Fact::Apply(
            Input::new(
                interaction,
                Action::UpdateUserData { user_data },
                Actor::Platform,
            )
            .via(Api::Gws),
        )),
        (None, State::Ended { reason }) => Err(Refusal::AlreadyEnded {
            interaction,
            reason: *reason,
            action: interaction_core::ActionKind::UpdateUserData,
        }
        .into()),
        (None, _) => Ok(Fact::Unchanged),
    }
}

/// The action of a working-state notification (`Processing`, `Chatting`, `Established`,
/// `Composing`) on `agent`'s channel about an interaction the engine holds in `state` (the
/// table of [`Notification::fact`]).
fn working(state: &State, agent: AgentId) -> Action {
    match state {
        State::Offered { agent: offered } if offered == &agent => Action::Accept,
        State::Connected { owner } | State::Held { owner } if owner != &agent => {
            Action::Transferred { agent }
        }
        State::Held { .. } => Action::Retrieve,
        State::InWorkbin { .. } => Action::Pull { agent },
        // The callee answered another agent's call: connected to the calling agent
        // (MODEL.md: `answer` -> connected(calling agent)).
        State::Dialing { .. } if state.owner().is_some_and(|caller| caller != &agent) => {
            Action::Answer { agent: None }
        }
        State::Dialing { .. } => Action::Answer { agent: Some(agent) },
        _ => Action::Assign { agent },
    }
}

/// The direction from the resource's `<media>Type`: `Inbound` (also `Internal` and `Consult`,
/// agent-to-agent calls that are not outbound customer work) or `Outbound`; inbound when absent.
fn direction(types: [Option<&str>; 4], kind: MessageType) -> Result<Direction, Error> {
    let found = ["callType", "chatType", "emailType", "workitemType"]
        .into_iter()
        .zip(types)
        .find_map(|(member, value)| value.map(|v| (member, v)));
    match found {
        None | Some((_, "Inbound" | "Internal" | "Consult")) => Ok(Direction::Inbound),
        Some((_, "Outbound")) => Ok(Direction::Outbound),
        Some((member, other)) => Err(Error::invalid_field(
            format!("{}.{member}", kind.resource_key()),
            format!(
                "must be Inbound, Outbound, Internal or Consult, got `{}`",
                printable(other)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INVITED: &str = r#"{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange", "chat": {"id": "ix-1", "state": "Invited", "chatType": "Inbound", "capabilities": ["Accept", "Reject"], "userData": {"CustomerName": "Customer 1"}}}"#;

    #[test]
    fn the_lax_pass_reads_every_variant_as_the_fast_one_does() {
        let mut both = 0;
        for seed in [
            INVITED.to_owned(),
            format!(r#"{{"channel": "/v2/me/chats", "data": {INVITED}}}"#),
        ] {
            for body in interaction_wire::variants(&seed) {
                let Some((mut fast, mut lax)) =
                    interaction_wire::both_passes::<Top<'_, Fast>, Top<'_, Lax>>(&body)
                else {
                    continue;
                };
                let text = String::from_utf8_lossy(&body);
                both += 1;
                let decoded = |top: Result<Notification, Error>, item: NotificationItem| {
                    format!("{top:?} {item:?}")
                };
                let mut fast_item = NotificationItem {
                    interaction: None,
                    label: None,
                    capabilities: None,
                    result: Err(Error::missing_field("messageType")),
                };
                let mut lax_item = fast_item.clone();
                let fast = decode(&mut fast, Some("1001"), &mut fast_item);
                let lax = decode(&mut lax, Some("1001"), &mut lax_item);
                assert_eq!(decoded(fast, fast_item), decoded(lax, lax_item), "{text}");
            }
        }
        assert!(both > 60, "only {both} variants read in both passes");
    }

    #[test]
    fn an_envelope_is_unwrapped_and_its_paths_say_data() {
        let enveloped = format!(r#"{{"channel": "/v2/me/chats", "data": {INVITED}}}"#);
        let plain = decode_notification(INVITED.as_bytes(), Some("1001"));
        let unwrapped = decode_notification(enveloped.as_bytes(), Some("1001"));
        assert_eq!(format!("{plain:?}"), format!("{unwrapped:?}"));
        let bad = enveloped.replace(r#""state": "Invited""#, r#""state": 5"#);
        let item = decode_notification(bad.as_bytes(), Some("1001"));
        assert_eq!(item.interaction.as_deref(), Some("ix-1"));
        assert_eq!(
            item.result.unwrap_err().to_string(),
            "malformed input: data.chat.state: invalid type: integer `5`, expected a string"
        );
    }

    #[test]
    fn members_the_message_does_not_read_are_not_type_checked() {
        // A chat reads no `callType`, `dnis` or `workbin`, even unreadable ones.
        let body = INVITED.replace(
            r#""chatType": "Inbound""#,
            r#""chatType": "Inbound", "callType": 5, "dnis": 1e400, "workbin": []"#,
        );
        let item = decode_notification(body.as_bytes(), Some("1001"));
        assert!(item.result.is_ok(), "{item:?}");
        // A refused one keeps its labels.
        let body = INVITED.replace(
            r#""CustomerName": "Customer 1""#,
            r#""CustomerName": "C\u0031""#,
        );
        assert!(
            decode_notification(body.as_bytes(), Some("1001"))
                .result
                .is_ok()
        );
        let body = INVITED.replace(r#"{"CustomerName": "Customer 1"}"#, "[]");
        let item = decode_notification(body.as_bytes(), Some("1001"));
        assert_eq!(item.label.as_deref(), Some("Invited"));
        assert_eq!(item.capabilities.as_deref().map(<[String]>::len), Some(2));
        assert_eq!(
            item.result.unwrap_err().to_string(),
            "malformed input: chat.userData: expected a JSON object, got an array"
        );
    }

    #[test]
    fn names_round_trip() {
        for m in MessageType::ALL {
            assert_eq!(MessageType::from_wire(m.wire_name()), Some(m));
        }
        for s in GwsState::ALL {
            assert_eq!(GwsState::from_wire(s.wire_name()), Some(s));
        }
        assert_eq!(GwsState::from_wire("invited"), None);
        assert_eq!(MessageType::from_wire("DeviceStateChangeMessage"), None);
    }
}
