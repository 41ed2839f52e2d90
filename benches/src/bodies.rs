//! Vendor message bodies, one workload per kind of message, and the adapter's decode plus the
//! engine's apply for each (`benches/decode.rs`).
//!
//! Each [`workload`] is a batch of distinct messages of one kind and the engine they apply to,
//! in the state a real feed would find it: a callback assigns an interaction dispatched
//! before, an `Accept` operation accepts an offer, a notification or event creates its
//! interaction on first sight. [`decode_and_apply`] is what a service running the engine does
//! with one body: the adapter decodes it (and, for GWS notifications and Anywhere365 events,
//! maps it against the interaction's current state), the engine applies it.

use interaction_core::{
    Action, Actor, AgentId, Direction, Effect, Engine, Error, Input, InteractionId, Media, Name,
    Step,
};

use crate::{PROVIDER, ROUTE, engine, interaction_ids};

/// A kind of vendor message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// VCC `POST /interactions/Invoke` with one `dispatch` request.
    VccInvoke,
    /// A VCC callback array with one `AssignToAgent`.
    VccCallback,
    /// VCC Calls API `POST /v0/{account}/calls` (click-to-dial).
    VccCalls,
    /// A GWS `Accept` operation on `/api/v2/me/chats/{id}`.
    GwsOperation,
    /// A GWS CometD `StatusChange` notification, `Invited`, with user data.
    GwsNotification,
    /// An Anywhere365 Hunting event.
    Anywhere365Event,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 6] = [
        Kind::VccInvoke,
        Kind::VccCallback,
        Kind::VccCalls,
        Kind::GwsOperation,
        Kind::GwsNotification,
        Kind::Anywhere365Event,
    ];

    /// A short name for the benchmark's id.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::VccInvoke => "vcc_invoke_dispatch",
            Kind::VccCallback => "vcc_callback_assign",
            Kind::VccCalls => "vcc_calls_dial",
            Kind::GwsOperation => "gws_operation_accept",
            Kind::GwsNotification => "gws_notification_invited",
            Kind::Anywhere365Event => "anywhere365_event_hunting",
        }
    }
}

/// One message: its body, and what its trace record would say beside it (the interaction in
/// the path and the `as` agent for GWS; the call id the replay derives for VCC Calls).
#[derive(Debug, Clone)]
pub struct Message {
    /// The body, verbatim JSON.
    pub body: Vec<u8>,
    /// The path's interaction id (GWS operation), or the call id (VCC Calls).
    pub id: String,
    /// The `as` agent (GWS).
    pub agent: String,
    /// The request target a service receives the message on (for [`handle`]).
    pub target: String,
}

/// The agent GWS messages act as.
const GWS_AGENT: &str = "1001";

/// `count` distinct messages of `kind`, and the engine they apply to.
///
/// # Errors
/// None in practice (constant names).
pub fn workload(kind: Kind, count: usize) -> Result<(Engine, Vec<Message>), Error> {
    let mut engine = engine()?;
    let ids = interaction_ids(count)?;
    let message = |body: String, id: &str| Message {
        target: target(kind, id),
        body: body.into_bytes(),
        id: id.to_owned(),
        agent: GWS_AGENT.to_owned(),
    };
    let messages = match kind {
        Kind::VccInvoke => ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                message(
                    format!(
                        r#"{{"provider": "{PROVIDER}", "requests": [{{"action": "dispatch", "requestid": "req-{i}", "externalid": "{id}", "route": "{ROUTE}", "routingdata": {{"interactiontype": "nonlive", "subject": "Order {i} not delivered", "priority": 2}}}}]}}"#
                    ),
                    id.as_str(),
                )
            })
            .collect(),
        Kind::VccCallback => {
            dispatch_all(&mut engine, &ids)?;
            ids.iter()
                .enumerate()
                .map(|(i, id)| {
                    message(
                        format!(
                            r#"[{{"notification": "AssignToAgent", "objectid": "{id}", "notificationid": "d8016173-f069-4fa4-ac3e-{i:012}", "params": {{"AccountName": "InsightsDemoEMEA", "Agent": "InsightsAgentEMEA", "AgentId": "5{}"}}}}]"#,
                            i % 1000
                        ),
                        id.as_str(),
                    )
                })
                .collect()
        }
        Kind::VccCalls => (0..count)
            .map(|i| {
                let agent = AgentId::parse(&format!("7{i:05}"), "agent")?;
                engine.log_in(agent)?;
                Ok(message(
                    format!(
                        r#"{{"from": {{"agentId": "7{i:05}", "consent": "TwoParty"}}, "to": {{"telephoneNumber": "0207{i:07}"}}, "regarding": {{"reference": "https://crm.example.com/case/{i}"}}, "application": "BenchDialer"}}"#
                    ),
                    &format!("call-{i}"),
                ))
            })
            .collect::<Result<_, Error>>()?,
        Kind::GwsOperation => {
            offer_all(&mut engine, &ids)?;
            ids.iter()
                .map(|id| message(r#"{"operationName": "Accept"}"#.to_owned(), id.as_str()))
                .collect()
        }
        Kind::GwsNotification => ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                message(
                    format!(
                        r#"{{"messageType": "ChatStateChangeMessage", "notificationType": "StatusChange", "chat": {{"id": "{id}", "state": "Invited", "chatType": "Inbound", "capabilities": ["Accept", "Reject"], "userData": {{"CustomerName": "Customer {i}", "Subject": "Order {i} not delivered"}}, "uri": "http://gws.example.com/api/v2/me/chats/{id}"}}}}"#
                    ),
                    id.as_str(),
                )
            })
            .collect(),
        Kind::Anywhere365Event => (0..count)
            .map(|i| {
                message(
                    format!(
                        r#"{{"SubscriptionId": "296854af-2ba7-45d0-b460-085dc1843b3d", "SessionType": 0, "ImAddress": "sip:agent{}@contoso.com", "eventType": 3, "callId": "6f1c0a52-3b7e-4f0e-9d1a-{i:012}", "ani": "+3161234{:04}"}}"#,
                        i % 512,
                        i % 10_000
                    ),
                    "",
                )
            })
            .collect(),
    };
    Ok((engine, messages))
}

/// Dispatches every id, by the provider: queued, waiting for a VCC callback.
fn dispatch_all(engine: &mut Engine, ids: &[InteractionId]) -> Result<(), Error> {
    let route = Name::parse(ROUTE, "route")?;
    let provider = interaction_core::ProviderName::parse(PROVIDER, "provider")?;
    let mut effects = Vec::new();
    for id in ids {
        let dispatch = Action::Dispatch {
            route: route.clone(),
            media: Media::Nonlive,
            direction: Direction::Inbound,
            user_data: interaction_core::UserData::new(),
        };
        let by = Actor::Provider(Some(provider.clone()));
        engine.apply(Input::new(id.clone(), dispatch, by), &mut effects)?;
    }
    Ok(())
}

/// Offers every id (a chat, created on first sight) to the GWS agent.
fn offer_all(engine: &mut Engine, ids: &[InteractionId]) -> Result<(), Error> {
    let agent = AgentId::parse(GWS_AGENT, "as")?;
    let mut effects = Vec::new();
    for id in ids {
        let offer = Input::new(
            id.clone(),
            Action::Offer {
                agent: agent.clone(),
            },
            Actor::Platform,
        )
        .with_first_sight(Media::Chat, Direction::Inbound);
        engine.apply(offer, &mut effects)?;
    }
    Ok(())
}

/// Decodes `message` with its adapter and applies it to `engine`: what a service running the
/// engine does with one message of `kind`.
///
/// # Errors
/// The adapter's refusal, or the engine's.
pub fn decode_and_apply(
    kind: Kind,
    engine: &mut Engine,
    subscriptions: &interaction_anywhere365::Subscriptions,
    message: &Message,
    effects: &mut Vec<Effect>,
) -> Result<Step, Error> {
    let body = message.body.as_slice();
    match kind {
        Kind::VccInvoke => one(
            interaction_vcc::decode_invoke(body)?
                .into_iter()
                .map(|item| {
                    item.result.and_then(|invoked| {
                        invoked.into_input(|| InteractionId::parse(&message.id, "id"))
                    })
                }),
            engine,
            effects,
        ),
        Kind::VccCallback => one(
            interaction_vcc::decode_callbacks(body)?
                .into_iter()
                .map(|item| item.result),
            engine,
            effects,
        ),
        Kind::VccCalls => {
            let call = interaction_vcc::decode_call(body)?;
            interaction_vcc::check_call(engine, &call)?;
            let id = InteractionId::parse(&message.id, "id")?;
            engine
                .apply(call.input(id), effects)
                .map_err(interaction_core::Error::from)
        }
        Kind::GwsOperation => {
            let item = interaction_gws::decode_operation(&message.id, Some(&message.agent), body);
            match item.result? {
                interaction_gws::Request::Apply(input) => engine
                    .apply(input, effects)
                    .map_err(interaction_core::Error::from),
                _ => Err(Error::unsupported("operationName", "not an action")),
            }
        }
        Kind::GwsNotification => {
            let item = interaction_gws::decode_notification(body, Some(&message.agent));
            let note = item.result?;
            let current = engine.interaction(note.interaction.as_str());
            match note.into_fact(current)? {
                interaction_gws::Fact::Apply(input) => engine
                    .apply(input, effects)
                    .map_err(interaction_core::Error::from),
                interaction_gws::Fact::Unchanged | interaction_gws::Fact::Ignored => {
                    Err(Error::unsupported("notificationType", "unchanged"))
                }
            }
        }
        Kind::Anywhere365Event => {
            let item = interaction_anywhere365::event_item(body, engine, subscriptions);
            match item.result? {
                interaction_anywhere365::EventInput::Apply(input) => engine
                    .apply(input, effects)
                    .map_err(interaction_core::Error::from),
                _ => Err(Error::unsupported("eventType", "session")),
            }
        }
    }
}

/// The path a message of `kind` about interaction `id` is sent to.
fn target(kind: Kind, id: &str) -> String {
    match kind {
        Kind::VccInvoke => "/interactions/Invoke".to_owned(),
        Kind::VccCallback => "/callback/vcc".to_owned(),
        Kind::VccCalls => "/v0/a1b2c3d4e5/calls".to_owned(),
        Kind::GwsOperation => format!("/api/v2/me/chats/{id}"),
        Kind::GwsNotification => "/v2/me/chats".to_owned(),
        Kind::Anywhere365Event => "/callback/anywhere365".to_owned(),
    }
}

/// The id a Calls API message is placed as (the direct path's `message.id`), for the
/// endpoint path.
struct CallIds<'a>(&'a str);

impl interaction_wire::IdSource for CallIds<'_> {
    fn next_id(&mut self, _: interaction_wire::IdKind) -> String {
        self.0.to_owned()
    }
}

/// The adapters' own state and settings beside the engine, made once as a service makes them
/// (not per message): the Anywhere365 subscriptions, the GWS adapter state (consult pairs,
/// callees, answered `referenceId`s), the VCC settings.
#[derive(Debug, Default)]
pub struct Adapters {
    /// Anywhere365 subscriptions (none in these workloads).
    pub subscriptions: interaction_anywhere365::Subscriptions,
    /// The GWS adapter's state.
    pub gws: interaction_gws::AdapterState,
    /// The VCC endpoint's settings (the defaults).
    pub vcc: interaction_vcc::VccSettings,
}

/// What a service embedding the vendor crates does with one message of `kind` through their
/// public endpoints ([`interaction_vcc::handle_request`], [`interaction_gws::handle_message`],
/// ...): an HTTP request in, the response, the items and the outgoing requests out. The same
/// work as [`decode_and_apply`], and the items and responses besides.
pub fn handle(
    kind: Kind,
    engine: &mut Engine,
    adapters: &mut Adapters,
    message: &Message,
) -> interaction_wire::Handled {
    let mut request = interaction_wire::Request::post(&message.target, &message.body);
    request.identity = Some(&message.agent);
    let mut ids = CallIds(&message.id);
    match kind {
        Kind::VccInvoke | Kind::VccCalls => {
            interaction_vcc::handle_request(engine, &adapters.vcc, &request, &mut ids)
        }
        Kind::VccCallback => interaction_vcc::handle_callback(engine, &request, &mut ids),
        Kind::GwsOperation => {
            interaction_gws::handle_request(engine, &mut adapters.gws, &request, &mut ids)
        }
        Kind::GwsNotification => {
            interaction_gws::handle_message(engine, &mut adapters.gws, &request, &mut ids)
        }
        Kind::Anywhere365Event => interaction_anywhere365::handle_event(
            engine,
            &mut adapters.subscriptions,
            &request,
            &mut ids,
        ),
    }
}

/// Applies the one input of a one-item body.
fn one(
    mut items: impl Iterator<Item = Result<Input, Error>>,
    engine: &mut Engine,
    effects: &mut Vec<Effect>,
) -> Result<Step, Error> {
    match items.next() {
        Some(input) => engine
            .apply(input?, effects)
            .map_err(interaction_core::Error::from),
        None => Err(Error::missing_field("requests")),
    }
}

#[cfg(test)]
mod tests {
    use interaction_core::Outcome;

    use super::*;

    #[test]
    fn every_message_of_every_workload_decodes_and_applies() {
        for kind in Kind::ALL {
            let (mut engine, messages) = workload(kind, 300).unwrap();
            let subscriptions = interaction_anywhere365::Subscriptions::new();
            let mut effects = Vec::new();
            for message in &messages {
                let step =
                    decode_and_apply(kind, &mut engine, &subscriptions, message, &mut effects)
                        .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
                assert_eq!(step.outcome, Outcome::Applied, "{kind:?}");
                let _: serde::de::IgnoredAny = serde_json::from_slice(&message.body).unwrap();
            }
        }
    }

    #[test]
    fn the_endpoints_apply_every_message_as_the_direct_path_does() {
        for kind in Kind::ALL {
            let (fresh, messages) = workload(kind, 300).unwrap();
            let mut direct = fresh.clone();
            let mut through = fresh;
            let mut adapters = Adapters::default();
            let mut effects = Vec::new();
            for message in &messages {
                let step = decode_and_apply(
                    kind,
                    &mut direct,
                    &adapters.subscriptions,
                    message,
                    &mut effects,
                )
                .unwrap();
                effects.clear();
                let handled = handle(kind, &mut through, &mut adapters, message);
                assert_eq!(handled.items.len(), 1, "{kind:?}");
                assert_eq!(handled.items[0].outcome, Ok(step.outcome), "{kind:?}");
                assert!(
                    handled.response.status < 300,
                    "{kind:?}: {:?}",
                    handled.response
                );
            }
            assert_eq!(direct, through, "{kind:?}");
        }
    }
}
