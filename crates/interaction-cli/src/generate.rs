//! `interactions generate`: a synthetic, realistic, mixed-vendor trace (MODEL.md section 7) for
//! benchmarks and load tests.
//!
//! The trace is a function of `(interactions, seed)` alone: no clock, no system randomness, so
//! the same arguments always give the same bytes. Every line replays without a refusal (a few
//! are deliberate `duplicate`s and one kind is `ignored`, as real logs hold them); the
//! `generated_trace_*` tests check it.
//!
//! # Shape
//!
//! A preamble registers two VCC providers, subscribes to the Anywhere365 broker (line 3, so the
//! subscription id is [`interaction_anywhere365::SubscriptionId::numbered`]`(3)`), and logs in
//! the VCC Calls agents (`core` `log_in`). Then [`Generator::CONCURRENCY`] interactions are open
//! at any time: at each line one of them, drawn at random, sends its next message; when one
//! ends, the next interaction starts, until `interactions` have been started. Every interaction
//! follows its vendor's script:
//!
//! The default mix (`--mix 35,30,25,10`; [`Mix`]):
//!
//! | share | vendor | lines | script |
//! |---:|---|---:|---|
//! | 35 % | VCC Interactions | 3 to 6 | Invoke `dispatch` by a provider (media live 40 %, nonlive 30 %, chat 30 %); callback `AssignToAgent`; 2 % the same callback again (a retry: `duplicate`); 30 % the agent holds and retrieves (`core`); the end: 50 % callback `Release`, 50 % the agent releases (`core`) |
//! | 30 % | GWS v2 | 5 to 6 | notification `Invited` (chat 40 %, call 30 %, email 15 %, workitem 15 %; with `userData`); operation `Accept`; notification `Chatting` / `Established` / `Processing` (restates it); 40 % `UpdateUserData`; operation `Complete`; notification `Completed` (restates the end) |
//! | 25 % | Anywhere365 | 3 to 6 | event Hunting; Connected; 20 % OnHold and Retrieve by the same agent, 10 % OnHold then Retrieve by another agent (an inferred transfer) and the first agent's Disconnected (`ignored`); Disconnected by the owner |
//! | 10 % | VCC Calls | 3 to 5 | `POST /v0/{account}/calls` from a logged-in calls agent to a number; `core` `answer`; 20 % hold and retrieve; the agent releases |
//!
//! On average an interaction takes about 4.3 lines of about 240 bytes; `--interactions 240000`
//! gives about a million lines. Agents: 512 VCC agents, 512 GWS users, 512 Anywhere365 sip
//! addresses, and as many VCC Calls agents as the concurrency (a calls agent places one call at
//! a time, so the Calls API never finds it busy).

use std::fmt::Write as _;
use std::io::{self, Write};

/// The proportions of the vendor scripts among the generated interactions (weights; they need
/// not add up to 100). A weight of 0 leaves that vendor out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mix {
    /// VCC Interactions API (Invoke, callbacks).
    pub vcc: usize,
    /// GWS v2 (operations, CometD notifications).
    pub gws: usize,
    /// Anywhere365 CTI Broker events.
    pub anywhere365: usize,
    /// VCC Calls API click-to-dial.
    pub calls: usize,
}

impl Default for Mix {
    fn default() -> Self {
        Mix {
            vcc: 35,
            gws: 30,
            anywhere365: 25,
            calls: 10,
        }
    }
}

impl Mix {
    fn total(self) -> usize {
        self.vcc + self.gws + self.anywhere365 + self.calls
    }

    /// Reads `vcc,gws,anywhere365,calls` weights, for example `35,30,25,10`.
    ///
    /// # Errors
    /// A message when there are not four whole numbers, or they are all 0.
    pub fn parse(text: &str) -> Result<Mix, String> {
        let weights: Vec<usize> = text
            .split(',')
            .map(|w| w.trim().parse::<usize>())
            .collect::<Result<_, _>>()
            .map_err(|e| format!("`{text}`: {e}"))?;
        let [vcc, gws, anywhere365, calls] = weights.as_slice() else {
            return Err(format!(
                "`{text}`: four weights are needed: vcc,gws,anywhere365,calls"
            ));
        };
        let mix = Mix {
            vcc: *vcc,
            gws: *gws,
            anywhere365: *anywhere365,
            calls: *calls,
        };
        if mix.total() == 0 {
            return Err(format!("`{text}`: at least one weight must not be 0"));
        }
        Ok(mix)
    }
}

/// A deterministic pseudo-random source (splitmix64): the trace must not change with a crate's
/// version, so the generator carries its own.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        let n64 = u64::try_from(n).unwrap_or(u64::MAX).max(1);
        usize::try_from(self.next() % n64).unwrap_or(0)
    }

    /// True with `percent` % probability.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Agents per vendor.
const AGENTS: usize = 512;
/// The VCC provider that dispatches the generated interactions (it permits every agent action).
const PROVIDER: &str = "BenchCrm";
/// The Calls API account key in the generated paths.
const ACCOUNT: &str = "a1b2c3d4e5";
/// The trace line of the Anywhere365 subscribe request (its id is derived from it).
const SUBSCRIBE_LINE: usize = 3;
/// The trace starts at this many seconds after 1970-01-01 (2026-11-20T08:00:00Z); each line
/// is one second after the one before it.
const START: u64 = 1_795_161_600;

/// The vendor script an interaction follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Vcc,
    Gws,
    Anywhere365,
    Calls,
}

/// One open interaction: its script's remaining lines, produced one at a time.
#[derive(Debug)]
struct Open {
    kind: Kind,
    /// Sequence number of the interaction (its ids derive from it).
    n: usize,
    /// The next step of the script.
    step: u8,
    /// The script's choices, drawn when it starts.
    flags: Flags,
    /// The calls agent it holds (VCC Calls only), returned to the pool when it ends.
    calls_agent: Option<usize>,
    /// The call id (VCC Calls: `call-{line}` of the dial request).
    call_line: usize,
}

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    /// Media or message type choice.
    media: u8,
    /// Hold and retrieve (VCC, A365, Calls), update user data (GWS).
    extra: bool,
    /// A365: a transfer; VCC: a duplicated callback.
    other: bool,
    /// VCC: released by the platform's callback (else by the agent).
    platform_end: bool,
    /// The agent, and another one for transfers.
    agent: usize,
    other_agent: usize,
}

/// The trace, line by line: an iterator of JSON lines without their `\n`.
#[derive(Debug)]
pub struct Generator {
    rng: Rng,
    total: usize,
    mix: Mix,
    started: usize,
    open: Vec<Open>,
    /// The preamble's lines not yet produced.
    preamble: std::vec::IntoIter<String>,
    /// The 1-based number of the next line.
    line: usize,
    /// VCC Calls agents not placing a call now.
    free_calls_agents: Vec<usize>,
}

impl Generator {
    /// How many interactions are open at once (fewer at the start and the end).
    pub const CONCURRENCY: usize = 1024;

    /// A generator of a trace with `interactions` interactions, drawn from `seed`.
    pub fn new(interactions: usize, seed: u64) -> Self {
        let calls_agents = Self::CONCURRENCY;
        let mut preamble = vec![
            format!(
                r#"{{"api": "vcc", "path": "/interactions/register", "at": "{at}", "body": {{"provider": "{PROVIDER}", "endpoint": "https://crm.example.com/vcc/callbacks", "headers": {{"x-api-key": "bench"}}, "agentactionspermitted": {{"release": 1, "hold": 1, "transferToAgent": 1, "transferToRoute": 1}}}}}}"#,
                at = timestamp(1)
            ),
            format!(
                r#"{{"api": "vcc", "path": "/interactions/register", "at": "{at}", "body": {{"provider": "ReleaseOnly", "agentactionspermitted": {{"release": 1}}}}}}"#,
                at = timestamp(2)
            ),
            format!(
                r#"{{"api": "anywhere365", "path": "/api/subscribe", "at": "{at}", "body": {{"callbackUrl": "https://cti.example.com/anywhere365/events"}}}}"#,
                at = timestamp(SUBSCRIBE_LINE)
            ),
        ];
        for agent in 0..calls_agents {
            let line = preamble.len() + 1;
            preamble.push(format!(
                r#"{{"api": "core", "at": "{at}", "body": {{"action": "log_in", "agent": "{agent}"}}}}"#,
                at = timestamp(line),
                agent = calls_agent_id(agent),
            ));
        }
        Generator {
            rng: Rng(seed),
            mix: Mix::default(),
            total: interactions,
            started: 0,
            open: Vec::with_capacity(Self::CONCURRENCY),
            preamble: preamble.into_iter(),
            line: 1,
            free_calls_agents: (0..calls_agents).rev().collect(),
        }
    }

    /// The same generator with the vendors mixed in the proportions of `mix` instead of the
    /// default (35 : 30 : 25 : 10).
    #[must_use]
    pub fn with_mix(mut self, mix: Mix) -> Self {
        self.mix = mix;
        self
    }

    /// Starts the next interaction, if any are left to start.
    fn start(&mut self) {
        if self.started >= self.total {
            return;
        }
        let n = self.started;
        self.started += 1;
        let mix = self.mix;
        let roll = self.rng.below(mix.total().max(1));
        let mut kind = if roll < mix.vcc {
            Kind::Vcc
        } else if roll < mix.vcc + mix.gws {
            Kind::Gws
        } else if roll < mix.vcc + mix.gws + mix.anywhere365 {
            Kind::Anywhere365
        } else {
            Kind::Calls
        };
        let calls_agent = if kind == Kind::Calls {
            let agent = self.free_calls_agents.pop();
            if agent.is_none() {
                kind = Kind::Vcc;
            }
            agent
        } else {
            None
        };
        let agent = self.rng.below(AGENTS);
        let flags = Flags {
            media: u8::try_from(self.rng.below(100)).unwrap_or(0),
            extra: false,
            other: false,
            platform_end: self.rng.chance(50),
            agent,
            other_agent: (agent + 1 + self.rng.below(AGENTS - 1)) % AGENTS,
        };
        let flags = match kind {
            Kind::Vcc => Flags {
                extra: self.rng.chance(30),
                other: self.rng.chance(2),
                ..flags
            },
            Kind::Gws => Flags {
                extra: self.rng.chance(40),
                ..flags
            },
            Kind::Anywhere365 => {
                let roll = self.rng.below(100);
                Flags {
                    extra: roll < 30,
                    other: roll < 10,
                    ..flags
                }
            }
            Kind::Calls => Flags {
                extra: self.rng.chance(20),
                ..flags
            },
        };
        self.open.push(Open {
            kind,
            n,
            step: 0,
            flags,
            calls_agent,
            call_line: 0,
        });
    }

    /// Writes the whole trace to `out`, one line per record.
    ///
    /// # Errors
    /// The writer's IO error.
    pub fn write_to(self, out: &mut impl Write) -> io::Result<()> {
        for line in self {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl Iterator for Generator {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        if let Some(line) = self.preamble.next() {
            self.line += 1;
            return Some(line);
        }
        while self.open.len() < Self::CONCURRENCY && self.started < self.total {
            self.start();
        }
        if self.open.is_empty() {
            return None;
        }
        let pick = self.rng.below(self.open.len());
        let line_no = self.line;
        let mut text = String::with_capacity(320);
        let done = match self.open.get_mut(pick) {
            Some(open) => open.next_line(line_no, &mut text),
            None => return None,
        };
        if done {
            let open = self.open.swap_remove(pick);
            if let Some(agent) = open.calls_agent {
                self.free_calls_agents.push(agent);
            }
        }
        self.line += 1;
        Some(text)
    }
}

impl Open {
    /// Writes the script's next line (trace line `line`) into `out`; true when it was the last.
    fn next_line(&mut self, line: usize, out: &mut String) -> bool {
        let step = self.step;
        self.step += 1;
        let at = timestamp(line);
        let done = match self.kind {
            Kind::Vcc => self.vcc(step, &at, out),
            Kind::Gws => self.gws(step, &at, out),
            Kind::Anywhere365 => self.anywhere365(step, &at, out),
            Kind::Calls => self.calls(step, line, &at, out),
        };
        // Skipped steps (options not drawn) produce no text: take the next one.
        if out.is_empty() && !done {
            return self.next_line(line, out);
        }
        done
    }

    fn vcc(&mut self, step: u8, at: &str, out: &mut String) -> bool {
        let n = self.n;
        let id = format!("vcc-{n}");
        let agent = vcc_agent_id(self.flags.agent);
        let callback = |out: &mut String, notification: &str, params: &str| {
            let _ = write!(
                out,
                r#"{{"api": "vcc", "path": "callback", "at": "{at}", "body": [{{"notification": "{notification}", "objectid": "{id}", "notificationid": "ntf-{n}-{notification}", "params": {{"AccountName": "BenchAccount"{params}}}}}]}}"#
            );
        };
        let assign = format!(r#", "Agent": "agent.{agent}", "AgentId": "{agent}""#);
        match step {
            0 => {
                let media = match self.flags.media {
                    0..40 => "live",
                    40..70 => "nonlive",
                    _ => "chat",
                };
                let _ = write!(
                    out,
                    r#"{{"api": "vcc", "path": "/interactions/Invoke", "at": "{at}", "body": {{"provider": "{PROVIDER}", "requests": [{{"action": "dispatch", "requestid": "req-{n}", "externalid": "{id}", "route": "Route {route}", "routingdata": {{"interactiontype": "{media}", "subject": "Order {n} enquiry", "priority": {priority}}}}}]}}}}"#,
                    route = n % 16,
                    priority = n % 5,
                );
            }
            1 => callback(out, "AssignToAgent", &assign),
            2 if self.flags.other => callback(out, "AssignToAgent", &assign),
            3 if self.flags.extra => core(out, at, "hold", &id, &agent),
            4 if self.flags.extra => core(out, at, "retrieve", &id, &agent),
            2..=4 => {}
            _ => {
                if self.flags.platform_end {
                    callback(out, "Release", "");
                } else {
                    core(out, at, "release", &id, &agent);
                }
                return true;
            }
        }
        false
    }

    fn gws(&mut self, step: u8, at: &str, out: &mut String) -> bool {
        let n = self.n;
        let agent = gws_agent_id(self.flags.agent);
        let (message, resource, kind_member, collection, working) = match self.flags.media {
            0..40 => (
                "ChatStateChangeMessage",
                "chat",
                "chatType",
                "chats",
                "Chatting",
            ),
            40..70 => (
                "CallStateChangeMessage",
                "call",
                "callType",
                "calls",
                "Established",
            ),
            70..85 => (
                "EmailStateChangeMessage",
                "email",
                "emailType",
                "emails",
                "Processing",
            ),
            _ => (
                "WorkitemStateChangeMessage",
                "workitem",
                "workitemType",
                "workitems",
                "Processing",
            ),
        };
        let id = format!("gws{n:012}");
        let notification = |out: &mut String, state: &str, capabilities: &str, extra: &str| {
            let _ = write!(
                out,
                r#"{{"api": "gws", "path": "/v2/me/{collection}", "as": "{agent}", "at": "{at}", "body": {{"messageType": "{message}", "notificationType": "StatusChange", "{resource}": {{"id": "{id}", "state": "{state}", "{kind_member}": "Inbound", "capabilities": [{capabilities}]{extra}}}}}}}"#
            );
        };
        let operation = |out: &mut String, body: &str| {
            let _ = write!(
                out,
                r#"{{"api": "gws", "path": "/api/v2/me/{collection}/{id}", "as": "{agent}", "at": "{at}", "body": {{{body}}}}}"#
            );
        };
        match step {
            0 => notification(
                out,
                "Invited",
                r#""Accept", "Reject""#,
                &format!(
                    r#", "userData": {{"CustomerName": "Customer {n}", "Segment": "{segment}"}}"#,
                    segment = pick(&["Gold", "Silver", "Bronze"], n)
                ),
            ),
            1 => operation(out, r#""operationName": "Accept""#),
            2 => notification(
                out,
                working,
                r#""Complete", "Transfer", "PlaceInQueue", "UpdateUserData""#,
                "",
            ),
            3 if self.flags.extra => operation(
                out,
                &format!(
                    r#""operationName": "UpdateUserData", "userData": {{"Disposition": "{d}", "WrapUp": {w}}}"#,
                    d = pick(&["Sale", "Callback", "NoSale"], n),
                    w = n % 60
                ),
            ),
            3 => {}
            4 => operation(out, r#""operationName": "Complete""#),
            _ => {
                notification(out, "Completed", "", "");
                return true;
            }
        }
        false
    }

    fn anywhere365(&mut self, step: u8, at: &str, out: &mut String) -> bool {
        let n = self.n;
        let call = format!(
            "{:08x}-0000-4000-8000-{n:012x}",
            n.wrapping_mul(2_654_435_761) & 0xffff_ffff
        );
        let agent = a365_agent(self.flags.agent);
        let other = a365_agent(self.flags.other_agent);
        let subscription = interaction_anywhere365::SubscriptionId::numbered(SUBSCRIBE_LINE);
        let event = |out: &mut String, who: &str, event_type: u8| {
            let _ = write!(
                out,
                r#"{{"api": "anywhere365", "path": "callback", "at": "{at}", "body": {{"SubscriptionId": "{sub}", "SessionType": 0, "ImAddress": "{who}", "eventType": {event_type}, "callId": "{call}", "ani": "+3188{n:07}"}}}}"#,
                sub = subscription.as_str(),
                n = n % 10_000_000,
            );
        };
        // The owner at the end: the other agent after a transfer.
        let owner = if self.flags.other { &other } else { &agent };
        match step {
            0 => event(out, &agent, 3),
            1 => event(out, &agent, 4),
            2 if self.flags.extra => event(out, &agent, 6),
            3 if self.flags.extra => event(out, owner, 7),
            4 if self.flags.other => event(out, &agent, 5),
            2..=4 => {}
            _ => {
                event(out, owner, 5);
                return true;
            }
        }
        false
    }

    fn calls(&mut self, step: u8, line: usize, at: &str, out: &mut String) -> bool {
        let agent = calls_agent_id(self.calls_agent.unwrap_or(0));
        let id = format!("call-{}", self.call_line);
        match step {
            0 => {
                self.call_line = line;
                let _ = write!(
                    out,
                    r#"{{"api": "vcc", "path": "/v0/{ACCOUNT}/calls", "at": "{at}", "body": {{"from": {{"agentId": "{agent}", "consent": "TwoParty"}}, "to": {{"telephoneNumber": "0207{n:07}"}}, "regarding": {{"reference": "https://crm.example.com/case/{n}"}}, "application": "BenchDialer"}}}}"#,
                    n = self.n % 10_000_000,
                );
            }
            1 => {
                let _ = write!(
                    out,
                    r#"{{"api": "core", "at": "{at}", "body": {{"action": "answer", "interaction": "{id}", "actor": "platform"}}}}"#
                );
            }
            2 if self.flags.extra => core(out, at, "hold", &id, &agent),
            3 if self.flags.extra => core(out, at, "retrieve", &id, &agent),
            2 | 3 => {}
            _ => {
                core(out, at, "release", &id, &agent);
                return true;
            }
        }
        false
    }
}

/// `words[n % len]`.
fn pick(words: &[&'static str], n: usize) -> &'static str {
    words
        .get(n % words.len().max(1))
        .copied()
        .unwrap_or_default()
}

/// A `core` record: `action` on `id` by agent `agent`.
fn core(out: &mut String, at: &str, action: &str, id: &str, agent: &str) {
    let _ = write!(
        out,
        r#"{{"api": "core", "at": "{at}", "body": {{"action": "{action}", "interaction": "{id}", "actor": {{"agent": "{agent}"}}}}}}"#
    );
}

fn vcc_agent_id(i: usize) -> String {
    format!("{}", 5000 + i)
}

fn gws_agent_id(i: usize) -> String {
    format!("{}", 1000 + i)
}

fn calls_agent_id(i: usize) -> String {
    format!("{}", 70000 + i)
}

fn a365_agent(i: usize) -> String {
    format!("sip:agent{i}@contoso.com")
}

/// The `at` of trace line `line`: [`START`] plus one second per line, as RFC 3339 UTC.
fn timestamp(line: usize) -> String {
    let secs = START + u64::try_from(line).unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_and_start_on_the_documented_day() {
        assert_eq!(timestamp(0), "2026-11-20T08:00:00Z");
        assert_eq!(timestamp(3600 * 16), "2026-11-21T00:00:00Z");
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn the_same_seed_gives_the_same_trace_and_another_seed_another() {
        let a: Vec<String> = Generator::new(300, 1).collect();
        let b: Vec<String> = Generator::new(300, 1).collect();
        let c: Vec<String> = Generator::new(300, 2).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
