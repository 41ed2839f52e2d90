//! Events: the JSON the broker POSTs to a subscriber's callback URL, read as platform facts.
//!
//! Source: anywhere365-cti-broker.txt, "Events" ("Payload", "Parameters", "Additional note") and
//! "Subscribe for Events" ("Note loginEvent"); rules: MODEL.md sections 3 and 6.
//!
//! Decoding ([`decode_event`]) checks the body alone. Mapping ([`map_event`]) reads the engine
//! (never writes it) to choose the core action, because the same event means different things in
//! different states: a Connected accepts an offer, answers a dial, or connects a call never seen;
//! a Retrieve by the agent who put the call on hold is a `retrieve`, by another agent a completed
//! transfer.

use interaction_core::{
    Action, ActionKind, Actor, AgentId, Api, Direction, Engine, Error, Input, InteractionId, Media,
    Refusal, State, StateKind, UserData, Value,
};
use std::borrow::Cow;

use interaction_wire::{Object, ObjectOnly, SmolStr, check_id};
use serde::Deserialize;
use serde::de::{Deserializer, Visitor};

use crate::address::sip_address;
use crate::json::{RawCode, ReadCode};
use crate::subscription::{SubscriptionId, Subscriptions};
use crate::wire::{self, EventType, SessionType};

/// One event, checked: the members the adapter uses, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// `SubscriptionId`: the subscription the event was sent for.
    pub subscription: SubscriptionId,
    /// `eventType`.
    pub event_type: EventType,
    /// `ImAddress`: the agent the event is about.
    pub agent: AgentId,
    /// `SessionType`, when given: the call's direction.
    pub session_type: Option<SessionType>,
    /// `callId`: the call, for the call events (Hunting to Retrieve); `None` for LoggedIn and
    /// LoggedOff, whose `callId` is not a call id.
    pub call: Option<InteractionId>,
    /// For LoggedIn: whether the login failed (`callId` contains "failed").
    pub login_failed: bool,
    /// `ani`, the caller's number, when given and not empty.
    pub ani: Option<String>,
}

impl Event {
    /// The event in its wire form (numbers for the enumerations, as the page's "Payload"
    /// documents them; `callId` `""` for a successful LoggedIn and `"failed"` for a failed one).
    /// Decoding it gives the event back.
    pub fn to_wire(&self) -> wire::Event {
        let call_id = match self.event_type {
            EventType::LoggedIn => Some(if self.login_failed { "failed" } else { "" }.to_owned()),
            _ => self.call.as_ref().map(|c| c.as_str().to_owned()),
        };
        wire::Event {
            subscription_id: self.subscription.as_str().to_owned(),
            session_type: self.session_type.map(|s| wire::Code::Number(s.code())),
            im_address: self.agent.as_str().to_owned(),
            event_type: wire::Code::Number(self.event_type.code()),
            call_id,
            ani: self.ani.clone(),
        }
    }
}

/// What an event asks of the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventInput {
    /// A platform fact on a call: [`interaction_core::Engine::apply`] it.
    Apply(Input),
    /// LoggedIn: [`interaction_core::Engine::log_in`] the agent.
    LogIn(AgentId),
    /// LoggedOff: [`interaction_core::Engine::log_out`] the agent.
    LogOut(AgentId),
    /// LoggedIn with `callId` "failed": the login failed, so the agent stays (or becomes) logged
    /// out: [`interaction_core::Engine::log_out`] it, and report the failure.
    LoginFailed(AgentId),
}

impl EventInput {
    /// The label of the input in the replay output: the core action's name, `log_in`, or
    /// `log_out` (a failed login too: that is what it does to the agent's session).
    pub fn label(&self) -> &'static str {
        match self {
            EventInput::Apply(input) => input.action.kind().name(),
            EventInput::LogIn(_) => "log_in",
            EventInput::LogOut(_) | EventInput::LoginFailed(_) => "log_out",
        }
    }
}

/// One event body, decoded and mapped (or refused), with the labels a replay record needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventItem {
    /// What the event does: [`EventInput::label`] when it maps; when refused, the action its
    /// `eventType` usually maps to (`log_in`, `log_out`, `offer`, `accept`, `disconnect`,
    /// `hold`, `retrieve`), the raw `eventType` when unknown (a non-string as its JSON text), or
    /// `event` when the body has no readable `eventType`.
    pub action: SmolStr,
    /// The event's `callId` when it is a string that is a valid id (non-empty, at most 256
    /// bytes, no control characters) and the event is not LoggedIn or LoggedOff, even if the
    /// event was refused (so the refusal names its call; an invalid one is never echoed).
    pub call_id: Option<SmolStr>,
    /// The event's subscription, when the event was decoded; the caller passes it to
    /// [`Subscriptions::confirm`] once the input was accepted.
    pub subscription: Option<SubscriptionId>,
    /// What to do, or why the event was refused.
    pub result: Result<EventInput, Error>,
}

/// Decodes, then maps, one event body: [`decode_event`] and [`map_event`] in one call, with the
/// labels of the item kept even when it is refused. Reads `engine` and `subscriptions`; changes
/// neither.
pub fn event_item(body: &[u8], engine: &Engine, subscriptions: &Subscriptions) -> EventItem {
    if let Some(ObjectOnly(fast)) = interaction_wire::typed::<ObjectOnly<FastEvent<'_>>>(body) {
        let code = Ok(fast.event_type.map(FastCode::raw));
        return item(&fast, code, engine, subscriptions);
    }
    precise_item(body, engine, subscriptions)
}

/// [`event_item`] the precise way: member by member, every error naming its member.
fn precise_item(body: &[u8], engine: &Engine, subscriptions: &Subscriptions) -> EventItem {
    let object = match Object::body(body, "event body") {
        Ok(object) => object,
        Err(e) => {
            return EventItem {
                action: SmolStr::new_static("event"),
                call_id: None,
                subscription: None,
                result: Err(e),
            };
        }
    };
    let code = object.code("eventType");
    item(&object, code, engine, subscriptions)
}

/// The rest of [`event_item`], from either read of the body.
fn item(
    source: &impl Source,
    code: Result<Option<RawCode>, Error>,
    engine: &Engine,
    subscriptions: &Subscriptions,
) -> EventItem {
    let event_type = match &code {
        Ok(Some(code)) => code.wire().and_then(|c| EventType::from_wire(&c)),
        _ => None,
    };
    let mut action = match (&code, event_type) {
        (_, Some(t)) => SmolStr::new_static(usual_label(t)),
        (Ok(Some(code)), None) => SmolStr::from(code.text()),
        _ => SmolStr::new_static("event"),
    };
    let call_id = if event_type.is_some_and(|t| !t.is_call_event()) {
        None
    } else {
        source
            .call_id()
            .ok()
            .flatten()
            .filter(|c| check_id(c, "callId").is_ok())
            .map(SmolStr::new)
    };
    let (subscription, result) = match code.and_then(|code| read(source, code)) {
        Ok(event) => {
            let result = map_event(&event, engine, subscriptions);
            (Some(event.subscription), result)
        }
        Err(e) => (None, Err(e)),
    };
    if let Ok(input) = &result {
        action = SmolStr::new_static(input.label());
    }
    EventItem {
        action,
        call_id,
        subscription,
        result,
    }
}

/// Decodes an event body into an [`Event`]; reads nothing else.
///
/// Shape: `{"SubscriptionId": string, "SessionType"?: 0|1|"Inbound"|"Outbound", "ImAddress":
/// "sip:user@domain", "eventType": 0|1|3|4|5|6|7 or its name, "callId"?: string, "ani"?:
/// string}` (anywhere365-cti-broker.txt, "Events", "Payload"). Unknown members are ignored; a
/// member set to `null` counts as absent.
///
/// Checked in this order, every error naming the member:
/// 1. the body is a JSON object: else [`Error::Malformed`] `event body`;
/// 2. `eventType`: absent [`Error::MissingField`]; not a number or a string
///    [`Error::Malformed`]; any value but 0, 1, 3 to 7 or their names `LoggedIn`, `LoggedOff`,
///    `Hunting`, `Connected`, `Disconnected`, `OnHold`, `Retrieve` (2 included: the page lists
///    none) [`Error::Unsupported`] `eventType`;
/// 3. `SubscriptionId`: absent or empty [`Error::MissingField`]; not a string
///    [`Error::Malformed`]; over 256 bytes or holding a control character
///    [`Error::InvalidField`];
/// 4. `ImAddress`: as for a command, a sip address `sip:user@domain` ([`crate::sip_address`]);
/// 5. `SessionType`, when present: 0 / `Inbound` or 1 / `Outbound`, else
///    [`Error::InvalidField`] (a non-number non-string [`Error::Malformed`]);
/// 6. `callId`: not a string [`Error::Malformed`]; for the call events (3 to 7) required
///    ([`Error::MissingField`] when absent or empty) and a valid id ([`Error::InvalidField`]
///    when over 256 bytes or holding a control character). For LoggedIn it is the login result
///    ("If the eventType is LoggedIn and the login is success, the callId is empty. If the login
///    failed, the callId contains “failed”": matched case-insensitively, any other value reads
///    as success); for LoggedOff it is not read;
/// 7. `ani`, when present: not a string [`Error::Malformed`]; over 256 bytes or holding a
///    control character [`Error::InvalidField`]; empty reads as absent.
///
/// # Errors
/// As listed above.
pub fn decode_event(body: &[u8]) -> Result<Event, Error> {
    if let Some(ObjectOnly(fast)) = interaction_wire::typed::<ObjectOnly<FastEvent<'_>>>(body) {
        return read(&fast, fast.event_type.map(FastCode::raw));
    }
    precise_event(body)
}

/// [`decode_event`] the precise way.
fn precise_event(body: &[u8]) -> Result<Event, Error> {
    let object = Object::body(body, "event body")?;
    let code = object.code("eventType")?;
    read(&object, code)
}

/// An event body read in one typed pass ([`interaction_wire::typed`]): every member the
/// precise read may type-check, and nothing more lenient.
#[derive(Deserialize)]
struct FastEvent<'a> {
    #[serde(rename = "eventType", borrow, default)]
    event_type: Option<FastCode<'a>>,
    #[serde(rename = "SubscriptionId", borrow, default)]
    subscription: Option<&'a str>,
    #[serde(rename = "ImAddress", borrow, default)]
    im_address: Option<&'a str>,
    #[serde(rename = "SessionType", borrow, default)]
    session_type: Option<FastCode<'a>>,
    #[serde(rename = "callId", borrow, default)]
    call_id: Option<&'a str>,
    #[serde(borrow, default)]
    ani: Option<&'a str>,
}

/// An enumeration member read in the typed pass: a plain non-negative integer (serde_json
/// gives `visit_u64` only for those, exactly the texts [`ReadCode`] reads as
/// [`RawCode::Number`]) or a string without escapes. Anything else fails the typed pass, and the
/// precise read decides.
#[derive(Clone, Copy)]
enum FastCode<'a> {
    Number(u64),
    Name(&'a str),
}

impl FastCode<'_> {
    /// The code as the precise read gives it.
    fn raw(self) -> RawCode {
        match self {
            FastCode::Number(n) => RawCode::Number(n),
            FastCode::Name(name) => RawCode::Name(name.to_owned()),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for FastCode<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CodeVisitor<'a>(core::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for CodeVisitor<'a> {
            type Value = FastCode<'a>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a non-negative integer or a string")
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<FastCode<'a>, E> {
                Ok(FastCode::Number(n))
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                name: &'de str,
            ) -> Result<FastCode<'a>, E> {
                Ok(FastCode::Name(name))
            }
        }

        d.deserialize_any(CodeVisitor(core::marker::PhantomData))
    }
}

/// Where [`read`] finds an event's members: the precise read (an [`Object`], each member
/// type-checked when it is asked for, so errors come in [`decode_event`]'s order) or the typed
/// pass (already checked).
trait Source {
    /// `SubscriptionId`.
    fn subscription(&self) -> Result<Option<Cow<'_, str>>, Error>;
    /// `ImAddress`.
    fn im_address(&self) -> Result<Option<Cow<'_, str>>, Error>;
    /// `SessionType`.
    fn session_type(&self) -> Result<Option<RawCode>, Error>;
    /// `callId`.
    fn call_id(&self) -> Result<Option<Cow<'_, str>>, Error>;
    /// `ani`.
    fn ani(&self) -> Result<Option<Cow<'_, str>>, Error>;
}

impl Source for Object<'_> {
    fn subscription(&self) -> Result<Option<Cow<'_, str>>, Error> {
        Ok(self.get::<String>("SubscriptionId")?.map(Cow::Owned))
    }
    fn im_address(&self) -> Result<Option<Cow<'_, str>>, Error> {
        Ok(self.get::<String>("ImAddress")?.map(Cow::Owned))
    }
    fn session_type(&self) -> Result<Option<RawCode>, Error> {
        self.code("SessionType")
    }
    fn call_id(&self) -> Result<Option<Cow<'_, str>>, Error> {
        Ok(self.get::<String>("callId")?.map(Cow::Owned))
    }
    fn ani(&self) -> Result<Option<Cow<'_, str>>, Error> {
        Ok(self.get::<String>("ani")?.map(Cow::Owned))
    }
}

impl Source for FastEvent<'_> {
    fn subscription(&self) -> Result<Option<Cow<'_, str>>, Error> {
        Ok(self.subscription.map(Cow::Borrowed))
    }
    fn im_address(&self) -> Result<Option<Cow<'_, str>>, Error> {
        Ok(self.im_address.map(Cow::Borrowed))
    }
    fn session_type(&self) -> Result<Option<RawCode>, Error> {
        Ok(self.session_type.map(FastCode::raw))
    }
    fn call_id(&self) -> Result<Option<Cow<'_, str>>, Error> {
        Ok(self.call_id.map(Cow::Borrowed))
    }
    fn ani(&self) -> Result<Option<Cow<'_, str>>, Error> {
        Ok(self.ani.map(Cow::Borrowed))
    }
}

/// Reads an event from a body already read (as an object, or by the typed pass).
fn read(object: &impl Source, code: Option<RawCode>) -> Result<Event, Error> {
    let code = code.ok_or_else(|| Error::missing_field("eventType"))?;
    let event_type = code
        .wire()
        .and_then(|c| EventType::from_wire(&c))
        .ok_or_else(|| Error::unsupported("eventType", code.text()))?;
    let subscription = object
        .subscription()?
        .ok_or_else(|| Error::missing_field("SubscriptionId"))?;
    let subscription = SubscriptionId::parse(&subscription, "SubscriptionId")?;
    let im_address = object
        .im_address()?
        .ok_or_else(|| Error::missing_field("ImAddress"))?;
    let agent = sip_address(&im_address, "ImAddress")?;
    let session_type = object
        .session_type()?
        .map(|code| {
            code.wire()
                .and_then(|c| SessionType::from_wire(&c))
                .ok_or_else(|| {
                    Error::invalid_field(
                        "SessionType",
                        format!("must be 0 (Inbound) or 1 (Outbound), got `{}`", code.text()),
                    )
                })
        })
        .transpose()?;
    let call_id = object.call_id()?;
    let (call, login_failed) = match event_type {
        EventType::LoggedIn => (
            None,
            call_id.is_some_and(|c| c.to_ascii_lowercase().contains("failed")),
        ),
        EventType::LoggedOff => (None, false),
        _ => {
            let call_id = call_id.ok_or_else(|| Error::missing_field("callId"))?;
            (Some(InteractionId::parse(&call_id, "callId")?), false)
        }
    };
    let ani = match object.ani()? {
        Some(ani) if !ani.is_empty() => {
            check_id(&ani, "ani")?;
            Some(ani.into_owned())
        }
        _ => None,
    };
    Ok(Event {
        subscription,
        event_type,
        agent,
        session_type,
        call,
        login_failed,
        ani,
    })
}

/// The action an event type usually maps to, for the label of a refused event.
fn usual_label(event_type: EventType) -> &'static str {
    match event_type {
        EventType::LoggedIn => "log_in",
        EventType::LoggedOff => "log_out",
        EventType::Hunting => "offer",
        EventType::Connected => "accept",
        EventType::Disconnected => "disconnect",
        EventType::OnHold => "hold",
        EventType::Retrieve => "retrieve",
    }
}

/// Maps a decoded event onto the core (MODEL.md section 6), reading the engine's state of the
/// call and the subscriptions; changes neither.
///
/// Every call event is a platform fact ([`Actor::Platform`]) on the interaction `callId`, about
/// the agent `ImAddress`:
///
/// | event | the call now | core input |
/// |---|---|---|
/// | LoggedIn (0) | - | [`EventInput::LogIn`]; with `callId` "failed" [`EventInput::LoginFailed`] |
/// | LoggedOff (1) | - | [`EventInput::LogOut`] |
/// | Hunting (3) | any | `offer {agent}`; creates the call (offered) when never seen |
/// | Connected (4) | offered to this agent | `accept` |
/// | Connected (4) | dialing | `answer {agent}` |
/// | Connected (4) | never seen | `assign {agent}`, creating the call connected |
/// | Connected (4) | otherwise | `assign {agent}` (the engine refuses it from connected or held) |
/// | Disconnected (5) | any | `disconnect {agent}`: withdraws an offer to this agent, ends the call of its owner, and is `ignored` from anyone else |
/// | OnHold (6) | connected or held by another agent | refused [`Refusal::NotOwner`] |
/// | OnHold (6) | otherwise | `hold` |
/// | Retrieve (7) | held by another agent | `transferred {agent}`: the vendor's "Additional note", the transfer succeeded |
/// | Retrieve (7) | connected to another agent | refused [`Refusal::InvalidTransition`] (a transfer is inferred only after an OnHold) |
/// | Retrieve (7) | otherwise | `retrieve` (held by this agent: a plain retrieve, or a failed transfer that the agent took back) |
///
/// A call is created on first sight (Hunting, Connected) as a `live` interaction with the
/// direction of `SessionType` and user data `{"ani": ani}` when `ani` is given. Every other
/// refusal (unknown call, ended call, a transition the state does not allow) is the engine's.
///
/// # Errors
/// [`Error::InvalidField`] `SubscriptionId` for a subscription unsubscribed earlier
/// ([`Subscriptions::check`]); [`Error::MissingField`] `SessionType` when a Hunting or Connected
/// would create the call and `SessionType` is absent; [`Error::MissingField`] `callId` for a call
/// event without one (only for an [`Event`] built by hand); [`Refusal::NotOwner`] and
/// [`Refusal::InvalidTransition`] as in the table.
pub fn map_event(
    event: &Event,
    engine: &Engine,
    subscriptions: &Subscriptions,
) -> Result<EventInput, Error> {
    subscriptions.check(&event.subscription)?;
    let agent = event.agent.clone();
    let call = match event.event_type {
        EventType::LoggedIn if event.login_failed => return Ok(EventInput::LoginFailed(agent)),
        EventType::LoggedIn => return Ok(EventInput::LogIn(agent)),
        EventType::LoggedOff => return Ok(EventInput::LogOut(agent)),
        _ => event
            .call
            .clone()
            .ok_or_else(|| Error::missing_field("callId"))?,
    };
    let state = engine
        .interaction(call.as_str())
        .map(interaction_core::Interaction::state);
    let input = |action| Input::new(call.clone(), action, Actor::Platform).via(Api::Anywhere365);
    let input = match event.event_type {
        EventType::Hunting => {
            let offer = input(Action::Offer { agent });
            match state {
                None => first_sight(offer, event)?,
                Some(_) => offer,
            }
        }
        EventType::Connected => match state {
            None => first_sight(input(Action::Assign { agent }), event)?,
            Some(State::Offered { agent: offered }) if *offered == agent => input(Action::Accept),
            Some(State::Dialing { .. }) => input(Action::Answer { agent: Some(agent) }),
            Some(_) => input(Action::Assign { agent }),
        },
        EventType::Disconnected => input(Action::Disconnect { agent }),
        EventType::OnHold => match state {
            Some(State::Connected { owner } | State::Held { owner }) if *owner != agent => {
                return Err(Refusal::NotOwner {
                    action: ActionKind::Hold,
                    agent,
                    holder: format!("the interaction is owned by `{owner}`"),
                }
                .into());
            }
            _ => input(Action::Hold),
        },
        EventType::Retrieve => match state {
            Some(State::Held { owner }) if *owner != agent => input(Action::Transferred { agent }),
            Some(State::Connected { owner }) if *owner != agent => {
                return Err(Refusal::InvalidTransition {
                    action: ActionKind::Retrieve,
                    state: StateKind::Connected,
                    detail: ": the call is connected to another agent and was not put on hold; \
                             a Retrieve by another agent is a transfer only after an OnHold",
                }
                .into());
            }
            _ => input(Action::Retrieve),
        },
        EventType::LoggedIn | EventType::LoggedOff => {
            return Err(Error::unsupported("eventType", event.event_type.name()));
        }
    };
    Ok(EventInput::Apply(input))
}

/// `input`, creating the call on first sight: live, with the `SessionType` direction and `ani`.
fn first_sight(input: Input, event: &Event) -> Result<Input, Error> {
    let direction: Direction = event
        .session_type
        .ok_or_else(|| Error::missing_field("SessionType"))?
        .direction();
    let mut user_data = UserData::new();
    if let Some(ani) = &event.ani {
        user_data.insert("ani".to_owned(), Value::String(ani.clone()));
    }
    Ok(input.with_first_sight_data(Media::Live, direction, user_data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use interaction_core::ErrorKind;

    #[test]
    fn the_fast_read_decodes_as_the_precise_read() {
        let seeds = [
            r#"{"SubscriptionId": "296854af-2ba7-45d0-b460-085dc1843b3d", "SessionType": 0, "ImAddress": "sip:agent1@contoso.com", "eventType": 3, "callId": "6f1c0a52-3b7e-4f0e-9d1a-000000000001", "ani": "+31612340001"}"#,
            r#"{"SubscriptionId": "s", "SessionType": "Outbound", "ImAddress": "sip:a@b.com", "eventType": "Connected", "callId": "c-1", "ani": ""}"#,
            r#"{"SubscriptionId": "s", "ImAddress": "sip:a@b.com", "eventType": 0, "callId": "Login FAILED"}"#,
            r#"{"SubscriptionId": "s", "ImAddress": "sip:a@b.com", "eventType": 1}"#,
            r#"{"SubscriptionId": "s", "ImAddress": "sip:a@b.com", "eventType": 2, "callId": "c"}"#,
        ];
        let engine = Engine::new();
        let subscriptions = Subscriptions::new();
        let mut fast = 0;
        for seed in seeds {
            for body in interaction_wire::variants(seed) {
                let text = String::from_utf8_lossy(&body);
                assert_eq!(
                    format!("{:?}", event_item(&body, &engine, &subscriptions)),
                    format!("{:?}", precise_item(&body, &engine, &subscriptions)),
                    "{text}"
                );
                assert_eq!(
                    format!("{:?}", decode_event(&body)),
                    format!("{:?}", precise_event(&body)),
                    "{text}"
                );
                fast += usize::from(
                    interaction_wire::typed::<ObjectOnly<FastEvent<'_>>>(&body).is_some(),
                );
            }
        }
        assert!(fast > 150, "only {fast} bodies took the fast read");
    }

    #[test]
    fn a_login_callid_holding_failed_in_any_case_is_a_failure() {
        for (call_id, failed) in [
            ("", false),
            ("failed", true),
            ("Failed", true),
            ("login failed", true),
            ("0f8c", false),
        ] {
            let body = format!(
                r#"{{"SubscriptionId": "s", "ImAddress": "sip:a@b.com", "eventType": 0, "callId": "{call_id}"}}"#
            );
            let event = decode_event(body.as_bytes()).unwrap();
            assert_eq!(event.login_failed, failed, "{call_id:?}");
            assert_eq!(event.call, None);
        }
    }

    #[test]
    fn a_hand_built_call_event_without_a_call_is_refused() {
        let event = Event {
            subscription: SubscriptionId::parse("s", "id").unwrap(),
            event_type: EventType::OnHold,
            agent: AgentId::parse("sip:a@b.com", "ImAddress").unwrap(),
            session_type: None,
            call: None,
            login_failed: false,
            ani: None,
        };
        let err = map_event(&event, &Engine::new(), &Subscriptions::new()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingField);
        assert!(err.to_string().contains("callId"));
    }
}
