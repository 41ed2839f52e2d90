//! The webhook example over real HTTP: it is started on a loopback port (axum on tokio), every
//! bundled trace is sent to it with an HTTP client (reqwest), one request per line, and each
//! response (status, `Location`, body) must be what a `Gateway` in this process answers for the
//! same request; the server is stopped halfway through each trace and started again from its
//! snapshot file, and must carry on as if nothing happened; at the end, every interaction the
//! server holds must be the one the in-process gateway holds.
//!
//! The in-process gateway is the replay tool's, with the webhook's ids: both take ids from the
//! gateway's own counters (`call-1`, ...), where `interactions replay` derives them from the
//! trace line (`call-{line}`); a line of a trace that names a derived id (the VCC Calls trace's
//! `core` lines) is answered alike by both here, and differently by the replay.
//!
//! Lines that are no request (not JSON, an unknown `api`) and targets an HTTP client cannot
//! send (control characters) are skipped: they are the trace reader's business.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../examples/webhook.rs"]
#[allow(dead_code, unreachable_pub)]
mod webhook;

use std::net::SocketAddr;
use std::path::PathBuf;

use interaction_gateway::{Gateway, Route};
use interaction_wire::Request;
use serde_json::Value;

/// Every bundled trace. `timers-day.jsonl` is sent as its requests, with no timer set on either
/// side: the webhook's timers run on its own clock, not on the lines' `at`
/// (`the_webhook_fires_the_timers_on_its_own_clock` tests them over HTTP).
const TRACES: [&str; 10] = [
    "docs/traces/vcc-day.jsonl",
    "docs/traces/vcc-bad-input.jsonl",
    "docs/traces/vcc-calls.jsonl",
    "docs/traces/gws-day.jsonl",
    "docs/traces/gws-bad-input.jsonl",
    "docs/traces/gws-8.5-day.jsonl",
    "docs/traces/gws-8.5-calls.jsonl",
    "docs/traces/anywhere365-day.jsonl",
    "docs/traces/anywhere365-bad-input.jsonl",
    "docs/traces/timers-day.jsonl",
];

/// One trace line as the HTTP request a client would send for it.
struct Line {
    number: usize,
    method: String,
    target: String,
    agent: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// The requests of `trace`: the trace's path for a request, the webhook's fixed paths for the
/// pushed messages and the core actions.
fn requests(trace: &str) -> Vec<Line> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(trace);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let Ok(Value::Object(line)) = serde_json::from_str::<Value>(raw) else {
            continue;
        };
        let (Some(api), path) = (
            line.get("api").and_then(Value::as_str),
            line.get("path").and_then(Value::as_str).unwrap_or(""),
        ) else {
            continue;
        };
        let target = match (api, path) {
            ("core", _) => "/core".to_owned(),
            ("vcc", "callback") => "/callback/vcc".to_owned(),
            ("anywhere365", "callback") => "/callback/anywhere365".to_owned(),
            ("gws", p) if p.to_ascii_lowercase().starts_with("/v2/me/") => "/cometd".to_owned(),
            ("vcc" | "gws" | "anywhere365", p) => origin_form(p),
            _ => continue,
        };
        if !target.bytes().all(|b| b.is_ascii_graphic()) || Route::of_http(&target).is_none() {
            continue;
        }
        let Some(method) = line
            .get("method")
            .map_or(Some("POST"), Value::as_str)
            .map(str::to_ascii_uppercase)
        else {
            continue;
        };
        let body = match line.get("body") {
            None => b"null".to_vec(),
            Some(body) => serde_json::to_vec(body).unwrap(),
        };
        out.push(Line {
            number: index + 1,
            method,
            target,
            agent: line.get("as").and_then(Value::as_str).map(str::to_owned),
            content_type: line
                .get("content_type")
                .and_then(Value::as_str)
                .map(str::to_owned),
            body,
        });
    }
    out
}

/// The path and query of a trace path, as an HTTP request's target.
fn origin_form(path: &str) -> String {
    let path = path.trim();
    let rest = match path.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => path,
    };
    if rest.starts_with('/') {
        rest.to_owned()
    } else {
        format!("/{rest}")
    }
}

/// The webhook, serving on a loopback port until the sender is dropped or fired.
struct Server {
    address: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(snapshot: &std::path::Path) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let settings = interaction_gateway::GatewaySettings::default();
    let task = tokio::spawn(webhook::serve(
        listener,
        snapshot.to_path_buf(),
        settings,
        async {
            let _ = stopped.await;
        },
    ));
    Server {
        address,
        stop,
        task,
    }
}

async fn stop(server: Server) {
    let _ = server.stop.send(());
    server.task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bundled_trace_over_real_http_answers_as_the_gateway_and_survives_a_restart() {
    let client = reqwest::Client::new();
    let dir = std::env::temp_dir().join(format!("webhook-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for trace in TRACES {
        let snapshot = dir.join(format!("{}.json", trace.replace('/', "_")));
        let _ = std::fs::remove_file(&snapshot);
        let lines = requests(trace);
        assert!(lines.len() > 10, "{trace}: {} requests", lines.len());
        let mut expected = Gateway::new();
        let mut server = start(&snapshot).await;
        let halfway = lines.len() / 2;
        for (i, line) in lines.iter().enumerate() {
            if i == halfway {
                stop(server).await;
                assert!(snapshot.exists(), "{trace}: no snapshot written");
                server = start(&snapshot).await;
            }
            let fields: Vec<(&str, &str)> = line
                .content_type
                .as_deref()
                .map(|ct| ("Content-Type", ct))
                .into_iter()
                .collect();
            let request = Request {
                method: &line.method,
                target: &line.target,
                headers: &fields,
                body: &line.body,
                identity: line.agent.as_deref(),
            };
            let route = Route::of_http(&line.target).unwrap();
            let want = expected.handle(route, &request).response;

            let url = format!("http://{}{}", server.address, line.target);
            let method = reqwest::Method::from_bytes(line.method.as_bytes()).unwrap();
            let mut http = client.request(method, url).body(line.body.clone());
            if let Some(ct) = &line.content_type {
                http = http.header("Content-Type", ct);
            }
            if let Some(agent) = &line.agent {
                http = http.basic_auth(agent, Some("secret"));
            }
            let got = http.send().await.unwrap();
            let context = format!("{trace}:{} {} {}", line.number, line.method, line.target);
            assert_eq!(got.status().as_u16(), want.status, "{context}");
            assert_eq!(
                got.headers()
                    .get("location")
                    .map(|v| v.to_str().unwrap().to_owned()),
                want.header("Location").map(str::to_owned),
                "{context}"
            );
            let bytes = got.bytes().await.unwrap();
            let got_body: Value = if bytes.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&bytes).unwrap()
            };
            assert_eq!(got_body, want.body.to_json(), "{context}");
        }
        // Every interaction the server holds is the one the gateway in this process holds.
        for (id, it) in expected.engine().interactions() {
            let url = format!(
                "http://{}/interactions/{}",
                server.address,
                urlencode(id.as_str())
            );
            let got: Value = client.get(url).send().await.unwrap().json().await.unwrap();
            assert_eq!(got, serde_json::to_value(it).unwrap(), "{trace}: {id}");
        }
        stop(server).await;
        let saved = Gateway::restore(&std::fs::read(&snapshot).unwrap()).unwrap();
        assert_eq!(saved, expected, "{trace}: the saved snapshot");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allowed_and_unknown_paths_over_http() {
    let dir = std::env::temp_dir().join(format!("webhook-allowed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let snapshot = dir.join("snapshot.json");
    let _ = std::fs::remove_file(&snapshot);
    let server = start(&snapshot).await;
    let client = reqwest::Client::new();
    let base = format!("http://{}", server.address);
    let offer = r#"{"action": "assign", "interaction": "c1", "actor": "platform", "agent": "a1", "media": "chat"}"#;
    let r = client
        .post(format!("{base}/core"))
        .body(offer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let allowed: Vec<String> = client
        .get(format!("{base}/interactions/c1/allowed?agent=a1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(allowed.contains(&"complete".to_owned()), "{allowed:?}");
    let none: Vec<String> = client
        .get(format!("{base}/interactions/c1/allowed?agent=someone"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(none.is_empty());
    let missing = client
        .get(format!("{base}/interactions/ghost"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    let nowhere = client.post(format!("{base}/nowhere")).send().await.unwrap();
    assert_eq!(nowhere.status().as_u16(), 404);
    stop(server).await;
}

/// `id` percent-encoded as a path segment.
fn urlencode(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The service owns the clock (MODEL.md section 10): with a ring-no-answer of 1.5 s and a
/// heartbeat of 2 s, an offer nobody accepts goes back to the queue and an Anywhere365 agent
/// that sends no HeartBeat is logged out, both by the webhook's own timer task, with no request
/// in between; the timers survive a restart from the snapshot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_fires_the_timers_on_its_own_clock() {
    let client = reqwest::Client::new();
    let dir = std::env::temp_dir().join(format!("webhook-timers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let snapshot = dir.join("snapshot.json");
    let _ = std::fs::remove_file(&snapshot);
    let settings = interaction_gateway::GatewaySettings {
        engine: interaction_core::EngineSettings {
            offer_timeout: Some(1_500),
            agent_heartbeat_timeout: Some(2_000),
            ..interaction_core::EngineSettings::default()
        },
        ..interaction_gateway::GatewaySettings::default()
    };
    let start = |settings: interaction_gateway::GatewaySettings| {
        let snapshot = snapshot.clone();
        async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let task = tokio::spawn(webhook::serve(listener, snapshot, settings, async {
                let _ = stopped.await;
            }));
            Server {
                address,
                stop,
                task,
            }
        }
    };
    let server = start(settings.clone()).await;
    let base = format!("http://{}", server.address);
    let post = |path: &str, body: &str| {
        client
            .post(format!("{base}{path}"))
            .header("Content-Type", "application/json")
            .body(body.to_owned())
            .send()
    };
    let login =
        r#"{"ImAddress": "sip:alice@contoso.com", "commandType": "AgentLogin", "number": ""}"#;
    assert_eq!(post("/api/command", login).await.unwrap().status(), 202);
    let offer = r#"{"action": "offer", "interaction": "i-1", "actor": "platform", "agent": "5464", "media": "live", "direction": "inbound"}"#;
    assert!(post("/core", offer).await.unwrap().status().is_success());
    // A restart keeps the armed timers: they fire in the new process.
    stop(server).await;
    let server = start(settings).await;
    let base = format!("http://{}", server.address);
    let get = |path: String| {
        let client = client.clone();
        async move {
            let response = client.get(path).send().await.unwrap();
            if response.status() == 200 {
                response.json::<Value>().await.unwrap()
            } else {
                Value::Null
            }
        }
    };
    // Right after the restart nothing is due yet: the timers came through the snapshot.
    let state = get(format!("{base}/interactions/i-1")).await["state"].clone();
    assert!(state.get("offered").is_some(), "{state}");
    assert_eq!(
        get(format!("{base}/agents/sip:alice@contoso.com")).await["session"],
        "logged_in"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let (mut state, mut session) = (Value::Null, Value::Null);
    while std::time::Instant::now() < deadline {
        state = get(format!("{base}/interactions/i-1")).await["state"].clone();
        session = get(format!("{base}/agents/sip:alice@contoso.com")).await["session"].clone();
        if state == "queued" && session == "logged_out" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(state, "queued", "the ring-no-answer did not fire");
    assert_eq!(
        session, "logged_out",
        "the missed heartbeat did not log the agent out"
    );
    stop(server).await;
    let _ = std::fs::remove_dir_all(&dir);
}
