//! `POST /interactions/Invoke`: an Invocation body into one core [`Input`] per request.
//!
//! Source: vcc-interactions-invoke.txt ("Invocation object", "Example Invocation object");
//! rules: MODEL.md section 6, "VCC Interactions".

use interaction_core::{
    Action, Actor, Direction, Error, IdempotencyKey, Input, InteractionId, MAX_ID_LEN, Media, Name,
    ProviderName, UserData, Value, check_id,
};
use interaction_wire::{Object, parse_raw, printable};
use serde_json::value::RawValue;

use crate::wire;

/// The Invoke `action` that creates an interaction; also the default when `action` is absent.
const DISPATCH: &str = "dispatch";
/// The Invoke `action` that ends one.
const RELEASE: &str = "release";

/// One request of an Invoke body, decoded (or refused) on its own.
///
/// Each element of the Invocation's `requests` gives one item, in order, whatever its fate: a
/// refused request does not sink the others (MODEL.md section 6: "each request its own
/// outcome").
#[derive(Debug, Clone, PartialEq)]
pub struct InvokeItem {
    /// What the request asked for: the core action name `dispatch` or `release` (the wire
    /// values are the same words), `dispatch` when the request has no `action` (or is not an
    /// object), else the raw wire value as it came (a non-string as its JSON text, shortened to
    /// 64 characters).
    pub action: String,
    /// The request's `externalid` when it is a JSON string, even if the request was refused
    /// (so a refusal can still name its interaction); `None` when absent or not a string.
    pub externalid: Option<String>,
    /// The core input (`dispatch` or `release`, actor `provider(..)`, key `requestid:{id}`), or
    /// why the request was refused.
    pub result: Result<Input, Error>,
}

/// Decodes a `POST /interactions/Invoke` body into one [`InvokeItem`] per element of `requests`.
///
/// Shape: `{"provider"?: string, "requests": [{"action"?: "dispatch"|"release", "requestid"?,
/// "externalid", "route", "routingdata": {"interactiontype": "live"|"nonlive"|"chat", ...}},
/// ...]}` (vcc-interactions-invoke.txt, "Invocation object"). Unknown members are ignored.
///
/// Each request becomes (MODEL.md section 6):
/// * `action` `dispatch` (or absent): [`Action::Dispatch`] with `route`, the media named by
///   `routingdata.interactiontype`, [`Direction::Inbound`], and the other `routingdata` members
///   as the interaction's initial user data;
/// * `action` `release`: [`Action::Release`];
///
/// on the interaction `externalid`, by [`Actor::Provider`] naming the envelope's `provider`
/// (or none), with idempotency key `requestid:{requestid}` when `requestid` is given.
///
/// # Errors
/// The whole body is refused (`Err`) when it is not JSON or not an object
/// ([`Error::Malformed`]), when `requests` is absent or `null` ([`Error::MissingField`]
/// `requests`), not an array ([`Error::Malformed`] naming `requests`) or empty
/// ([`Error::InvalidField`] `requests`), and when `provider` is not a string
/// ([`Error::Malformed`]) or not a valid name ([`Error::MissingField`] when empty,
/// [`Error::InvalidField`] when over 256 bytes or holding a control character; field `provider`).
///
/// Each item's `result` is refused on its own when the request is not an object or a member has
/// the wrong JSON type or nests deeper than 128 levels ([`Error::Malformed`] naming the path, for
/// example `requests[1].route`), when `action` is another value ([`Error::Unsupported`]
/// `action`), when `externalid` is absent ([`Error::MissingField`] `externalid`; the page:
/// "Without an externalid you will not be able to identify and perform any future actions, such
/// as release"), and for a dispatch when `route` is absent ([`Error::MissingField`] `route`) or
/// `routingdata.interactiontype` is absent ([`Error::MissingField`]) or another value
/// ([`Error::InvalidField`]). Ids (`externalid`, `route`, `requestid`) must be non-empty, at most
/// 256 bytes and free of control characters ([`Error::MissingField`] / [`Error::InvalidField`]
/// naming the field); `requestid` at most 246 bytes, since the key adds `requestid:`.
pub fn decode_invoke(body: &[u8]) -> Result<Vec<InvokeItem>, Error> {
    const WHAT: &str = "Invoke body";
    let envelope = Object::body(body, WHAT)?;
    let provider = envelope
        .get::<String>("provider")?
        .map(|p| ProviderName::parse(&p, "provider"))
        .transpose()?;
    let requests = envelope
        .raw("requests")
        .ok_or_else(|| Error::missing_field("requests"))?;
    let requests: Vec<&RawValue> = parse_raw(requests, "requests")?;
    if requests.is_empty() {
        return Err(Error::invalid_field(
            "requests",
            "must hold at least one request",
        ));
    }
    Ok(requests
        .into_iter()
        .enumerate()
        .map(|(index, raw)| decode_request(raw, index, provider.as_ref()))
        .collect())
}

/// Decodes `requests[index]`.
fn decode_request(raw: &RawValue, index: usize, provider: Option<&ProviderName>) -> InvokeItem {
    let request = match Object::parse(raw, format!("requests[{index}]")) {
        Ok(request) => request,
        Err(e) => {
            return InvokeItem {
                action: DISPATCH.to_owned(),
                externalid: None,
                result: Err(e),
            };
        }
    };
    let action = match request.raw("action") {
        None => DISPATCH.to_owned(),
        Some(raw) => {
            serde_json::from_str::<String>(raw.get()).unwrap_or_else(|_| printable(raw.get()))
        }
    };
    let externalid = request.get::<String>("externalid").ok().flatten();
    let result = read_request(&request).and_then(|wire| to_input(&wire, provider));
    InvokeItem {
        action,
        externalid,
        result,
    }
}

/// Reads one request object into its wire form, checking JSON types only.
fn read_request(request: &Object<'_>) -> Result<wire::InvokeRequest, Error> {
    Ok(wire::InvokeRequest {
        action: request.get("action")?,
        requestid: request.get("requestid")?,
        externalid: request.get("externalid")?,
        route: request.get("route")?,
        routingdata: request
            .object("routingdata")?
            .map(|data| read_routing_data(&data))
            .transpose()?,
    })
}

/// Reads `routingdata`: `interactiontype`, and every other member as user data. Each member is
/// deserialized on its own, so a member nested too deep is refused naming its path.
fn read_routing_data(data: &Object<'_>) -> Result<wire::RoutingData, Error> {
    let mut user_data = UserData::new();
    for (name, raw) in data.members() {
        if name != "interactiontype" {
            let value: Value = data.parse_member(name, raw)?;
            user_data.insert(name.to_owned(), value);
        }
    }
    Ok(wire::RoutingData {
        interactiontype: data.get("interactiontype")?,
        data: user_data,
    })
}

/// Applies the Invoke rules to one request (MODEL.md section 6).
fn to_input(
    request: &wire::InvokeRequest,
    provider: Option<&ProviderName>,
) -> Result<Input, Error> {
    let action = request.action.as_deref().unwrap_or(DISPATCH);
    if action != DISPATCH && action != RELEASE {
        return Err(Error::unsupported("action", printable(action)));
    }
    let externalid = request
        .externalid
        .as_deref()
        .ok_or_else(|| Error::missing_field("externalid"))?;
    let id = InteractionId::parse(externalid, "externalid")?;
    let key = request
        .requestid
        .as_deref()
        .map(|r| idempotency_key("requestid", r))
        .transpose()?;
    let action = if action == RELEASE {
        Action::Release
    } else {
        let route = request
            .route
            .as_deref()
            .ok_or_else(|| Error::missing_field("route"))?;
        let route = Name::parse(route, "route")?;
        let routing = request.routingdata.as_ref();
        let media = media(routing.and_then(|r| r.interactiontype.as_deref()))?;
        Action::Dispatch {
            route,
            media,
            direction: Direction::Inbound,
            user_data: routing.map(|r| r.data.clone()).unwrap_or_default(),
        }
    };
    let input = Input::new(id, action, Actor::Provider(provider.cloned()));
    Ok(match key {
        Some(key) => input.with_key(key),
        None => input,
    })
}

/// `routingdata.interactiontype` as a core media.
fn media(interactiontype: Option<&str>) -> Result<Media, Error> {
    const FIELD: &str = "routingdata.interactiontype";
    match interactiontype {
        None | Some("") => Err(Error::missing_field(FIELD)),
        Some(value) => Media::from_name(value).ok_or_else(|| {
            Error::invalid_field(
                FIELD,
                format!("must be live, nonlive or chat, got `{}`", printable(value)),
            )
        }),
    }
}

/// The idempotency key `{field}:{value}` (`requestid:...`, `notificationid:...`): the prefix
/// keeps keys of different kinds apart in the engine.
///
/// # Errors
/// [`Error::MissingField`] naming `field` when `value` is empty; [`Error::InvalidField`] when it
/// holds a control character or is longer than [`MAX_ID_LEN`] less the prefix.
pub(crate) fn idempotency_key(field: &'static str, value: &str) -> Result<IdempotencyKey, Error> {
    check_id(value, field)?;
    let max = MAX_ID_LEN.saturating_sub(field.len() + 1);
    if value.len() > max {
        return Err(Error::invalid_field(
            field,
            format!(
                "is {} bytes long; at most {max} are allowed (the idempotency key adds `{field}:`)",
                value.len()
            ),
        ));
    }
    IdempotencyKey::parse(&format!("{field}:{value}"), field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use interaction_core::ErrorKind;

    #[test]
    fn the_prefixed_key_fits_in_an_id() {
        let key = idempotency_key("requestid", &"r".repeat(246)).unwrap();
        assert_eq!(key.as_str().len(), 256);
        let err = idempotency_key("requestid", &"r".repeat(247)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidField);
        assert!(err.to_string().contains("`requestid`"), "{err}");
        let err = idempotency_key("requestid", "").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingField);
    }

    #[test]
    fn a_release_needs_no_route() {
        let request = wire::InvokeRequest {
            action: Some("release".into()),
            externalid: Some("x".into()),
            ..Default::default()
        };
        let input = to_input(&request, None).unwrap();
        assert_eq!(input.action, Action::Release);
        assert_eq!(input.key, None);
    }
}
