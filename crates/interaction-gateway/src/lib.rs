//! The composition root of the workspace: a [`Gateway`] owns the engine and every vendor
//! adapter's state (the Anywhere365 subscriptions, the GWS adapter's state, the counters of its
//! own id source), routes an
//! HTTP request to its vendor's endpoints, and snapshots and restores as one serde value with a
//! format version (MODEL.md section 9).
//!
//! Sans-IO like the rest: a request in, a [`Handled`] out (the response to send, one item per
//! request, callback element, notification or event, the outgoing requests to send). A service
//! moves bytes between its HTTP server and [`Gateway::handle`] (`examples/webhook.rs` does it
//! with axum in under two hundred lines); the `interactions` replay tool builds each request from a
//! trace line. `docs/EMBEDDING.md` walks through both.
//!
//! # The API in one place
//!
//! * [`Route`]: which endpoint a request is for (the vendor, and whether the vendor's platform
//!   pushed it); [`Route::of_http`] reads the paths a webhook serves, [`Route::of_trace`] a
//!   trace line's `api` and `path`.
//! * [`Gateway::handle`] (with the gateway's own ids), [`Gateway::handle_with`] (with the
//!   caller's [`IdSource`]); or, to decode apart from the engine, [`Gateway::prepare`] (pure,
//!   any thread) then [`Gateway::apply`] (in order).
//! * Queries: [`Gateway::engine`], [`Gateway::subscriptions`], [`Gateway::gws`],
//!   [`Gateway::settings`].
//! * Snapshots: [`Gateway::snapshot`] and [`Gateway::restore`] (JSON with `"format"` and
//!   `"version"`; an unknown version is [`RestoreError::UnknownVersion`]); `Gateway` is also
//!   `Serialize` and `Deserialize`.
//!
//! ```
//! use interaction_gateway::{Gateway, Route};
//! use interaction_wire::Request;
//!
//! let mut gateway = Gateway::new();
//! let invoke = br#"{"requests": [{"requestid": "r1", "externalid": "88381694",
//!     "route": "Route Interaction NR", "routingdata": {"interactiontype": "live"}}]}"#;
//! let handled = gateway.handle(Route::Vcc, &Request::post("/interactions/Invoke", invoke));
//! assert_eq!(handled.response.status, 200);
//! assert_eq!(handled.items.len(), 1);
//! let state = gateway.engine().interaction("88381694").map(|it| it.state().kind());
//! assert_eq!(state.map(|k| k.name()), Some("queued"));
//!
//! let restored = Gateway::restore(&gateway.snapshot())?;
//! assert_eq!(restored, gateway);
//! # Ok::<(), interaction_gateway::RestoreError>(())
//! ```

pub mod core;

use interaction_anywhere365::{self as a365, SubscriptionId, Subscriptions};
use interaction_core::{Api, Effect, Engine, EngineSettings};
use interaction_gws as gws;
use interaction_vcc::{self as vcc, VccSettings};
use interaction_wire::{Handled, IdKind, IdSource, Item, Outgoing, Request};

pub use interaction_wire;

/// Which endpoint a request is for: a vendor's API, or a message its platform pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// The VCC Interactions API (Invoke, Register) and the Calls API.
    Vcc,
    /// A callback VCC POSTed to the provider's endpoint.
    VccCallback,
    /// A GWS agent request (`/me/...`, `/api/v2/me/...`).
    Gws,
    /// A GWS CometD message (one, or a batch).
    GwsMessage,
    /// An Anywhere365 CTI Broker request (commands, subscriptions).
    Anywhere365,
    /// An event the CTI Broker POSTed to the subscriber.
    Anywhere365Event,
    /// The core's own actions.
    Core,
}

impl Route {
    /// The vendor API the route belongs to.
    pub const fn api(self) -> Api {
        match self {
            Route::Vcc | Route::VccCallback => Api::Vcc,
            Route::Gws | Route::GwsMessage => Api::Gws,
            Route::Anywhere365 | Route::Anywhere365Event => Api::Anywhere365,
            Route::Core => Api::Core,
        }
    }

    /// The route of a trace line (MODEL.md sections 7 and 12): its `api`, and its `path`:
    /// `callback` for a VCC callback or an Anywhere365 event, a CometD channel
    /// (`/v2/me/...`) for a GWS notification, anything else for a request.
    pub fn of_trace(api: Api, path: &str) -> Route {
        match api {
            Api::Core => Route::Core,
            Api::Vcc if path == "callback" => Route::VccCallback,
            Api::Vcc => Route::Vcc,
            Api::Gws if gws::endpoint(path).is_some_and(|e| e.is_channel()) => Route::GwsMessage,
            Api::Gws => Route::Gws,
            Api::Anywhere365 if path == "callback" => Route::Anywhere365Event,
            Api::Anywhere365 => Route::Anywhere365,
        }
    }

    /// The route of an HTTP request target a service receives (docs/EMBEDDING.md): the pushed
    /// messages on fixed paths, `POST /callback/vcc`, `POST /callback/anywhere365`,
    /// `POST /cometd` (one CometD message or a batch) and `POST /core`; then each vendor's
    /// documented paths (`/interactions/Invoke`, `/interactions/register`,
    /// `/v0/{accountKey}/calls`; `/me/...` and `/api/v2/...`; `/api/command`,
    /// `/api/subscribe[/{id}]`). `None` for any other target.
    pub fn of_http(target: &str) -> Option<Route> {
        let path = interaction_wire::Path::parse(target);
        let parts = path.parts();
        let word = |s: &str, w: &str| s.eq_ignore_ascii_case(w);
        match parts.as_slice() {
            [callback, vendor] if word(callback, "callback") && word(vendor, "vcc") => {
                Some(Route::VccCallback)
            }
            [callback, vendor] if word(callback, "callback") && word(vendor, "anywhere365") => {
                Some(Route::Anywhere365Event)
            }
            [cometd] if word(cometd, "cometd") => Some(Route::GwsMessage),
            [core] if word(core, "core") => Some(Route::Core),
            _ if vcc::endpoint(target).is_some() || vcc::calls_path(target).is_some() => {
                Some(Route::Vcc)
            }
            _ if a365::endpoint(target).is_some() => Some(Route::Anywhere365),
            [me, ..] if word(me, "me") => Some(Route::Gws),
            [api, v2, ..] if word(api, "api") && word(v2, "v2") => Some(Route::Gws),
            _ => None,
        }
    }
}

/// What a gateway is set up with: the engine's bounds and namespaces, and the VCC settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct GatewaySettings {
    /// The engine's bounds and shared namespaces.
    pub engine: EngineSettings,
    /// The VCC account name of outgoing notifications, and the Register policy.
    pub vcc: VccSettings,
}

/// The gateway's own id source: a counter per kind, part of its snapshot, so that a restored
/// gateway never gives an id twice. Ids: `call-{n}`, subscription
/// `00000000-0000-0000-0000-{n:012}`, notification `00000000-0000-4000-8000-{n:012}`, the
/// interaction of a VCC dispatch without `externalid` `dispatch-{n}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Counters {
    /// Call ids given.
    pub calls: u64,
    /// Subscription ids given.
    pub subscriptions: u64,
    /// Notification ids given.
    pub notifications: u64,
    /// GWS `referenceId`s drawn.
    #[serde(default)]
    pub references: u64,
    /// Interaction ids given (VCC dispatches without `externalid`); a snapshot written before
    /// it was kept reads as 0.
    #[serde(default)]
    pub interactions: u64,
}

impl Counters {
    /// The counter of `kind`.
    fn of(&mut self, kind: IdKind) -> &mut u64 {
        match kind {
            IdKind::Call => &mut self.calls,
            IdKind::Interaction => &mut self.interactions,
            IdKind::Subscription => &mut self.subscriptions,
            IdKind::Notification => &mut self.notifications,
            IdKind::Reference => &mut self.references,
        }
    }

    /// The `n`th id of `kind`.
    fn id(kind: IdKind, n: u64) -> String {
        match kind {
            IdKind::Call => format!("call-{n}"),
            IdKind::Interaction => format!("dispatch-{n}"),
            IdKind::Subscription => {
                SubscriptionId::numbered(usize::try_from(n).unwrap_or(usize::MAX))
                    .as_str()
                    .to_owned()
            }
            IdKind::Notification => format!("00000000-0000-4000-8000-{n:012}"),
            IdKind::Reference => n.to_string(),
        }
    }
}

impl IdSource for Counters {
    fn next_id(&mut self, kind: IdKind) -> String {
        let counter = self.of(kind);
        *counter = counter.saturating_add(1);
        let n = *counter;
        Counters::id(kind, n)
    }

    /// Steps the counter back when `id` is the latest it gave: a refused request leaves the
    /// counters, and so the snapshot, as they were.
    fn unused(&mut self, kind: IdKind, id: &str) {
        let counter = self.of(kind);
        if *counter > 0 && Counters::id(kind, *counter) == id {
            *counter -= 1;
        }
    }
}

/// A request read as far as it can be without the gateway's state ([`Gateway::prepare`]). It
/// owns its data, so it can be made on another thread.
#[derive(Debug)]
pub struct Prepared {
    route: Route,
    identity: Option<String>,
    endpoint: Endpoint,
}

#[derive(Debug)]
enum Endpoint {
    Vcc(vcc::Prepared),
    Gws(gws::Prepared),
    Anywhere365(a365::Prepared),
    Core(core::Prepared),
}

impl Prepared {
    /// The route it was prepared for.
    pub fn route(&self) -> Route {
        self.route
    }
}

/// The engine and every adapter's state: one value that handles requests, snapshots and
/// restores. Two gateways are equal when their engines, subscriptions, GWS states, counters
/// and settings are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    engine: Engine,
    subscriptions: Subscriptions,
    gws: gws::AdapterState,
    counters: Counters,
    settings: GatewaySettings,
}

impl Default for Gateway {
    fn default() -> Self {
        Gateway::with_settings(GatewaySettings::default())
    }
}

impl Gateway {
    /// A gateway with an empty engine and the default settings.
    pub fn new() -> Gateway {
        Gateway::default()
    }

    /// A gateway with an empty engine under `settings`.
    pub fn with_settings(settings: GatewaySettings) -> Gateway {
        Gateway {
            engine: Engine::with_settings(settings.engine),
            subscriptions: Subscriptions::new(),
            gws: gws::AdapterState::new(),
            counters: Counters::default(),
            settings,
        }
    }

    /// The engine, as the requests so far left it.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The Anywhere365 subscriptions.
    pub fn subscriptions(&self) -> &Subscriptions {
        &self.subscriptions
    }

    /// The GWS adapter's state ([`gws::AdapterState`]): the consult calls paired with their
    /// originals, the answers that carried a `referenceId`.
    pub fn gws(&self) -> &gws::AdapterState {
        &self.gws
    }

    /// The settings.
    pub fn settings(&self) -> &GatewaySettings {
        &self.settings
    }

    /// Handles one request on `route`, with the gateway's own ids ([`Counters`]).
    pub fn handle(&mut self, route: Route, request: &Request<'_>) -> Handled {
        let prepared = Gateway::prepare(route, request, &self.settings);
        let mut counters = self.counters;
        let handled = self.apply(prepared, &mut counters);
        self.counters = counters;
        handled
    }

    /// Handles one request on `route`, with ids from `ids`.
    pub fn handle_with(
        &mut self,
        route: Route,
        request: &Request<'_>,
        ids: &mut dyn IdSource,
    ) -> Handled {
        let prepared = Gateway::prepare(route, request, &self.settings);
        self.apply(prepared, ids)
    }

    /// Reads `request` for `route` as far as it can be read without the gateway's state: pure,
    /// so that many requests can be prepared at once; [`Gateway::apply`] them in order.
    pub fn prepare(route: Route, request: &Request<'_>, settings: &GatewaySettings) -> Prepared {
        let endpoint = match route {
            Route::Vcc => Endpoint::Vcc(vcc::prepare_request(request, &settings.vcc)),
            Route::VccCallback => Endpoint::Vcc(vcc::prepare_callback(request)),
            Route::Gws => Endpoint::Gws(gws::prepare_request(request)),
            Route::GwsMessage => Endpoint::Gws(gws::prepare_message(request)),
            Route::Anywhere365 => Endpoint::Anywhere365(a365::prepare_request(request)),
            Route::Anywhere365Event => Endpoint::Anywhere365(a365::prepare_event(request)),
            Route::Core => Endpoint::Core(core::prepare(request)),
        };
        Prepared {
            route,
            identity: request.identity.map(str::to_owned),
            endpoint,
        }
    }

    /// Applies a prepared request, taking the ids it needs from `ids`, and adds the outgoing
    /// requests its provider notifications call for ([`vcc::notification_request`]: to the
    /// registered endpoint with the registered headers, a `notificationid` from `ids`, the
    /// settings' account name). A notification caused by a VCC callback received is not sent:
    /// it would echo the callback back to its sender.
    pub fn apply(&mut self, prepared: Prepared, ids: &mut dyn IdSource) -> Handled {
        let Prepared {
            route,
            identity,
            endpoint,
        } = prepared;
        let identity = identity.as_deref();
        let mut handled = match endpoint {
            Endpoint::Vcc(p) => vcc::apply(&mut self.engine, p, identity, ids),
            Endpoint::Gws(p) => gws::apply(&mut self.engine, &mut self.gws, p, identity, ids),
            Endpoint::Anywhere365(p) => {
                a365::apply(&mut self.engine, &mut self.subscriptions, p, identity, ids)
            }
            Endpoint::Core(p) => core::apply(&mut self.engine, p, identity),
        };
        if route != Route::VccCallback {
            self.notify(&handled.items, &mut handled.outgoing, ids);
        }
        handled
    }

    /// Adds to `outgoing` the requests the provider notifications of `items` call for.
    fn notify(&self, items: &[Item], outgoing: &mut Vec<Outgoing>, ids: &mut dyn IdSource) {
        let account = self.settings.vcc.account_name.as_str();
        for item in items {
            for effect in &item.effects {
                if let effect @ Effect::Notify { .. } = effect
                    && self
                        .engine
                        .provider(notified(effect))
                        .is_some_and(|p| p.endpoint.is_some())
                {
                    let id = ids.next_id(IdKind::Notification);
                    if let Some(request) =
                        vcc::notification_request(&self.engine, effect, &id, account)
                    {
                        outgoing.push(request);
                    }
                }
            }
        }
    }

    /// Fires the engine's timers due at `now` (monotonic milliseconds: [`Engine::handle_timeout`],
    /// MODEL.md section 10) and returns one item per timer, in firing order, with `timer` set
    /// and the outgoing requests their provider notifications call for, with the gateway's own
    /// ids ([`Counters`]): no request is answered. Call it before handling a request that
    /// arrived at `now`, and when [`Gateway::poll_timeout`] says.
    pub fn handle_timeout(&mut self, now: u64) -> TimedOut {
        let mut counters = self.counters;
        let out = self.handle_timeout_with(now, &mut counters);
        self.counters = counters;
        out
    }

    /// [`Gateway::handle_timeout`] with ids from `ids` (the replay's, derived from the line).
    pub fn handle_timeout_with(&mut self, now: u64, ids: &mut dyn IdSource) -> TimedOut {
        let mut fired = Vec::new();
        let mut effects = Vec::new();
        self.engine.handle_timeout(now, &mut fired, &mut effects);
        let mut out = TimedOut {
            items: Vec::with_capacity(fired.len()),
            outgoing: Vec::new(),
        };
        for f in fired {
            let own = effects.get(f.effects.clone()).map(<[Effect]>::to_vec);
            out.items
                .push(Item::of_fired(&self.engine, f, own.unwrap_or_default()));
        }
        self.notify(&out.items, &mut out.outgoing, ids);
        out
    }

    /// When the gateway next needs [`Gateway::handle_timeout`] ([`Engine::poll_timeout`]).
    pub fn poll_timeout(&self) -> Option<u64> {
        self.engine.poll_timeout()
    }

    /// The gateway as JSON: `{"format": "interactions-gateway", "version": 1, "settings",
    /// "engine", "subscriptions", "gws", "counters"}` (`gws`, the GWS adapter's state, may be
    /// absent from a snapshot: it is then empty).
    pub fn snapshot(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// A gateway from a [`Gateway::snapshot`].
    ///
    /// # Errors
    /// [`RestoreError::Format`] when the bytes are not a gateway snapshot (not JSON, another
    /// `format`); [`RestoreError::UnknownVersion`] for a `version` this library does not know
    /// (never read as if it were known); [`RestoreError::Invalid`] when the snapshot's members
    /// do not read (with the member's path), or describe an engine this library could not have
    /// written.
    pub fn restore(snapshot: &[u8]) -> Result<Gateway, RestoreError> {
        #[derive(serde::Deserialize)]
        struct Header {
            format: Option<String>,
            version: Option<u64>,
        }
        let header: Header = serde_json::from_slice(snapshot)
            .map_err(|e| RestoreError::Format(format!("not a JSON object: {e}")))?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(RestoreError::Format(format!(
                "`format` is {:?}, not {FORMAT:?}",
                header.format
            )));
        }
        match header.version {
            Some(VERSION) => {}
            found => {
                return Err(RestoreError::UnknownVersion {
                    found,
                    supported: VERSION,
                });
            }
        }
        let mut de = serde_json::Deserializer::from_slice(snapshot);
        serde_path_to_error::deserialize::<_, Snapshot>(&mut de)
            .map(Gateway::from)
            .map_err(|e| RestoreError::Invalid(format!("{}: {}", e.path(), e.inner())))
    }
}

/// The provider an [`Effect::Notify`] names.
fn notified(effect: &Effect) -> &str {
    match effect {
        Effect::Notify { provider, .. } => provider.as_str(),
        _ => "",
    }
}

/// What [`Gateway::handle_timeout`] did: one item per fired timer, and the requests to send.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimedOut {
    /// One item per timer fired, in firing order ([`Item::timer`] set).
    pub items: Vec<Item>,
    /// The requests to send (VCC provider notifications), in order.
    pub outgoing: Vec<Outgoing>,
}

/// The `format` of a gateway snapshot.
pub const FORMAT: &str = "interactions-gateway";

/// The snapshot format version this library writes and reads.
pub const VERSION: u64 = 1;

/// Why [`Gateway::restore`] refused a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RestoreError {
    /// Not a gateway snapshot.
    #[error("not a gateway snapshot: {0}")]
    Format(String),
    /// A format version this library does not know.
    #[error(
        "gateway snapshot version {found:?} is unknown (this library reads version {supported})"
    )]
    UnknownVersion {
        /// The version the snapshot names (`None`: it names none).
        found: Option<u64>,
        /// The version this library reads.
        supported: u64,
    },
    /// A member that does not read, or an engine this library could not have written.
    #[error("invalid gateway snapshot: {0}")]
    Invalid(String),
}

/// The snapshot's members.
#[derive(serde::Deserialize)]
struct Snapshot {
    settings: GatewaySettings,
    engine: Engine,
    subscriptions: Subscriptions,
    #[serde(default)]
    gws: gws::AdapterState,
    counters: Counters,
}

impl From<Snapshot> for Gateway {
    fn from(s: Snapshot) -> Gateway {
        Gateway {
            engine: s.engine,
            subscriptions: s.subscriptions,
            gws: s.gws,
            counters: s.counters,
            settings: s.settings,
        }
    }
}

impl serde::Serialize for Gateway {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Gateway", 7)?;
        s.serialize_field("format", FORMAT)?;
        s.serialize_field("version", &VERSION)?;
        s.serialize_field("settings", &self.settings)?;
        s.serialize_field("engine", &self.engine)?;
        s.serialize_field("subscriptions", &self.subscriptions)?;
        s.serialize_field("gws", &self.gws)?;
        s.serialize_field("counters", &self.counters)?;
        s.end()
    }
}

/// Reads a snapshot, refusing another `format` or an unknown `version` (the error says which).
impl<'de> serde::Deserialize<'de> for Gateway {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Versioned {
            format: String,
            version: u64,
            #[serde(flatten)]
            snapshot: Snapshot,
        }
        let v = Versioned::deserialize(deserializer)?;
        if v.format != FORMAT {
            return Err(serde::de::Error::custom(format_args!(
                "`format` is {:?}, not {FORMAT:?}",
                v.format
            )));
        }
        if v.version != VERSION {
            return Err(serde::de::Error::custom(format_args!(
                "gateway snapshot version {} is unknown (this library reads version {VERSION})",
                v.version
            )));
        }
        Ok(Gateway::from(v.snapshot))
    }
}
