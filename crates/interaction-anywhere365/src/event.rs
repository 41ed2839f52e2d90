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

use interaction_wire::{Read, SmolStr, Text, check_id, members, text};
use serde_json::value::RawValue;

use crate::address::sip_address;
use crate::json::{CodeMember, FastCode, RawCode, code};
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
    match interaction_wire::read_body::<FastBody<'_>, LaxBody<'_>>(body, WHAT) {
        Ok(Read::Fast(body)) => item(&body, engine, subscriptions),
        Ok(Read::Lax(body)) => item(&body, engine, subscriptions),
        Err(e) => EventItem {
            action: SmolStr::new_static("event"),
            call_id: None,
            subscription: None,
            result: Err(e),
        },
    }
}

/// The rest of [`event_item`], from either pass's body.
fn item<'a, S: Text<'a>, C: CodeMember>(
    body: &EventBody<'a, S, C>,
    engine: &Engine,
    subscriptions: &Subscriptions,
) -> EventItem {
    let code = code(body.event_type.as_ref(), "eventType");
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
        body.call_id
            .as_ref()
            .and_then(Text::ok)
            .filter(|c| check_id(c, "callId").is_ok())
            .map(SmolStr::new)
    };
    let (subscription, result) = match code.and_then(|code| read(body, code)) {
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

/// What an event body's errors name when they are about the whole body.
const WHAT: &str = "event body";

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
    match interaction_wire::read_body::<FastBody<'_>, LaxBody<'_>>(body, WHAT)? {
        Read::Fast(body) => read(&body, code(body.event_type.as_ref(), "eventType")?),
        Read::Lax(body) => read(&body, code(body.event_type.as_ref(), "eventType")?),
    }
}

members! {
    /// An event body ([`interaction_wire::read_body`]), `S` a string member and `C` an
    /// enumeration as the pass holds them: [`FastBody`] or [`LaxBody`]. [`read`] checks the
    /// members in [`decode_event`]'s order whichever pass read them.
    struct EventBody<'a, S, C> {
        "eventType" => event_type: C,
        "SubscriptionId" => subscription: S,
        "ImAddress" => im_address: S,
        "SessionType" => session_type: C,
        "callId" => call_id: S,
        "ani" => ani: S,
    }
}

/// An event body in the fast pass: strings without escapes, codes a non-negative integer or a
/// plain string.
type FastBody<'a> = EventBody<'a, &'a str, FastCode<'a>>;

/// An event body in the lax pass: each member kept raw, its JSON type checked when [`read`] asks
/// for it.
type LaxBody<'a> = EventBody<'a, &'a RawValue, &'a RawValue>;

/// Reads an event from its body, `code` its `eventType` already read.
fn read<'a, S: Text<'a>, C: CodeMember>(
    body: &EventBody<'a, S, C>,
    code: Option<RawCode>,
) -> Result<Event, Error> {
    let code = code.ok_or_else(|| Error::missing_field("eventType"))?;
    let event_type = code
        .wire()
        .and_then(|c| EventType::from_wire(&c))
        .ok_or_else(|| Error::unsupported("eventType", code.text()))?;
    let subscription = text(body.subscription.as_ref(), "SubscriptionId")?
        .ok_or_else(|| Error::missing_field("SubscriptionId"))?;
    let subscription = SubscriptionId::parse(&subscription, "SubscriptionId")?;
    let im_address = text(body.im_address.as_ref(), "ImAddress")?
        .ok_or_else(|| Error::missing_field("ImAddress"))?;
    let agent = sip_address(&im_address, "ImAddress")?;
    let session_type = crate::json::code(body.session_type.as_ref(), "SessionType")?
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
    let call_id = text(body.call_id.as_ref(), "callId")?;
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
    let ani = match text(body.ani.as_ref(), "ani")? {
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

    const HUNTING: &str = r#"{"SubscriptionId": "s", "SessionType": 0, "ImAddress": "sip:a@b.com", "eventType": 3, "callId": "c-1", "ani": "+31612340001"}"#;

    /// `HUNTING` with member `name` set to `value` (or added).
    fn with(name: &str, value: &str) -> String {
        let mut body: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(HUNTING).unwrap();
        body.insert(name.to_owned(), serde_json::from_str(value).unwrap());
        serde_json::to_string(&body).unwrap()
    }

    #[test]
    fn members_are_checked_in_the_documented_order_whatever_their_order_in_the_body() {
        // A wrong-typed `callId` (step 6) comes after an unsupported `eventType` (step 2).
        let body = with("callId", "5").replace(r#""eventType":3"#, r#""eventType":2"#);
        let err = decode_event(body.as_bytes()).unwrap_err();
        assert_eq!(err.to_string(), "unsupported eventType `2`");
        let item = event_item(body.as_bytes(), &Engine::new(), &Subscriptions::new());
        assert_eq!(item.action, "2");
        // Alone, it is refused in serde_json's words, naming the member.
        let err = decode_event(with("callId", "5").as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed input: callId: invalid type: integer `5`, expected a string"
        );
        let err = decode_event(with("ImAddress", "[1, [2]]").as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed input: ImAddress: invalid type: sequence, expected a string"
        );
        // A member whose value serde_json cannot hold is refused when it is read, in its turn.
        let body = HUNTING.replace(r#""c-1""#, "1e400");
        let item = event_item(body.as_bytes(), &Engine::new(), &Subscriptions::new());
        assert_eq!(item.action, "offer");
        assert_eq!(
            item.result.unwrap_err().to_string(),
            "malformed input: callId: number out of range"
        );
        // A refused event keeps the labels its members give.
        let item = event_item(
            with("ani", "{\"k\": 1}").as_bytes(),
            &Engine::new(),
            &Subscriptions::new(),
        );
        assert_eq!(item.action, "offer");
        assert_eq!(item.call_id.as_deref(), Some("c-1"));
        assert_eq!(item.result.unwrap_err().kind(), ErrorKind::Malformed);
    }

    #[test]
    fn the_last_of_duplicate_members_wins_even_when_it_is_null() {
        let twice = HUNTING.replace(r#""ani""#, r#""callId": "c-2", "ani""#);
        let event = decode_event(twice.as_bytes()).unwrap();
        assert_eq!(event.call.unwrap().as_str(), "c-2");
        let then_null = HUNTING.replace(r#""ani""#, r#""SessionType": null, "ani""#);
        assert_eq!(
            decode_event(then_null.as_bytes()).unwrap().session_type,
            None
        );
    }

    #[test]
    fn escaped_strings_and_null_members_read_as_plain_ones() {
        let escaped = HUNTING.replace("sip:a@b.com", "sip:\\u0061@b.com");
        assert_eq!(
            decode_event(escaped.as_bytes()).unwrap(),
            decode_event(HUNTING.as_bytes()).unwrap()
        );
        let event = decode_event(with("SessionType", "null").as_bytes()).unwrap();
        assert_eq!(event.session_type, None);
        let err = decode_event(with("SubscriptionId", "null").as_bytes()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingField);
    }

    #[test]
    fn a_body_that_is_no_json_object_is_refused_naming_the_body() {
        for (body, message) in [
            (
                format!("[{HUNTING}]"),
                "event body: expected a JSON object, got an array",
            ),
            (
                format!("{HUNTING} x"),
                "event body: trailing characters at line 1 column",
            ),
        ] {
            let item = event_item(body.as_bytes(), &Engine::new(), &Subscriptions::new());
            assert_eq!(item.action, "event", "{body}");
            let err = item.result.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Malformed, "{body}");
            assert!(err.to_string().contains(message), "{body}: {err}");
        }
    }

    #[test]
    fn the_lax_pass_reads_every_variant_as_the_fast_one_does() {
        let engine = Engine::new();
        let subscriptions = Subscriptions::new();
        let mut both = 0;
        for body in interaction_wire::variants(HUNTING) {
            let Some((fast, lax)) =
                interaction_wire::both_passes::<FastBody<'_>, LaxBody<'_>>(&body)
            else {
                continue;
            };
            let text = String::from_utf8_lossy(&body);
            both += 1;
            assert_eq!(
                format!("{:?}", item(&fast, &engine, &subscriptions)),
                format!("{:?}", item(&lax, &engine, &subscriptions)),
                "{text}"
            );
        }
        assert!(both > 30, "only {both} variants read in both passes");
    }

    #[test]
    fn no_variant_of_an_event_panics_and_its_item_is_its_decode_mapped() {
        let engine = Engine::new();
        let subscriptions = Subscriptions::new();
        for body in interaction_wire::variants(HUNTING) {
            let item = event_item(&body, &engine, &subscriptions);
            let mapped = decode_event(&body).and_then(|e| map_event(&e, &engine, &subscriptions));
            assert_eq!(
                format!("{:?}", item.result),
                format!("{mapped:?}"),
                "{}",
                String::from_utf8_lossy(&body)
            );
        }
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
