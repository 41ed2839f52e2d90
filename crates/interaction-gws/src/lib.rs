//! The Genesys Web Services (GWS) v2 Interactions API, mapped onto `interaction-core`.
//!
//! This crate is an adapter: it owns the vendor's JSON and nothing else. It reads the agent
//! operations (the seed page's `POST /me/interactions/{id}` and the GWS 8.5 pages' media,
//! device, agent-state and workbin paths, acting as the authenticated agent), the reads and
//! resync lists, and the CometD messages the platform pushes on `/v2/me/...` channels, and
//! turns them into core [`Input`]s and agent actions; it writes the answers in the pages'
//! response styles. It does no IO: the [`interaction_core::Engine`] decides what the inputs
//! do, and a notification is weighed against the interaction's current state from the view of
//! the agent whose channel carried it ([`Notification::fact`]). Its own state,
//! [`AdapterState`], the caller keeps beside the engine (the gateway, in its snapshot): the
//! consult calls of two-step transfers and conferences paired with their originals
//! ([`Consults`]), the callees of calls between two agents ([`Callees`]) and the answers that
//! carried a `referenceId` ([`References`]). The sources
//! are the seed page (`shared/spec/gws-v2-interactions.txt`) and the GWS 8.5 pages named in
//! `shared/spec/vendor-supplement.md`; the rules are MODEL.md sections 6 and 10; the mapping
//! is documented in `docs/gws.md`.
//!
//! | wire | function | core |
//! |---|---|---|
//! | trace `path` | [`endpoint`] | [`Endpoint::Operation`] or [`Endpoint::Channel`] |
//! | `POST /me/interactions/{id}` body | [`decode_operation`] | one [`Input`] by [`Actor::Agent`]`(as)`, or the read [`Request::WorkbinContent`] |
//! | its answer | [`response`] with [`Operation::style`]; [`workbin_content_response`] | `(HTTP status, JSON body)` |
//! | CometD notification | [`decode_notification`], then [`Notification::fact`] | one platform [`Input`] (actor `platform`), or [`Fact::Unchanged`] |
//! | resource `capabilities` | [`capability_action`], [`capability_actions`] | [`ActionKind`]s, comparable with [`interaction_core::Engine::allowed`] |
//!
//! The serde types of every body are in [`wire`].
//!
//! **Bad input never panics.** A malformed body or member gets a typed [`Error`] whose message
//! names the field (``missing required field `queueName` ``, `userData: expected a JSON object,
//! got an array`, ``unsupported operationName `Fly` ``). JSON nested deeper than serde_json's
//! recursion limit (128) is refused as `malformed` where it is read and skipped where it is not.
//!
//! ```
//! use interaction_core::{Engine, Outcome, StateKind};
//! use interaction_gws::{Fact, Operation, Request, Style};
//!
//! let mut engine = Engine::new();
//! let mut effects = Vec::new();
//! // The platform invites agent 1001 to a chat: first sight creates it, offered.
//! let invited = br#"{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange",
//!     "chat": {"id": "chat-1", "state": "Invited", "chatType": "Inbound",
//!              "capabilities": ["Accept", "Reject"]}}"#;
//! let note = interaction_gws::decode_notification(invited, Some("1001")).result?;
//! let Fact::Apply(input) = note.fact(engine.interaction("chat-1"))? else { unreachable!() };
//! let step = engine.apply(input, &mut effects)?;
//! assert_eq!((step.from, step.to), (None, Some(StateKind::Offered)));
//!
//! // The agent accepts: `POST /me/interactions/chat-1 {"operationName":"Accept"}` as 1001.
//! let item = interaction_gws::decode_operation("chat-1", Some("1001"), br#"{"operationName":"Accept"}"#);
//! assert_eq!(item.operation, Some(Operation::Accept));
//! let Request::Apply(input) = item.result? else { unreachable!() };
//! let step = engine.apply(input, &mut effects)?;
//! assert_eq!((step.outcome, step.to), (Outcome::Applied, Some(StateKind::Connected)));
//! let (status, body) = interaction_gws::response(Style::Status, Ok(()));
//! assert_eq!((status, body), (200, serde_json::json!({"status": "ok"})));
//! # Ok::<(), interaction_core::Error>(())
//! ```

mod capability;
mod consult;
pub mod endpoint;
mod notification;
mod operation;
mod other;
mod path;
mod response;
mod state;
pub mod wire;

pub use capability::{
    CAPABILITIES, GwsMedia, capability_action, capability_actions, capability_actions_for,
    capability_names, profile,
};
pub use consult::{ConsultKind, Consults, MAX_PAIRS, Pair};
pub use endpoint::{
    Prepared, apply, handle_message, handle_request, prepare_message, prepare_request,
};
pub use notification::{
    Event, Fact, GwsState, MAX_PARTICIPANTS, MessageType, Notification, NotificationItem,
    decode_notification,
};
pub use operation::{
    Operation, OperationItem, Request, Target, Use, decode_operation, decode_operation_at,
};
pub use other::{OTHER_MESSAGE_TYPES, OtherMessage, decode_other, other_message_type};
pub use path::{AgentChannel, Collection, Endpoint, endpoint, endpoint_in};
pub use response::{
    Style, http_status, response, status_code, wire_response, workbin_content_response,
};
pub use state::{AdapterState, Answered, Callees, MAX_CALLEES, MAX_REFERENCES, References};

#[cfg(doc)]
use interaction_core::{ActionKind, Actor, Error, Input};
