//! The GWS endpoints as pure functions (MODEL.md section 9): an agent's request or a CometD
//! message in; the response, one [`Item`] per operation or notification out.
//!
//! [`prepare_request`] / [`prepare_message`] read only the request; [`apply`] reads and
//! changes the engine (a notification is mapped from the interaction's current state there)
//! and the adapter's own [`AdapterState`] (consult pairs, remembered `referenceId`s);
//! [`handle_request`] and [`handle_message`] are both at once. The request's `identity` is the
//! agent: GWS authenticates with HTTP Basic, and the user name is the agent. Every item's
//! `allowed` is filtered by the GWS profile of its media ([`crate::profile`]), so that it
//! compares with the `capabilities` GWS lists.
//!
//! | request | response | items |
//! |---|---|---|
//! | `POST /me/interactions/{id}`, `/api/v2/me/interactions/{id}` | the seed page's style ([`Style`]) | one |
//! | `POST /api/v2/me/{calls,chats,emails,workitems}/{id}`, `/api/v2/me/{collection}` (Create), `/api/v2/me/devices/{id}/calls` (Dial), `/api/v2/me/channels/voice`, `/api/v2/me` (agent state, sessions), `/api/v2/me/workbins/{id}`, `/api/v2/workbins/{id}` | `{"statusCode":0}` (the GWS 8.5 pages' style; workitem and workbin operations add the caller's `referenceId`), or `{"statusCode":n,"statusMessage"}` | one |
//! | `GET /api/v2/me/{collection}` (`?fields=*`) | `{"statusCode":0,"interactions":[...]}`: the agent's interactions of the collection as the engine holds them | one, `get_interactions` |
//! | the same `GET` with a body (the list a client received, to resync with) | `{"statusCode":0}` | one per correction, action `resync`; one `ignored` item when nothing differed |
//! | `GET /api/v2/interactions/{id}`, `GET /api/v2/me/{collection}/{id}` | `{"statusCode":0,"interaction":{...}}`, or `404 {"statusCode":6,...}` | one, `get_interaction` |
//! | `GET /api/v2/me/workbins/{id}` and `GET /api/v2/workbins/{id}` (`?subresources=*`: with its content by media), `GET /api/v2/workbins/{id}/workitems`, `GET /api/v2/me/workbins`, `GET /api/v2/me` | `{"statusCode":0,"workbin":{"id","chats"?,"emails"?,"workitems"?}}` / `{"statusCode":0,"workbins":[...]}` / `{"statusCode":0,"user":{...}}` | one |
//! | a CometD message `{"channel", "data"}` or a notification body, on a `/v2/me/...` channel | `200`, no body (the receiver read it, whatever the engine made of it); `400` in the `Status` style when the body cannot be read (not JSON, not an object, a member of the wrong JSON type: a `malformed` refusal) | one |
//! | a CometD batch: a JSON array of messages, as a CometD client receives them | `200` when the array is readable (each message is its own item; `/meta/...` messages are the transport's and give none; a message on another channel is an item refused `unsupported` `channel`; a batch with no notification gives one `ignored` item, action `cometd`); `400` when it is not | one per message |
//! | a CometD message with another method than `POST` | `405`, `Status` style | one, refused `unsupported` `method` |
//! | another path | `404`, `Status` style | one, refused `unsupported` `path` |
//! | another method on a known path | `405`, `Status` style | one, refused `unsupported` `method` |

use std::borrow::Cow;

use interaction_core::{
    ActionKind, ActionSet, AgentId, Direction, Engine, Error, Interaction, InteractionId, Outcome,
    Refusal, State, StateKind,
};
use interaction_wire::{
    Kind, ListMember, RawList, Read as Pass, Text, body_or_null, members, parse_body, parse_raw,
    printable, text_at,
};

/// The HTTP exchange types of these endpoints (`interaction_wire::http`), re-exported so that a
/// service names them through this crate alone: the request in, the `Handled` out, the ids
/// the caller supplies.
pub use interaction_wire::{
    Body, Handled, IdKind, IdSource, Item, Outgoing, Request, Response, SmolStr,
};
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::{
    AdapterState, Collection, ConsultKind, Consults, Endpoint, Event, Fact, GwsMedia, GwsState,
    MessageType, NotificationItem, Operation, OperationItem, OtherMessage, Style, Target,
    decode_notification, decode_operation_at, decode_other, endpoint_in,
};

/// A GWS request or CometD message, read as far as it can be without the engine. It owns its
/// data, so it can be made on another thread.
#[derive(Debug)]
pub enum Prepared {
    /// Refused before its body was read, with the answer to give.
    Refused {
        /// The interaction the path names, if it names one.
        interaction: Option<SmolStr>,
        /// Why.
        error: Error,
        /// The answer.
        response: Response,
    },
    /// An operation, decoded.
    Operation {
        /// Where it was posted.
        place: Place,
        /// The decoded operation.
        decoded: OperationItem,
    },
    /// A read (`GET`), answered from the engine.
    Read(Read),
    /// A resync: the list a client received from `GET /api/v2/me/{collection}`, each element
    /// decoded as the state notification it stands for; only the collection's media are
    /// reconciled.
    Resync(Collection, Result<Vec<NotificationItem>, Error>),
    /// One CometD message (a notification body, or one `{"channel", "data"}` message), decoded
    /// (what it does depends on the interaction's state, read when it is applied).
    Single(Message),
    /// A CometD batch's messages, each decoded; none when the batch held only `/meta/`
    /// messages or nothing.
    Notifications(Vec<Message>),
    /// A CometD body that cannot be read: not JSON, or neither an object nor an array.
    Unreadable(Error),
}

/// A CometD message, decoded.
// A message is decoded and applied at once (a batch's are kept in order in one `Vec`): boxing
// the notification would allocate once per message on the decode path to save stack space.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Message {
    /// A notification about an interaction.
    Interaction(NotificationItem),
    /// A message of the agent's other channels (devices, workbins, ...).
    Other(Result<OtherMessage, Error>),
}

/// Where an operation was posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The collection the path names (a media path reaches its media only);
    /// [`Collection::Interactions`] when the path names none.
    pub collection: Collection,
    /// The interaction the path names, if any.
    pub id: Option<SmolStr>,
    /// The response style: the seed page's for `/me/interactions/{id}`, `{"statusCode":0}`
    /// for every GWS 8.5 path.
    pub seed: bool,
    /// Whether the answer carries a `referenceId` (workitem and workbin operations).
    pub reference: bool,
}

/// A read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// One interaction.
    Interaction {
        /// The collection the path names.
        collection: Collection,
        /// The id.
        id: SmolStr,
    },
    /// The agent's interactions of a collection.
    List(Collection),
    /// A workbin (WorkbinGetWorkbinContent): `GET /api/v2/me/workbins/{id}` and
    /// `GET /api/v2/workbins/{id}`, with its content grouped by media when the query has
    /// `subresources` (`*`, or media words: `chat`, `email`, `workitem`, comma-separated);
    /// `GET /api/v2/workbins/{id}/workitems`, its workitems.
    Workbin {
        /// The workbin id.
        workbin: SmolStr,
        /// Which media's content to list (`chats`, `emails`, `workitems`); none: only the
        /// workbin itself.
        media: WorkbinMedia,
    },
    /// The agent's workbins.
    MyWorkbins,
    /// The agent.
    Me,
}

/// Which media's content a workbin read lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WorkbinMedia {
    /// `chats`.
    pub chats: bool,
    /// `emails`.
    pub emails: bool,
    /// `workitems`.
    pub workitems: bool,
}

impl WorkbinMedia {
    /// From a request's query: `subresources=*` lists every media, `subresources=chat,email`
    /// those named (`chat`, `email`, `workitem`; the other values the page names, `facebook`,
    /// `tweet`, `facebooksession`, `openmedia`, list nothing here); no `subresources`, none
    /// (WorkbinGetWorkbinContent: "Get a Workbin's Content with Subresources").
    pub fn of_query(query: Option<&str>) -> WorkbinMedia {
        let mut media = WorkbinMedia::default();
        let pairs = query.unwrap_or("").split('&');
        for value in pairs.filter_map(|pair| pair.strip_prefix("subresources=")) {
            // The value's separators and `*` as they come, or percent-encoded (either case).
            let value = value
                .replace("%2C", ",")
                .replace("%2c", ",")
                .replace("%2A", "*")
                .replace("%2a", "*")
                .replace("%20", ",")
                .replace('+', ",");
            for word in value.split([',', ' ']) {
                match word {
                    "*" => {
                        media = WorkbinMedia {
                            chats: true,
                            emails: true,
                            workitems: true,
                        };
                    }
                    "chat" => media.chats = true,
                    "email" => media.emails = true,
                    "workitem" => media.workitems = true,
                    _ => {}
                }
            }
        }
        media
    }
}

/// Reads an agent's request.
pub fn prepare_request(request: &Request<'_>) -> Prepared {
    // The form every operation's target has is matched before the target is read as a path
    // (it names no query); any other form is read as a path.
    if let Some(found) = Endpoint::spelled(request.target) {
        return prepared(request, found, None);
    }
    let path = request.path();
    match endpoint_in(&path) {
        Some(found) => prepared(request, found, path.query),
        None => not_found(request, None),
    }
}

/// [`prepare_request`] of a request to endpoint `found`, whose target has the query string
/// `query` (without `?`).
fn prepared(request: &Request<'_>, found: Endpoint, query: Option<&str>) -> Prepared {
    let get = request.is("GET");
    let post = request.is("POST");
    let body = body_or_null(request.body);
    let operation = |place: Place, target: Target<'_>| Prepared::Operation {
        decoded: decode_operation_at(target, request.identity, body),
        place,
    };
    let place = |collection: Collection, id: Option<SmolStr>, seed: bool, reference: bool| Place {
        collection,
        id,
        seed,
        reference,
    };
    match found {
        Endpoint::Operation { collection, id } if post => {
            let seed = collection == Collection::Interactions;
            let reference = collection == Collection::Workitems;
            operation(
                place(collection, Some(id.clone()), seed, reference),
                Target {
                    interaction: Some(id.as_str()),
                    workbin: None,
                },
            )
        }
        Endpoint::Operation { collection, id } if get => {
            Prepared::Read(Read::Interaction { collection, id })
        }
        // A collection takes only a `Create` (WorkitemCreate, EmailCreate); any other operation
        // needs an interaction id after it: no such endpoint.
        Endpoint::Collection(collection) if post => {
            let decoded = decode_operation_at(Target::default(), request.identity, body);
            let creates = matches!(collection, Collection::Workitems | Collection::Emails);
            if creates && decoded.operation == Some(Operation::Create) {
                Prepared::Operation {
                    place: place(collection, None, false, collection == Collection::Workitems),
                    decoded,
                }
            } else {
                not_found(request, None)
            }
        }
        Endpoint::Collection(collection) if get && body != b"null" => {
            Prepared::Resync(collection, resync_entries(body, request.identity))
        }
        Endpoint::Collection(collection) if get => Prepared::Read(Read::List(collection)),
        Endpoint::Interaction { id } if get => Prepared::Read(Read::Interaction {
            collection: Collection::Interactions,
            id,
        }),
        Endpoint::DeviceCalls { .. } | Endpoint::AgentState { .. } | Endpoint::Me if post => {
            operation(
                place(Collection::Interactions, None, false, false),
                Target::default(),
            )
        }
        Endpoint::Me if get => Prepared::Read(Read::Me),
        Endpoint::MyWorkbins if get => Prepared::Read(Read::MyWorkbins),
        Endpoint::MyWorkbin { workbin }
        | Endpoint::Workbin {
            workbin,
            content: false,
        } if get => Prepared::Read(Read::Workbin {
            workbin,
            media: WorkbinMedia::of_query(query),
        }),
        Endpoint::MyWorkbin { workbin }
        | Endpoint::Workbin {
            workbin,
            content: false,
        } if post => operation(
            place(Collection::Interactions, None, false, true),
            Target {
                interaction: None,
                workbin: Some(workbin.as_str()),
            },
        ),
        Endpoint::Workbin {
            workbin,
            content: true,
        } if get => Prepared::Read(Read::Workbin {
            workbin,
            media: WorkbinMedia {
                workitems: true,
                ..WorkbinMedia::default()
            },
        }),
        Endpoint::Channel(_) | Endpoint::AgentChannel(_) => not_found(request, None),
        Endpoint::Operation { id, .. } => wrong_method(request, Some(id)),
        _ => wrong_method(request, None),
    }
}

fn not_found(request: &Request<'_>, interaction: Option<SmolStr>) -> Prepared {
    Prepared::Refused {
        interaction,
        error: Error::unsupported("path", printable(request.target)),
        response: status_error(404, "not found"),
    }
}

fn wrong_method(request: &Request<'_>, interaction: Option<SmolStr>) -> Prepared {
    Prepared::Refused {
        interaction,
        error: Error::unsupported(
            "method",
            printable(&format!("{} {}", request.method, request.target)),
        ),
        response: status_error(405, "method not allowed"),
    }
}

/// Reads one CometD message body: another channel's message ([`decode_other`]) or a
/// notification ([`decode_notification`]).
fn message(body: &[u8], identity: Option<&str>) -> Message {
    // Read as an interaction notification first (the common case, one pass); a `messageType`
    // it does not take but the agent's other channels do is read again as that message.
    let item = decode_notification(body, identity);
    if of_other_channel(&item) {
        Message::Other(decode_other(body, identity))
    } else {
        Message::Interaction(item)
    }
}

/// Whether a body read as an interaction notification is a message of the agent's other
/// channels instead: its `messageType` is not one of an interaction's, and is one of
/// [`crate::OTHER_MESSAGE_TYPES`].
fn of_other_channel(item: &NotificationItem) -> bool {
    match &item.result {
        Err(Error::Unsupported { what, .. }) if what == "messageType" => item
            .label
            .as_deref()
            .is_some_and(|t| crate::OTHER_MESSAGE_TYPES.contains(&t)),
        _ => false,
    }
}

/// Whether `body` is a CometD batch (a JSON array).
fn is_batch(body: &[u8]) -> bool {
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}

/// Reads a CometD message pushed to the agent `request.identity`: a notification body or one
/// `{"channel", "data"}` message (on a `/v2/me/...` channel target), or a batch of messages (a
/// JSON array, whatever the target).
pub fn prepare_message(request: &Request<'_>) -> Prepared {
    if !request.is("POST") {
        return wrong_method(request, None);
    }
    let body = body_or_null(request.body);
    if !is_batch(body) {
        return Prepared::Single(message(body, request.identity));
    }
    let messages: Vec<&RawValue> =
        match parse_body(body, "CometD batch").and_then(|raw| parse_raw(raw, "CometD batch")) {
            Ok(messages) => messages,
            Err(e) => return Prepared::Unreadable(e),
        };
    let mut items = Vec::with_capacity(messages.len());
    for (index, raw) in messages.into_iter().enumerate() {
        let refused = |result| {
            Message::Interaction(NotificationItem {
                interaction: None,
                label: None,
                capabilities: None,
                result,
            })
        };
        match channel_of(raw, index) {
            Ok(Some(channel)) if channel.starts_with("/meta/") => {}
            Ok(Some(channel)) if crate::endpoint(&channel).is_some_and(|e| e.is_channel()) => {
                items.push(message(raw.get().as_bytes(), request.identity));
            }
            Ok(channel) => items.push(refused(Err(Error::unsupported(
                "channel",
                printable(channel.as_deref().unwrap_or("")),
            )))),
            Err(e) => items.push(refused(Err(e))),
        }
    }
    Prepared::Notifications(items)
}

/// The `channel` of batch element `index`: `None` when it has none.
fn channel_of(raw: &RawValue, index: usize) -> Result<Option<String>, Error> {
    if Kind::of(raw) != Kind::Object {
        return Err(Error::malformed(format!(
            "CometD batch[{index}]: expected a JSON object, got {}",
            Kind::of(raw)
        )));
    }
    let path = format!("[{index}]");
    let (Pass::Fast(element) | Pass::Lax(element)) =
        interaction_wire::read_object::<Channel<'_>, Channel<'_>>(raw, &path)?;
    Ok(text_at(element.channel.as_ref(), &path, "channel")?.map(Cow::into_owned))
}

members! {
    /// A CometD batch element's `channel`, kept raw (the rest is the notification's).
    struct Channel<'a> {
        "channel" => channel: &'a RawValue,
    }
}

members! {
    /// A resync body: its `interactions`, each element kept raw.
    struct Resync<'a> {
        "interactions" => interactions: RawList<'a, &'a RawValue>,
    }
}

members! {
    /// A resync element: the members that say what it is, each kept raw.
    struct ResyncEntry<'a> {
        "messageType" => message_type: &'a RawValue,
        "data" => data: &'a RawValue,
        "mediaType" => media_type: &'a RawValue,
        "callType" => call_type: &'a RawValue,
        "chatType" => chat_type: &'a RawValue,
        "emailType" => email_type: &'a RawValue,
        "workitemType" => workitem_type: &'a RawValue,
    }
}

/// A refusal in the `Status` style with `status`: `{"status":"error","errorDescription"}`.
fn status_error(status: u16, description: &str) -> Response {
    Response::json(
        status,
        json!({ "status": "error", "errorDescription": description }),
    )
}

/// The elements of a resync body `{"statusCode":0,"interactions":[...]}`, each read as the
/// `StatusChange` notification it stands for: an element in the CometD message format
/// (`{"messageType", "notificationType", "<resource>"}`) as it is, a bare resource (`{"id",
/// "state", "callType"?, ...}`) as the message its `<media>Type` member or `mediaType` names
/// (`voice`/`call`, `chat`, `email`, `workitem`; else the generic interaction message).
fn resync_entries(body: &[u8], identity: Option<&str>) -> Result<Vec<NotificationItem>, Error> {
    const WHAT: &str = "resync body";
    let (Pass::Fast(object) | Pass::Lax(object)) =
        interaction_wire::read_body::<Resync<'_>, Resync<'_>>(body, WHAT)?;
    let list = object
        .interactions
        .as_ref()
        .ok_or_else(|| Error::missing_field("interactions"))?
        .list("", "interactions")?;
    let mut entries = Vec::with_capacity(list.len());
    for (index, raw) in list.iter().enumerate() {
        let (Pass::Fast(element) | Pass::Lax(element)) =
            interaction_wire::read_object::<ResyncEntry<'_>, ResyncEntry<'_>>(
                raw,
                &format!("interactions[{index}]"),
            )?;
        if element.message_type.is_some() || element.data.is_some() {
            entries.push(decode_notification(raw.get().as_bytes(), identity));
            continue;
        }
        let media = element.media_type.as_ref().and_then(Text::ok);
        let kind =
            if element.call_type.is_some() || matches!(media.as_deref(), Some("voice" | "call")) {
                MessageType::Call
            } else if element.chat_type.is_some() || media.as_deref() == Some("chat") {
                MessageType::Chat
            } else if element.email_type.is_some() || media.as_deref() == Some("email") {
                MessageType::Email
            } else if element.workitem_type.is_some() || media.as_deref() == Some("workitem") {
                MessageType::Workitem
            } else {
                MessageType::Interaction
            };
        let wrapped = format!(
            r#"{{"messageType":"{}","notificationType":"StatusChange","{}":{}}}"#,
            kind.wire_name(),
            kind.resource_key(),
            raw.get()
        );
        entries.push(decode_notification(wrapped.as_bytes(), identity));
    }
    Ok(entries)
}

/// What an applied item's step did to the consult pairs ([`Consults`]), and the note its
/// record carries for it: called on each item as it is made, before its `allowed` is filtered
/// and before the next message is applied.
fn settle(state: &mut AdapterState, item: &mut Item) {
    if item.outcome != Ok(Outcome::Applied) {
        return;
    }
    let Some(call) = item.interaction.as_deref() else {
        return;
    };
    // The call ended, or was given to its callee (a transfer to it): no callee's view left.
    let given_to_callee = item
        .agent
        .as_ref()
        .is_some_and(|agent| state.callees.is_callee(call, agent));
    if item.to == Some(StateKind::Ended) || given_to_callee {
        state.callees.forget(call);
    }
    if state.consults.is_empty() {
        return;
    }
    if let Some(note) = state.consults.settled(call, item.from, item.to) {
        item.notes.push(note);
    }
}

/// Applies a prepared request or message to `engine` and the adapter's own `state` (the
/// consult pairs an operation or notification makes, completes or ends; the answers that
/// carried a `referenceId`, and the notes of the notifications that repeat one); `identity`
/// is the agent; `ids` gives the `referenceId`s of workitem and workbin answers. Each message
/// of a batch or resync entry is applied, and the pairs settled, before the next is read.
pub fn apply(
    engine: &mut Engine,
    state: &mut AdapterState,
    prepared: Prepared,
    identity: Option<&str>,
    ids: &mut dyn IdSource,
) -> Handled {
    match prepared {
        Prepared::Refused {
            interaction,
            error,
            response,
        } => Handled::single(
            Item::of(engine, interaction, None, Err(error), identity).responding(response),
        ),
        Prepared::Operation { place, decoded } => {
            Handled::single(operation(engine, state, &place, decoded, identity, ids))
        }
        Prepared::Read(read) => {
            Handled::single(answer_read(engine, &state.consults, read, identity))
        }
        Prepared::Resync(collection, entries) => {
            resync(engine, state, collection, entries, identity)
        }
        Prepared::Single(Message::Interaction(decoded)) => {
            single_notification(engine, state, decoded, identity)
        }
        Prepared::Single(Message::Other(other)) => {
            single_other(engine, &state.consults, other, identity)
        }
        Prepared::Notifications(messages) => {
            let mut items: Vec<Item> = messages
                .into_iter()
                .map(|m| match m {
                    Message::Interaction(n) => notification(engine, state, n, identity),
                    Message::Other(o) => other_item(engine, &state.consults, o, identity),
                })
                .collect();
            if items.is_empty() {
                // Nothing in it for the engine (`[]`, or only `/meta/` messages): one item says
                // so, `ignored`, so that no exchange goes unrecorded.
                let mut item = Item::session("cometd", Ok(()));
                item.outcome = Ok(Outcome::Ignored);
                items.push(item);
            }
            Handled::new(Response::empty(200), items)
        }
        Prepared::Unreadable(error) => {
            let response = crate::wire_response(Style::Status, Err(&error));
            Handled::new(
                response,
                vec![Item::of(engine, None, None, Err(error), identity)],
            )
        }
    }
}

/// One CometD notification about an interaction, on its own: a body that cannot be read is
/// answered 400; one read is 200, whatever the engine made of it (the platform's fact is the
/// receiver's business).
fn single_notification(
    engine: &mut Engine,
    state: &mut AdapterState,
    decoded: NotificationItem,
    identity: Option<&str>,
) -> Handled {
    let response = pushed_response(decoded.result.as_ref().err());
    let item = notification(engine, state, decoded, identity);
    Handled::new(response, vec![item])
}

/// One CometD message of the agent's other channels, on its own, answered as
/// [`single_notification`] answers.
fn single_other(
    engine: &mut Engine,
    consults: &Consults,
    other: Result<OtherMessage, Error>,
    identity: Option<&str>,
) -> Handled {
    let response = pushed_response(other.as_ref().err());
    let item = other_item(engine, consults, other, identity);
    Handled::new(response, vec![item])
}

/// The answer to one pushed message whose reading gave `error`: `400` for a body that cannot
/// be read (`malformed`), `200` with no body otherwise.
fn pushed_response(error: Option<&Error>) -> Response {
    match error {
        Some(e) if e.kind() == interaction_core::ErrorKind::Malformed => {
            crate::wire_response(Style::Status, Err(e))
        }
        _ => Response::empty(200),
    }
}

/// The GWS media of an interaction: the one the path or message names, else its core
/// media's; nonlive work the path does not name is seen as a workitem, or as an email when it
/// is outbound (GWS's outbound nonlive work is an email draft).
fn media_of(hint: Option<GwsMedia>, it: &Interaction) -> GwsMedia {
    match (hint, GwsMedia::of_media(it.media())) {
        (Some(GwsMedia::Other) | None, GwsMedia::Other)
            if it.direction() == Direction::Outbound =>
        {
            GwsMedia::Email
        }
        (Some(GwsMedia::Other) | None, GwsMedia::Other) => GwsMedia::Workitem,
        (Some(GwsMedia::Other) | None, media) | (Some(media), _) => media,
    }
}

/// The GWS media a workbin operation names (`AddChat`, `PullWorkitem`, ...).
const fn operation_media(operation: Option<Operation>) -> Option<GwsMedia> {
    match operation {
        Some(Operation::AddChat | Operation::PullChat) => Some(GwsMedia::Chat),
        Some(Operation::AddEmail | Operation::PullEmail) => Some(GwsMedia::Email),
        Some(Operation::AddWorkitem | Operation::PullWorkitem) => Some(GwsMedia::Workitem),
        _ => None,
    }
}

/// Filters `item.allowed` by the GWS profile of its interaction's media and state
/// ([`gws_allowed`]).
fn apply_profile(engine: &Engine, consults: &Consults, item: &mut Item, hint: Option<GwsMedia>) {
    let it = item
        .interaction
        .as_deref()
        .and_then(|id| engine.interaction(id));
    apply_profile_in(it, consults, item, hint);
}

/// [`apply_profile`] with the item's interaction already read (`engine.interaction` of
/// `item.interaction`, as the engine holds it now).
fn apply_profile_in(
    it: Option<&Interaction>,
    consults: &Consults,
    item: &mut Item,
    hint: Option<GwsMedia>,
) {
    if let (Some(id), Some(it)) = (item.interaction.as_deref(), it) {
        item.allowed = gws_allowed(consults, id, it, item.allowed, hint);
    }
}

/// `item` with its `allowed` filtered by the GWS profile ([`apply_profile`]).
fn profiled(engine: &Engine, consults: &Consults, mut item: Item, hint: Option<GwsMedia>) -> Item {
    apply_profile(engine, consults, &mut item, hint);
    item
}

/// `allowed` as GWS offers it on `it`: within the profile of its media and state
/// ([`crate::profile`]), and without `retrieve` on the held original of a consult transfer
/// ([`Consults::retrieve_withheld`]: GWS offers `SwapCalls` there).
fn gws_allowed(
    consults: &Consults,
    id: &str,
    it: &Interaction,
    mut allowed: ActionSet,
    hint: Option<GwsMedia>,
) -> ActionSet {
    let media = media_of(hint, it);
    if let Some(profile) = crate::profile(media, it.state().kind(), it.direction()) {
        allowed = allowed.intersection(profile);
    }
    if media == GwsMedia::Call && !consults.is_empty() && consults.retrieve_withheld(id) {
        allowed.remove(ActionKind::Retrieve);
    }
    allowed
}

/// The GWS media a path's collection names.
const fn collection_media(collection: Collection) -> Option<GwsMedia> {
    match collection {
        Collection::Interactions => None,
        Collection::Calls => Some(GwsMedia::Call),
        Collection::Chats => Some(GwsMedia::Chat),
        Collection::Emails => Some(GwsMedia::Email),
        Collection::Workitems => Some(GwsMedia::Workitem),
    }
}

/// The GWS media a message type names.
const fn message_media(kind: MessageType) -> GwsMedia {
    match kind {
        MessageType::Call => GwsMedia::Call,
        MessageType::Chat => GwsMedia::Chat,
        MessageType::Email => GwsMedia::Email,
        MessageType::Workitem => GwsMedia::Workitem,
        MessageType::OpenMedia | MessageType::Interaction => GwsMedia::Other,
    }
}

/// The answer to an operation in `style`, with a `referenceId` from `ids` when `reference`,
/// and that `referenceId`.
fn operation_response(
    style: Style,
    result: Result<(), &Error>,
    reference: bool,
    ids: &mut dyn IdSource,
) -> (Response, Option<SmolStr>) {
    match (result, reference) {
        (Ok(()), true) => {
            let id = ids.next_id(IdKind::Reference);
            let text = SmolStr::new(&id);
            let reference = id.parse::<u64>().map_or(Value::String(id), Value::from);
            (
                Response::json(200, json!({ "statusCode": 0, "referenceId": reference })),
                Some(text),
            )
        }
        (result, _) => (crate::wire_response(style, result), None),
    }
}

/// One operation.
fn operation(
    engine: &mut Engine,
    state: &mut AdapterState,
    place: &Place,
    decoded: OperationItem,
    identity: Option<&str>,
    ids: &mut dyn IdSource,
) -> Item {
    let style = if place.seed {
        decoded.operation.map_or(Style::Status, Operation::style)
    } else {
        Style::StatusCode
    };
    let collection = place.collection;
    let hint = collection_media(collection).or(operation_media(decoded.operation));
    let checked = decoded
        .result
        .and_then(|request| checked_request(engine, collection, request));
    let id = place.id.clone();
    // The interaction as read after an applied step, for the profile (no second read).
    let mut read = None;
    let mut item = match checked {
        Ok(crate::Request::Apply(input)) => {
            let agent = input.actor.agent().cloned();
            let interaction = Some(input.interaction.to_smol_str());
            let mut effects = Vec::new();
            let step = engine.apply(input, &mut effects).map_err(Error::from);
            let (response, reference) =
                operation_response(style, step.as_ref().map(|_| ()), place.reference, ids);
            answered(
                state,
                reference,
                decoded.action.as_ref(),
                interaction.as_ref(),
            );
            let who = agent
                .as_ref()
                .map(interaction_core::AgentId::as_str)
                .or(identity);
            // One read of the interaction after the step, for the item and its profile.
            let it = interaction.as_deref().and_then(|id| engine.interaction(id));
            let mut item =
                Item::applied_in(engine, it, interaction, decoded.action, step, effects, who);
            item.response = Some(response);
            read = Some(it);
            item
        }
        Ok(crate::Request::WorkbinContent { agent, workbin, .. }) => {
            let (status, body) = crate::workbin_content_response(engine, workbin.as_str());
            unchanged(
                engine,
                id,
                decoded.action,
                Some(agent.as_str()).or(identity),
            )
            .responding(Response::json(status, body))
        }
        Ok(crate::Request::Agent { agent, action }) => {
            let result = engine
                .apply_agent(agent.clone(), action)
                .map(|_| ())
                .map_err(Error::from);
            let (response, _) = operation_response(style, result.as_ref().copied(), false, ids);
            match result {
                Ok(()) => Item::of_agent(engine, decoded.action.unwrap_or_default(), agent, Ok(())),
                Err(e) => Item::of(engine, None, decoded.action, Err(e), identity),
            }
            .responding(response)
        }
        Ok(crate::Request::Accepted {
            interaction,
            agent,
            destination,
            consult,
        }) => {
            if let Some(call) = &interaction {
                pair(
                    engine,
                    &mut state.consults,
                    decoded.operation,
                    call,
                    &agent,
                    destination,
                    consult.as_ref(),
                );
            }
            let (response, reference) = operation_response(style, Ok(()), place.reference, ids);
            let interaction = interaction.map(|i| i.to_smol_str()).or(id);
            answered(
                state,
                reference,
                decoded.action.as_ref(),
                interaction.as_ref(),
            );
            unchanged(engine, interaction, decoded.action, Some(agent.as_str()))
                .responding(response)
        }
        Err(e) => {
            let (response, _) = operation_response(style, Err(&e), false, ids);
            Item::of(engine, id, decoded.action, Err(e), identity).responding(response)
        }
    };
    settle(state, &mut item);
    match read {
        Some(it) => apply_profile_in(it, &state.consults, &mut item, hint),
        None => apply_profile(engine, &state.consults, &mut item, hint),
    }
    item
}

/// `request` as the engine should take it, with one look at its interaction: refused when it
/// does not reach `collection`'s media (a media path reaches only its media: a chat is not
/// under `/me/calls/{id}`; an interaction the engine does not hold is not checked); and an
/// `Answer` / `Accept` or `Reject` by the callee of a call another agent is dialing (an
/// internal or consult call between two agents, CallsAnswer / CallsReject on the callee's
/// device) accepted as the other asynchronous operations are: the call is the caller's, and
/// the callee's `Established` (or `Released`) that follows says what came of it (the model's
/// `answer` connects it to the calling agent).
fn checked_request(
    engine: &Engine,
    collection: Collection,
    request: crate::Request,
) -> Result<crate::Request, Error> {
    let (target, answering) = match &request {
        crate::Request::Apply(input) => (
            Some(input.interaction.as_str()),
            matches!(
                input.action,
                interaction_core::Action::Accept | interaction_core::Action::Reject
            ),
        ),
        crate::Request::WorkbinContent { interaction, .. } => (Some(interaction.as_str()), false),
        crate::Request::Accepted { interaction, .. } => {
            (interaction.as_ref().map(InteractionId::as_str), false)
        }
        crate::Request::Agent { .. } => (None, false),
    };
    let looked = collection.media().is_some() || answering;
    let Some((target, it)) = target
        .filter(|_| looked)
        .and_then(|t| engine.interaction(t).map(|it| (t, it)))
    else {
        return Ok(request);
    };
    if collection.media().is_some() {
        collection.check(target, it.media())?;
    }
    if let crate::Request::Apply(input) = &request
        && answering
        && let Some(agent) = input.actor.agent()
        && matches!(it.state(), State::Dialing { .. })
        && it.state().owner().is_some_and(|caller| caller != agent)
    {
        return Ok(crate::Request::Accepted {
            interaction: Some(input.interaction.clone()),
            agent: agent.clone(),
            destination: None,
            consult: None,
        });
    }
    Ok(request)
}

/// Remembers an answer that carried `reference` ([`crate::References`]).
fn answered(
    state: &mut AdapterState,
    reference: Option<SmolStr>,
    action: Option<&SmolStr>,
    interaction: Option<&SmolStr>,
) {
    if let Some(reference) = reference {
        state.references.answered(crate::Answered {
            reference,
            action: action.cloned().unwrap_or_default(),
            interaction: interaction.and_then(|id| InteractionId::parse(id, "id").ok()),
        });
    }
}

/// What an accepted `InitiateTransfer`, `InitiateConference`, `CompleteTransfer` or
/// `CompleteConference` on `call` tells the pairs: a consultation begins on a live call the
/// engine holds; a completion marks the pair `call` belongs to (or `consult`'s).
fn pair(
    engine: &Engine,
    consults: &mut Consults,
    operation: Option<Operation>,
    call: &InteractionId,
    agent: &interaction_core::AgentId,
    destination: Option<interaction_core::Name>,
    consult: Option<&InteractionId>,
) {
    let initiate = match operation {
        Some(Operation::InitiateTransfer) => Some(ConsultKind::Transfer),
        Some(Operation::InitiateConference) => Some(ConsultKind::Conference),
        Some(Operation::CompleteTransfer) => {
            consults.complete(
                call.as_str(),
                consult.map(InteractionId::as_str),
                ConsultKind::Transfer,
            );
            None
        }
        Some(Operation::CompleteConference) => {
            consults.complete(
                call.as_str(),
                consult.map(InteractionId::as_str),
                ConsultKind::Conference,
            );
            None
        }
        _ => None,
    };
    let live_call = engine.interaction(call.as_str()).is_some_and(|it| {
        it.media() == interaction_core::Media::Live
            && matches!(it.state(), State::Connected { .. } | State::Held { .. })
    });
    if let (Some(kind), true) = (initiate, live_call) {
        consults.initiate(call.clone(), agent.clone(), kind, destination);
    }
}

/// Pairs a consult call with the original its notification named (`parentCallPath`), and says
/// so on its item ([`Note::ConsultCall`](interaction_wire::Note::ConsultCall)), once.
fn link_consult(
    engine: &Engine,
    consults: &mut Consults,
    link: (
        InteractionId,
        InteractionId,
        AgentId,
        Option<interaction_core::Name>,
    ),
    item: &mut Item,
) {
    // A live consult call (an applied item) of a live original call: a call that just ended,
    // or an original that did, pairs nothing (their later notifications still name the
    // original).
    let live = |state: Option<StateKind>| {
        state.is_some_and(|s| !matches!(s, StateKind::Ended | StateKind::WrapUp))
    };
    let live_call = |id: &InteractionId| {
        engine.interaction(id.as_str()).is_some_and(|it| {
            it.media() == interaction_core::Media::Live && live(Some(it.state().kind()))
        })
    };
    // The initiating agent is the consult call's caller (its owner), whichever agent's channel
    // named the pair first.
    let initiator = |consult: &InteractionId, agent: AgentId| {
        engine
            .interaction(consult.as_str())
            .and_then(|it| it.state().owner().cloned())
            .unwrap_or(agent)
    };
    let (consult, original, agent, dnis) = link;
    if item.outcome == Ok(Outcome::Applied)
        && live(item.to)
        && live_call(&original)
        && consults.link(
            &consult,
            &original,
            &initiator(&consult, agent),
            dnis.as_ref(),
        )
    {
        item.notes
            .push(interaction_wire::Note::ConsultCall { original });
    }
}

/// How a notification on an agent's channel reads when two agents are on the call.
enum View {
    /// The usual mapping ([`crate::Notification::into_fact`]).
    Own,
    /// The callee's own view of another agent's call it was alerted to or answered: nothing
    /// changes (the call is the caller's).
    CalleeIgnored,
    /// The original's end for the agent who completed a consult transfer to this agent: the
    /// platform's `transferred` to it.
    MovesTo(AgentId),
}

/// What a callee's notification tells the adapter state ([`crate::Callees`],
/// [`Consults`]); recorded only once its item is not refused, so that a refused message leaves
/// the state as it was.
struct CalleeRecord {
    call: InteractionId,
    agent: AgentId,
    /// Another agent's dialing call rang or was answered on this agent's channel.
    alerted: bool,
    /// Its working state: it answered (a consult call's consulted agent).
    answered: bool,
    /// Its `Released` or `Completed`: its leg ended.
    left: bool,
}

impl CalleeRecord {
    fn record(self, state: &mut AdapterState) {
        let call = self.call.as_str();
        if self.alerted {
            state.callees.alerted(&self.call, &self.agent);
        }
        if self.answered {
            state.consults.answered_by(call, &self.agent);
        }
        if self.left {
            state.consults.left_by(call, &self.agent);
            state.callees.forget(call);
        }
    }
}

/// Reads notification `n` against the calls between two agents: a `Ringing`, `Invited` or
/// working state of a call another agent is dialing makes `n.agent` its callee
/// ([`crate::Callees`]); the callee's later state changes are its own view; the callee of a
/// consult call who answered it is the pair's consulted agent (cleared when it leaves); a
/// completed transfer's original ending for its initiator moves to that agent. What the state
/// should record comes back beside the view. `current` is `n`'s interaction as the engine holds
/// it (the caller's one lookup, shared with [`viewed_fact`]).
fn two_agents(
    current: Option<&Interaction>,
    state: &AdapterState,
    n: &crate::Notification,
) -> (View, Option<CalleeRecord>) {
    let Event::Status(gws_state) = n.event else {
        return (View::Own, None);
    };
    let id = n.interaction.as_str();
    let Some(it) = current else {
        return (View::Own, None);
    };
    let owner = it.state().owner();
    let other_caller = owner.is_some_and(|o| o != &n.agent);
    let working = matches!(
        gws_state,
        GwsState::Processing | GwsState::Chatting | GwsState::Established | GwsState::Composing
    );
    let alerted = matches!(gws_state, GwsState::Ringing | GwsState::Invited);
    let dialing = matches!(it.state(), State::Dialing { .. });
    let newly = dialing && other_caller && (alerted || working);
    if (newly || state.callees.is_callee(id, &n.agent)) && other_caller {
        let record = CalleeRecord {
            call: n.interaction.clone(),
            agent: n.agent.clone(),
            alerted: newly,
            answered: working,
            left: matches!(gws_state, GwsState::Released | GwsState::Completed),
        };
        // Answered while still dialing: the model's `answer` (connected to the caller).
        let view = if dialing && working {
            View::Own
        } else {
            View::CalleeIgnored
        };
        return (view, Some(record));
    }
    let ends = matches!(gws_state, GwsState::Released | GwsState::Completed);
    let view = match state.consults.moves_to(id, n.agent.as_str()) {
        Some(agent) if ends && owner == Some(&n.agent) => View::MovesTo(agent.clone()),
        _ => View::Own,
    };
    (view, None)
}

/// What notification `note` does, read as `view` says, against its interaction as the engine
/// holds it now (`current`).
fn viewed_fact(
    current: Option<&Interaction>,
    view: &View,
    note: crate::Notification,
) -> Result<Fact, Error> {
    match view {
        View::CalleeIgnored => Ok(Fact::Ignored),
        View::MovesTo(agent) => Ok(Fact::Apply(
            interaction_core::Input::new(
                note.interaction,
                interaction_core::Action::Transferred {
                    agent: agent.clone(),
                },
                interaction_core::Actor::Platform,
            )
            .via(interaction_core::Api::Gws),
        )),
        View::Own => note.into_fact(current),
    }
}

/// One CometD notification, a platform fact for the agent, weighed against the interaction's
/// current state. A consult call's notification naming its original (`parentCallUri`) pairs
/// them ([`Consults`]).
fn notification(
    engine: &mut Engine,
    state: &mut AdapterState,
    decoded: NotificationItem,
    identity: Option<&str>,
) -> Item {
    let NotificationItem {
        interaction,
        label,
        capabilities,
        result,
    } = decoded;
    let hint = result.as_ref().ok().map(|n| message_media(n.message_type));
    let participants = result.as_ref().ok().and_then(|n| n.participants.clone());
    let answers = result
        .as_ref()
        .ok()
        .and_then(|n| n.reference.as_deref())
        .and_then(|r| state.references.note(r));
    let link = result.as_ref().ok().and_then(|n| {
        let parent = n.parent.clone()?;
        Some((
            n.interaction.clone(),
            parent,
            n.agent.clone(),
            n.dnis.clone(),
        ))
    });
    // Calls between two agents: this agent's view as the callee of another agent's call, and
    // the customer's move to a consulted agent (docs/gws.md, "Consult calls").
    // One lookup of the interaction for both readings (the engine is not changed before the
    // fact is applied).
    let current = result
        .as_ref()
        .ok()
        .and_then(|n| engine.interaction(n.interaction.as_str()));
    let (view, callee) = result
        .as_ref()
        .ok()
        .map_or((View::Own, None), |n| two_agents(current, state, n));
    let fallback = match &view {
        View::MovesTo(_) => result.as_ref().ok().cloned(),
        _ => None,
    };
    let fact = result.and_then(|note| viewed_fact(current, &view, note));
    let mut moved = None;
    // The interaction as read after an applied step, for the profile (no second read).
    let mut read = None;
    let mut item = match fact {
        Ok(Fact::Apply(input)) => {
            let mut action = Some(SmolStr::new_static(input.action.kind().name()));
            let mut effects = Vec::new();
            let mut step = engine.apply(input, &mut effects).map_err(Error::from);
            if matches!(view, View::MovesTo(_)) {
                if step.is_ok() {
                    // The customer went on with the consulted agent: the pair is done.
                    moved = interaction
                        .as_deref()
                        .and_then(|id| state.consults.take(id));
                } else if let Some(Ok(Fact::Apply(input))) = fallback.map(|note| {
                    // The engine would not give it to that agent: the end as this agent's own.
                    let current = engine.interaction(note.interaction.as_str());
                    note.into_fact(current)
                }) {
                    effects.clear();
                    action = Some(SmolStr::new_static(input.action.kind().name()));
                    step = engine.apply(input, &mut effects).map_err(Error::from);
                }
            }
            // One read of the interaction after the step, for the item and its profile.
            let it = interaction.as_deref().and_then(|id| engine.interaction(id));
            read = Some(it);
            Item::applied_in(engine, it, interaction, action, step, effects, identity)
        }
        Ok(Fact::Unchanged) => unchanged(engine, interaction, label, identity),
        Ok(Fact::Ignored) => {
            let mut item = unchanged(engine, interaction, label, identity);
            item.outcome = Ok(Outcome::Ignored);
            item
        }
        Err(e) => Item::of(engine, interaction, label, Err(e), identity),
    };
    if let Some(record) = callee
        && item.error().is_none()
    {
        record.record(state);
    }
    if let Some(pair) = moved {
        item.notes.push(interaction_wire::Note::TransferCompleted {
            consult: pair.consult,
            party: pair.party,
            agent: pair.consulted,
        });
    }
    if let Some(link) = link {
        link_consult(engine, &mut state.consults, link, &mut item);
    }
    if let Some(participants) = participants
        && item.outcome.is_ok()
    {
        item.notes
            .push(interaction_wire::Note::Participants { participants });
    }
    if let Some(note) = answers {
        item.notes.push(note);
    }
    settle(state, &mut item);
    item.capabilities = capabilities;
    match read {
        Some(it) => apply_profile_in(it, &state.consults, &mut item, hint),
        None => apply_profile(engine, &state.consults, &mut item, hint),
    }
    item
}

/// A message of the agent's other channels.
fn other_item(
    engine: &mut Engine,
    consults: &Consults,
    decoded: Result<OtherMessage, Error>,
    identity: Option<&str>,
) -> Item {
    match decoded {
        Ok(OtherMessage::Device {
            agent,
            action: Some(action),
        }) => {
            let label = SmolStr::new_static(action.kind().name());
            // The platform reports the state of a device in use: the agent is logged in.
            let logged_in = engine
                .agent_state(agent.as_str())
                .is_some_and(|s| s.session == interaction_core::Session::LoggedIn);
            let result = if logged_in {
                Ok(())
            } else {
                engine.log_in(agent.clone())
            }
            .and_then(|()| engine.apply_agent(agent.clone(), action).map(|_| ()))
            .map_err(Error::from);
            match result {
                Ok(()) => Item::of_agent(engine, label, agent, Ok(())),
                Err(e) => Item::of(engine, None, Some(label), Err(e), identity),
            }
        }
        Ok(OtherMessage::Device {
            agent,
            action: None,
        }) => {
            let mut item = Item::of_agent(engine, "DeviceStateChangeMessage", agent, Ok(()));
            item.outcome = Ok(Outcome::Applied);
            item
        }
        Ok(OtherMessage::WorkbinItemAdded {
            agent,
            workbin,
            interaction,
        }) => {
            let id = interaction.to_smol_str();
            let already = engine.interaction(interaction.as_str()).is_some_and(
                |it| matches!(it.state(), State::InWorkbin { workbin: w, .. } if *w == workbin),
            );
            if already || engine.interaction(interaction.as_str()).is_none() {
                // Known to be there, or a workbin the model never saw the interaction of: the
                // platform's list, not a change.
                let item = unchanged(
                    engine,
                    Some(id),
                    Some("ItemAdded".into()),
                    Some(agent.as_str()),
                );
                return profiled(engine, consults, item, None);
            }
            let input = interaction_core::Input::new(
                interaction,
                interaction_core::Action::PlaceInWorkbin { workbin },
                interaction_core::Actor::Platform,
            )
            .via(interaction_core::Api::Gws);
            let mut effects = Vec::new();
            let step = engine.apply(input, &mut effects).map_err(Error::from);
            let item = Item::applied(
                engine,
                Some(id),
                Some("place_in_workbin".into()),
                step,
                effects,
                Some(agent.as_str()),
            );
            profiled(engine, consults, item, None)
        }
        Ok(OtherMessage::Nothing { what }) => {
            let mut item = Item::session(interaction_wire::label(&what), Ok(()));
            item.outcome = Ok(Outcome::Applied);
            item
        }
        Err(e) => Item::of(engine, None, None, Err(e), identity),
    }
}

/// An `applied` item that changed nothing (a read, or a data notification without data):
/// `from == to`, the interaction's current state (`null` when unknown).
fn unchanged(
    engine: &Engine,
    interaction: Option<SmolStr>,
    action: Option<SmolStr>,
    agent: Option<&str>,
) -> Item {
    let it = interaction.as_deref().and_then(|id| engine.interaction(id));
    let now = it.map(|it| it.state().kind());
    let mut item = Item::of(
        engine,
        interaction,
        action,
        Ok(interaction_core::Step {
            outcome: Outcome::Applied,
            from: now,
            to: now,
            reason: it.and_then(|it| it.state().end_reason()),
            agent: None,
            left: None,
        }),
        agent,
    );
    item.outcome = Ok(Outcome::Applied);
    item
}

/// The GWS state name of an interaction's state, for a read: what its notification would say.
fn gws_state(media: GwsMedia, state: &State) -> &'static str {
    match (media, state) {
        (GwsMedia::Call, State::Offered { .. }) => GwsState::Ringing.wire_name(),
        (_, State::Offered { .. }) => GwsState::Invited.wire_name(),
        (GwsMedia::Call, State::Connected { .. }) => GwsState::Established.wire_name(),
        (GwsMedia::Chat, State::Connected { .. }) => GwsState::Chatting.wire_name(),
        (_, State::Connected { .. }) => GwsState::Processing.wire_name(),
        (_, State::Held { .. }) => GwsState::Held.wire_name(),
        (_, State::Dialing { .. }) => GwsState::Dialing.wire_name(),
        (_, State::InWorkbin { .. }) => GwsState::InWorkbin.wire_name(),
        (GwsMedia::Chat, State::WrapUp { .. }) => GwsState::LeftChat.wire_name(),
        (_, State::WrapUp { .. }) => GwsState::Released.wire_name(),
        (_, State::Queued) => "Queued",
        (_, State::Ended { reason }) => match reason {
            interaction_core::EndReason::Completed => GwsState::Completed.wire_name(),
            interaction_core::EndReason::Cancelled => GwsState::Canceled.wire_name(),
            _ => GwsState::Released.wire_name(),
        },
    }
}

/// An interaction as a GWS read shows it: `{"id", "state", "capabilities", "userData",
/// "<media>Type"?}`, its capabilities the GWS names of what `agent` may do ([`crate::profile`]).
fn resource(
    engine: &Engine,
    consults: &Consults,
    id: &str,
    it: &Interaction,
    agent: Option<&str>,
    hint: Option<GwsMedia>,
) -> Value {
    let media = media_of(hint, it);
    let allowed = interaction_wire::allowed(engine, Some(id), agent);
    let allowed = gws_allowed(consults, id, it, allowed, hint);
    let direction = match it.direction() {
        Direction::Inbound => "Inbound",
        Direction::Outbound => "Outbound",
    };
    let mut resource = json!({
        "id": id,
        "state": gws_state(media, it.state()),
        "capabilities": crate::capability_names(media, allowed),
        "userData": serde_json::to_value(it.user_data()).unwrap_or_default(),
    });
    let type_key = match media {
        GwsMedia::Call => Some("callType"),
        GwsMedia::Chat => Some("chatType"),
        GwsMedia::Email => Some("emailType"),
        GwsMedia::Workitem => Some("workitemType"),
        GwsMedia::Other => None,
    };
    if let (Some(key), Some(map)) = (type_key, resource.as_object_mut()) {
        map.insert(key.to_owned(), Value::from(direction));
    }
    resource
}

/// The answer to a workbin read (WorkbinGetWorkbinContent): `{"statusCode":0,"workbin":
/// {"id", "chats"?, "emails"?, "workitems"?}}`, each list the interactions of that media in the
/// workbin as a read shows them (`state` `InWorkbin`, `capabilities` `[]`, as the pages' samples).
fn workbin_read(
    engine: &Engine,
    consults: &Consults,
    workbin: &str,
    media: WorkbinMedia,
    identity: Option<&str>,
) -> Value {
    let mut body = serde_json::Map::new();
    body.insert("id".to_owned(), Value::from(workbin));
    for (wanted, key, kind) in [
        (media.chats, "chats", GwsMedia::Chat),
        (media.emails, "emails", GwsMedia::Email),
        (media.workitems, "workitems", GwsMedia::Workitem),
    ] {
        if !wanted {
            continue;
        }
        let list: Vec<Value> = engine
            .workbin_content(workbin)
            .into_iter()
            .filter_map(|id| engine.interaction(id.as_str()).map(|it| (id, it)))
            .filter(|(_, it)| media_of(None, it) == kind)
            .map(|(id, it)| resource(engine, consults, id.as_str(), it, identity, None))
            .collect();
        body.insert(key.to_owned(), Value::Array(list));
    }
    json!({ "statusCode": 0, "workbin": body })
}

/// The answer to `GET /api/v2/me/workbins` (WorkbinGetWorkbins): `{"statusCode":0,"workbins":
/// [{"id"}]}`, the workbins the model knows: those that hold an interaction now.
fn my_workbins(engine: &Engine) -> Value {
    let mut workbins: Vec<&str> = engine
        .interactions()
        .filter_map(|(_, it)| match it.state() {
            State::InWorkbin { workbin, .. } => Some(workbin.as_str()),
            _ => None,
        })
        .collect();
    workbins.sort_unstable();
    workbins.dedup();
    let list: Vec<Value> = workbins.into_iter().map(|w| json!({ "id": w })).collect();
    json!({ "statusCode": 0, "workbins": list })
}

/// Answers a read from the engine.
fn answer_read(engine: &Engine, consults: &Consults, read: Read, identity: Option<&str>) -> Item {
    match read {
        Read::Interaction { collection, id } => {
            let hint = collection_media(collection);
            let label = Some(SmolStr::new_static("get_interaction"));
            let found = match engine.interaction(id.as_str()) {
                // A media path reads only its media, as its operations do.
                Some(it) => collection.check(&id, it.media()).map(|()| it),
                None => Err(match InteractionId::parse(id.as_str(), "id") {
                    Ok(interaction) => Refusal::UnknownInteraction { interaction }.into(),
                    Err(e) => e,
                }),
            };
            match found {
                Ok(it) => {
                    let response = Response::json(
                        200,
                        json!({ "statusCode": 0, "interaction": resource(engine, consults, &id, it, identity, hint) }),
                    );
                    profiled(
                        engine,
                        consults,
                        unchanged(engine, Some(id), label, identity),
                        hint,
                    )
                    .responding(response)
                }
                Err(e) => {
                    let response = crate::wire_response(Style::StatusCode, Err(&e));
                    Item::of(engine, Some(id), label, Err(e), identity).responding(response)
                }
            }
        }
        Read::List(collection) => {
            let hint = collection_media(collection);
            let mut list = Vec::new();
            for (id, it) in engine.interactions() {
                let mine = identity.is_some_and(|a| {
                    it.state().owner().map(interaction_core::AgentId::as_str) == Some(a)
                        || it
                            .state()
                            .offered_to()
                            .map(interaction_core::AgentId::as_str)
                            == Some(a)
                });
                let reaches = collection.media().is_none_or(|m| m == it.media());
                if mine && reaches {
                    list.push(resource(engine, consults, id.as_str(), it, identity, hint));
                }
            }
            unchanged(engine, None, Some("get_interactions".into()), identity).responding(
                Response::json(200, json!({ "statusCode": 0, "interactions": list })),
            )
        }
        Read::Workbin { workbin, media } => {
            unchanged(engine, None, Some("get_workbin_content".into()), identity).responding(
                Response::json(
                    200,
                    workbin_read(engine, consults, &workbin, media, identity),
                ),
            )
        }
        Read::MyWorkbins => unchanged(engine, None, Some("get_workbins".into()), identity)
            .responding(Response::json(200, my_workbins(engine))),
        Read::Me => {
            let state = identity.and_then(|a| engine.agent_state(a));
            let user = json!({
                "id": identity,
                "agentState": state.as_ref().map(|s| json!({
                    "session": s.session.name(),
                    "availability": s.availability.name(),
                    "reason": s.reason.as_ref().map(interaction_core::Name::as_str),
                    "activity": s.activity.name(),
                })),
            });
            unchanged(engine, None, Some("get_me".into()), identity).responding(Response::json(
                200,
                json!({ "statusCode": 0, "user": user }),
            ))
        }
    }
}

/// Reconciles the engine with the list a client received after a CometD re-handshake (MODEL.md
/// section 6, issue 13): each listed interaction whose state differs from the engine's is
/// corrected by the state notification it stands for; each interaction the engine has for the
/// agent that the list no longer names ends (`release`). Every correction is an item with the
/// action `resync`; when nothing differed, one `ignored` item says so.
fn resync(
    engine: &mut Engine,
    state: &mut AdapterState,
    collection: Collection,
    entries: Result<Vec<NotificationItem>, Error>,
    identity: Option<&str>,
) -> Handled {
    let entries = match entries {
        Ok(entries) => entries,
        Err(e) => {
            let response = crate::wire_response(Style::StatusCode, Err(&e));
            return Handled::single(
                Item::of(engine, None, Some("resync".into()), Err(e), identity)
                    .responding(response),
            );
        }
    };
    let mut items = Vec::new();
    let mut listed: Vec<SmolStr> = Vec::new();
    for entry in entries {
        let interaction = entry.interaction.clone();
        if let Some(id) = &interaction {
            listed.push(id.clone());
        }
        let before = interaction
            .as_deref()
            .and_then(|id| engine.interaction(id))
            .map(|it| it.state().clone());
        let mut item = notification(engine, state, entry, identity);
        let after = interaction
            .as_deref()
            .and_then(|id| engine.interaction(id))
            .map(|it| it.state().clone());
        if before != after || item.error().is_some() {
            item.action = Some(SmolStr::new_static("resync"));
            items.push(item);
        }
    }
    // What the engine has for the agent that the platform no longer lists ends.
    if let Some(agent) = identity {
        let gone: Vec<(InteractionId, bool)> = engine
            .interactions()
            .filter(|(id, it)| {
                let held = it.state().owner().map(interaction_core::AgentId::as_str) == Some(agent)
                    || it
                        .state()
                        .offered_to()
                        .map(interaction_core::AgentId::as_str)
                        == Some(agent);
                let reaches = collection.media().is_none_or(|m| m == it.media());
                held && reaches && !listed.iter().any(|l| l.as_str() == id.as_str())
            })
            .map(|(id, it)| (id.clone(), matches!(it.state(), State::WrapUp { .. })))
            .collect();
        for (id, wrapping_up) in gone {
            let label = id.to_smol_str();
            // Work the platform no longer lists is over: released, or completed when its media
            // had ended already (wrap-up).
            let action = if wrapping_up {
                interaction_core::Action::Complete
            } else {
                interaction_core::Action::Release
            };
            let input = interaction_core::Input::new(id, action, interaction_core::Actor::Platform)
                .via(interaction_core::Api::Gws)
                .with_wrap_up(false);
            let mut effects = Vec::new();
            let step = engine.apply(input, &mut effects).map_err(Error::from);
            items.push(Item::applied(
                engine,
                Some(label),
                Some("resync".into()),
                step,
                effects,
                identity,
            ));
        }
    }
    if items.is_empty() {
        let mut item = Item::session("resync", Ok(()));
        item.outcome = Ok(Outcome::Ignored);
        items.push(item);
    }
    Handled::new(Response::fixed(200, r#"{"statusCode":0}"#), items)
}

/// [`prepare_request`] and [`apply`] at once.
pub fn handle_request(
    engine: &mut Engine,
    state: &mut AdapterState,
    request: &Request<'_>,
    ids: &mut dyn IdSource,
) -> Handled {
    apply(
        engine,
        state,
        prepare_request(request),
        request.identity,
        ids,
    )
}

/// [`prepare_message`] and [`apply`] at once. A single message (not a batch) is decoded and
/// applied without the [`Prepared`] value between (the same item and response: that value
/// would only be moved, a few hundred bytes, twice).
pub fn handle_message(
    engine: &mut Engine,
    state: &mut AdapterState,
    request: &Request<'_>,
    ids: &mut dyn IdSource,
) -> Handled {
    let body = body_or_null(request.body);
    if request.is("POST") && !is_batch(body) {
        // `message`'s reading, without its `Message` value: wrapping the decoded notification
        // and taking it apart again cost about 100 instructions a message (`Invited`).
        let decoded = decode_notification(body, request.identity);
        return if of_other_channel(&decoded) {
            let other = decode_other(body, request.identity);
            single_other(engine, &state.consults, other, request.identity)
        } else {
            single_notification(engine, state, decoded, request.identity)
        };
    }
    apply(
        engine,
        state,
        prepare_message(request),
        request.identity,
        ids,
    )
}
