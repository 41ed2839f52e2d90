//! The VCC Interactions API's JSON, as serde types.
//!
//! These types model the vendor's documents field for field, in the vendor's spelling and
//! member order, so that serializing one gives the vendor's shape:
//!
//! * [`Invocation`], [`InvokeRequest`], [`LinkedData`], [`RoutingData`], [`PersonalQueue`],
//!   [`Skill`]: the `POST /interactions/Invoke` body (vcc-interactions-invoke.txt, "Invocation
//!   object" and "Example Invocation object"; the Create inbound interaction page, "Example
//!   body (Full dispatch)", and the Requests (Interactions API) page's example request, quoted
//!   in `docs/vcc.md`).
//! * [`Registration`]: the `POST /interactions/register` body (vcc-interactions-register.txt,
//!   "Example body").
//! * [`Notification`], [`NotificationParams`]: one element of the JSON array VCC POSTs to a
//!   provider's endpoint (vcc-interactions-register.txt, "Callbacks").
//!
//! They check JSON types only. The rules (which fields are required, which values are allowed)
//! are applied when a body is decoded into core inputs by [`crate::decode_invoke`],
//! [`crate::decode_register`] and [`crate::decode_callbacks`], which also name the offending field
//! in every error. Unknown members are ignored on deserialization (the vendor may add fields);
//! absent optional members are omitted on serialization.

use interaction_core::{UserData, Value};
use serde::{Deserialize, Serialize};
use serde_json::Number;

/// The `Invocation` object: the body of `POST /interactions/Invoke`.
///
/// Shape: `{"provider"?: string, "requests": [InvokeRequest, ...]}`.
/// Source: vcc-interactions-invoke.txt, "Invocation object" ("requests. Required").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Invocation {
    /// The registered provider the requests are made for (vcc-interactions-register.txt: "you
    /// can use the name of that provider in the body of a POST /Invoke request (in the provider
    /// property)"). Absent: no provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// One or more `Interaction` objects, each decoded and answered on its own.
    pub requests: Vec<InvokeRequest>,
}

/// One `Interaction` object of an Invocation's `requests`.
///
/// Shape: `{"action"?, "requestid"?, "externalid"?, "route"?, "linkeddata"?, "routingdata"?}`,
/// all strings but `linkeddata` and `routingdata` (the reference page's member list: "action •
/// requestId • externalId • route • linkeddata • routingdata"). Every member is optional here;
/// [`crate::decode_invoke`] requires `externalid` for a release, and `route` and
/// `routingdata.interactiontype` for a dispatch.
/// Source: vcc-interactions-invoke.txt, "Invocation object" and "Example Invocation object";
/// Invoke requests (reference/invoke-requests), "Interaction".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InvokeRequest {
    /// `dispatch` or `release` ("Allowed values are dispatch and release"); absent means
    /// `dispatch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// "Unique identifier of a request": the idempotency key of the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requestid: Option<String>,
    /// "Unique identifier of the interaction": the interaction id, later the callbacks'
    /// `objectid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub externalid: Option<String>,
    /// "The named route you wish to invoke."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// Records linked to the interaction (the Create inbound interaction page's "Full
    /// dispatch" sample: `clid`, `url`, `name` and `mediatype` elements).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linkeddata: Option<Vec<LinkedData>>,
    /// "Any data useful for routing an interaction to an agent."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routingdata: Option<RoutingData>,
}

/// One element of an Invoke request's `linkeddata`.
///
/// Shape: `{"type"?: string, "label"?: string, "value"?: <any JSON>, <name>: <any JSON>, ...}`
/// (a string `value` in every sample). Sources: the Create inbound interaction page, "Example
/// body (Full dispatch)" (`{"type":"url", "label":"40a4b50f", "value":"https://vonage.com"}`),
/// and the Requests (Interactions API) page's example, whose `object` element carries more
/// members (`{"type": "object", "owner":"Crm", "key":"Contact", "value":
/// "500ea8787a87s87s"}`). The pages define no member; [`crate::decode_invoke`] requires `type`
/// and `value`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LinkedData {
    /// `type`: `clid`, `url`, `name`, `mediatype`, `object` in the samples; any word.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Text shown for it (on `url` elements in both samples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Its value. (`null` reads as absent, so `Some(Value::Null)` does not round-trip.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Every other member, kept as it came (`owner`, `key`). (Do not put a `type`, `label` or
    /// `value` key here: it would be serialized twice.)
    #[serde(flatten)]
    pub extra: UserData,
}

/// An Invoke request's `routingdata`: `interactiontype`, `personalqueue`, `skills` and any
/// other members.
///
/// Shape: `{"interactiontype"?: "live"|"nonlive"|"chat", "personalqueue"?: PersonalQueue,
/// "skills"?: [Skill], <name>: <any JSON>, ...}`.
/// Source: vcc-interactions-invoke.txt, "routingdata" and "interactiontype"; the Create inbound
/// interaction page, "Example body (Full dispatch)".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoutingData {
    /// `live` (a call), `nonlive` (an email) or `chat` (a web chat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactiontype: Option<String>,
    /// The agent whose personal queue the interaction goes to first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personalqueue: Option<PersonalQueue>,
    /// The skills the interaction asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<Skill>>,
    /// Every other member, kept as it came: the interaction's initial user data. (Do not put an
    /// `interactiontype`, `personalqueue` or `skills` key here: it would be serialized twice.)
    #[serde(flatten)]
    pub data: UserData,
}

/// `routingdata.personalqueue`.
///
/// Shape: `{"agent"?: string, "loggedintimeout"?: number, "loggedouttimeout"?: number}`
/// (sample: `{"agent":"AgentUsername", "loggedintimeout":20, "loggedouttimeout":30}`, the
/// Create inbound interaction page). The timeouts are seconds (the Skill Tagger applet page:
/// "the time (in seconds) for which Vonage will try to route the interaction to the specified
/// agent"); [`crate::decode_invoke`] requires `agent` and whole numbers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PersonalQueue {
    /// The agent, as it logs in (the sample's `AgentUsername`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// Seconds the interaction waits for the agent while it is logged in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loggedintimeout: Option<Number>,
    /// Seconds the interaction waits for the agent while it is logged out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loggedouttimeout: Option<Number>,
}

/// One element of `routingdata.skills`.
///
/// Shape: `{"name"?: string, "expiryafter"?: number}` (samples: `{"name":"skillOptional",
/// "expiryafter":0}`, `{"name":"skillExpiring", "expiryafter":60}`,
/// `{"name":"skillMandatory"}`, the Create inbound interaction page); [`crate::decode_invoke`]
/// requires `name`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Skill {
    /// The skill's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Seconds after which the skill is no longer mandatory; absent: mandatory; `0`: optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiryafter: Option<Number>,
}

/// The body of `POST /interactions/register`.
///
/// Shape: `{"provider": string, "endpoint"?: string, "headers"?: {name: string, ...},
/// "agentactionspermitted"?: {operation: 0|1, ...}}`.
/// Source: vcc-interactions-register.txt, "Example body" and the member list below it.
/// `headers` and `agentactionspermitted` keep their members in the order they came (the page
/// calls them "Array of key-value pairs" but shows JSON objects; objects are what is read).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Registration {
    /// "Required. The name of the provider that you are registering."
    pub provider: String,
    /// "Optional. An https endpoint that will receive notifications made by VCC."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// "Optional. ... Each pair contains a header name and a header value", sent with every
    /// notification POST.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ordered")]
    pub headers: Option<Vec<(String, String)>>,
    /// Operation name (`release`, `hold`, `transferToAgent`, `transferToRoute`) to 0 or 1.
    /// The page marks it Required but its "Registering a provider with a callback endpoint"
    /// example omits it; absent means the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ordered")]
    pub agentactionspermitted: Option<Vec<(String, u8)>>,
}

/// One element of a callback: the JSON array VCC POSTs to a registered provider's endpoint.
///
/// Shape (member order as in the vendor's samples): `{"notification": "AssignToAgent"|"Release",
/// "objectid": string, "notificationid": string, "params": NotificationParams}`.
/// Source: vcc-interactions-register.txt, "Callbacks" ("Interaction assigned to Agent",
/// "Interaction released from the VCC Platform").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Notification {
    /// "What action has been performed": `AssignToAgent` or `Release`.
    pub notification: String,
    /// The interaction: "Matching the externalId from the Create inbound interaction request".
    pub objectid: String,
    /// "A generated unique notification ID": the idempotency key of the callback.
    pub notificationid: String,
    /// `AccountName`, and for `AssignToAgent` the agent.
    pub params: NotificationParams,
}

/// A callback element's `params`.
///
/// Shape: `{"AccountName": string, "Agent"?: string, "AgentId"?: string}`.
/// Source: vcc-interactions-register.txt, "Callbacks", "params".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NotificationParams {
    /// `AccountName`: "The name of the VCC account where the notification occurred."
    #[serde(rename = "AccountName")]
    pub account_name: String,
    /// `Agent`: "the username of the agent assigned to the interaction" (AssignToAgent only).
    #[serde(rename = "Agent", default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// `AgentId`: "the display ID of the agent assigned the interaction" (AssignToAgent only).
    #[serde(rename = "AgentId", default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

/// (De)serializes `Option<Vec<(String, V)>>` as a JSON object, keeping member order.
mod ordered {
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use interaction_wire::Entries;

    // serde's `with` calls these with `&Option<..>`; the signature is not ours to choose.
    #[allow(clippy::ref_option)]
    pub(super) fn serialize<S: Serializer, V: Serialize>(
        value: &Option<Vec<(String, V)>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            None => s.serialize_none(),
            Some(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Vec<(String, V)>>, D::Error> {
        Ok(Option::<Entries<V>>::deserialize(d)?.map(|e| e.0))
    }
}
