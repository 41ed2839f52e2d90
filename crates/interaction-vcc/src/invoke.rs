//! `POST /interactions/Invoke`: an Invocation body into one core [`Input`] per request.
//!
//! Source: vcc-interactions-invoke.txt ("Invocation object", "Example Invocation object");
//! rules: MODEL.md section 6, "VCC Interactions".

use interaction_core::{
    Action, Actor, AgentId, Api, Direction, Error, FirstSight, IdempotencyKey, Input,
    InteractionId, Link, LinkKind, MAX_USER_DATA_BYTES, Media, Name, PersonalQueue, ProviderName,
    Routing, Skill, UserData, Value, check_id,
};
use interaction_wire::{
    MemberName, Object, ObjectOnly, SmolStr, check_user_data_len, parse_raw, printable,
};
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::Number;
use serde_json::value::RawValue;

use crate::wire;

/// The Invoke `action` that creates an interaction; also the default when `action` is absent.
const DISPATCH: &str = "dispatch";
/// The Invoke `action` that ends one.
const RELEASE: &str = "release";

/// The most `linkeddata` elements a dispatch may carry: 64. The pages give no limit; their
/// samples carry three and four.
pub const MAX_LINKS: usize = 64;
/// The most `routingdata.skills` a dispatch may ask for: 64. The pages give no limit; the
/// sample asks for three.
pub const MAX_SKILLS: usize = 64;
/// The longest string `value` a `linkeddata` element may have, in bytes: 2048 (a URL, as long
/// as the longest Register `endpoint`). The other strings (`type`, `label`, `personalqueue.agent`,
/// a skill's `name`) are ids: at most 256 bytes ([`interaction_core::MAX_ID_LEN`]).
pub const MAX_LINK_VALUE_BYTES: usize = 2048;

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
    /// (so a refusal can still name its interaction); `None` when absent or not a string (a
    /// dispatch without `externalid` is given its id by the caller: [`Invoked::into_input`]).
    pub externalid: Option<SmolStr>,
    /// The request decoded (`dispatch` or `release`, actor `provider(..)`, key `requestid`
    /// scoped by the provider), or why it was refused.
    pub result: Result<Invoked, Error>,
}

/// One Invoke request decoded: its core [`Input`] but, for a dispatch without `externalid`, the
/// interaction id (vcc-interactions-invoke.txt: "externalId is optional if action is dispatch").
/// [`Invoked::into_input`] makes the input, drawing an id only for such a dispatch.
#[derive(Debug, Clone, PartialEq)]
pub struct Invoked {
    interaction: Option<InteractionId>,
    action: Action,
    actor: Actor,
    key: Option<IdempotencyKey>,
    routing: Option<Box<Routing>>,
}

impl Invoked {
    /// The interaction the request names (`externalid`); `None` for a dispatch without one.
    pub fn interaction(&self) -> Option<&InteractionId> {
        self.interaction.as_ref()
    }

    /// The core action: [`Action::Dispatch`] or [`Action::Release`].
    pub fn action(&self) -> &Action {
        &self.action
    }

    /// A dispatch's routing data (`linkeddata`, `routingdata.personalqueue`,
    /// `routingdata.skills`); `None` when it carries none.
    pub fn routing(&self) -> Option<&Routing> {
        self.routing.as_deref()
    }

    /// The core input, when the request names its interaction; `None` for a dispatch without
    /// `externalid` (see [`Invoked::into_input`]).
    pub fn input(self) -> Option<Input> {
        let id = self.interaction.clone()?;
        Some(self.on(id, false))
    }

    /// The core input: on the interaction the request names, or, for a dispatch without
    /// `externalid`, on the id `draw` gives (called only then). Such an input's first sight
    /// says the id was drawn ([`FirstSight::drawn_id`]), so that the same request sent again
    /// under its `requestid` is a `duplicate` whatever id was drawn for it.
    ///
    /// # Errors
    /// `draw`'s error.
    pub fn into_input(
        self,
        draw: impl FnOnce() -> Result<InteractionId, Error>,
    ) -> Result<Input, Error> {
        match self.interaction.clone() {
            Some(id) => Ok(self.on(id, false)),
            None => Ok(self.on(draw()?, true)),
        }
    }

    fn on(self, id: InteractionId, drawn: bool) -> Input {
        let first_sight = match &self.action {
            Action::Dispatch {
                media, direction, ..
            } if drawn || self.routing.is_some() => Some(FirstSight {
                routing: self.routing,
                drawn_id: drawn,
                ..FirstSight::new(*media, *direction)
            }),
            _ => None,
        };
        let mut input = Input::new(id, self.action, self.actor).via(Api::Vcc);
        input.key = self.key;
        input.first_sight = first_sight;
        input
    }
}

/// Decodes a `POST /interactions/Invoke` body into one [`InvokeItem`] per element of `requests`.
///
/// Shape: `{"provider"?: string, "requests": [{"action"?: "dispatch"|"release", "requestid"?,
/// "externalid"?, "route", "linkeddata"?: [{"type", "label"?, "value", ...}], "routingdata":
/// {"interactiontype": "live"|"nonlive"|"chat", "personalqueue"?: {"agent",
/// "loggedintimeout"?, "loggedouttimeout"?}, "skills"?: [{"name", "expiryafter"?}], ...}},
/// ...]}` (vcc-interactions-invoke.txt, "Invocation object"; the Create inbound interaction
/// page, "Example body (Full dispatch)"). Unknown members are ignored.
///
/// Each request becomes (MODEL.md section 6):
/// * `action` `dispatch` (or absent): [`Action::Dispatch`] with `route`, the media named by
///   `routingdata.interactiontype`, [`Direction::Inbound`], and the other `routingdata` members
///   (but `personalqueue` and `skills`) as the interaction's initial user data; its routing
///   data ([`Routing`]: `linkeddata` as links, `personalqueue`, `skills`) in the input's first
///   sight;
/// * `action` `release`: [`Action::Release`];
///
/// on the interaction `externalid` (a dispatch without it on an id the caller draws:
/// [`Invoked::into_input`]), by [`Actor::Provider`] naming the envelope's `provider` (or none),
/// with idempotency key `requestid` (scoped by the provider) when `requestid` is given.
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
/// `action`), when a release has no `externalid` ([`Error::MissingField`] `externalid`; the
/// page: "Required (if action is release)"), and for a dispatch when `route` is absent
/// ([`Error::MissingField`] `route`) or `routingdata.interactiontype` is absent
/// ([`Error::MissingField`]) or another value ([`Error::InvalidField`]). Ids (`externalid`,
/// `route`, `requestid`) must be non-empty, at most 256 bytes and free of control characters
/// ([`Error::MissingField`] / [`Error::InvalidField`] naming the field). A dispatch's routing
/// data is bounded: `linkeddata` and `routingdata` at most 64 KiB of JSON each
/// ([`Error::InvalidField`] naming the member, read no further), at most [`MAX_LINKS`] links
/// and [`MAX_SKILLS`] skills ([`Error::InvalidField`] `linkeddata`, `routingdata.skills`); a
/// link's `type` and `value`, the personal queue's `agent` and a skill's `name` are required
/// ([`Error::MissingField`] `linkeddata[i].type`, `linkeddata[i].value`,
/// `routingdata.personalqueue.agent`, `routingdata.skills[i].name`); `type`, `label`, `agent`
/// and `name` follow the id rules, a string `value` is at most [`MAX_LINK_VALUE_BYTES`] bytes
/// without control characters, and `loggedintimeout`, `loggedouttimeout` and `expiryafter` are
/// whole numbers of seconds from 0 to 4 294 967 295 ([`Error::InvalidField`] naming the member,
/// for example `routingdata.skills[2].expiryafter`). The idempotency key is `requestid` in the
/// scope of the Invoke's `provider` (MODEL.md section 11: the same `requestid` of another
/// provider is another key).
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
    linkeddata: Option<FastLinks<'a>>,
    #[serde(borrow, default)]
    routingdata: Option<FastRoutingData<'a>>,
}

/// `linkeddata` read in the typed pass: its raw text first (longer than
/// [`MAX_USER_DATA_BYTES`] fails the pass, and the precise read refuses it naming its path),
/// then each element.
struct FastLinks<'a>(Vec<LinkView<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for FastLinks<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        if raw.get().len() > MAX_USER_DATA_BYTES {
            return Err(serde::de::Error::custom("linkeddata over its bound"));
        }
        serde_json::from_str::<Vec<FastLink<'de>>>(raw.get())
            .map(|links| FastLinks(links.into_iter().map(FastLink::view).collect()))
            .map_err(serde::de::Error::custom)
    }
}

/// One `linkeddata` element, read in the typed pass (a struct with a flattened member asks for
/// a map: an array fails, as in the precise read); its other members kept.
#[derive(Deserialize)]
struct FastLink<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Option<&'a str>,
    #[serde(borrow, default)]
    label: Option<&'a str>,
    #[serde(default)]
    value: Option<Value>,
    #[serde(flatten)]
    extra: UserData,
}

impl<'a> FastLink<'a> {
    fn view(self) -> LinkView<'a> {
        LinkView {
            kind: self.kind,
            label: self.label,
            value: self.value,
            extra: self.extra,
        }
    }
}

/// `routingdata.personalqueue`, read in the typed pass.
#[derive(Deserialize)]
struct FastQueue<'a> {
    #[serde(borrow, default)]
    agent: Option<&'a str>,
    #[serde(default)]
    loggedintimeout: Option<Number>,
    #[serde(default)]
    loggedouttimeout: Option<Number>,
}

/// One `routingdata.skills` element, read in the typed pass.
#[derive(Deserialize)]
struct FastSkill<'a> {
    #[serde(borrow, default)]
    name: Option<&'a str>,
    #[serde(default)]
    expiryafter: Option<Number>,
}

/// `routingdata` read in the typed pass: `interactiontype`, `personalqueue` and `skills` (the
/// last of each, as the precise read takes) and every other member as user data, inserted in
/// the order they came.
struct FastRoutingData<'a> {
    interactiontype: Option<&'a str>,
    personal_queue: Option<QueueView<'a>>,
    skills: Option<Vec<SkillView<'a>>>,
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
                    personal_queue: None,
                    skills: None,
                    data: UserData::new(),
                };
                while let Some(MemberName(name)) = map.next_key()? {
                    match name.as_ref() {
                        "interactiontype" => out.interactiontype = map.next_value()?,
                        "personalqueue" => {
                            out.personal_queue = map
                                .next_value::<Option<ObjectOnly<FastQueue<'de>>>>()?
                                .map(|ObjectOnly(q)| QueueView {
                                    agent: q.agent,
                                    logged_in: q.loggedintimeout,
                                    logged_out: q.loggedouttimeout,
                                });
                        }
                        "skills" => {
                            out.skills = map
                                .next_value::<Option<Vec<ObjectOnly<FastSkill<'de>>>>>()?
                                .map(|skills| {
                                    skills
                                        .into_iter()
                                        .map(|ObjectOnly(s)| SkillView {
                                            name: s.name,
                                            expiry: s.expiryafter,
                                        })
                                        .collect()
                                });
                        }
                        _ => {
                            out.data
                                .insert(name.into_owned(), map.next_value::<Value>()?);
                        }
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
            let (interactiontype, personal_queue, skills, user_data) = match request.routingdata {
                Some(routing) => (
                    routing.interactiontype,
                    routing.personal_queue,
                    routing.skills,
                    Some(routing.data),
                ),
                None => (None, None, None, None),
            };
            let view = Request {
                action: request.action,
                requestid: request.requestid,
                externalid: request.externalid,
                route: request.route,
                interactiontype,
                user_data,
                links: request.linkeddata.map(|FastLinks(links)| links),
                personal_queue,
                skills,
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
    /// `linkeddata`'s elements.
    links: Option<Vec<LinkView<'r>>>,
    /// `routingdata.personalqueue`.
    personal_queue: Option<QueueView<'r>>,
    /// `routingdata.skills`' elements.
    skills: Option<Vec<SkillView<'r>>>,
}

/// One `linkeddata` element's members, from either read.
struct LinkView<'r> {
    kind: Option<&'r str>,
    label: Option<&'r str>,
    value: Option<Value>,
    extra: UserData,
}

/// `routingdata.personalqueue`'s members, from either read.
struct QueueView<'r> {
    agent: Option<&'r str>,
    logged_in: Option<Number>,
    logged_out: Option<Number>,
}

/// One `routingdata.skills` element's members, from either read.
struct SkillView<'r> {
    name: Option<&'r str>,
    expiry: Option<Number>,
}

impl<'r> Request<'r> {
    /// The view of a request the precise read gave.
    fn of(wire: &'r wire::InvokeRequest) -> Self {
        let routing = wire.routingdata.as_ref();
        Request {
            action: wire.action.as_deref(),
            requestid: wire.requestid.as_deref(),
            externalid: wire.externalid.as_deref(),
            route: wire.route.as_deref(),
            interactiontype: routing.and_then(|r| r.interactiontype.as_deref()),
            user_data: routing.map(|r| r.data.clone()),
            links: wire.linkeddata.as_ref().map(|links| {
                links
                    .iter()
                    .map(|l| LinkView {
                        kind: l.kind.as_deref(),
                        label: l.label.as_deref(),
                        value: l.value.clone(),
                        extra: l.extra.clone(),
                    })
                    .collect()
            }),
            personal_queue: routing
                .and_then(|r| r.personalqueue.as_ref())
                .map(|q| QueueView {
                    agent: q.agent.as_deref(),
                    logged_in: q.loggedintimeout.clone(),
                    logged_out: q.loggedouttimeout.clone(),
                }),
            skills: routing.and_then(|r| r.skills.as_ref()).map(|skills| {
                skills
                    .iter()
                    .map(|s| SkillView {
                        name: s.name.as_deref(),
                        expiry: s.expiryafter.clone(),
                    })
                    .collect()
            }),
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
        linkeddata: request
            .raw("linkeddata")
            .map(|raw| read_links(&request.path_of("linkeddata"), raw))
            .transpose()?,
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

/// Reads `linkeddata` (at `path`): at most [`MAX_USER_DATA_BYTES`] of JSON, an array of
/// objects, each member deserialized on its own.
fn read_links(path: &str, raw: &RawValue) -> Result<Vec<wire::LinkedData>, Error> {
    check_user_data_len(raw, || path.to_owned())?;
    let elements: Vec<&RawValue> = parse_raw(raw, path)?;
    elements
        .into_iter()
        .enumerate()
        .map(|(index, raw)| {
            let link = Object::parse(raw, format!("{path}[{index}]"))?;
            let mut extra = UserData::new();
            for (name, raw) in link.members() {
                if !matches!(name, "type" | "label" | "value") {
                    extra.insert(name.to_owned(), link.parse_member(name, raw)?);
                }
            }
            Ok(wire::LinkedData {
                kind: link.get("type")?,
                label: link.get("label")?,
                value: link.get("value")?,
                extra,
            })
        })
        .collect()
}

/// Reads `routingdata`: `interactiontype`, `personalqueue`, `skills`, and every other member as
/// user data. Each member is deserialized on its own, so a member nested too deep is refused
/// naming its path.
fn read_routing_data(data: &Object<'_>) -> Result<wire::RoutingData, Error> {
    let mut user_data = UserData::new();
    for (name, raw) in data.members() {
        if !matches!(name, "interactiontype" | "personalqueue" | "skills") {
            let value: Value = data.parse_member(name, raw)?;
            user_data.insert(name.to_owned(), value);
        }
    }
    let personalqueue = match data.object("personalqueue")? {
        Some(queue) => Some(wire::PersonalQueue {
            agent: queue.get("agent")?,
            loggedintimeout: queue.get("loggedintimeout")?,
            loggedouttimeout: queue.get("loggedouttimeout")?,
        }),
        None => None,
    };
    let skills = match data.raw("skills") {
        Some(raw) => {
            let path = data.path_of("skills");
            let elements: Vec<&RawValue> = parse_raw(raw, &path)?;
            let mut skills = Vec::with_capacity(elements.len());
            for (index, raw) in elements.into_iter().enumerate() {
                let skill = Object::parse(raw, format!("{path}[{index}]"))?;
                skills.push(wire::Skill {
                    name: skill.get("name")?,
                    expiryafter: skill.get("expiryafter")?,
                });
            }
            Some(skills)
        }
        None => None,
    };
    Ok(wire::RoutingData {
        interactiontype: data.get("interactiontype")?,
        personalqueue,
        skills,
        data: user_data,
    })
}

/// Applies the Invoke rules to one request (MODEL.md section 6).
fn to_input(request: Request<'_>, provider: Option<&ProviderName>) -> Result<Invoked, Error> {
    let action = request.action.unwrap_or(DISPATCH);
    if action != DISPATCH && action != RELEASE {
        return Err(Error::unsupported("action", printable(action)));
    }
    let interaction = match request.externalid {
        Some(externalid) => Some(InteractionId::parse(externalid, "externalid")?),
        // vcc-interactions-invoke.txt: "externalId is optional if action is dispatch".
        None if action == DISPATCH => None,
        None => return Err(Error::missing_field("externalid")),
    };
    // MODEL.md section 11: a `requestid` is scoped by the provider the Invoke names (Invokes
    // naming none share one scope of their own).
    let key = request
        .requestid
        .map(|r| IdempotencyKey::scoped("requestid", provider.map(ProviderName::as_str), r))
        .transpose()?;
    let (action, routing) = if action == RELEASE {
        (Action::Release, None)
    } else {
        let route = request.route.ok_or_else(|| Error::missing_field("route"))?;
        let route = Name::parse(route, "route")?;
        let media = media(request.interactiontype)?;
        let routing = Routing {
            links: request.links.map(links).transpose()?.unwrap_or_default(),
            personal_queue: request
                .personal_queue
                .as_ref()
                .map(personal_queue)
                .transpose()?,
            skills: request.skills.map(skills).transpose()?.unwrap_or_default(),
        };
        let dispatch = Action::Dispatch {
            route,
            media,
            direction: Direction::Inbound,
            user_data: request.user_data.unwrap_or_default(),
        };
        (dispatch, (!routing.is_empty()).then(|| Box::new(routing)))
    };
    Ok(Invoked {
        interaction,
        action,
        actor: Actor::Provider(provider.cloned()),
        key,
        routing,
    })
}

/// `check_id` of `value`, naming the field `field()` gives only when it fails.
fn check_named(value: &str, field: impl Fn() -> String) -> Result<(), Error> {
    if check_id(value, "").is_ok() {
        return Ok(());
    }
    check_id(value, &field())
}

/// `linkeddata`'s elements as core links: at most [`MAX_LINKS`]; each with a `type` (an id;
/// any word, kept as it came), an optional `label` (an id) and a `value` (a string of at most
/// [`MAX_LINK_VALUE_BYTES`] bytes without control characters, or any other JSON value).
fn links(views: Vec<LinkView<'_>>) -> Result<Vec<Link>, Error> {
    if views.len() > MAX_LINKS {
        return Err(Error::invalid_field(
            "linkeddata",
            format!(
                "holds {} links; at most {MAX_LINKS} are allowed",
                views.len()
            ),
        ));
    }
    views
        .into_iter()
        .enumerate()
        .map(|(index, view)| {
            let field = |member: &str| format!("linkeddata[{index}].{member}");
            let kind = view
                .kind
                .ok_or_else(|| Error::missing_field(field("type")))?;
            check_named(kind, || field("type"))?;
            if let Some(label) = view.label {
                check_named(label, || field("label"))?;
            }
            let value = view
                .value
                .ok_or_else(|| Error::missing_field(field("value")))?;
            if let Value::String(text) = &value {
                check_text(text, MAX_LINK_VALUE_BYTES, || field("value"))?;
            }
            Ok(Link {
                kind: LinkKind::from_name(kind),
                label: view.label.map(str::to_owned),
                value,
                extra: view.extra,
            })
        })
        .collect()
}

/// A free text: at most `max` bytes, no control characters.
fn check_text(text: &str, max: usize, field: impl Fn() -> String) -> Result<(), Error> {
    if text.len() > max {
        return Err(Error::invalid_field(
            field(),
            format!("is {} bytes long; at most {max} are allowed", text.len()),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::invalid_field(
            field(),
            "contains a control character",
        ));
    }
    Ok(())
}

/// `routingdata.personalqueue` as the core's personal queue.
fn personal_queue(view: &QueueView<'_>) -> Result<PersonalQueue, Error> {
    const AGENT: &str = "routingdata.personalqueue.agent";
    let agent = view.agent.ok_or_else(|| Error::missing_field(AGENT))?;
    Ok(PersonalQueue {
        agent: AgentId::parse(agent, AGENT)?,
        logged_in_timeout_secs: seconds(view.logged_in.as_ref(), || {
            "routingdata.personalqueue.loggedintimeout".to_owned()
        })?,
        logged_out_timeout_secs: seconds(view.logged_out.as_ref(), || {
            "routingdata.personalqueue.loggedouttimeout".to_owned()
        })?,
    })
}

/// `routingdata.skills`' elements as core skills: at most [`MAX_SKILLS`], each with a `name`
/// (an id) and an optional `expiryafter`.
fn skills(views: Vec<SkillView<'_>>) -> Result<Vec<Skill>, Error> {
    if views.len() > MAX_SKILLS {
        return Err(Error::invalid_field(
            "routingdata.skills",
            format!(
                "holds {} skills; at most {MAX_SKILLS} are allowed",
                views.len()
            ),
        ));
    }
    views
        .into_iter()
        .enumerate()
        .map(|(index, view)| {
            let field = |member: &str| format!("routingdata.skills[{index}].{member}");
            let name = view
                .name
                .ok_or_else(|| Error::missing_field(field("name")))?;
            check_named(name, || field("name"))?;
            Ok(Skill {
                name: Name::parse(name, "name")?,
                expiry_after_secs: seconds(view.expiry.as_ref(), || field("expiryafter"))?,
            })
        })
        .collect()
}

/// A number of seconds: a whole number from 0 to `u32::MAX`.
fn seconds(n: Option<&Number>, field: impl Fn() -> String) -> Result<Option<u32>, Error> {
    n.map(|n| {
        n.as_u64()
            .and_then(|s| u32::try_from(s).ok())
            .ok_or_else(|| {
                Error::invalid_field(
                    field(),
                    format!(
                        "must be a whole number of seconds from 0 to {}, got `{n}`",
                        u32::MAX
                    ),
                )
            })
    })
    .transpose()
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
            // The Create inbound interaction page's "Example body (Full dispatch)".
            include_str!("../tests/fixtures/invoke-full-dispatch.json"),
            // The Requests page's sample: an `object` link with more members; no `externalid`.
            r#"{"provider": "CrmIntegration", "requests": [{"action": "dispatch", "requestid": "8762187187", "route": "CrmCallRouting", "linkeddata": [{"type": "clid", "value": "+44123456789"}, {"type": "url", "label": "Click me", "value": "http://foo.bar.com"}, {"type": "object", "owner": "Crm", "key": "Contact", "value": {"id": "500ea8787a87s87s", "n": [1, 2.5]}}], "routingdata": {"interactiontype": "nonlive", "skills": [{"name": "s", "expiryafter": 1}], "personalqueue": {"agent": "a", "loggedintimeout": 1.5}}}]}"#,
        ];
        let mut fast = 0;
        for seed in seeds {
            assert!(
                interaction_wire::typed::<ObjectOnly<FastInvocation<'_>>>(seed.as_bytes())
                    .is_some(),
                "the seed itself takes the fast read: {seed}"
            );
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
        let input = to_input(Request::of(&request), None)
            .unwrap()
            .input()
            .unwrap();
        assert_eq!(input.action, Action::Release);
        assert_eq!(input.key, None);
        assert_eq!(input.first_sight, None);
    }

    #[test]
    fn a_dispatch_without_externalid_is_made_on_a_drawn_id_and_a_release_needs_one() {
        let body = br#"{"requests": [{"route": "R", "routingdata": {"interactiontype": "chat"}},
            {"action": "release"}]}"#;
        let mut items = decode_invoke(body).unwrap().into_iter();
        let dispatch = items.next().unwrap();
        assert_eq!(dispatch.externalid, None);
        let invoked = dispatch.result.unwrap();
        assert_eq!(invoked.interaction(), None);
        assert!(invoked.clone().input().is_none());
        let input = invoked
            .into_input(|| InteractionId::parse("dispatch-1-1", "id"))
            .unwrap();
        assert_eq!(input.interaction.as_str(), "dispatch-1-1");
        assert!(
            input
                .first_sight
                .is_some_and(|fs| fs.drawn_id && fs.routing.is_none())
        );
        let release = items.next().unwrap();
        assert_eq!(
            release.result.unwrap_err(),
            Error::missing_field("externalid")
        );
    }
}
