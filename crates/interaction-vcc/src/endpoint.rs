//! The VCC endpoints as pure functions (MODEL.md section 9): an HTTP request in, the vendor's
//! response, one [`Item`] per request or callback element, and the outgoing requests out.
//!
//! Two halves, so that decoding can run apart from the engine (the replay tool prepares many
//! lines at once): [`prepare_request`] / [`prepare_callback`] read only the request;
//! [`apply`] reads and changes the engine. [`handle_request`] and [`handle_callback`] are both
//! at once.
//!
//! | request | response (the exchange) | items |
//! |---|---|---|
//! | `POST /interactions/Invoke` | `200`, no body, when every request was accepted; else the first refused request's answer (`400` / `404` `{"message"}`) | one per request, each with its own answer (vcc-interactions-invoke.txt); a dispatch without `externalid` on an id from the [`IdSource`] (`IdKind::Interaction`) |
//! | `POST /interactions/register` | `200`, or `400 {"message"}` | one, `register` |
//! | `POST /v0/{accountKey}/calls` | `201` with the call, `400` / `415 {"message"}` (vcc-calls.txt) | one, `dial` |
//! | a callback array (VCC POSTing to the provider) | `200`, no body, when the body is a readable array (an element the engine refuses is the receiver's business, not the sender's: a retry would not change it); `400 {"message"}` when it is not | one per element |
//! | a body over 100 KB | `413 {"message": "Payload Too Large"}` (the Requests page; its other answer, `417 {"message":"Request size limit exceeded"}`, is not given: the page does not say when it applies, `docs/vcc.md`, "The size limit") | one, refused `invalid_field` `body` |
//! | another path | `404 {"message"}` | one, refused `unsupported` `path` |
//! | another method on a known path | `405 {"message"}` | one, refused `unsupported` `method` |
//!
//! No VCC endpoint sends anything itself: an Invoke's dispatch and the provider's own release
//! notify nobody, and a callback received is never echoed back to its sender (MODEL.md section
//! 9). Notifications that other input causes (an agent's release through the `core` actions,
//! say) become [`Outgoing`] requests with [`notification_request`].

use interaction_core::{
    ActionKind, Effect, Engine, Error, ErrorKind, InteractionId, ProviderName, ProviderSettings,
};
use interaction_wire::printable;

/// The HTTP exchange types of these endpoints (`interaction_wire::http`), re-exported so that a
/// service names them through this crate alone: the request in, the `Handled` out, the ids
/// the caller supplies.
pub use interaction_wire::{
    Body, Handled, IdKind, IdSource, Item, Note, Outgoing, Request, Response, SmolStr,
};
use serde_json::json;

use crate::{
    CallbackItem, CallsPath, Endpoint, InvokeItem, PlaceCall, RegisterPolicy, calls_path_in,
    calls_response, check_call, check_content_type, decode_call, decode_callbacks, decode_invoke,
    decode_register_with, encode_notification, endpoint_in,
};

/// The largest request body the Interactions API reads: 100 KB, read as 102 400 bytes (the
/// Requests (Interactions API) page, "Max request size": "Requests are limited to 100KB. If
/// your request exceeds 100KB, the response contains either: a HTTP/1.1 413 status code with
/// the following message: { "message":"Payload Too Large" } or a HTTP/1.1 417 ..."). A larger
/// body is answered `413` with that body, unread. The page does not say when the `417` (`{
/// "message":"Request size limit exceeded" }`) is given instead, nor whether KB is 1000 or 1024
/// bytes; an endpoint sees a body already read, so the expectation a `417` answers (an
/// `Expect: 100-continue`, by HTTP's meaning of the status) is the HTTP server's to refuse.
pub const MAX_BODY_BYTES: usize = 100 * 1024;

/// What a service tells the VCC endpoints about itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct VccSettings {
    /// The account the service is: the `params.AccountName` of the provider notifications it
    /// sends (vcc-interactions-register.txt, "Callbacks"). Default `interactions`.
    pub account_name: String,
    /// Which notification endpoints a Register may name.
    pub register: RegisterPolicy,
}

impl Default for VccSettings {
    fn default() -> Self {
        VccSettings {
            account_name: "interactions".to_owned(),
            register: RegisterPolicy::default(),
        }
    }
}

/// A VCC request or callback, read as far as it can be without the engine ([`apply`] does the
/// rest). It owns its data, so it can be made on another thread.
#[derive(Debug)]
pub enum Prepared {
    /// A request refused before its body was read (a path or method the API does not serve,
    /// a body over the size limit), with the answer to give.
    Refused {
        /// The action label, when known (`dispatch` for an Invoke, ...).
        action: Option<SmolStr>,
        /// Why.
        error: Error,
        /// The vendor's answer.
        response: Response,
    },
    /// A callback array, decoded element by element.
    Callbacks(Result<Vec<CallbackItem>, Error>),
    /// `POST /interactions/Invoke`, decoded request by request.
    Invoke(Result<Vec<InvokeItem>, Error>),
    /// `POST /interactions/register`.
    Register(Result<(ProviderName, ProviderSettings), Error>),
    /// `POST /v0/{accountKey}/calls` with a JSON content type: the body decoded; the checks
    /// against the agents' state are [`apply`]'s. (Another content type is a
    /// [`Prepared::Refused`] with the 415.)
    Call {
        /// The path, for the `201` body's link.
        path: CallsPath,
        /// The decoded call.
        call: Result<PlaceCall, Error>,
    },
}

/// Reads a request to the VCC APIs (Invoke, Register, the Calls API).
pub fn prepare_request(request: &Request<'_>, settings: &VccSettings) -> Prepared {
    let target = request.target;
    if request.body.len() > MAX_BODY_BYTES {
        return too_large(request.body.len());
    }
    let body = interaction_wire::body_or_null(request.body);
    // The vendor's own spellings are matched before the target is read (nearly every Invoke
    // and Calls API request a service receives has one); any other form is read as a path.
    if let Some(endpoint) = Endpoint::spelled(target) {
        return interactions(request, endpoint, body, settings);
    }
    let mut calls = CallsPath::spelled(target);
    if calls.is_none() {
        let path = request.path();
        if let Some(endpoint) = endpoint_in(&path) {
            return interactions(request, endpoint, body, settings);
        }
        calls = calls_path_in(&path);
    }
    if let Some(path) = calls {
        if !request.is("POST") {
            return wrong_method(request.method, target);
        }
        if let Some(refused) = request
            .content_type()
            .and_then(|t| check_content_type(t).err())
        {
            // The 415 is the refusal's own answer (its type, not its text, says so).
            let (status, body) = refused.response();
            return Prepared::Refused {
                action: Some(SmolStr::new_static(ActionKind::Dial.name())),
                error: refused.error(),
                response: Response::json(status, body),
            };
        }
        return Prepared::Call {
            path,
            call: decode_call(body),
        };
    }
    Prepared::Refused {
        action: None,
        error: Error::unsupported("path", printable(target)),
        response: Response::json(404, json!({ "message": "Not Found" })),
    }
}

/// A request to an Interactions API endpoint, with its `body` (`null` for none).
fn interactions(
    request: &Request<'_>,
    endpoint: Endpoint,
    body: &[u8],
    settings: &VccSettings,
) -> Prepared {
    if !request.is("POST") {
        return wrong_method(request.method, request.target);
    }
    match endpoint {
        Endpoint::Invoke => Prepared::Invoke(decode_invoke(body)),
        Endpoint::Register => Prepared::Register(decode_register_with(body, settings.register)),
    }
}

/// Reads a callback VCC POSTed to the provider's endpoint (vcc-interactions-register.txt,
/// "Callbacks").
pub fn prepare_callback(request: &Request<'_>) -> Prepared {
    if !request.is("POST") {
        return wrong_method(request.method, request.target);
    }
    if request.body.len() > MAX_BODY_BYTES {
        return too_large(request.body.len());
    }
    Prepared::Callbacks(decode_callbacks(interaction_wire::body_or_null(
        request.body,
    )))
}

fn too_large(len: usize) -> Prepared {
    Prepared::Refused {
        action: None,
        error: Error::invalid_field(
            "body",
            format!("is {len} bytes; at most {MAX_BODY_BYTES} are read"),
        ),
        response: Response::fixed(413, r#"{"message":"Payload Too Large"}"#),
    }
}

fn wrong_method(method: &str, target: &str) -> Prepared {
    Prepared::Refused {
        action: None,
        error: Error::unsupported("method", printable(&format!("{method} {target}"))),
        response: Response::json(405, json!({ "message": "Method Not Allowed" })),
    }
}

/// Applies a prepared VCC request or callback to `engine`, taking the ids it needs (a Calls
/// API call id, the interaction of a dispatch without `externalid`) from `ids`. `identity` is the request's authenticated caller, whose `allowed`
/// an item lists when it names no acting agent.
pub fn apply(
    engine: &mut Engine,
    prepared: Prepared,
    identity: Option<&str>,
    ids: &mut dyn IdSource,
) -> Handled {
    match prepared {
        Prepared::Refused {
            action,
            error,
            response,
        } => {
            let item = Item::of(engine, None, action, Err(error), identity).responding(response);
            Handled::single(item)
        }
        Prepared::Callbacks(Err(error)) => {
            let response = crate::response(Err(&error));
            let item = Item::of(engine, None, None, Err(error), identity);
            Handled::new(Response::json(response.0, response.1), vec![item])
        }
        Prepared::Callbacks(Ok(elements)) => {
            let mut items = Vec::with_capacity(elements.len());
            for element in elements {
                let mut item = apply_input(
                    engine,
                    element.objectid,
                    Some(element.action),
                    element.result,
                    identity,
                );
                // The personal queue may name the agent by the user name the callback's
                // `Agent` carries beside the display id `AgentId` the engine holds.
                if let Some(name) = element.agent_name.as_deref() {
                    item.notes.retain(|note| match note {
                        Note::PersonalQueueOtherAgent { personal_agent, .. } => {
                            personal_agent.as_str() != name
                        }
                        _ => true,
                    });
                }
                items.push(item);
            }
            Handled::new(Response::empty(200), items)
        }
        Prepared::Invoke(Err(error)) => {
            let response = answer(Some(&error));
            let item = Item::of(engine, None, None, Err(error), identity).responding(response);
            Handled::single(item)
        }
        Prepared::Invoke(Ok(requests)) => {
            let mut items = Vec::with_capacity(requests.len());
            for request in requests {
                let mut item = apply_request(engine, request, identity, ids);
                // Set in place: an item is a few hundred bytes, moved as little as it can be.
                item.response = Some(answer(item.error()));
                items.push(item);
            }
            let response = items
                .iter()
                .find(|item| item.error().is_some())
                .and_then(Item::response)
                .cloned()
                .unwrap_or(Response::empty(200));
            Handled::new(response, items)
        }
        Prepared::Register(registered) => {
            let result = registered
                .and_then(|(name, settings)| {
                    engine
                        .register_provider(name, settings)
                        .map_err(Error::from)
                })
                .map(|_| ());
            let response = answer(result.as_ref().err());
            Handled::single(Item::session("register", result).responding(response))
        }
        Prepared::Call { path, call } => {
            Handled::single(apply_call(engine, path, call, identity, ids))
        }
    }
}

/// The answer to one Invoke request or a Register ([`crate::response`]), its success body fixed.
fn answer(error: Option<&Error>) -> Response {
    match error {
        None => Response::empty(200),
        Some(e) => {
            let (status, body) = crate::response(Err(e));
            Response::json(status, body)
        }
    }
}

/// Applies one Invoke request. A dispatch without `externalid` is applied on an interaction id
/// from `ids` (`IdKind::Interaction`), drawn once the request decoded, which its item names
/// (as the Calls API's item names its call id); but a `duplicate` of such a dispatch (its
/// `requestid` sent again: the engine keeps keys as hashes, not the id the first one was
/// given) or one the engine refuses for a reason of its own (an unknown provider, say) names
/// no interaction, and the id goes back to `ids` ([`IdSource::unused`]). One refused because
/// the id is taken (`already_exists`, `already_ended`) names it.
fn apply_request(
    engine: &mut Engine,
    request: InvokeItem,
    identity: Option<&str>,
    ids: &mut dyn IdSource,
) -> Item {
    let action = Some(request.action);
    let invoked = match request.result {
        Ok(invoked) => invoked,
        Err(e) => return apply_input(engine, request.externalid, action, Err(e), identity),
    };
    if invoked.interaction().is_some() {
        let input = invoked.into_input(|| Err(Error::missing_field("externalid")));
        return apply_input(engine, request.externalid, action, input, identity);
    }
    let input =
        invoked.into_input(|| InteractionId::parse(&ids.next_id(IdKind::Interaction), "id"));
    let drawn = input
        .as_ref()
        .ok()
        .map(|input| input.interaction.to_smol_str());
    let mut item = apply_input(engine, drawn, action, input, identity);
    hand_back(engine, &mut item, IdKind::Interaction, ids);
    item
}

/// For an item whose interaction is an id drawn from `ids` for it: when the input was refused
/// or a duplicate and the engine neither holds nor remembers an interaction of that id, the id
/// names nothing. The item then names no interaction and the id goes back to `ids`
/// ([`IdSource::unused`]), so a refused request leaves a counting source as it was. An id the
/// engine holds or remembers (taken by another dispatch, or by another API's interaction in a
/// namespace of its own) stays drawn: given again, it would be refused again.
fn hand_back(engine: &Engine, item: &mut Item, kind: IdKind, ids: &mut dyn IdSource) {
    let created = item
        .outcome
        .as_ref()
        .is_ok_and(|outcome| *outcome != interaction_core::Outcome::Duplicate);
    let free = |id: &str| engine.interaction(id).is_none() && engine.forgotten(id).is_none();
    if !created
        && item.interaction.as_deref().is_some_and(free)
        && let Some(id) = item.interaction.take()
    {
        ids.unused(kind, &id);
    }
}

/// Applies one decoded (or refused) input and makes its item.
fn apply_input(
    engine: &mut Engine,
    interaction: Option<SmolStr>,
    action: Option<SmolStr>,
    input: Result<interaction_core::Input, Error>,
    identity: Option<&str>,
) -> Item {
    let mut effects = Vec::new();
    let agent = input.as_ref().ok().and_then(|i| i.actor.agent()).cloned();
    let step = input.and_then(|input| engine.apply(input, &mut effects).map_err(Error::from));
    let who = agent
        .as_ref()
        .map(interaction_core::AgentId::as_str)
        .or(identity);
    Item::applied(engine, interaction, action, step, effects, who)
}

/// `POST /v0/{accountKey}/calls` (click-to-dial): one item, action `dial`.
///
/// The body is validated ([`decode_call`]) and checked against the agent sessions
/// ([`check_call`]); a refusal is an item with no interaction and a 400 carrying the page's
/// message (the 415 of a content type is a [`Prepared::Refused`], before the body is read).
/// Otherwise the call is the core `dial` (by the API client) on a call id from `ids`, which the
/// item reports as its `interaction`, answered 201 with the page's call resource; an engine
/// refusal of the dial is a 400 with its message, and the id goes back to `ids` unless the
/// engine holds or remembers it (`hand_back`).
fn apply_call(
    engine: &mut Engine,
    path: CallsPath,
    call: Result<PlaceCall, Error>,
    identity: Option<&str>,
    ids: &mut dyn IdSource,
) -> Item {
    let action = Some(SmolStr::new_static(ActionKind::Dial.name()));
    let placed = call.and_then(|call| {
        check_call(engine, &call)
            .map(|()| call)
            .map_err(Error::from)
    });
    let placed = placed.and_then(|call| {
        Ok((
            InteractionId::parse(&ids.next_id(IdKind::Call), "id")?,
            call,
        ))
    });
    let (id, call) = match placed {
        Ok(placed) => placed,
        Err(e) => {
            let (status, body) = calls_response(Err(&e));
            return Item::of(engine, None, action, Err(e), identity)
                .responding(Response::json(status, body));
        }
    };
    let mut item = apply_input(
        engine,
        Some(id.to_smol_str()),
        action,
        Ok(call.input(id.clone())),
        identity,
    );
    hand_back(engine, &mut item, IdKind::Call, ids);
    let response = match item.error() {
        // The page's call resource, written when the response is sent or shown.
        None => Response::typed(201, Created { call, id, path }),
        Some(e) => Response::json(400, json!({ "message": e.to_string() })),
    };
    item.responding(response)
}

/// The `201` body of a call placed: [`PlaceCall::created`] ([`calls_response`]'s body), built
/// when it is written.
#[derive(Debug)]
struct Created {
    call: PlaceCall,
    id: InteractionId,
    path: CallsPath,
}

impl serde::Serialize for Created {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.call
            .created(&self.id, &self.path)
            .serialize(serializer)
    }
}

/// [`prepare_request`] and [`apply`] at once.
pub fn handle_request(
    engine: &mut Engine,
    settings: &VccSettings,
    request: &Request<'_>,
    ids: &mut dyn IdSource,
) -> Handled {
    apply(
        engine,
        prepare_request(request, settings),
        request.identity,
        ids,
    )
}

/// [`prepare_callback`] and [`apply`] at once.
pub fn handle_callback(
    engine: &mut Engine,
    request: &Request<'_>,
    ids: &mut dyn IdSource,
) -> Handled {
    apply(engine, prepare_callback(request), request.identity, ids)
}

/// The HTTP request that delivers `effect`, a provider notification ([`Effect::Notify`]), to
/// the provider's registered endpoint with its registered headers (vcc-interactions-register.txt,
/// "Callbacks"): a `POST` of a one-element callback array carrying `notificationid` and
/// `account_name`, with `Content-Type: application/json`. `None` for another effect, or a
/// provider that registered no endpoint (it gets no notifications).
pub fn notification_request(
    engine: &Engine,
    effect: &Effect,
    notificationid: &str,
    account_name: &str,
) -> Option<Outgoing> {
    let Effect::Notify { provider, .. } = effect else {
        return None;
    };
    let settings = engine.provider(provider.as_str())?;
    let url = settings.endpoint.clone()?;
    let element = encode_notification(effect, notificationid, account_name)?;
    let mut headers = settings.headers.clone();
    headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    Some(Outgoing {
        method: "POST",
        url,
        headers,
        body: json!([element]),
    })
}

/// Whether `error` is one an HTTP `404` stands for: the request names an interaction the
/// platform does not know.
pub fn is_not_found(error: &Error) -> bool {
    error.kind() == ErrorKind::UnknownInteraction
}
