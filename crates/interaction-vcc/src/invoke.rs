//! `POST /interactions/Invoke`: an Invocation body into one core [`Input`] per request.
//!
//! Source: vcc-interactions-invoke.txt ("Invocation object", "Example Invocation object");
//! rules: MODEL.md section 6, "VCC Interactions".

use interaction_core::{
    Action, Actor, Api, Direction, Error, IdempotencyKey, Input, InteractionId,
    MAX_USER_DATA_BYTES, Media, Name, ProviderName, UserData, Value,
};
use interaction_wire::{
    MemberName, Object, ObjectOnly, SmolStr, check_user_data_len, parse_raw, printable,
};
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
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
    pub action: SmolStr,
    /// The request's `externalid` when it is a JSON string, even if the request was refused
    /// (so a refusal can still name its interaction); `None` when absent or not a string.
    pub externalid: Option<SmolStr>,
    /// The core input (`dispatch` or `release`, actor `provider(..)`, key `requestid` scoped by the provider), or
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
/// (or none), with idempotency key `requestid` (scoped by the provider) when `requestid` is given.
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
/// naming the field). The idempotency key is `requestid` in the scope of the Invoke's `provider`
/// (MODEL.md section 11: the same `requestid` of another provider is another key).
pub fn decode_invoke(body: &[u8]) -> Result<Vec<InvokeItem>, Error> {
    match interaction_wire::typed::<ObjectOnly<FastInvocation<'_>>>(body) {
        Some(ObjectOnly(fast)) => decode_fast(fast),
        None => decode_precise(body),
    }
}

/// [`decode_invoke`] the precise way: member by member, every error naming its path.
fn decode_precise(body: &[u8]) -> Result<Vec<InvokeItem>, Error> {
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
        return Err(no_request());
    }
    Ok(requests
        .into_iter()
        .enumerate()
        .map(|(index, raw)| decode_request(raw, index, provider.as_ref()))
        .collect())
}

/// The Invocation read in one typed pass ([`interaction_wire::typed`]): every member a type
/// check of the precise read (`Object`) makes, and nothing more lenient.
#[derive(Deserialize)]
struct FastInvocation<'a> {
    #[serde(borrow, default)]
    provider: Option<&'a str>,
    #[serde(borrow, default)]
    requests: Option<Vec<ObjectOnly<FastRequest<'a>>>>,
}

/// One request, read in the typed pass.
#[derive(Deserialize)]
struct FastRequest<'a> {
    #[serde(borrow, default)]
    action: Option<&'a str>,
    #[serde(borrow, default)]
    requestid: Option<&'a str>,
    #[serde(borrow, default)]
    externalid: Option<&'a str>,
    #[serde(borrow, default)]
    route: Option<&'a str>,
    #[serde(borrow, default)]
    routingdata: Option<FastRoutingData<'a>>,
}

/// `routingdata` read in the typed pass: `interactiontype` (the last one, as the precise read
/// takes) and every other member as user data, inserted in the order they came.
struct FastRoutingData<'a> {
    interactiontype: Option<&'a str>,
    data: UserData,
}

impl<'de: 'a, 'a> Deserialize<'de> for FastRoutingData<'a> {
    /// Its raw text first: longer than [`MAX_USER_DATA_BYTES`] fails the typed pass (the
    /// precise read refuses it naming its path) before any member is read.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        if raw.get().len() > MAX_USER_DATA_BYTES {
            return Err(serde::de::Error::custom("routingdata over its bound"));
        }
        serde_json::from_str::<Members<'de>>(raw.get())
            .map(|Members(members)| members)
            .map_err(serde::de::Error::custom)
    }
}

/// `routingdata`'s members, read from its raw text.
struct Members<'a>(FastRoutingData<'a>);

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RoutingVisitor<'a>(core::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for RoutingVisitor<'a> {
            type Value = Members<'a>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = FastRoutingData {
                    interactiontype: None,
                    data: UserData::new(),
                };
                while let Some(MemberName(name)) = map.next_key()? {
                    if name == "interactiontype" {
                        out.interactiontype = map.next_value()?;
                    } else {
                        out.data
                            .insert(name.into_owned(), map.next_value::<Value>()?);
                    }
                }
                Ok(Members(out))
            }
        }

        d.deserialize_map(RoutingVisitor(core::marker::PhantomData))
    }
}

/// The rest of [`decode_invoke`] on a body the typed pass read: the same checks, in the same
/// order, as on the precise read's values.
fn decode_fast(fast: FastInvocation<'_>) -> Result<Vec<InvokeItem>, Error> {
    let provider = fast
        .provider
        .map(|p| ProviderName::parse(p, "provider"))
        .transpose()?;
    let requests = fast
        .requests
        .ok_or_else(|| Error::missing_field("requests"))?;
    if requests.is_empty() {
        return Err(no_request());
    }
    Ok(requests
        .into_iter()
        .map(|ObjectOnly(request)| {
            let (interactiontype, user_data) = match request.routingdata {
                Some(routing) => (routing.interactiontype, Some(routing.data)),
                None => (None, None),
            };
            let view = Request {
                action: request.action,
                requestid: request.requestid,
                externalid: request.externalid,
                route: request.route,
                interactiontype,
                user_data,
            };
            InvokeItem {
                action: request
                    .action
                    .map_or(SmolStr::new_static(DISPATCH), SmolStr::new),
                externalid: request.externalid.map(SmolStr::new),
                result: to_input(view, provider.as_ref()),
            }
        })
        .collect())
}

/// One request's members as [`to_input`] reads them, from either read.
struct Request<'r> {
    action: Option<&'r str>,
    requestid: Option<&'r str>,
    externalid: Option<&'r str>,
    route: Option<&'r str>,
    interactiontype: Option<&'r str>,
    /// `routingdata`'s other members; `None` when there is no `routingdata`.
    user_data: Option<UserData>,
}

impl<'r> Request<'r> {
    /// The view of a request the precise read gave.
    fn of(wire: &'r wire::InvokeRequest) -> Self {
        Request {
            action: wire.action.as_deref(),
            requestid: wire.requestid.as_deref(),
            externalid: wire.externalid.as_deref(),
            route: wire.route.as_deref(),
            interactiontype: wire
                .routingdata
                .as_ref()
                .and_then(|r| r.interactiontype.as_deref()),
            user_data: wire.routingdata.as_ref().map(|r| r.data.clone()),
        }
    }
}

/// Decodes `requests[index]`.
fn decode_request(raw: &RawValue, index: usize, provider: Option<&ProviderName>) -> InvokeItem {
    let request = match Object::parse(raw, format!("requests[{index}]")) {
        Ok(request) => request,
        Err(e) => {
            return InvokeItem {
                action: SmolStr::new_static(DISPATCH),
                externalid: None,
                result: Err(e),
            };
        }
    };
    let action = match request.raw("action") {
        None => SmolStr::new_static(DISPATCH),
        Some(raw) => serde_json::from_str::<String>(raw.get())
            .map_or_else(|_| interaction_wire::label(raw.get()), SmolStr::from),
    };
    let externalid = request
        .get::<String>("externalid")
        .ok()
        .flatten()
        .map(SmolStr::from);
    let result = read_request(&request).and_then(|wire| to_input(Request::of(&wire), provider));
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
        routingdata: match request.raw("routingdata") {
            Some(raw) => {
                check_user_data_len(raw, || request.path_of("routingdata"))?;
                request
                    .object("routingdata")?
                    .map(|data| read_routing_data(&data))
                    .transpose()?
            }
            None => None,
        },
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
fn to_input(request: Request<'_>, provider: Option<&ProviderName>) -> Result<Input, Error> {
    let action = request.action.unwrap_or(DISPATCH);
    if action != DISPATCH && action != RELEASE {
        return Err(Error::unsupported("action", printable(action)));
    }
    let externalid = request
        .externalid
        .ok_or_else(|| Error::missing_field("externalid"))?;
    let id = InteractionId::parse(externalid, "externalid")?;
    // MODEL.md section 11: a `requestid` is scoped by the provider the Invoke names (Invokes
    // naming none share one scope of their own).
    let key = request
        .requestid
        .map(|r| IdempotencyKey::scoped("requestid", provider.map(ProviderName::as_str), r))
        .transpose()?;
    let action = if action == RELEASE {
        Action::Release
    } else {
        let route = request.route.ok_or_else(|| Error::missing_field("route"))?;
        let route = Name::parse(route, "route")?;
        let media = media(request.interactiontype)?;
        Action::Dispatch {
            route,
            media,
            direction: Direction::Inbound,
            user_data: request.user_data.unwrap_or_default(),
        }
    };
    let input = Input::new(id, action, Actor::Provider(provider.cloned())).via(Api::Vcc);
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

/// The refusal of an empty `requests` array, by either read.
fn no_request() -> Error {
    Error::invalid_field("requests", "must hold at least one request")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_read_decodes_as_the_precise_read() {
        let seeds = [
            include_str!("../tests/fixtures/invoke-example-invocation-object.json"),
            r#"{"provider": "crm", "requests": [{"action": "dispatch", "requestid": "req-1", "externalid": "ix-1", "route": "Route A", "routingdata": {"interactiontype": "nonlive", "subject": "Order 1", "priority": 2, "tags": ["a", {"b": null}]}}, {"action": "release", "externalid": "ix-2"}]}"#,
            r#"{"requests": [{"externalid": "ix-3", "route": "R", "routingdata": {"interactiontype": "chat"}}]}"#,
        ];
        let mut fast = 0;
        for seed in seeds {
            for body in interaction_wire::variants(seed) {
                let text = String::from_utf8_lossy(&body);
                assert_eq!(
                    format!("{:?}", decode_invoke(&body)),
                    format!("{:?}", decode_precise(&body)),
                    "{text}"
                );
                fast += usize::from(
                    interaction_wire::typed::<ObjectOnly<FastInvocation<'_>>>(&body).is_some(),
                );
            }
        }
        assert!(fast > 100, "only {fast} bodies took the fast read");
    }

    #[test]
    fn a_release_needs_no_route() {
        let request = wire::InvokeRequest {
            action: Some("release".into()),
            externalid: Some("x".into()),
            ..Default::default()
        };
        let input = to_input(Request::of(&request), None).unwrap();
        assert_eq!(input.action, Action::Release);
        assert_eq!(input.key, None);
    }
}
