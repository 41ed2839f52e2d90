//! Callbacks: the JSON arrays VCC POSTs to a registered provider's endpoint, read as platform
//! facts, and the core's notification effects written back in the same shape.
//!
//! Source: vcc-interactions-register.txt, "Callbacks" ("Interaction assigned to Agent",
//! "Interaction released from the VCC Platform"); rules: MODEL.md section 6.

use interaction_core::{
    Action, Actor, AgentId, Api, Effect, Error, IdempotencyKey, Input, InteractionId, Notification,
};
use std::borrow::Cow;

use interaction_wire::{
    Kind, ObjectMember, RawObject, Read, SmolStr, Strict, Text, check_id, members, parse_body,
    parse_raw, printable, text_at,
};
use serde_json::value::RawValue;

use crate::wire;

/// The vendor's `notification` value for an assignment.
const ASSIGN_TO_AGENT: &str = "AssignToAgent";
/// The vendor's `notification` value for a release.
const RELEASE: &str = "Release";

/// One element of a callback array, decoded (or refused) on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackItem {
    /// The core action the notification maps to: `assign` (`AssignToAgent`) or `release`
    /// (`Release`); else the raw `notification` value as it came (a non-string as its JSON text,
    /// shortened to 64 characters), or the empty string when the element has no `notification`.
    pub action: SmolStr,
    /// The element's `objectid` when it is a JSON string, even if the element was refused;
    /// `None` when absent or not a string.
    pub objectid: Option<SmolStr>,
    /// The element's `params.Agent` (the agent's user name) when it is a JSON string, even
    /// when `params.AgentId` names the agent: a personal queue names its agent by the name it
    /// logs in with, which the endpoint compares with it (`Note::PersonalQueueOtherAgent`).
    pub agent_name: Option<SmolStr>,
    /// The core input (actor [`Actor::Platform`], key `notificationid` scoped by the account), or why the element
    /// was refused.
    pub result: Result<Input, Error>,
}

/// Decodes a callback body (VCC POSTing to the provider's endpoint) into one [`CallbackItem`]
/// per element, in order.
///
/// Shape: `[{"notification": "AssignToAgent"|"Release", "objectid": string, "notificationid":
/// string, "params": {"AccountName": string, "Agent"?: string, "AgentId"?: string}}, ...]`
/// (vcc-interactions-register.txt, "Callbacks"). Unknown members are ignored.
///
/// Each element becomes a platform fact on the interaction `objectid` ("Matching the externalId
/// from the Create inbound interaction request"), with idempotency key
/// `notificationid` in the scope of `params.AccountName` (MODEL.md section 11: a repeated
/// notification is a `duplicate`; the same id for another notification of that account is
/// refused `idempotency_conflict`):
/// * `AssignToAgent`: [`Action::Assign`] to `params.AgentId` (the agent's display id), or to
///   `params.Agent` (the user name) when `AgentId` is absent;
/// * `Release`: [`Action::Release`].
///
/// The input does not create unknown interactions (no first sight): VCC only notifies about
/// interactions a provider dispatched, so an unknown `objectid` is `unknown_interaction` in the
/// engine.
///
/// # Errors
/// The whole body is refused (`Err`) when it is not JSON ([`Error::Malformed`]), not an array
/// (a single object too: [`Error::Malformed`]), or empty ([`Error::InvalidField`] `callback`).
///
/// Each item's `result` is refused on its own when the element is not an object, a member has
/// the wrong JSON type ([`Error::Malformed`] naming the path, for example `[1].objectid`), a
/// member is absent ([`Error::MissingField`] `notification`, `objectid`, `notificationid`,
/// `params`, `params.AccountName`, or for `AssignToAgent` `params.AgentId` when neither `AgentId`
/// nor `Agent` is given), `notification` is another value ([`Error::Unsupported`]
/// `notification`, case-sensitive), or an id is empty, over 256 bytes or holds a control
/// character ([`Error::MissingField`] / [`Error::InvalidField`] naming it; `notificationid` at
/// most 256 bytes like every id; the key is scoped by `params.AccountName`, MODEL.md section 11).
pub fn decode_callbacks(body: &[u8]) -> Result<Vec<CallbackItem>, Error> {
    let items: Vec<CallbackItem> = match interaction_wire::typed::<Vec<FastElement<'_>>>(body) {
        Some(elements) => elements.iter().map(|element| item(element, "")).collect(),
        None => element_by_element(body)?,
    };
    if items.is_empty() {
        return Err(no_notification());
    }
    Ok(items)
}

members! {
    /// One callback element ([`interaction_wire::read_body`]), `S` a string member, `N` the
    /// `notification` and `P` the `params` as the pass holds them: [`FastElement`] or
    /// [`LaxElement`]. [`fields`] checks the members in [`decode_callbacks`]'s order
    /// whichever pass read them.
    struct Element<'a, S, N, P> {
        "notification" => notification: N,
        "objectid" => objectid: S,
        "notificationid" => notificationid: S,
        "params" => params: P,
    }
}

members! {
    /// A callback element's `params`.
    struct Params<'a, S> {
        "AccountName" => account_name: S,
        "Agent" => agent: S,
        "AgentId" => agent_id: S,
    }
}

/// An element in the fast pass: strings without escapes, `params` an object.
type FastElement<'a> = Element<'a, &'a str, &'a str, Strict<Params<'a, &'a str>>>;

/// An element in the lax pass: each member kept raw, its JSON type checked when [`fields`] asks
/// for it (a `notification` that is not a string labels the item with its JSON text).
type LaxElement<'a> =
    Element<'a, &'a RawValue, &'a RawValue, RawObject<'a, Params<'a, &'a RawValue>>>;

/// The body the fast pass refused, read element by element, each element on its own (one
/// that cannot be read refuses only its item).
fn element_by_element(body: &[u8]) -> Result<Vec<CallbackItem>, Error> {
    const WHAT: &str = "callback body";
    let raw = parse_body(body, WHAT)?;
    let kind = Kind::of(raw);
    if kind != Kind::Array {
        return Err(Error::malformed(format!(
            "{WHAT}: expected a JSON array of notifications, got {kind}"
        )));
    }
    let elements: Vec<&RawValue> = parse_raw(raw, WHAT)?;
    Ok(elements
        .into_iter()
        .enumerate()
        .map(|(index, raw)| {
            let path = format!("[{index}]");
            match interaction_wire::read_object::<FastElement<'_>, LaxElement<'_>>(raw, &path) {
                Ok(Read::Fast(element)) => item(&element, &path),
                Ok(Read::Lax(element)) => item(&element, &path),
                Err(e) => CallbackItem {
                    action: SmolStr::default(),
                    objectid: None,
                    agent_name: None,
                    result: Err(e),
                },
            }
        })
        .collect())
}

/// The item of one element, read by either pass, found at `path` (`[1]`; for messages only:
/// the fast pass refuses no member's type).
fn item<'a, S, N, P>(element: &Element<'a, S, N, P>, path: &str) -> CallbackItem
where
    S: Text<'a>,
    N: Text<'a>,
    P: ObjectMember<Value = Params<'a, S>>,
{
    let action = match &element.notification {
        None => SmolStr::default(),
        Some(notification) => match notification.ok().as_deref() {
            Some(ASSIGN_TO_AGENT) => SmolStr::new_static("assign"),
            Some(RELEASE) => SmolStr::new_static("release"),
            Some(name) => SmolStr::new(name),
            None => notification
                .json()
                .map(interaction_wire::label)
                .unwrap_or_default(),
        },
    };
    CallbackItem {
        action,
        objectid: element
            .objectid
            .as_ref()
            .and_then(Text::ok)
            .map(SmolStr::new),
        agent_name: element
            .params
            .as_ref()
            .and_then(ObjectMember::ok)
            .and_then(|params| params.agent.as_ref().and_then(Text::ok).map(SmolStr::new)),
        result: fields(element, path).and_then(|fields| to_input(&fields)),
    }
}

/// JSON types and presence of one element's members, in [`decode_callbacks`]'s order; type
/// errors name the member below `path`.
fn fields<'a, S, N, P>(element: &Element<'a, S, N, P>, path: &str) -> Result<Fields<'a>, Error>
where
    S: Text<'a>,
    N: Text<'a>,
    P: ObjectMember<Value = Params<'a, S>>,
{
    let required = |member: Option<&S>, name: &'static str| {
        text_at(member, path, name)?.ok_or_else(|| Error::missing_field(name))
    };
    let notification = text_at(element.notification.as_ref(), path, "notification")?
        .ok_or_else(|| Error::missing_field("notification"))?;
    let objectid = required(element.objectid.as_ref(), "objectid")?;
    let notificationid = required(element.notificationid.as_ref(), "notificationid")?;
    let params = element
        .params
        .as_ref()
        .map(|p| p.object(path, "params"))
        .transpose()?
        .ok_or_else(|| Error::missing_field("params"))?;
    Ok(Fields {
        notification,
        objectid,
        notificationid,
        account_name: text_at(params.account_name.as_ref(), path, "params.AccountName")?
            .ok_or_else(|| Error::missing_field("params.AccountName"))?,
        agent: text_at(params.agent.as_ref(), path, "params.Agent")?,
        agent_id: text_at(params.agent_id.as_ref(), path, "params.AgentId")?,
    })
}

/// One element's members as [`to_input`] reads them.
struct Fields<'r> {
    notification: Cow<'r, str>,
    objectid: Cow<'r, str>,
    notificationid: Cow<'r, str>,
    account_name: Cow<'r, str>,
    agent: Option<Cow<'r, str>>,
    agent_id: Option<Cow<'r, str>>,
}

/// Encodes a core [`Effect::Notify`] as the vendor's callback element; `None` for other effects.
///
/// `notificationid` and `account_name` come from the caller (the core draws no ids and knows no
/// accounts). The result serializes in the vendor's member order, for example
/// `{"notification":"AssignToAgent","objectid":"88381694","notificationid":"d8016173-...",
/// "params":{"AccountName":"InsightsDemoEMEA","AgentId":"5464"}}`, and for `Release` with only
/// `AccountName` in `params` (vcc-interactions-register.txt, "Callbacks").
///
/// The vendor's `AssignToAgent` also carries `params.Agent`, the agent's user name; the core
/// knows agents only by id, so `Agent` is omitted and `AgentId` carries the agent the core holds.
/// The HTTP delivery (the provider's endpoint and headers, [`interaction_core::Engine::provider`])
/// and wrapping elements into a JSON array are the caller's.
pub fn encode_notification(
    effect: &Effect,
    notificationid: &str,
    account_name: &str,
) -> Option<wire::Notification> {
    let Effect::Notify {
        interaction,
        notification,
        ..
    } = effect
    else {
        return None;
    };
    let agent_id = match notification {
        Notification::AssignToAgent { agent } => Some(agent.as_str().to_owned()),
        Notification::Release => None,
    };
    Some(wire::Notification {
        notification: notification.name().to_owned(),
        objectid: interaction.as_str().to_owned(),
        notificationid: notificationid.to_owned(),
        params: wire::NotificationParams {
            account_name: account_name.to_owned(),
            agent: None,
            agent_id,
        },
    })
}

/// Applies the callback rules (MODEL.md section 6) to one element's members.
fn to_input(notification: &Fields<'_>) -> Result<Input, Error> {
    let name = notification.notification.as_ref();
    if name != ASSIGN_TO_AGENT && name != RELEASE {
        return Err(Error::unsupported("notification", printable(name)));
    }
    let id = InteractionId::parse(&notification.objectid, "objectid")?;
    check_id(&notification.notificationid, "notificationid")?;
    check_id(&notification.account_name, "params.AccountName")?;
    // MODEL.md section 11: a `notificationid` is scoped by the account.
    let key = IdempotencyKey::scoped(
        "notificationid",
        Some(&notification.account_name),
        &notification.notificationid,
    )?;
    let action = if name == RELEASE {
        Action::Release
    } else {
        let agent = match (
            notification.agent_id.as_deref(),
            notification.agent.as_deref(),
        ) {
            (Some(id), _) => AgentId::parse(id, "params.AgentId")?,
            (None, Some(name)) => AgentId::parse(name, "params.Agent")?,
            (None, None) => return Err(Error::missing_field("params.AgentId")),
        };
        Action::Assign { agent }
    };
    Ok(Input::new(id, action, Actor::Platform)
        .with_key(key)
        .via(Api::Vcc))
}

/// The refusal of an empty callback array.
fn no_notification() -> Error {
    Error::invalid_field("callback", "must hold at least one notification")
}

#[cfg(test)]
mod tests {
    use super::*;
    use interaction_core::ErrorKind;

    const ASSIGN: &str = include_str!("../tests/fixtures/callback-assign-to-agent.json");

    fn only(body: &str) -> CallbackItem {
        let mut items = decode_callbacks(body.as_bytes()).unwrap();
        assert_eq!(items.len(), 1, "{body}");
        items.remove(0)
    }

    #[test]
    fn the_lax_pass_reads_every_variant_as_the_fast_one_does() {
        let element = ASSIGN.trim().trim_start_matches('[').trim_end_matches(']');
        let mut both = 0;
        for body in interaction_wire::variants(element) {
            let Some((fast, lax)) =
                interaction_wire::both_passes::<FastElement<'_>, LaxElement<'_>>(&body)
            else {
                continue;
            };
            let text = String::from_utf8_lossy(&body);
            both += 1;
            assert_eq!(
                format!("{:?}", item(&fast, "[0]")),
                format!("{:?}", item(&lax, "[0]")),
                "{text}"
            );
        }
        assert!(both > 30, "only {both} variants read in both passes");
    }

    #[test]
    fn a_refused_element_keeps_its_labels_and_names_its_path() {
        let item = only(&ASSIGN.replace(r#""InsightsDemoEMEA""#, "5"));
        assert_eq!(item.action, "assign");
        assert_eq!(item.objectid.as_deref(), Some("88381694"));
        assert_eq!(
            item.result.unwrap_err().to_string(),
            "malformed input: [0].params.AccountName: invalid type: integer `5`, expected a string"
        );
        // A `notification` that is not a string is labelled by its JSON text.
        let item = only(&ASSIGN.replace(r#""AssignToAgent""#, r#"{"k": 1}"#));
        assert_eq!(item.action, r#"{"k": 1}"#);
        assert_eq!(item.result.unwrap_err().kind(), ErrorKind::Malformed);
    }

    #[test]
    fn an_element_that_cannot_be_read_refuses_only_its_item() {
        let body = format!(
            "[{}, [1], {}]",
            ASSIGN.trim().trim_start_matches('[').trim_end_matches(']'),
            ASSIGN
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .replace(r#""88381694""#, "1e400")
        );
        let items = decode_callbacks(body.as_bytes()).unwrap();
        assert_eq!(items.len(), 3);
        assert!(items[0].result.is_ok(), "{:?}", items[0]);
        assert_eq!(
            items[1].result.as_ref().unwrap_err().to_string(),
            "malformed input: [1]: expected a JSON object, got an array"
        );
        assert_eq!(
            items[2].result.as_ref().unwrap_err().to_string(),
            "malformed input: [2].objectid: number out of range"
        );
    }

    #[test]
    fn escaped_strings_read_as_plain_ones_and_the_last_duplicate_wins() {
        let plain = only(ASSIGN);
        let escaped = only(&ASSIGN.replace("InsightsDemoEMEA", "Insights\\u0044emoEMEA"));
        assert_eq!(
            format!("{:?}", plain.result),
            format!("{:?}", escaped.result)
        );
        let twice = only(&ASSIGN.replace(
            r#""objectid": "88381694""#,
            r#""objectid": "1", "objectid": "88381694""#,
        ));
        assert_eq!(format!("{:?}", plain.result), format!("{:?}", twice.result));
    }
}
