//! The Calls API's state-dependent refusals: they read the engine's agent sessions and live
//! interactions, and change nothing.

use interaction_core::{
    Activity, AgentId, Availability, Callee, Caller, Engine, Presence, Refusal,
};

use super::{PlaceCall, messages};

/// Checks that `call` can be placed now: the refusals of vcc-calls.txt ("Returns HTTP Status
/// Code 400") that depend on the agents' state, read from `engine` (MODEL.md section 6, "Agent
/// sessions"). Reads only; call it before applying [`PlaceCall::input`].
///
/// In this order, the first that applies refuses the call:
///
/// | who | when | error | message (the page's) |
/// |---|---|---|---|
/// | calling agent (`from.agentId`) | never seen ([`Engine::presence`] is `None`) | [`Refusal::UnknownAgent`] | "Unable to place call - Agent Id is unknown" |
/// | calling agent | logged out | [`Refusal::AgentUnavailable`] | "Unable to place call to Agent. Please try again" (the page's "Call Failed") |
/// | calling agent | busy (below) | [`Refusal::AgentBusy`] | "Unable to place call - Agent number busy" |
/// | destination agent (`to.agentId`) | never seen | [`Refusal::UnknownAgent`] | "Unable to place call - invalid Agent Id." |
/// | destination agent | logged out, busy, not ready, in after-call work, or the calling agent itself | [`Refusal::AgentUnavailable`] | "Unable to place call - dialed Agent is not currently available" |
///
/// An agent is **busy** when it owns a live (voice) interaction that is `connected`, `held` or
/// `dialing` (a call it placed and that is not yet answered). Chats and nonlive work do not make
/// an agent busy, nor does an offer it has not accepted. An agent that was seen acting but never
/// logged in or out (presence `seen`) counts as available. Calls from `groups` have no calling
/// agent to check (the engine knows no groups); a call to a telephone number has no destination
/// agent.
///
/// The busy check is [`Engine::live_calls`]: a count the engine keeps per agent, one lookup.
/// The destination's availability is its agent state (MODEL.md section 10,
/// [`Engine::agent_state`]): an agent whose availability is `not_ready` or `after_call_work`,
/// or whose activity is `wrap_up` (it owns an interaction in after-call work), is not
/// available to take a call; `ready` and `unknown` (not told) are. The calling agent's
/// availability is not checked: an agent places calls whatever it told the platform (a not
/// ready agent calling a customer back is the common case).
///
/// # Errors
/// As the table says. The messages are in [`messages`].
pub fn check_call(engine: &Engine, call: &PlaceCall) -> Result<(), Refusal> {
    if let Caller::Agent(agent) = &call.from {
        match engine.presence(agent.as_str()) {
            None => return Err(unknown(agent, messages::CALLING_AGENT_UNKNOWN)),
            Some(Presence::LoggedOut) => {
                return Err(unavailable(agent, messages::CALL_FAILED));
            }
            Some(Presence::Seen | Presence::LoggedIn) => {}
        }
        if engine.live_calls(agent.as_str()) > 0 {
            return Err(Refusal::AgentBusy {
                agent: agent.clone(),
                message: messages::CALLING_AGENT_BUSY.into(),
            });
        }
    }
    if let Callee::Agent(agent) = &call.to {
        let available = match engine.presence(agent.as_str()) {
            None => return Err(unknown(agent, messages::DESTINATION_AGENT_UNKNOWN)),
            Some(Presence::LoggedOut) => false,
            Some(Presence::Seen | Presence::LoggedIn) => {
                engine.live_calls(agent.as_str()) == 0
                    && !matches!(&call.from, Caller::Agent(a) if a == agent)
                    && engine.agent_state(agent.as_str()).is_some_and(|s| {
                        !matches!(
                            s.availability,
                            Availability::NotReady | Availability::AfterCallWork
                        ) && s.activity != Activity::WrapUp
                    })
            }
        };
        if !available {
            return Err(unavailable(agent, messages::DESTINATION_AGENT_UNAVAILABLE));
        }
    }
    Ok(())
}

fn unknown(agent: &AgentId, message: &'static str) -> Refusal {
    Refusal::UnknownAgent {
        agent: agent.clone(),
        message: message.into(),
    }
}

fn unavailable(agent: &AgentId, message: &'static str) -> Refusal {
    Refusal::AgentUnavailable {
        agent: agent.clone(),
        message: message.into(),
    }
}
