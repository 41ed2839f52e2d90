//! Routing data an interaction carries from its creation: records linked to it for the agent to
//! see, a personal queue (one agent the work waits for before normal routing), and the skills
//! it asks for. Vendor-neutral; the VCC Invoke's `linkeddata`, `routingdata.personalqueue` and
//! `routingdata.skills` map onto it (`docs/vcc.md`, "Routing data").
//!
//! The core keeps it with the interaction ([`crate::Interaction::routing`]) and in snapshots; it
//! does not route by it (routing is the vendor platform's, MODEL.md section 6). An interaction
//! without routing data holds `None`: one pointer (`docs/PERFORMANCE.md`, Memory).
//!
//! **Bounds.** The type itself has none: the adapter that builds it bounds every list and
//! string before it reaches the core (interaction-vcc: at most 64 links and 64 skills, each
//! string an id of at most 256 bytes, a link's value at most 2048 bytes, the whole member at
//! most 64 KiB of JSON), so an interaction's routing data is bounded by the request body
//! (100 KB for VCC).

use crate::id::{AgentId, Name};
use crate::value::{UserData, Value};

/// An interaction's routing data (VCC Invoke "Example body (Full dispatch)", Create inbound
/// interaction page).
///
/// With the `serde` feature: `{"links"?: [Link], "personal_queue"?: PersonalQueue, "skills"?:
/// [Skill]}`, empty members omitted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct Routing {
    /// Records linked to the interaction, in the order given (VCC `linkeddata`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub links: Vec<Link>,
    /// The agent whose personal queue the interaction is routed to first (VCC
    /// `routingdata.personalqueue`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub personal_queue: Option<PersonalQueue>,
    /// The skills the interaction asks for, in the order given (VCC `routingdata.skills`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub skills: Vec<Skill>,
}

impl Routing {
    /// Whether it holds nothing (no link, no personal queue, no skill).
    pub fn is_empty(&self) -> bool {
        self.links.is_empty() && self.personal_queue.is_none() && self.skills.is_empty()
    }

    /// The agent of the personal queue, if there is one.
    pub fn personal_agent(&self) -> Option<&AgentId> {
        self.personal_queue.as_ref().map(|q| &q.agent)
    }
}

/// One record linked to an interaction (VCC `linkeddata` element: `{"type", "label"?, "value",
/// ...}`).
///
/// With the `serde` feature: `{"kind": string, "label"?: string, "value": JSON, "extra"?:
/// {name: JSON}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Link {
    /// What the link is (VCC `type`): a caller line id, a URL, a name, a media type, an object
    /// in another system, or another word kept as it came.
    pub kind: LinkKind,
    /// Text to show for it (VCC `label`, seen on `url` links: "Click me").
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub label: Option<String>,
    /// Its value: a string in every vendor sample (`+44123456789`, `http://foo.bar.com`), kept as
    /// any JSON value (an `object` link's value may be an object).
    pub value: Value,
    /// The element's other members, kept as they came (an `object` link's `owner` and `key`
    /// in the Requests page's sample: `{"type": "object", "owner": "Crm", "key": "Contact",
    /// ...}`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "UserData::is_empty")
    )]
    pub extra: UserData,
}

/// What a [`Link`] is. The vendor's samples show five words; any other is kept as its text,
/// never refused (the pages do not list the allowed values).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `clid`: a caller line id (`+44123456789`, `Cases 40a4b50f`).
    Clid,
    /// `url`: a link, usually with a label.
    Url,
    /// `name`: a display name (`Case Friendly Name`).
    Name,
    /// `mediatype`: a media type label (`Case-External`).
    MediaType,
    /// `object`: a record in another system (with `owner` and `key` in the sample).
    Object,
    /// Any other word, as it came.
    Other(String),
}

impl LinkKind {
    /// The kind of the vendor word `text` (case-sensitive, as the samples spell them); another
    /// word is [`LinkKind::Other`].
    pub fn from_name(text: &str) -> LinkKind {
        LinkKind::known(text).unwrap_or_else(|| LinkKind::Other(text.to_owned()))
    }

    /// [`LinkKind::from_name`] of an owned word, kept without a copy when it is another word.
    pub fn from_text(text: String) -> LinkKind {
        LinkKind::known(&text).unwrap_or(LinkKind::Other(text))
    }

    fn known(text: &str) -> Option<LinkKind> {
        Some(match text {
            "clid" => LinkKind::Clid,
            "url" => LinkKind::Url,
            "name" => LinkKind::Name,
            "mediatype" => LinkKind::MediaType,
            "object" => LinkKind::Object,
            _ => return None,
        })
    }

    /// The word: `clid`, `url`, `name`, `mediatype`, `object`, or the other word as it came.
    pub fn name(&self) -> &str {
        match self {
            LinkKind::Clid => "clid",
            LinkKind::Url => "url",
            LinkKind::Name => "name",
            LinkKind::MediaType => "mediatype",
            LinkKind::Object => "object",
            LinkKind::Other(text) => text,
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for LinkKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for LinkKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(LinkKind::from_text)
    }
}

/// A personal queue: the agent the interaction waits for before it is routed as the
/// interaction plan says (VCC `routingdata.personalqueue`: `{"agent", "loggedintimeout"?,
/// "loggedouttimeout"?}`). The product pages (Skill Tagger applet) give the timeouts in
/// seconds: "the time (in seconds) for which Vonage will try to route the interaction to the
/// specified agent".
///
/// With the `serde` feature: `{"agent": string, "logged_in_timeout_secs"?: integer,
/// "logged_out_timeout_secs"?: integer}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PersonalQueue {
    /// The agent, as the vendor names it (VCC `agent`: the sample's `AgentUsername`, the id the
    /// agent logs in with).
    pub agent: AgentId,
    /// Seconds the interaction waits for the agent while the agent is logged in (VCC
    /// `loggedintimeout`); `None` when not given.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub logged_in_timeout_secs: Option<u32>,
    /// Seconds the interaction waits for the agent while the agent is logged out (VCC
    /// `loggedouttimeout`); `None` when not given.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub logged_out_timeout_secs: Option<u32>,
}

/// A skill the interaction asks for (VCC `routingdata.skills` element: `{"name",
/// "expiryafter"?}`).
///
/// The sample names the three kinds the product pages describe ("Types of skills"): no
/// `expiryafter` is a mandatory skill (`skillMandatory`), `0` an optional one
/// (`skillOptional`), `n > 0` an expiring one (`skillExpiring`: "initially mandatory and then
/// becomes optional after a configured period of time"), read as seconds like the personal
/// queue's timeouts.
///
/// With the `serde` feature: `{"name": string, "expiry_after_secs"?: integer}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Skill {
    /// The skill's name.
    pub name: Name,
    /// Seconds after which the skill stops being mandatory (VCC `expiryafter`); `None`:
    /// mandatory for the life of the interaction; `Some(0)`: optional from the start.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub expiry_after_secs: Option<u32>,
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;
    use crate::value::Number;

    #[test]
    fn routing_round_trips_and_omits_what_is_empty() {
        let routing = Routing {
            links: vec![Link {
                kind: LinkKind::Other("crmcase".to_owned()),
                label: None,
                value: Value::Number(Number::from_u64(7)),
                extra: UserData::from([("owner".to_owned(), Value::String("Crm".to_owned()))]),
            }],
            personal_queue: Some(PersonalQueue {
                agent: AgentId::parse("AgentUsername", "agent").unwrap(),
                logged_in_timeout_secs: Some(20),
                logged_out_timeout_secs: None,
            }),
            skills: Vec::new(),
        };
        let text = serde_json::to_string(&routing).unwrap();
        assert_eq!(
            text,
            r#"{"links":[{"kind":"crmcase","value":7,"extra":{"owner":"Crm"}}],"personal_queue":{"agent":"AgentUsername","logged_in_timeout_secs":20}}"#
        );
        assert_eq!(serde_json::from_str::<Routing>(&text).unwrap(), routing);
        assert_eq!(serde_json::to_string(&Routing::default()).unwrap(), "{}");
        assert!(Routing::default().is_empty());
    }

    #[test]
    fn link_kinds_keep_their_words() {
        for word in [
            "clid",
            "url",
            "name",
            "mediatype",
            "object",
            "Clid",
            "",
            "x y",
        ] {
            assert_eq!(LinkKind::from_name(word).name(), word);
        }
        assert_eq!(LinkKind::from_name("mediatype"), LinkKind::MediaType);
    }
}
