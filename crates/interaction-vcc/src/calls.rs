//! The VCC Calls API (click-to-dial): `POST /v0/{accountKey}/calls` into a core `dial`.
//!
//! Source: vcc-calls.txt (the vendor's page, verbatim: its fields, its 400 and 415 messages and
//! its 201 sample); rules: MODEL.md section 6, "VCC Calls". The mapping and every choice made
//! where the page is silent are in `docs/vcc.md`, "The Calls API".
//!
//! A request goes through four steps, each a function of this module:
//!
//! 1. [`check_content_type`]: the request's `Content-Type` must be JSON, else an
//!    [`UnsupportedContentType`], whose own answer is the `415`.
//! 2. [`decode_call`]: the body, read and validated with no state: a [`PlaceCall`], or a typed
//!    [`Error`] carrying the page's message (`400`).
//! 3. [`check_call`]: the refusals that read the engine's agent sessions (calling agent unknown,
//!    logged out or busy; destination agent unknown or not available).
//! 4. [`PlaceCall::input`]: the core `dial` for [`interaction_core::Engine::apply`], with the
//!    call id the caller chose (the core draws no ids); then [`PlaceCall::created`] and
//!    [`calls_response`] give the `201` body.
//!
//! ```
//! use interaction_core::{Engine, InteractionId, StateKind};
//! use interaction_vcc::{calls_path, calls_response, check_call, decode_call};
//!
//! let mut engine = Engine::new();
//! engine.log_in(interaction_core::AgentId::parse("1234", "agent")?)?;
//! let path = calls_path("/v0/a1b2c3d4e5/calls/").expect("a Calls API path");
//! let call = decode_call(br#"{"from": {"agentId": "1234"},
//!                             "to": {"telephoneNumber": "02072068888"}}"#)?;
//! check_call(&engine, &call)?;
//! let id = InteractionId::parse("call-1", "id")?;
//! let step = engine.apply(call.input(id.clone()), &mut Vec::new())?;
//! assert_eq!(step.to, Some(StateKind::Dialing));
//! let (status, body) = calls_response(Ok(&call.created(&id, &path)));
//! assert_eq!((status, &body["status"]), (201, &serde_json::json!("Active")));
//! # Ok::<(), interaction_core::Error>(())
//! ```

mod availability;
mod http;
pub mod messages;
pub mod wire;

pub use availability::check_call;
pub use http::{
    CallsPath, UnsupportedContentType, calls_path, calls_path_in, calls_response,
    check_content_type,
};

use interaction_core::{
    Action, Actor, AgentId, Api, Callee, Caller, Error, Input, InteractionId, Media, Name,
};
use std::borrow::Cow;

use interaction_wire::{
    Fast, Lax, ListMember, Mode, ObjectMember, Read, Text, members, text, text_at,
};

/// The longest `to.telephoneNumber` (and `from.presentedCLID`), in characters
/// (vcc-calls.txt: "Telephone number exceeds 30 characters").
pub const MAX_TELEPHONE_NUMBER_LEN: usize = 30;
/// The longest agent id, in digits (vcc-calls.txt: "Agent Id exceeds 11 digits").
pub const MAX_AGENT_ID_DIGITS: usize = 11;
/// The longest `regarding.reference`, in characters (vcc-calls.txt: "a maximum length of 2000
/// characters").
pub const MAX_REFERENCE_LEN: usize = 2000;
/// The longest `application`, in characters (vcc-calls.txt: "up to 32 characters").
pub const MAX_APPLICATION_LEN: usize = 32;

/// The status of a call just placed, in the `201` body (vcc-calls.txt, the 201 sample).
const STATUS_ACTIVE: &str = "Active";
/// The recording status of a call just placed, in the `201` body (the 201 sample).
const RECORDING_STOPPED: &str = "Stopped";
/// The `rel` of the call's own link (the 201 sample).
const REL_SELF: &str = "_self";

/// The level of consent a party requires for the call to be recorded (vcc-calls.txt,
/// `consent`: "Unknown - Consent status is unknown", "OneParty - Only one party must consent
/// for the call to be recorded", "TwoParty - both parties must consent for the call to be
/// recorded"). The wire values are case-sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Consent {
    /// `Unknown`: consent status is unknown.
    Unknown,
    /// `OneParty`: only one party must consent.
    OneParty,
    /// `TwoParty`: both parties must consent.
    TwoParty,
}

impl Consent {
    /// Every value, in the page's order.
    pub const ALL: [Consent; 3] = [Consent::Unknown, Consent::OneParty, Consent::TwoParty];

    /// The wire value: `Unknown`, `OneParty` or `TwoParty`.
    pub const fn name(self) -> &'static str {
        match self {
            Consent::Unknown => "Unknown",
            Consent::OneParty => "OneParty",
            Consent::TwoParty => "TwoParty",
        }
    }

    /// The consent with that wire value (exactly as the page spells it), if any.
    pub fn from_name(name: &str) -> Option<Consent> {
        Consent::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A validated Calls API request: who calls whom, and what the `201` response echoes back.
///
/// Made by [`decode_call`] (or [`PlaceCall::from_wire`]); every field already obeys the page's
/// rules. Empty strings and an empty `groups` list were read as absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceCall {
    /// `from.agentId` ([`Caller::Agent`]) or `from.groups` ([`Caller::Groups`], in the order
    /// given).
    pub from: Caller,
    /// `from.presentedCLID`: the number shown to the called party, if given.
    pub presented_clid: Option<String>,
    /// `from.consent`, if given.
    pub from_consent: Option<Consent>,
    /// `to.telephoneNumber` ([`Callee::Number`], verbatim) or `to.agentId` ([`Callee::Agent`]).
    pub to: Callee,
    /// `to.consent`, if given.
    pub to_consent: Option<Consent>,
    /// `regarding.reference`, if given.
    pub reference: Option<String>,
    /// `application`, if given.
    pub application: Option<String>,
}

/// A wire string as a view's member.
fn borrowed(value: Option<&String>) -> Option<Cow<'_, str>> {
    value.map(|v| Cow::Borrowed(v.as_str()))
}

impl PlaceCall {
    /// Applies the Calls API rules to a wire request (the checks [`decode_call`] makes after
    /// reading the JSON types).
    ///
    /// # Errors
    /// As [`decode_call`], except [`Error::Malformed`] (the types are already right).
    pub fn from_wire(request: &wire::CallRequest) -> Result<PlaceCall, Error> {
        let from = request.from.as_ref();
        let to = request.to.as_ref();
        PlaceCall::from_view(&CallView {
            from: FromView {
                agent_id: borrowed(from.and_then(|f| f.agent_id.as_ref())),
                groups: from
                    .and_then(|f| f.groups.as_ref())
                    .map(|g| g.iter().map(|g| Cow::Borrowed(g.as_str())).collect()),
                presented_clid: borrowed(from.and_then(|f| f.presented_clid.as_ref())),
                consent: borrowed(from.and_then(|f| f.consent.as_ref())),
                telephone_number: borrowed(from.and_then(|f| f.telephone_number.as_ref())),
            },
            to: ToView {
                telephone_number: borrowed(to.and_then(|t| t.telephone_number.as_ref())),
                agent_id: borrowed(to.and_then(|t| t.agent_id.as_ref())),
                consent: borrowed(to.and_then(|t| t.consent.as_ref())),
            },
            reference: borrowed(
                request
                    .regarding
                    .as_ref()
                    .and_then(|r| r.reference.as_ref()),
            ),
            application: borrowed(request.application.as_ref()),
        })
    }

    /// [`PlaceCall::from_wire`] on a borrowed view of the request (an absent `from` or `to`
    /// reads as one with no members).
    fn from_view(request: &CallView<'_>) -> Result<PlaceCall, Error> {
        let from = &request.from;
        let to = &request.to;
        let from_party = caller(from)?;
        let presented_clid = given(from.presented_clid.as_deref())
            .map(|clid| {
                if is_telephone_number(clid) {
                    Ok(clid.to_owned())
                } else {
                    Err(invalid(
                        "from.presentedCLID",
                        messages::PRESENTED_CLID_INVALID,
                    ))
                }
            })
            .transpose()?;
        let from_consent = consent(from.consent.as_deref(), "from.consent")?;
        let to_party = callee(to)?;
        let to_consent = consent(to.consent.as_deref(), "to.consent")?;
        let reference = given(request.reference.as_deref())
            .map(reference)
            .transpose()?;
        let application = given(request.application.as_deref())
            .map(application)
            .transpose()?;
        Ok(PlaceCall {
            from: from_party,
            presented_clid,
            from_consent,
            to: to_party,
            to_consent,
            reference,
            application,
        })
    }

    /// The request as wire JSON: [`decode_call`] of its serialization gives `self` back.
    pub fn to_wire(&self) -> wire::CallRequest {
        let (agent_id, groups) = caller_wire(&self.from);
        let (telephone_number, to_agent) = callee_wire(&self.to);
        wire::CallRequest {
            from: Some(wire::RequestFrom {
                agent_id,
                groups,
                presented_clid: self.presented_clid.clone(),
                consent: self.from_consent.map(|c| c.name().to_owned()),
                telephone_number: None,
            }),
            to: Some(wire::CallTo {
                telephone_number,
                agent_id: to_agent,
                consent: self.to_consent.map(|c| c.name().to_owned()),
            }),
            regarding: self.reference.as_ref().map(|r| wire::Regarding {
                reference: Some(r.clone()),
            }),
            application: self.application.clone(),
        }
    }

    /// The core input that places the call: [`Action::Dial`] from [`PlaceCall::from`] to
    /// [`PlaceCall::to`], media [`Media::Live`], on interaction `id`, by the API client
    /// ([`Actor::Provider`] with no provider name: the Calls API names none). The engine creates
    /// the interaction `dialing`, outbound; `answer` then connects it (MODEL.md section 3).
    ///
    /// `id` is the call id the `201` response reports; the core draws no ids, so the caller
    /// chooses it (the replay tool derives it from the trace line: `docs/vcc.md`).
    pub fn input(&self, id: InteractionId) -> Input {
        Input::new(
            id,
            Action::Dial {
                from: self.from.clone(),
                to: self.to.clone(),
                media: Media::Live,
            },
            Actor::Provider(None),
        )
        .via(Api::Vcc)
    }

    /// The `201` body for this call, placed as `id` at `path` (vcc-calls.txt, "Response
    /// examples"): `id`; one link `{"href": path.call_href(id), "rel": "_self"}`; `from` and `to`
    /// echoing the request (`presentedCLID` spelled `presentedClid`, as the sample does; absent
    /// members omitted); `regarding` (`null` without a reference); `status` `Active`;
    /// `recordingStatus` `Stopped`; `application` (`null` when not given); `dispositionCode`
    /// `null`.
    pub fn created(&self, id: &InteractionId, path: &CallsPath) -> wire::Call {
        let (agent_id, groups) = caller_wire(&self.from);
        let (telephone_number, to_agent) = callee_wire(&self.to);
        wire::Call {
            id: id.as_str().to_owned(),
            links: vec![wire::Link {
                href: path.call_href(id.as_str()),
                rel: REL_SELF.to_owned(),
            }],
            from: wire::CallFrom {
                presented_clid: self.presented_clid.clone(),
                agent_id,
                groups,
                consent: self.from_consent.map(|c| c.name().to_owned()),
            },
            to: wire::CallTo {
                telephone_number,
                agent_id: to_agent,
                consent: self.to_consent.map(|c| c.name().to_owned()),
            },
            regarding: self.reference.as_ref().map(|r| wire::Regarding {
                reference: Some(r.clone()),
            }),
            status: STATUS_ACTIVE.to_owned(),
            recording_status: RECORDING_STOPPED.to_owned(),
            application: self.application.clone(),
            disposition_code: None,
        }
    }
}

/// Decodes and validates a `POST /v0/{accountKey}/calls` body (vcc-calls.txt).
///
/// Shape: `{"from": {"agentId" | "groups", "presentedCLID"?, "consent"?}, "to":
/// {"telephoneNumber" | "agentId", "consent"?}, "regarding"?: {"reference"?}, "application"?}`.
/// Unknown members are ignored ("potential "from" and "to" selectors for future use"). `null`,
/// an empty string and an empty `groups` list all count as absent.
///
/// The rules, checked in this order (the first broken one refuses the body); each refusal is an
/// [`Error`] whose field is the member's path and whose reason is the page's message (constants
/// in [`messages`]; "not on the page" where the page gives none):
///
/// | member | rule | error | message |
/// |---|---|---|---|
/// | any | the wrong JSON type | [`Error::Malformed`] naming the path | - |
/// | `from.telephoneNumber` | not allowed (a call is made from an agent or groups) | [`Error::InvalidFieldWorded`] | "Telephone number not supported in this context" |
/// | `from` | `agentId` and `groups` both | [`Error::InvalidFieldWorded`] `from` | "Either agent id or groups required, not both" (not on the page) |
/// | `from` | neither (or no `from`) | [`Error::MissingFieldWorded`] `from` (kind `missing_field`) | "Agent Id must be specified" |
/// | `from.agentId` | at most 11 characters | [`Error::InvalidFieldWorded`] | "Agent Id exceeds 11 digits" |
/// | `from.agentId` | ASCII digits only | [`Error::InvalidFieldWorded`] | "Agent Id must contain digits only" |
/// | `from.groups[i]` | a core id (at most 256 bytes, no control characters) | [`Error::InvalidField`] / [`Error::MissingField`] | - |
/// | `from.presentedCLID` | a telephone number (below) of at most 30 characters | [`Error::InvalidFieldWorded`] | "Presented CLID must be a telephone number of at most 30 characters" (not on the page) |
/// | `from.consent`, `to.consent` | `Unknown`, `OneParty` or `TwoParty` | [`Error::InvalidFieldWorded`] | "Consent must be one of Unknown, OneParty, TwoParty" (not on the page) |
/// | `to` | `telephoneNumber` and `agentId` both | [`Error::InvalidFieldWorded`] `to` | "Either telephone number or agent id required, not both" |
/// | `to` | neither (or no `to`) | [`Error::MissingFieldWorded`] `to` (kind `missing_field`) | "Either telephone number or agent id required" |
/// | `to.telephoneNumber` | at most 30 characters | [`Error::InvalidFieldWorded`] | "Telephone number exceeds 30 characters" |
/// | `to.telephoneNumber` | a telephone number | [`Error::InvalidFieldWorded`] | "Unable to place call - number is invalid" |
/// | `to.agentId` | as `from.agentId` | [`Error::InvalidFieldWorded`] | as `from.agentId` |
/// | `regarding.reference` | at most 2000 characters | [`Error::InvalidFieldWorded`] | "Reference exceeded 2000 characters" |
/// | `regarding.reference` | ASCII letters, digits and the characters of a URL (RFC 3986: `-._~:/?#[]@!$&'()*+,;=%`) | [`Error::InvalidFieldWorded`] | "Reference contained invalid characters" |
/// | `application` | at most 32 characters | [`Error::InvalidFieldWorded`] | "Application exceeded 32 characters" |
/// | `application` | ASCII letters and digits only | [`Error::InvalidFieldWorded`] | "Application contains non-alphanumeric characters" |
///
/// A telephone number is an optional leading `+`, then ASCII digits and the separators space,
/// `-`, `.`, `(`, `)`, with at least one digit. Lengths count characters; a length is checked
/// before the characters.
///
/// # Errors
/// As the table says; also [`Error::Malformed`] when the body is not JSON or not an object
/// (`Calls body: ...`).
pub fn decode_call(body: &[u8]) -> Result<PlaceCall, Error> {
    const WHAT: &str = "Calls body";
    match interaction_wire::read_body::<CallBody<'_, Fast>, CallBody<'_, Lax>>(body, WHAT)? {
        Read::Fast(body) => PlaceCall::from_view(&view(&body)?),
        Read::Lax(body) => PlaceCall::from_view(&view(&body)?),
    }
}

/// A request's members as [`PlaceCall::from_wire`]'s rules read them, from either pass.
struct CallView<'r> {
    from: FromView<'r>,
    to: ToView<'r>,
    /// `regarding.reference`.
    reference: Option<Cow<'r, str>>,
    application: Option<Cow<'r, str>>,
}

/// `from`'s members (all `None` when `from` is absent).
#[derive(Default)]
struct FromView<'r> {
    agent_id: Option<Cow<'r, str>>,
    groups: Option<Vec<Cow<'r, str>>>,
    presented_clid: Option<Cow<'r, str>>,
    consent: Option<Cow<'r, str>>,
    telephone_number: Option<Cow<'r, str>>,
}

/// `to`'s members (all `None` when `to` is absent).
#[derive(Default)]
struct ToView<'r> {
    telephone_number: Option<Cow<'r, str>>,
    agent_id: Option<Cow<'r, str>>,
    consent: Option<Cow<'r, str>>,
}

members! {
    /// A Calls body ([`interaction_wire::read_body`]), its members as pass `M` holds them:
    /// [`Fast`] or [`Lax`]. [`view`] checks their JSON types in one order whichever pass read
    /// them.
    struct CallBody<'a, M: Mode> {
        "from" => from: M::Object<'a, FromBody<'a, M>>,
        "to" => to: M::Object<'a, ToBody<'a, M>>,
        "regarding" => regarding: M::Object<'a, RegardingBody<'a, M>>,
        "application" => application: M::Text<'a>,
    }
}

members! {
    /// `from`.
    struct FromBody<'a, M: Mode> {
        "agentId" => agent_id: M::Text<'a>,
        "groups" => groups: M::List<'a, M::Text<'a>>,
        "presentedCLID" => presented_clid: M::Text<'a>,
        "consent" => consent: M::Text<'a>,
        "telephoneNumber" => telephone_number: M::Text<'a>,
    }
}

members! {
    /// `to`.
    struct ToBody<'a, M: Mode> {
        "telephoneNumber" => telephone_number: M::Text<'a>,
        "agentId" => agent_id: M::Text<'a>,
        "consent" => consent: M::Text<'a>,
    }
}

members! {
    /// `regarding`.
    struct RegardingBody<'a, M: Mode> {
        "reference" => reference: M::Text<'a>,
    }
}

/// The members' JSON types, checked in this order: `from` (`agentId`, `groups` and each
/// group, `presentedCLID`, `consent`, `telephoneNumber`), `to` (`telephoneNumber`, `agentId`,
/// `consent`), `regarding` (`reference`), `application`.
fn view<'a, M: Mode>(body: &CallBody<'a, M>) -> Result<CallView<'a>, Error> {
    let from = body
        .from
        .as_ref()
        .map(|from| from.object("", "from"))
        .transpose()?;
    let from = match from {
        Some(from) => FromView {
            agent_id: text_at(from.agent_id.as_ref(), "from", "agentId")?,
            groups: from
                .groups
                .as_ref()
                .map(|groups| {
                    groups
                        .list("from", "groups")?
                        .iter()
                        .enumerate()
                        // The element's path is built only for a message.
                        .map(|(i, group)| match group.ok() {
                            Some(group) => Ok(group),
                            None => group.text("from", &format!("groups[{i}]")),
                        })
                        .collect::<Result<Vec<_>, Error>>()
                })
                .transpose()?,
            presented_clid: text_at(from.presented_clid.as_ref(), "from", "presentedCLID")?,
            consent: text_at(from.consent.as_ref(), "from", "consent")?,
            telephone_number: text_at(from.telephone_number.as_ref(), "from", "telephoneNumber")?,
        },
        None => FromView::default(),
    };
    let to = body.to.as_ref().map(|to| to.object("", "to")).transpose()?;
    let to = match to {
        Some(to) => ToView {
            telephone_number: text_at(to.telephone_number.as_ref(), "to", "telephoneNumber")?,
            agent_id: text_at(to.agent_id.as_ref(), "to", "agentId")?,
            consent: text_at(to.consent.as_ref(), "to", "consent")?,
        },
        None => ToView::default(),
    };
    let reference = match body.regarding.as_ref() {
        Some(regarding) => text_at(
            regarding.object("", "regarding")?.reference.as_ref(),
            "regarding",
            "reference",
        )?,
        None => None,
    };
    Ok(CallView {
        from,
        to,
        reference,
        application: text(body.application.as_ref(), "application")?,
    })
}

/// `from`: one agent or groups, never a telephone number.
fn caller(from: &FromView<'_>) -> Result<Caller, Error> {
    if given(from.telephone_number.as_deref()).is_some() {
        return Err(invalid(
            "from.telephoneNumber",
            messages::TELEPHONE_NUMBER_NOT_SUPPORTED,
        ));
    }
    let groups = from.groups.as_ref().filter(|g| !g.is_empty());
    match (given(from.agent_id.as_deref()), groups) {
        (Some(_), Some(_)) => Err(invalid("from", messages::FROM_NOT_BOTH)),
        (None, None) => Err(Error::MissingFieldWorded {
            field: "from",
            message: messages::AGENT_ID_REQUIRED,
        }),
        (Some(agent), None) => Ok(Caller::Agent(agent_id(agent, "from.agentId")?)),
        (None, Some(groups)) => Ok(Caller::Groups(
            groups
                .iter()
                .enumerate()
                .map(|(i, group)| Name::parse(group, &format!("from.groups[{i}]")))
                .collect::<Result<_, _>>()?,
        )),
    }
}

/// `to`: a telephone number or an agent.
fn callee(to: &ToView<'_>) -> Result<Callee, Error> {
    const FIELD: &str = "to.telephoneNumber";
    match (
        given(to.telephone_number.as_deref()),
        given(to.agent_id.as_deref()),
    ) {
        (Some(_), Some(_)) => Err(invalid("to", messages::TO_NOT_BOTH)),
        (None, None) => Err(Error::MissingFieldWorded {
            field: "to",
            message: messages::TO_REQUIRED,
        }),
        (Some(number), None) => {
            if longer_than(number, MAX_TELEPHONE_NUMBER_LEN) {
                return Err(invalid(FIELD, messages::TELEPHONE_NUMBER_TOO_LONG));
            }
            if !is_telephone_number(number) {
                return Err(invalid(FIELD, messages::NUMBER_INVALID));
            }
            Ok(Callee::Number(Name::parse(number, FIELD)?))
        }
        (None, Some(agent)) => Ok(Callee::Agent(agent_id(agent, "to.agentId")?)),
    }
}

/// An agent's display id: at most 11 characters, all ASCII digits (length checked first).
fn agent_id(value: &str, field: &'static str) -> Result<AgentId, Error> {
    if longer_than(value, MAX_AGENT_ID_DIGITS) {
        return Err(invalid(field, messages::AGENT_ID_TOO_LONG));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(field, messages::AGENT_ID_NOT_DIGITS));
    }
    AgentId::parse(value, field)
}

/// A consent level, if given.
fn consent(value: Option<&str>, field: &'static str) -> Result<Option<Consent>, Error> {
    given(value)
        .map(|v| Consent::from_name(v).ok_or_else(|| invalid(field, messages::CONSENT_INVALID)))
        .transpose()
}

/// `regarding.reference`: at most 2000 characters, alphanumerics and URL characters.
fn reference(value: &str) -> Result<String, Error> {
    const FIELD: &str = "regarding.reference";
    if longer_than(value, MAX_REFERENCE_LEN) {
        return Err(invalid(FIELD, messages::REFERENCE_TOO_LONG));
    }
    if !value.bytes().all(is_reference_byte) {
        return Err(invalid(FIELD, messages::REFERENCE_INVALID));
    }
    Ok(value.to_owned())
}

/// `application`: at most 32 characters, ASCII alphanumerics.
fn application(value: &str) -> Result<String, Error> {
    const FIELD: &str = "application";
    if longer_than(value, MAX_APPLICATION_LEN) {
        return Err(invalid(FIELD, messages::APPLICATION_TOO_LONG));
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(invalid(FIELD, messages::APPLICATION_NOT_ALPHANUMERIC));
    }
    Ok(value.to_owned())
}

/// "an alphanumeric string or a valid URL": ASCII alphanumerics and the characters RFC 3986
/// allows in a URI (unreserved, reserved, and `%` of a percent-encoding).
fn is_reference_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b':'
                | b'/'
                | b'?'
                | b'#'
                | b'['
                | b']'
                | b'@'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'%'
        )
}

/// At most 30 characters: an optional leading `+`, then digits and the separators space, `-`,
/// `.`, `(`, `)`, with at least one digit.
fn is_telephone_number(value: &str) -> bool {
    let rest = value.strip_prefix('+').unwrap_or(value);
    !longer_than(value, MAX_TELEPHONE_NUMBER_LEN)
        && rest.bytes().any(|b| b.is_ascii_digit())
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'(' | b')'))
}

/// Whether `value` has more than `max` characters (counted only when its bytes are more).
fn longer_than(value: &str, max: usize) -> bool {
    value.len() > max && value.chars().count() > max
}

/// A member's value unless it is absent, `null` or empty.
fn given(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// An [`Error::InvalidFieldWorded`]: `field` refused with one of [`messages`], which the 400
/// answer gives alone ([`crate::calls_response`]).
fn invalid(field: &'static str, message: &'static str) -> Error {
    Error::InvalidFieldWorded { field, message }
}

/// `from` as the wire's `agentId` and `groups`.
fn caller_wire(from: &Caller) -> (Option<String>, Option<Vec<String>>) {
    match from {
        Caller::Agent(agent) => (Some(agent.as_str().to_owned()), None),
        Caller::Groups(groups) => (
            None,
            Some(groups.iter().map(|g| g.as_str().to_owned()).collect()),
        ),
    }
}

/// `to` as the wire's `telephoneNumber` and `agentId`.
fn callee_wire(to: &Callee) -> (Option<String>, Option<String>) {
    match to {
        Callee::Number(number) => (Some(number.as_str().to_owned()), None),
        Callee::Agent(agent) => (None, Some(agent.as_str().to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lenient_pass_names_the_member_and_reads_escapes() {
        let refused = |body: &str| decode_call(body.as_bytes()).unwrap_err().to_string();
        assert_eq!(
            refused(r#"{"from": {"groups": ["g1", 5]}, "to": {"telephoneNumber": "1"}}"#),
            "malformed input: from.groups[1]: invalid type: integer `5`, expected a string"
        );
        assert_eq!(
            refused(r#"{"from": {"groups": "g1"}, "to": {"telephoneNumber": "1"}}"#),
            r#"malformed input: from.groups: invalid type: string "g1", expected a sequence"#
        );
        assert_eq!(
            refused(r#"{"from": {"agentId": "7"}, "to": []}"#),
            "malformed input: to: expected a JSON object, got an array"
        );
        // A type error comes before the rules, whatever their members' order.
        assert_eq!(
            refused(r#"{"from": {"telephoneNumber": "1"}, "application": 5}"#),
            "malformed input: application: invalid type: integer `5`, expected a string"
        );
        let plain = decode_call(br#"{"from": {"agentId": "7"}, "to": {"telephoneNumber": "1"}}"#);
        let escaped = decode_call(br#"{"from": {"agentId": "7"}, "to": {"telephoneNumber": "1"}}"#);
        assert_eq!(plain.unwrap(), escaped.unwrap());
    }

    #[test]
    fn the_lax_pass_reads_every_variant_as_the_fast_one_does() {
        let mut both = 0;
        for seed in [
            include_str!("../tests/fixtures/calls/all-possible-parameters.json"),
            include_str!("../tests/fixtures/calls/groups-to-number.json"),
        ] {
            for body in interaction_wire::variants(seed) {
                let Some((fast, lax)) =
                    interaction_wire::both_passes::<CallBody<'_, Fast>, CallBody<'_, Lax>>(&body)
                else {
                    continue;
                };
                let text = String::from_utf8_lossy(&body);
                both += 1;
                let decode = |view: Result<CallView<'_>, Error>| {
                    format!("{:?}", view.and_then(|v| PlaceCall::from_view(&v)))
                };
                assert_eq!(decode(view(&fast)), decode(view(&lax)), "{text}");
            }
        }
        assert!(both > 60, "only {both} variants read in both passes");
    }

    #[test]
    fn telephone_numbers() {
        for ok in [
            "02072068888",
            "+442072068888",
            "+44 (20) 7206-8888",
            "020.7206.8888",
            "1",
        ] {
            assert!(is_telephone_number(ok), "{ok}");
        }
        for bad in [
            "", "+", "()", "abc", "0207x", "++44", "44+", "0207\n", "0207#1", "٣٣",
        ] {
            assert!(!is_telephone_number(bad), "{bad:?}");
        }
        assert!(is_telephone_number(&"1".repeat(30)));
        assert!(!is_telephone_number(&"1".repeat(31)));
    }

    #[test]
    fn reference_characters() {
        assert!(
            "http://Test.com/a?b=c&d=%20#f"
                .bytes()
                .all(is_reference_byte)
        );
        assert!("0012400000ATTUQ".bytes().all(is_reference_byte));
        for bad in [
            " ", "\"", "<", ">", "\\", "^", "`", "{", "|", "}", "é", "\n",
        ] {
            assert!(!bad.bytes().all(is_reference_byte), "{bad:?}");
        }
    }

    #[test]
    fn consent_names() {
        for c in Consent::ALL {
            assert_eq!(Consent::from_name(c.name()), Some(c));
        }
        assert_eq!(Consent::from_name("oneparty"), None);
    }
}
