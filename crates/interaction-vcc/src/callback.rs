//! Callbacks: the JSON arrays VCC POSTs to a registered provider's endpoint, read as platform
//! facts, and the core's notification effects written back in the same shape.
//!
//! Source: vcc-interactions-register.txt, "Callbacks" ("Interaction assigned to Agent",
//! "Interaction released from the VCC Platform"); rules: MODEL.md section 6.

use interaction_core::{
    Action, Actor, AgentId, Api, Effect, Error, IdempotencyKey, Input, InteractionId, Notification,
};
use interaction_wire::{
    Kind, Object, ObjectOnly, SmolStr, check_id, parse_body, parse_raw, printable,
};
use serde::Deserialize;
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
    match interaction_wire::typed::<Vec<ObjectOnly<FastElement<'_>>>>(body) {
        Some(elements) => decode_fast(elements),
        None => decode_precise(body),
    }
}

/// One callback element read in one typed pass ([`interaction_wire::typed`]): the members the
/// precise read type-checks, with nothing more lenient.
#[derive(Deserialize)]
struct FastElement<'a> {
    #[serde(borrow, default)]
    notification: Option<&'a str>,
    #[serde(borrow, default)]
    objectid: Option<&'a str>,
    #[serde(borrow, default)]
    notificationid: Option<&'a str>,
    #[serde(borrow, default)]
    params: Option<ObjectOnly<FastParams<'a>>>,
}

/// A callback element's `params`, read in the typed pass.
#[derive(Deserialize)]
struct FastParams<'a> {
    #[serde(rename = "AccountName", borrow, default)]
    account_name: Option<&'a str>,
    #[serde(rename = "Agent", borrow, default)]
    agent: Option<&'a str>,
    #[serde(rename = "AgentId", borrow, default)]
    agent_id: Option<&'a str>,
}

/// The rest of [`decode_callbacks`] on a body the typed pass read: the same checks, in the same
/// order, as on the precise read's values.
fn decode_fast(elements: Vec<ObjectOnly<FastElement<'_>>>) -> Result<Vec<CallbackItem>, Error> {
    if elements.is_empty() {
        return Err(no_notification());
    }
    Ok(elements
        .into_iter()
        .map(|ObjectOnly(element)| {
            let action = match element.notification {
                None => SmolStr::default(),
                Some(ASSIGN_TO_AGENT) => SmolStr::new_static("assign"),
                Some(RELEASE) => SmolStr::new_static("release"),
                Some(name) => SmolStr::new(name),
            };
            let result = fast_fields(&element).and_then(to_input);
            CallbackItem {
                action,
                objectid: element.objectid.map(SmolStr::new),
                agent_name: element
                    .params
                    .as_ref()
                    .and_then(|ObjectOnly(p)| p.agent)
                    .map(SmolStr::new),
                result,
            }
        })
        .collect())
}

/// The presence checks of [`read_notification`], in its order, on a typed element.
fn fast_fields<'r>(element: &FastElement<'r>) -> Result<Fields<'r>, Error> {
    let notification = element
        .notification
        .ok_or_else(|| Error::missing_field("notification"))?;
    let objectid = element
        .objectid
        .ok_or_else(|| Error::missing_field("objectid"))?;
    let notificationid = element
        .notificationid
        .ok_or_else(|| Error::missing_field("notificationid"))?;
    let ObjectOnly(params) = element
        .params
        .as_ref()
        .ok_or_else(|| Error::missing_field("params"))?;
    Ok(Fields {
        notification,
        objectid,
        notificationid,
        account_name: params
            .account_name
            .ok_or_else(|| Error::missing_field("params.AccountName"))?,
        agent: params.agent,
        agent_id: params.agent_id,
    })
}

/// One element's members as [`to_input`] reads them, from either read.
#[derive(Clone, Copy)]
struct Fields<'r> {
    notification: &'r str,
    objectid: &'r str,
    notificationid: &'r str,
    account_name: &'r str,
    agent: Option<&'r str>,
    agent_id: Option<&'r str>,
}

impl<'r> Fields<'r> {
    /// The view of an element the precise read gave.
    fn of(wire: &'r wire::Notification) -> Self {
        Fields {
            notification: &wire.notification,
            objectid: &wire.objectid,
            notificationid: &wire.notificationid,
            account_name: &wire.params.account_name,
            agent: wire.params.agent.as_deref(),
            agent_id: wire.params.agent_id.as_deref(),
        }
    }
}

/// [`decode_callbacks`] the precise way: element by element, every error naming its path.
fn decode_precise(body: &[u8]) -> Result<Vec<CallbackItem>, Error> {
    const WHAT: &str = "callback body";
    let raw = parse_body(body, WHAT)?;
    let kind = Kind::of(raw);
    if kind != Kind::Array {
        return Err(Error::malformed(format!(
            "{WHAT}: expected a JSON array of notifications, got {kind}"
        )));
    }
    let elements: Vec<&RawValue> = parse_raw(raw, WHAT)?;
    if elements.is_empty() {
        return Err(no_notification());
    }
    Ok(elements
        .into_iter()
        .enumerate()
        .map(|(index, raw)| decode_element(raw, index))
        .collect())
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

/// Decodes element `index` of a callback array.
fn decode_element(raw: &RawValue, index: usize) -> CallbackItem {
    let element = match Object::parse(raw, format!("[{index}]")) {
        Ok(element) => element,
        Err(e) => {
            return CallbackItem {
                action: SmolStr::default(),
                objectid: None,
                agent_name: None,
                result: Err(e),
            };
        }
    };
    let action = match element.raw("notification") {
        None => SmolStr::default(),
        Some(raw) => match serde_json::from_str::<String>(raw.get()) {
            Ok(name) if name == ASSIGN_TO_AGENT => SmolStr::new_static("assign"),
            Ok(name) if name == RELEASE => SmolStr::new_static("release"),
            Ok(name) => SmolStr::from(name),
            Err(_) => interaction_wire::label(raw.get()),
        },
    };
    let objectid = element
        .get::<String>("objectid")
        .ok()
        .flatten()
        .map(SmolStr::from);
    let agent_name = element
        .object("params")
        .ok()
        .flatten()
        .and_then(|params| params.get::<String>("Agent").ok().flatten())
        .map(SmolStr::from);
    let result = read_notification(&element).and_then(|wire| to_input(Fields::of(&wire)));
    CallbackItem {
        action,
        objectid,
        agent_name,
        result,
    }
}

/// Reads one element into its wire form: JSON types and presence.
fn read_notification(element: &Object<'_>) -> Result<wire::Notification, Error> {
    let required = |name: &'static str| {
        element
            .get::<String>(name)?
            .ok_or_else(|| Error::missing_field(name))
    };
    let notification = required("notification")?;
    let objectid = required("objectid")?;
    let notificationid = required("notificationid")?;
    let params = element
        .object("params")?
        .ok_or_else(|| Error::missing_field("params"))?;
    Ok(wire::Notification {
        notification,
        objectid,
        notificationid,
        params: wire::NotificationParams {
            account_name: params
                .get("AccountName")?
                .ok_or_else(|| Error::missing_field("params.AccountName"))?,
            agent: params.get("Agent")?,
            agent_id: params.get("AgentId")?,
        },
    })
}

/// Applies the callback rules (MODEL.md section 6) to one wire notification.
fn to_input(notification: Fields<'_>) -> Result<Input, Error> {
    let name = notification.notification;
    if name != ASSIGN_TO_AGENT && name != RELEASE {
        return Err(Error::unsupported("notification", printable(name)));
    }
    let id = InteractionId::parse(notification.objectid, "objectid")?;
    check_id(notification.notificationid, "notificationid")?;
    check_id(notification.account_name, "params.AccountName")?;
    // MODEL.md section 11: a `notificationid` is scoped by the account.
    let key = IdempotencyKey::scoped(
        "notificationid",
        Some(notification.account_name),
        notification.notificationid,
    )?;
    let action = if name == RELEASE {
        Action::Release
    } else {
        let agent = match (notification.agent_id, notification.agent) {
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

/// The refusal of an empty callback array, by either read.
fn no_notification() -> Error {
    Error::invalid_field("callback", "must hold at least one notification")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_read_decodes_as_the_precise_read() {
        let seeds = [
            include_str!("../tests/fixtures/callback-assign-to-agent.json"),
            include_str!("../tests/fixtures/callback-release.json"),
            r#"[{"notification": "AssignToAgent", "objectid": "ix-1", "notificationid": "n-1", "params": {"AccountName": "Acc", "Agent": "agent"}}, {"notification": "Other", "objectid": "ix-2", "notificationid": "n-2", "params": {"AccountName": "Acc"}}]"#,
        ];
        let mut fast = 0;
        for seed in seeds {
            for body in interaction_wire::variants(seed) {
                let text = String::from_utf8_lossy(&body);
                assert_eq!(
                    format!("{:?}", decode_callbacks(&body)),
                    format!("{:?}", decode_precise(&body)),
                    "{text}"
                );
                fast += usize::from(
                    interaction_wire::typed::<Vec<ObjectOnly<FastElement<'_>>>>(&body).is_some(),
                );
            }
        }
        assert!(fast > 100, "only {fast} bodies took the fast read");
    }
}
