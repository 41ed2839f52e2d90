//! The Vonage Contact Center (VCC) Interactions API and Calls API, mapped onto `interaction-core`.
//!
//! This crate is an adapter: it owns the vendor's JSON and nothing else. It reads the bodies a
//! VCC trace holds and turns them into core [`Input`]s, and it writes the core's notification
//! effects back in the vendor's shape. It does no IO and keeps no state; the
//! [`interaction_core::Engine`] decides what the inputs do. The sources are the vendor's pages,
//! kept verbatim in `shared/spec/`: vcc-interactions-invoke.txt ("Invocation object") and
//! vcc-interactions-register.txt ("Register provider settings", "Callbacks"); the rules are
//! MODEL.md section 6, "VCC Interactions".
//!
//! | wire | function | core |
//! |---|---|---|
//! | `POST /interactions/Invoke` | [`decode_invoke`] | one `dispatch` or `release` per request ([`Invoked`]: its [`Input`], a dispatch without `externalid` on an id the caller draws), actor `provider(..)`, with its routing data ([`interaction_core::Routing`]) |
//! | `POST /interactions/register` | [`decode_register`] | [`ProviderName`] and [`ProviderSettings`] for [`interaction_core::Engine::register_provider`] |
//! | callback array (VCC to the provider) | [`decode_callbacks`] | one `assign` or `release` [`Input`] per element, actor `platform` |
//! | callback element | [`encode_notification`] | from an [`Effect::Notify`] |
//! | trace `path` | [`endpoint`] | [`Endpoint::Invoke`] or [`Endpoint::Register`] |
//! | HTTP response | [`response`] | `200` / `400` / `404` with a JSON body |
//!
//! The serde types of every body are in [`wire`].
//!
//! **The Calls API** (click-to-dial, vcc-calls.txt; MODEL.md section 6, "VCC Calls") is in
//! [`calls`]: [`calls_path`] reads `POST /v0/{accountKey}/calls`, [`check_content_type`] refuses
//! a body that is not JSON ([`UnsupportedContentType`], answered `415`), [`decode_call`]
//! validates the body into a [`PlaceCall`] with
//! the page's messages, [`check_call`] refuses calls the engine's agent sessions rule out
//! (calling agent unknown or busy, destination agent unknown or not available), and
//! [`PlaceCall::input`] is the core `dial` into `dialing`; [`calls_response`] gives the `201`
//! body or the `400` `{"message": ...}`. Its serde types are in [`calls::wire`].
//!
//! **Bad input never panics.** A malformed body or member gets a typed [`Error`] whose message
//! names the field (`requests[1].route: invalid type: integer `5`, expected a string`,
//! ``missing required field `externalid` ``). An Invoke body's requests and a callback's
//! elements are decoded one by one, so one refused item does not sink the others. JSON nested
//! deeper than serde_json's recursion limit (128) is refused as `malformed`.
//!
//! ```
//! use interaction_core::{Engine, Outcome, StateKind};
//!
//! let mut engine = Engine::new();
//! let mut effects = Vec::new();
//! let body = br#"{"requests": [{"action": "dispatch", "requestid": "uniqueRequestId",
//!     "externalid": "sourceObjectName", "route": "Route Interaction NR",
//!     "routingdata": {"interactiontype": "nonlive"}}]}"#;
//! for item in interaction_vcc::decode_invoke(body)? {
//!     let input = item.result?.input().expect("the request names its interaction");
//!     let step = engine.apply(input, &mut effects)?;
//!     assert_eq!((step.outcome, step.to), (Outcome::Applied, Some(StateKind::Queued)));
//!     let (status, response) = interaction_vcc::response(Ok(()));
//!     assert_eq!((status, response), (200, serde_json::Value::Null));
//! }
//! # Ok::<(), interaction_core::Error>(())
//! ```

mod callback;
pub mod calls;
pub mod endpoint;
mod http;
mod invoke;
mod register;
pub mod wire;

pub use callback::{CallbackItem, decode_callbacks, encode_notification};
pub use calls::{
    CallsPath, Consent, PlaceCall, UnsupportedContentType, calls_path, calls_path_in,
    calls_response, check_call, check_content_type, decode_call,
};
pub use endpoint::{
    MAX_BODY_BYTES, Prepared, VccSettings, apply, handle_callback, handle_request,
    notification_request, prepare_callback, prepare_request,
};
pub use http::{Endpoint, endpoint, endpoint_in, response};
pub use invoke::{InvokeItem, Invoked, MAX_LINK_VALUE_BYTES, MAX_LINKS, MAX_SKILLS, decode_invoke};
pub use register::{
    CLIENT_HEADERS, MAX_HEADER_NAME_LEN, MAX_HEADER_VALUE_LEN, MAX_HEADERS, MAX_HEADERS_LEN,
    RegisterPolicy, decode_register, decode_register_with,
};

#[cfg(doc)]
use interaction_core::{Effect, Error, Input, ProviderName, ProviderSettings};
