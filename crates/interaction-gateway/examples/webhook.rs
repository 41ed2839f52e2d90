//! A webhook service for all three vendors on one `Gateway`: an axum server that only moves
//! bytes (docs/EMBEDDING.md walks through it).
//!
//! ```sh
//! cargo run -p interaction-gateway --example webhook -- --listen 127.0.0.1:8080
//! ```
//!
//! It serves every vendor request path (VCC `/interactions/Invoke`, `/interactions/register`,
//! `/v0/{accountKey}/calls`; GWS `/me/...` and `/api/v2/me/...`, the agent taken from HTTP
//! Basic; Anywhere365 `/api/command`, `/api/subscribe[/{id}]`), the pushed messages on fixed
//! paths (`POST /callback/vcc`, `POST /callback/anywhere365`, `POST /cometd`, `POST /core`),
//! `GET /interactions/{id}`, `GET /interactions/{id}/allowed?agent=X` and `GET /agents/{id}`. Outgoing requests are
//! logged as JSON lines on stdout. The gateway is restored from `--snapshot` (default
//! `gateway-snapshot.json`) on start and written back on shutdown (Ctrl-C).
//!
//! Time (MODEL.md section 10): the service owns the clock, the gateway none. Before each request
//! and whenever `Gateway::poll_timeout` says, it calls `Gateway::handle_timeout` with its
//! monotonic milliseconds (continuing from the restored engine's clock, so time never goes
//! back across a restart); fired timers are logged on stderr. Without a timer set it keeps no
//! clock. The timers are off unless set:
//! `--offer-timeout MS --max-no-answer N --wrap-up live,chat --wrap-up-timeout MS
//! --heartbeat-timeout MS` (for a new gateway; a restored one keeps its snapshot's settings).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use clap::Parser;
use interaction_core::{EngineSettings, Media, MediaSet};
use interaction_gateway::{Gateway, GatewaySettings, Route};
use interaction_wire::Request;

/// The webhook's arguments.
#[derive(Parser)]
struct Args {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The gateway snapshot: restored on start, written on shutdown.
    #[arg(long, default_value = "gateway-snapshot.json")]
    snapshot: PathBuf,
    /// Ring-no-answer, in milliseconds.
    #[arg(long, value_name = "MS")]
    offer_timeout: Option<u64>,
    /// Ring-no-answers in a row before the agent is made not ready.
    #[arg(long, value_name = "N")]
    max_no_answer: Option<u32>,
    /// The media whose interactions require after-call work (`live,chat`).
    #[arg(long, value_name = "MEDIA,MEDIA", value_delimiter = ',', value_parser = media)]
    wrap_up: Vec<Media>,
    /// Wrap-up completes itself after this many milliseconds.
    #[arg(long, value_name = "MS")]
    wrap_up_timeout: Option<u64>,
    /// An Anywhere365 agent with no HeartBeat for this long is logged out.
    #[arg(long, value_name = "MS")]
    heartbeat_timeout: Option<u64>,
}

fn media(text: &str) -> Result<Media, String> {
    Media::from_name(text).ok_or_else(|| "must be live, nonlive or chat".to_owned())
}

/// The gateway and the service's clock.
struct Shared {
    gateway: Mutex<Gateway>,
    /// When the service started, and the engine's clock then (milliseconds).
    started: Instant,
    base: u64,
    /// Whether any timer is set: without one the service keeps no clock at all.
    timed: bool,
}

type App = Arc<Shared>;

impl Shared {
    /// The service's monotonic clock, in milliseconds, continuing the restored engine's.
    fn now(&self) -> u64 {
        let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.base.saturating_add(elapsed)
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let settings = GatewaySettings {
        engine: EngineSettings {
            offer_timeout: args.offer_timeout,
            max_no_answer: args.max_no_answer,
            wrap_up: MediaSet::of(&args.wrap_up),
            wrap_up_timeout: args.wrap_up_timeout,
            agent_heartbeat_timeout: args.heartbeat_timeout,
            ..EngineSettings::default()
        },
        ..GatewaySettings::default()
    };
    serve_with(listener, args.snapshot, settings, shutdown).await
}

/// Serves on `listener` until `shutdown`, restoring from and saving to `snapshot`.
///
/// # Errors
/// A snapshot that cannot be read or restored, the server's IO errors, or the snapshot not
/// written.
pub async fn serve(
    listener: tokio::net::TcpListener,
    snapshot: PathBuf,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, snapshot, GatewaySettings::default(), shutdown).await
}

/// [`serve`], a new gateway (no snapshot yet) made with `settings`.
///
/// # Errors
/// As [`serve`].
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    snapshot: PathBuf,
    settings: GatewaySettings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let gateway = match std::fs::read(&snapshot) {
        Ok(bytes) => Gateway::restore(&bytes).map_err(std::io::Error::other)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Gateway::with_settings(settings),
        Err(e) => return Err(e),
    };
    let timed = gateway.engine().settings().any_timer();
    let app: App = Arc::new(Shared {
        timed,
        base: gateway.engine().now(),
        started: Instant::now(),
        gateway: Mutex::new(gateway),
    });
    // Fires the timers when they fall due (at least once a second, in case a request armed an
    // earlier one meanwhile).
    let timers = tokio::spawn({
        let app = app.clone();
        async move {
            loop {
                let wait = {
                    let gateway = lock(&app);
                    gateway
                        .poll_timeout()
                        .map_or(1000, |due| due.saturating_sub(app.now()))
                        .min(1000)
                };
                tokio::time::sleep(Duration::from_millis(wait)).await;
                fire(&app, &mut lock(&app));
            }
        }
    });
    let router = Router::new()
        .route("/interactions/{id}", get(state).fallback(vendor))
        .route("/interactions/{id}/allowed", get(allowed).fallback(vendor))
        .route("/agents/{id}", get(agent_state).fallback(vendor))
        .fallback(vendor)
        .with_state(app.clone());
    let served = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    timers.abort();
    served?;
    let bytes = lock(&app).snapshot();
    std::fs::write(&snapshot, bytes)
}

fn lock(app: &App) -> std::sync::MutexGuard<'_, Gateway> {
    app.gateway.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Fires the timers due now; logs each on stderr and its outgoing requests on stdout.
fn fire(app: &Shared, gateway: &mut Gateway) {
    if !app.timed {
        return;
    }
    let fired = gateway.handle_timeout(app.now());
    for item in &fired.items {
        eprintln!(
            "{}",
            serde_json::json!({
                "timer": item.timer.map(interaction_core::Timer::name),
                "action": item.action.as_deref(),
                "interaction": item.interaction.as_deref(),
                "agent": item.agent.as_ref().map(interaction_core::AgentId::as_str),
            })
        );
    }
    for outgoing in &fired.outgoing {
        println!("{}", serde_json::to_string(outgoing).unwrap_or_default());
    }
}

/// Every vendor request and pushed message: the bytes into a `Request`, the gateway's
/// `Handled` back out.
async fn vendor(
    State(app): State<App>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    let Some(route) = Route::of_http(target) else {
        return (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({"message": "Not Found"})),
        )
            .into_response();
    };
    let fields: Vec<(&str, &str)> = headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    let identity = basic_user(&headers);
    let request = Request {
        method: method.as_str(),
        target,
        headers: &fields,
        body: &body,
        identity: identity.as_deref(),
    };
    let handled = {
        let mut gateway = lock(&app);
        // What fell due before this request happened first.
        fire(&app, &mut gateway);
        gateway.handle(route, &request)
    };
    for outgoing in &handled.outgoing {
        // A service sends these (at least once; the receiver dedupes by notificationid).
        println!("{}", serde_json::to_string(outgoing).unwrap_or_default());
    }
    let response = handled.response;
    let mut http = Response::new(axum::body::Body::from(response.body.to_bytes()));
    *http.status_mut() = StatusCode::from_u16(response.status).unwrap_or(StatusCode::OK);
    for (name, value) in response.all_headers() {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            http.headers_mut().insert(name, value);
        }
    }
    http
}

/// The user name of an `Authorization: Basic` header: the GWS agent.
fn basic_user(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    Some(
        text.split_once(':')
            .map_or(text.as_str(), |(user, _)| user)
            .to_owned(),
    )
}

/// `GET /interactions/{id}`: the interaction as the engine holds it.
async fn state(State(app): State<App>, Path(id): Path<String>) -> Response {
    let mut gateway = lock(&app);
    fire(&app, &mut gateway);
    match gateway.engine().interaction(&id) {
        Some(it) => Json(serde_json::to_value(it).unwrap_or_default()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /agents/{id}`: the agent's state (MODEL.md section 10), `{"session", "availability",
/// "reason", "activity"}`.
async fn agent_state(State(app): State<App>, Path(id): Path<String>) -> Response {
    let mut gateway = lock(&app);
    fire(&app, &mut gateway);
    match gateway.engine().agent_state(&id) {
        Some(state) => Json(serde_json::to_value(state).unwrap_or_default()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(serde::Deserialize)]
struct Agent {
    agent: String,
}

/// `GET /interactions/{id}/allowed?agent=X`: what agent X may do next on it.
async fn allowed(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(Agent { agent }): Query<Agent>,
) -> Json<Vec<&'static str>> {
    let mut gateway = lock(&app);
    fire(&app, &mut gateway);
    let set = gateway.engine().allowed(&id, &agent);
    Json(set.iter().map(interaction_core::ActionKind::name).collect())
}
