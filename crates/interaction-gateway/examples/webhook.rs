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
//! `GET /interactions/{id}` and `GET /interactions/{id}/allowed?agent=X`. Outgoing requests are
//! logged as JSON lines on stdout. The gateway is restored from `--snapshot` (default
//! `gateway-snapshot.json`) on start and written back on shutdown (Ctrl-C).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use clap::Parser;
use interaction_gateway::{Gateway, Route};
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
}

type App = Arc<Mutex<Gateway>>;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve(listener, args.snapshot, shutdown).await
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
    let gateway = match std::fs::read(&snapshot) {
        Ok(bytes) => Gateway::restore(&bytes).map_err(std::io::Error::other)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Gateway::new(),
        Err(e) => return Err(e),
    };
    let app: App = Arc::new(Mutex::new(gateway));
    let router = Router::new()
        .route("/interactions/{id}", get(state).fallback(vendor))
        .route("/interactions/{id}/allowed", get(allowed).fallback(vendor))
        .fallback(vendor)
        .with_state(app.clone());
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await?;
    let bytes = lock(&app).snapshot();
    std::fs::write(&snapshot, bytes)
}

fn lock(app: &App) -> std::sync::MutexGuard<'_, Gateway> {
    app.lock().unwrap_or_else(PoisonError::into_inner)
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
    let handled = lock(&app).handle(route, &request);
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
    match lock(&app).engine().interaction(&id) {
        Some(it) => Json(serde_json::to_value(it).unwrap_or_default()).into_response(),
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
    let set = lock(&app).engine().allowed(&id, &agent);
    Json(set.iter().map(interaction_core::ActionKind::name).collect())
}
