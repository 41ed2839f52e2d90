//! The Anywhere365 CTI Broker REST API, mapped onto `interaction-core`.
//!
//! This crate is an adapter: it owns the broker's JSON, and the one piece of broker-side state
//! the core has no place for, the [`Subscriptions`]. It reads the events the broker POSTs to a
//! subscriber (call and agent-session facts) and the requests a client sends the broker
//! (commands, subscribe, unsubscribe), and turns them into core [`Input`]s, agent-session changes
//! and HTTP responses. It does no IO; the [`interaction_core::Engine`] decides what the inputs
//! do. The source is the vendor's page, kept verbatim in `shared/spec/anywhere365-cti-broker.txt`;
//! the rules are MODEL.md section 6, "Anywhere365 CTI Broker"; the full mapping, with every
//! choice the page leaves open, is `docs/anywhere365.md`.
//!
//! | wire | function | core |
//! |---|---|---|
//! | event (broker to subscriber, `"path": "callback"`) | [`event_item`] = [`decode_event`] + [`map_event`] | an [`EventInput`]: a platform [`Input`] (`offer`, `accept`, `answer`, `assign`, `disconnect`, `hold`, `retrieve`, `transferred`), or a log in / log out |
//! | `POST /api/command` | [`decode_command`] | a [`Command`]: AgentLogin / AgentLogout drive the agent's session; HeartBeat (and AgentLogin) re-arm the heartbeat timer when one is set; Dial is checked and answered |
//! | `POST /api/subscribe` | [`decode_subscribe`], [`Subscriptions::subscribe`] | none: `201` with `Location: api/subscribe/{id}` |
//! | `DELETE /api/subscribe/:id` | [`Subscriptions::unsubscribe`] | none: `202`, or `404`; later events of that subscription are refused |
//! | trace `path` | [`endpoint`] | an [`Endpoint`] |
//! | HTTP responses | [`command_response`], [`subscribe_response`], [`unsubscribe_response`] | a [`Response`] |
//!
//! The serde types of every body are in [`wire`].
//!
//! **Transfer inference** (the page's "Additional note"): a transfer shows up as an OnHold by
//! the transferring agent X, then a Retrieve. A Retrieve by X is a `retrieve` (the transfer
//! failed, or there was none: X took the call back); a Retrieve by another agent Y is a completed
//! transfer, `transferred {Y}`: X is disconnected from the call, Y connected, and the engine
//! reports `transferred` from X to Y. X's Disconnected that follows is then stale (`ignored`).
//!
//! **Bad input never panics.** A malformed body or member gets a typed [`Error`] whose message
//! names the member (`ImAddress: invalid type: integer `5`, expected a string`, ``invalid
//! `number`: must be `tel:+` followed by 1 to 15 digits``). JSON nested deeper than serde_json's
//! recursion limit (128) in a member the adapter reads is refused `malformed`; in a member it does
//! not read, it is skipped.
//!
//! ```
//! use interaction_anywhere365::{EventInput, Subscriptions, event_item};
//! use interaction_core::{Engine, StateKind};
//!
//! let mut engine = Engine::new();
//! let mut effects = Vec::new();
//! let subscriptions = Subscriptions::new();
//! let hunting = br#"{"SubscriptionId": "296854af-2ba7-45d0-b460-085dc1843b3d",
//!     "SessionType": 0, "ImAddress": "sip:agentname@domain.com", "eventType": 3,
//!     "callId": "c0ffee00-0000-4000-8000-000000000001", "ani": "+31880000000"}"#;
//! let item = event_item(hunting, &engine, &subscriptions);
//! assert_eq!(item.action, "offer");
//! let EventInput::Apply(input) = item.result? else { unreachable!() };
//! let step = engine.apply(input, &mut effects)?;
//! assert_eq!(step.to, Some(StateKind::Offered));
//! # Ok::<(), interaction_core::Error>(())
//! ```

mod address;
mod command;
pub mod endpoint;
mod event;
mod http;
mod json;
mod subscription;
pub mod wire;

pub use address::{TelNumber, sip_address};
pub use command::{Command, CommandItem, command_label, decode_command};
pub use endpoint::{
    Prepared, apply, handle_event, handle_request, prepare_event, prepare_request, usual_label,
};
pub use event::{Event, EventInput, EventItem, decode_event, event_item, map_event};
pub use http::{
    Endpoint, Response, command_response, endpoint, subscribe_response, unsubscribe_response,
};
pub use subscription::{SubscriptionId, Subscriptions, decode_subscribe};

#[cfg(doc)]
use interaction_core::{Error, Input};
