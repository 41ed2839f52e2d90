//! A webhook service for all three vendors on one `Gateway`: axum moves the bytes, the gateway
//! does the rest. docs/EMBEDDING.md walks through it: the routes, the identity, the clock and
//! the snapshot.
//!
//! ```sh
//! cargo run -p interaction-gateway --example webhook -- --listen 127.0.0.1:8080
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router, routing::get};
use clap::Parser;
use interaction_core::ActionKind;
use interaction_gateway::{Gateway, GatewaySettings, Route};
use interaction_wire::{Outgoing, Request};
use serde_json::{Value, json};

/// The webhook's arguments.
#[derive(Parser)]
struct Args {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The gateway snapshot: restored on start, written on shutdown.
    #[arg(long, default_value = "gateway-snapshot.json")]
    snapshot: PathBuf,
    /// A new gateway's settings, a JSON file (`{"engine": {"offer_timeout": 20000}}`).
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
}

/// The handlers' state.
type Shared = State<Arc<App>>;

/// The gateway, and the service's monotonic clock: the engine's `base` ms at `started`.
struct App {
    gateway: Mutex<Gateway>,
    started: Instant,
    base: u64,
}

impl App {
    /// Now, in milliseconds, continuing the restored engine's clock (time never goes back).
    fn now(&self) -> u64 {
        let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.base.saturating_add(elapsed)
    }

    /// The gateway, once the timers due now have fired (MODEL.md section 10; only when a timer
    /// is set); their outgoing requests are logged as the others.
    fn lock(&self) -> MutexGuard<'_, Gateway> {
        let mut gateway = self.gateway.lock().unwrap_or_else(PoisonError::into_inner);
        if gateway.engine().settings().any_timer() {
            log(&gateway.handle_timeout(self.now()).outgoing);
        }
        gateway
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let settings = match &args.settings {
        Some(file) => serde_json::from_slice(&std::fs::read(file)?)
            .map_err(|e| std::io::Error::other(format!("{}: {e}", file.display())))?,
        None => GatewaySettings::default(),
    };
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve(listener, args.snapshot, settings, shutdown).await
}

/// Serves on `listener` until `shutdown`: the gateway restored from `snapshot` (a new one made
/// with `settings` when the file does not exist) and written back to it at the end.
///
/// # Errors
/// A snapshot that cannot be read or restored, the server's IO errors, the snapshot not written.
pub async fn serve(
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
    let (base, started) = (gateway.engine().now(), Instant::now());
    let gateway = Mutex::new(gateway);
    let app = Arc::new(App {
        gateway,
        started,
        base,
    });
    // Fires the timers as they fall due (waking at least once a second, in case a request
    // armed an earlier one meanwhile).
    let timers = tokio::spawn({
        let app = app.clone();
        async move {
            loop {
                let due = app.lock().poll_timeout();
                let wait = due.map_or(1000, |due| due.saturating_sub(app.now()).min(1000));
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
        }
    });
    let router = Router::new()
        .route("/interactions/{id}", get(interaction).fallback(vendor))
        .route("/interactions/{id}/allowed", get(allowed).fallback(vendor))
        .route("/agents/{id}", get(agent).fallback(vendor))
        .fallback(vendor)
        .with_state(app.clone());
    let served = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    timers.abort();
    served?;
    let bytes = app.lock().snapshot();
    std::fs::write(&snapshot, bytes)
}

/// Every vendor request and pushed message: the bytes into a `Request`, `Gateway::handle`,
/// its response back out. The identity is the HTTP Basic user (the GWS agent; no password is
/// checked here).
async fn vendor(
    State(app): Shared,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    let Some(route) = Route::of_http(target) else {
        return (StatusCode::NOT_FOUND, Json(json!({"message": "Not Found"}))).into_response();
    };
    let headers = interaction_wire::header_fields(&headers);
    let user = interaction_wire::basic_user(&headers);
    let (method, body, identity) = (method.as_str(), &body[..], user.as_deref());
    let request = Request {
        method,
        target,
        headers: &headers,
        body,
        identity,
    };
    let handled = app.lock().handle(route, &request);
    log(&handled.outgoing);
    handled.response.to_http().map(Body::from).into_response()
}

/// Outgoing requests, one JSON line each on stdout. A service sends them instead (at least
/// once; the receiver dedupes by `notificationid`).
fn log(outgoing: &[Outgoing]) {
    for request in outgoing {
        println!("{}", serde_json::to_string(request).unwrap_or_default());
    }
}

/// `GET /interactions/{id}`: the interaction as the engine holds it; `404` when unknown.
async fn interaction(State(app): Shared, Path(id): Path<String>) -> Response {
    found(serde_json::to_value(app.lock().engine().interaction(&id)))
}

/// `GET /agents/{id}`: the agent's state (MODEL.md section 10); `404` for one never seen.
async fn agent(State(app): Shared, Path(id): Path<String>) -> Response {
    found(serde_json::to_value(app.lock().engine().agent_state(&id)))
}

/// The value as JSON, `404` for none (`null`).
fn found(value: serde_json::Result<Value>) -> Response {
    match value {
        Ok(Value::Null) => StatusCode::NOT_FOUND.into_response(),
        Ok(value) => Json(value).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(serde::Deserialize)]
struct Agent {
    agent: String,
}

/// `GET /interactions/{id}/allowed?agent=X`: what agent X may do next on it.
async fn allowed(State(app): Shared, Path(id): Path<String>, Query(q): Query<Agent>) -> Response {
    let set = app.lock().engine().allowed(&id, &q.agent);
    Json(set.iter().map(ActionKind::name).collect::<Vec<_>>()).into_response()
}
