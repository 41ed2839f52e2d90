//! `POST /interactions/Invoke`: an Invocation body into one core [`Input`] per request.
//!
//! Source: vcc-interactions-invoke.txt ("Invocation object", "Example Invocation object");
//! rules: MODEL.md section 6, "VCC Interactions".

use interaction_core::{
    Action, Actor, AgentId, Api, Direction, Error, FirstSight, IdempotencyKey, Input,
    InteractionId, Link, LinkKind, MAX_USER_DATA_BYTES, Media, Name, PersonalQueue, ProviderName,
    Routing, Skill, UserData, Value, check_id,
};
use std::borrow::Cow;

use interaction_wire::{
    Fast, Lax, ListMember, MemberName, Mode, Object, ObjectOnly, RawList, Read, SmolStr, Text,
    check_user_data_len, members, parse_raw, printable, text, text_at,
};
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::Number;
use serde_json::value::RawValue;

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
    const WHAT: &str = "Invoke body";
    match interaction_wire::read_body::<FastInvocation<'_>, LaxInvocation<'_>>(body, WHAT)? {
        Read::Fast(invocation) => fast_items(invocation),
        Read::Lax(invocation) => lax_items(invocation),
    }
}

/// The items of an Invocation the fast pass read.
fn fast_items(invocation: FastInvocation<'_>) -> Result<Vec<InvokeItem>, Error> {
    let provider = provider(&invocation)?;
    let requests = invocation
        .requests
        .ok_or_else(|| Error::missing_field("requests"))?;
    if requests.is_empty() {
        return Err(no_request());
    }
    // A new list rather than `collect`: collecting in place would reuse the requests' larger
    // buffer and shrink it with a `realloc` per body.
    let mut items = Vec::with_capacity(requests.len());
    for request in requests {
        items.push(item(request, "", provider.as_ref()));
    }
    Ok(items)
}

/// The items of an Invocation the lax pass read: each request read on its own.
fn lax_items(invocation: LaxInvocation<'_>) -> Result<Vec<InvokeItem>, Error> {
    let provider = provider(&invocation)?;
    let requests = invocation
        .requests
        .ok_or_else(|| Error::missing_field("requests"))?
        .into_list("", "requests")?;
    if requests.is_empty() {
        return Err(no_request());
    }
    Ok(requests
        .into_iter()
        .enumerate()
        .map(|(index, raw)| {
            let path = format!("requests[{index}]");
            match interaction_wire::read_object::<FastRequest<'_>, LaxRequest<'_>>(raw, &path) {
                Ok(Read::Fast(request)) => item(request, &path, provider.as_ref()),
                Ok(Read::Lax(request)) => item(request, &path, provider.as_ref()),
                Err(e) => InvokeItem {
                    action: SmolStr::new_static(DISPATCH),
                    externalid: None,
                    result: Err(e),
                },
            }
        })
        .collect())
}

members! {
    /// The Invocation ([`interaction_wire::read_body`]): `provider` as pass `M` holds it, and
    /// `requests` as `R`: in the fast pass the typed requests, in the lax one each request
    /// raw, read on its own (a request that cannot be read refuses only its item).
    struct Invocation<'a, M: Mode, R> {
        "provider" => provider: M::Text<'a>,
        "requests" => requests: R,
    }
}

/// The Invocation in the fast pass.
type FastInvocation<'a> = Invocation<'a, Fast, Vec<FastRequest<'a>>>;

/// The Invocation in the lax pass.
type LaxInvocation<'a> = Invocation<'a, Lax, RawList<'a, &'a RawValue>>;

members! {
    /// One request, its members as pass `M` holds them, `linkeddata` as `L` and `routingdata`
    /// as `G` ([`FastLinks`] and [`FastRoutingData`] in the fast pass, raw in the lax one).
    struct RequestBody<'a, M: Mode, L, G> {
        "action" => action: M::Raw<'a>,
        "requestid" => requestid: M::Text<'a>,
        "externalid" => externalid: M::Text<'a>,
        "route" => route: M::Text<'a>,
        "linkeddata" => linkeddata: L,
        "routingdata" => routingdata: G,
    }
}

/// A request in the fast pass.
type FastRequest<'a> = RequestBody<'a, Fast, FastLinks<'a>, FastRoutingData<'a>>;

/// A request in the lax pass: every member raw, its JSON type checked when it is read.
type LaxRequest<'a> = RequestBody<'a, Lax, &'a RawValue, &'a RawValue>;

/// The Invocation's `provider`, checked.
fn provider<M: Mode, R>(invocation: &Invocation<'_, M, R>) -> Result<Option<ProviderName>, Error> {
    text(invocation.provider.as_ref(), "provider")?
        .map(|p| ProviderName::parse(&p, "provider"))
        .transpose()
}

/// The item of one request, read by either pass, found at `path` (`requests[1]`; for
/// messages).
fn item<'a, M: Mode, L: LinksMember<'a>, G: RoutingMember<'a>>(
    request: RequestBody<'a, M, L, G>,
    path: &str,
    provider: Option<&ProviderName>,
) -> InvokeItem {
    let action = match &request.action {
        None => SmolStr::new_static(DISPATCH),
        Some(action) => match action.ok() {
            Some(name) => SmolStr::new(name),
            None => action
                .json()
                .map(interaction_wire::label)
                .unwrap_or_default(),
        },
    };
    let externalid = request
        .externalid
        .as_ref()
        .and_then(Text::ok)
        .map(SmolStr::new);
    let result = view(request, path).and_then(|view| to_input(view, provider));
    InvokeItem {
        action,
        externalid,
        result,
    }
}

/// One request's members as [`to_input`] reads them, type-checked in this order: `action`,
/// `requestid`, `externalid`, `route`, `linkeddata`, `routingdata`.
fn view<'a, M: Mode, L: LinksMember<'a>, G: RoutingMember<'a>>(
    request: RequestBody<'a, M, L, G>,
    path: &str,
) -> Result<Request<'a>, Error> {
    let action = text_at(request.action.as_ref(), path, "action")?;
    let requestid = text_at(request.requestid.as_ref(), path, "requestid")?;
    let externalid = text_at(request.externalid.as_ref(), path, "externalid")?;
    let route = text_at(request.route.as_ref(), path, "route")?;
    let links = request
        .linkeddata
        .map(|links| links.links(path))
        .transpose()?;
    let routing = request
        .routingdata
        .map(|routing| routing.routing(path))
        .transpose()?;
    let (interactiontype, personal_queue, skills, user_data) = match routing {
        Some(routing) => (
            routing.interactiontype,
            routing.personal_queue,
            routing.skills,
            Some(routing.data),
        ),
        None => (None, None, None, None),
    };
    Ok(Request {
        action,
        requestid,
        externalid,
        route,
        interactiontype,
        user_data,
        links,
        personal_queue,
        skills,
    })
}

/// `linkeddata` as a pass holds it: [`FastLinks`] in the fast pass, raw in the lax one.
trait LinksMember<'a> {
    /// The links, the request found at `path`.
    ///
    /// # Errors
    /// As [`read_links`].
    fn links(self, path: &str) -> Result<Vec<LinkView<'a>>, Error>;
}

impl<'a> LinksMember<'a> for FastLinks<'a> {
    fn links(self, _path: &str) -> Result<Vec<LinkView<'a>>, Error> {
        Ok(self.0)
    }
}

impl<'a> LinksMember<'a> for &'a RawValue {
    fn links(self, path: &str) -> Result<Vec<LinkView<'a>>, Error> {
        read_links(&interaction_wire::join(path, "linkeddata"), self)
    }
}

/// `routingdata` as a pass holds it: [`FastRoutingData`] in the fast pass, raw in the lax one.
trait RoutingMember<'a> {
    /// The routing data, the request found at `path`.
    ///
    /// # Errors
    /// As [`read_routing_data`].
    fn routing(self, path: &str) -> Result<FastRoutingData<'a>, Error>;
}

impl<'a> RoutingMember<'a> for FastRoutingData<'a> {
    fn routing(self, _path: &str) -> Result<FastRoutingData<'a>, Error> {
        Ok(self)
    }
}

impl<'a> RoutingMember<'a> for &'a RawValue {
    fn routing(self, path: &str) -> Result<FastRoutingData<'a>, Error> {
        let path = interaction_wire::join(path, "routingdata");
        check_user_data_len(self, || path.clone())?;
        let data = Object::parse(self, path)?;
        read_routing_data(&data)
    }
}

/// `linkeddata` read in the fast pass: its raw text first (longer than
/// [`MAX_USER_DATA_BYTES`] fails the pass, and the lax one refuses it naming its path),
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

/// One `linkeddata` element, read in the fast pass (a struct with a flattened member asks for
/// a map: an array fails, as in the lax read); its other members kept.
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
            kind: self.kind.map(Cow::Borrowed),
            label: self.label.map(Cow::Borrowed),
            value: self.value,
            extra: self.extra,
        }
    }
}

/// `routingdata.personalqueue`, read in the fast pass.
#[derive(Deserialize)]
struct FastQueue<'a> {
    #[serde(borrow, default)]
    agent: Option<&'a str>,
    #[serde(default)]
    loggedintimeout: Option<Number>,
    #[serde(default)]
    loggedouttimeout: Option<Number>,
}

/// One `routingdata.skills` element, read in the fast pass.
#[derive(Deserialize)]
struct FastSkill<'a> {
    #[serde(borrow, default)]
    name: Option<&'a str>,
    #[serde(default)]
    expiryafter: Option<Number>,
}

/// `routingdata` read in the fast pass: `interactiontype`, `personalqueue` and `skills` (the
/// last of each, as the lax read takes) and every other member as user data, inserted in
/// the order they came.
struct FastRoutingData<'a> {
    interactiontype: Option<Cow<'a, str>>,
    personal_queue: Option<QueueView<'a>>,
    skills: Option<Vec<SkillView<'a>>>,
    data: UserData,
}

impl<'de: 'a, 'a> Deserialize<'de> for FastRoutingData<'a> {
    /// Its raw text first: longer than [`MAX_USER_DATA_BYTES`] fails the fast pass (the
    /// lax one refuses it naming its path) before any member is read.
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
                        "interactiontype" => {
                            out.interactiontype =
                                map.next_value::<Option<&'de str>>()?.map(Cow::Borrowed);
                        }
                        "personalqueue" => {
                            out.personal_queue = map
                                .next_value::<Option<ObjectOnly<FastQueue<'de>>>>()?
                                .map(|ObjectOnly(q)| QueueView {
                                    agent: q.agent.map(Cow::Borrowed),
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
                                            name: s.name.map(Cow::Borrowed),
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

/// One request's members as [`to_input`] reads them, from either pass.
struct Request<'r> {
    action: Option<Cow<'r, str>>,
    requestid: Option<Cow<'r, str>>,
    externalid: Option<Cow<'r, str>>,
    route: Option<Cow<'r, str>>,
    interactiontype: Option<Cow<'r, str>>,
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
    kind: Option<Cow<'r, str>>,
    label: Option<Cow<'r, str>>,
    value: Option<Value>,
    extra: UserData,
}

/// `routingdata.personalqueue`'s members, from either read.
struct QueueView<'r> {
    agent: Option<Cow<'r, str>>,
    logged_in: Option<Number>,
    logged_out: Option<Number>,
}

/// One `routingdata.skills` element's members, from either read.
struct SkillView<'r> {
    name: Option<Cow<'r, str>>,
    expiry: Option<Number>,
}

/// Reads `linkeddata` (at `path`) in the lax pass: at most [`MAX_USER_DATA_BYTES`] of JSON, an
/// array of objects whose members are open (the link's own and any others, kept in order),
/// each member deserialized on its own.
fn read_links(path: &str, raw: &RawValue) -> Result<Vec<LinkView<'static>>, Error> {
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
            Ok(LinkView {
                kind: link.get::<String>("type")?.map(Cow::Owned),
                label: link.get::<String>("label")?.map(Cow::Owned),
                value: link.get("value")?,
                extra,
            })
        })
        .collect()
}

/// Reads `routingdata` in the lax pass, an object whose members are open: `interactiontype`,
/// `personalqueue`, `skills`, and every other member as user data. Each member is
/// deserialized on its own, so a member nested too deep is refused naming its path.
fn read_routing_data(data: &Object<'_>) -> Result<FastRoutingData<'static>, Error> {
    let mut user_data = UserData::new();
    for (name, raw) in data.members() {
        if !matches!(name, "interactiontype" | "personalqueue" | "skills") {
            let value: Value = data.parse_member(name, raw)?;
            user_data.insert(name.to_owned(), value);
        }
    }
    let personal_queue = match data.object("personalqueue")? {
        Some(queue) => Some(QueueView {
            agent: queue.get::<String>("agent")?.map(Cow::Owned),
            logged_in: queue.get("loggedintimeout")?,
            logged_out: queue.get("loggedouttimeout")?,
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
                skills.push(SkillView {
                    name: skill.get::<String>("name")?.map(Cow::Owned),
                    expiry: skill.get("expiryafter")?,
                });
            }
            Some(skills)
        }
        None => None,
    };
    Ok(FastRoutingData {
        interactiontype: data.get::<String>("interactiontype")?.map(Cow::Owned),
        personal_queue,
        skills,
        data: user_data,
    })
}

/// Applies the Invoke rules to one request (MODEL.md section 6).
fn to_input(request: Request<'_>, provider: Option<&ProviderName>) -> Result<Invoked, Error> {
    let action = request.action.as_deref().unwrap_or(DISPATCH);
    if action != DISPATCH && action != RELEASE {
        return Err(Error::unsupported("action", printable(action)));
    }
    let interaction = match request.externalid.as_deref() {
        Some(externalid) => Some(InteractionId::parse(externalid, "externalid")?),
        // vcc-interactions-invoke.txt: "externalId is optional if action is dispatch".
        None if action == DISPATCH => None,
        None => return Err(Error::missing_field("externalid")),
    };
    // MODEL.md section 11: a `requestid` is scoped by the provider the Invoke names (Invokes
    // naming none share one scope of their own).
    let key = request
        .requestid
        .as_deref()
        .map(|r| IdempotencyKey::scoped("requestid", provider.map(ProviderName::as_str), r))
        .transpose()?;
    let (action, routing) = if action == RELEASE {
        (Action::Release, None)
    } else {
        let route = request
            .route
            .as_deref()
            .ok_or_else(|| Error::missing_field("route"))?;
        let route = Name::parse(route, "route")?;
        let media = media(request.interactiontype.as_deref())?;
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
                .as_deref()
                .ok_or_else(|| Error::missing_field(field("type")))?;
            check_named(kind, || field("type"))?;
            if let Some(label) = view.label.as_deref() {
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
                label: view.label.map(Cow::into_owned),
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
    let agent = view
        .agent
        .as_deref()
        .ok_or_else(|| Error::missing_field(AGENT))?;
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
            check_named(&name, || field("name"))?;
            Ok(Skill {
                name: Name::parse(&name, "name")?,
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
    fn the_seeds_take_the_fast_pass_and_the_lax_one_reads_them_alike() {
        let seeds = [
            include_str!("../tests/fixtures/invoke-example-invocation-object.json"),
            r#"{"provider": "crm", "requests": [{"action": "dispatch", "requestid": "req-1", "externalid": "ix-1", "route": "Route A", "routingdata": {"interactiontype": "nonlive", "subject": "Order 1", "priority": 2, "tags": ["a", {"b": null}]}}, {"action": "release", "externalid": "ix-2"}]}"#,
            r#"{"requests": [{"externalid": "ix-3", "route": "R", "routingdata": {"interactiontype": "chat"}}]}"#,
            // The Create inbound interaction page's "Example body (Full dispatch)".
            include_str!("../tests/fixtures/invoke-full-dispatch.json"),
            // The Requests page's sample: an `object` link with more members; no `externalid`.
            r#"{"provider": "CrmIntegration", "requests": [{"action": "dispatch", "requestid": "8762187187", "route": "CrmCallRouting", "linkeddata": [{"type": "clid", "value": "+44123456789"}, {"type": "url", "label": "Click me", "value": "http://foo.bar.com"}, {"type": "object", "owner": "Crm", "key": "Contact", "value": {"id": "500ea8787a87s87s", "n": [1, 2.5]}}], "routingdata": {"interactiontype": "nonlive", "skills": [{"name": "s", "expiryafter": 1}], "personalqueue": {"agent": "a", "loggedintimeout": 1.5}}}]}"#,
        ];
        for seed in seeds {
            assert!(
                interaction_wire::typed::<FastInvocation<'_>>(seed.as_bytes()).is_some(),
                "the seed itself takes the fast pass: {seed}"
            );
            // The lax pass reads what the fast one reads, to the same result.
            let fast = decode_invoke(seed.as_bytes());
            let lax = lax_items(serde_json::from_str::<LaxInvocation<'_>>(seed).unwrap());
            assert_eq!(format!("{fast:?}"), format!("{lax:?}"), "{seed}");
        }
    }

    #[test]
    fn the_lax_pass_reads_every_request_variant_as_the_fast_one_does() {
        let request = r#"{"action": "dispatch", "requestid": "8762187187", "externalid": "ix-1", "route": "CrmCallRouting", "linkeddata": [{"type": "url", "label": "Click me", "value": "http://foo.bar.com"}, {"type": "object", "owner": "Crm", "value": {"id": "5"}}], "routingdata": {"interactiontype": "nonlive", "subject": "s", "skills": [{"name": "s", "expiryafter": 1}], "personalqueue": {"agent": "a", "loggedintimeout": 10}}}"#;
        let provider = ProviderName::parse("crm", "provider").ok();
        let mut both = 0;
        for body in interaction_wire::variants(request) {
            let Some((fast, lax)) =
                interaction_wire::both_passes::<FastRequest<'_>, LaxRequest<'_>>(&body)
            else {
                continue;
            };
            let text = String::from_utf8_lossy(&body);
            both += 1;
            assert_eq!(
                format!("{:?}", item(fast, "requests[0]", provider.as_ref())),
                format!("{:?}", item(lax, "requests[0]", provider.as_ref())),
                "{text}"
            );
        }
        assert!(both > 60, "only {both} variants read in both passes");
    }

    #[test]
    fn a_request_that_cannot_be_read_refuses_only_its_item_naming_its_path() {
        let body = br#"{"requests": [{"externalid": "ix-1", "route": "R", "routingdata": {"interactiontype": "chat"}},
            [1], {"externalid": 5}, {"externalid": "ix-4", "route": "R", "routingdata": {"interactiontype": "chat", "skills": [{"name": 7}]}},
            {"action": {"k": 1}, "externalid": "ix-5"}]}"#;
        let items = decode_invoke(body).unwrap();
        let refused: Vec<String> = items
            .iter()
            .map(|i| {
                i.result
                    .as_ref()
                    .err()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(refused[0], "");
        assert_eq!(
            refused[1],
            "malformed input: requests[1]: expected a JSON object, got an array"
        );
        assert_eq!(
            refused[2],
            "malformed input: requests[2].externalid: invalid type: integer `5`, expected a string"
        );
        assert_eq!(
            refused[3],
            "malformed input: requests[3].routingdata.skills[0].name: invalid type: integer `7`, expected a string"
        );
        assert_eq!(items[4].action, r#"{"k": 1}"#);
        assert_eq!(items[4].externalid.as_deref(), Some("ix-5"));
    }

    #[test]
    fn a_release_needs_no_route() {
        let items =
            decode_invoke(br#"{"requests": [{"action": "release", "externalid": "x"}]}"#).unwrap();
        let input = items[0].result.clone().unwrap().input().unwrap();
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
