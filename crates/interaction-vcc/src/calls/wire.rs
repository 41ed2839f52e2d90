//! The VCC Calls API's JSON, as serde types.
//!
//! These types model the vendor's page field for field, in its spelling and member order, so
//! that serializing one gives the page's shape (vcc-calls.txt):
//!
//! * [`CallRequest`], [`RequestFrom`], [`CallTo`], [`Regarding`]: the body of
//!   `POST /v0/{accountKey}/calls` ("Request examples").
//! * [`Call`], [`CallFrom`], [`Link`] (with [`CallTo`] and [`Regarding`]): the body of the
//!   `201` response ("Response examples").
//!
//! They check JSON types only. The rules (the either/or selectors, lengths, characters, the
//! consent values) are applied by [`crate::decode_call`], which also names the offending field in
//! every error. Unknown members are ignored on deserialization (the page: "The endpoint supports
//! a number of potential "from" and "to" selectors for future use"); absent optional members of
//! `from` and `to` are omitted on serialization.

use serde::{Deserialize, Serialize};

/// The body of `POST /v0/{accountKey}/calls`.
///
/// Shape: `{"from"?: RequestFrom, "to"?: CallTo, "regarding"?: Regarding, "application"?:
/// string}`. Every member is optional here; [`crate::decode_call`] requires a selector in `from`
/// and in `to`. Source: vcc-calls.txt, "Request examples" ("all possible body parameters").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallRequest {
    /// Who the call is made from: one agent or agent groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<RequestFrom>,
    /// Who the call is made to: a telephone number or an agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<CallTo>,
    /// What the call is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regarding: Option<Regarding>,
    /// "an alphanumeric string — up to 32 characters — specifying which application is calling
    /// the API".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
}

/// A request's `from`.
///
/// Shape: `{"agentId"?: string, "groups"?: [string, ...], "presentedCLID"?: string,
/// "consent"?: "Unknown"|"OneParty"|"TwoParty", "telephoneNumber"?: string}`.
/// Source: vcc-calls.txt, "from".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RequestFrom {
    /// "ID, in string format, of the agent the call will be made from. Use either agentID or
    /// groups." Digits only, at most 11.
    #[serde(rename = "agentId", default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// "The display IDs of the groups that the call will be made from. Use either groups or
    /// agentId."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
    /// "The CLID to present to the party being called. This number must be configured as a
    /// callback number in your VCC account. The parameter is optional." Spelled `presentedCLID`
    /// in the request and `presentedClid` in the response ([`CallFrom`]), as the page does.
    #[serde(
        rename = "presentedCLID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub presented_clid: Option<String>,
    /// "what level of consent the from party requires with regards to the call being recorded":
    /// `Unknown`, `OneParty` or `TwoParty`. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
    /// Not a `from` selector the page documents; read only to be refused with the page's
    /// "Telephone number not supported in this context".
    #[serde(
        rename = "telephoneNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub telephone_number: Option<String>,
}

/// A request's (and a response's) `to`.
///
/// Shape: `{"telephoneNumber"?: string, "agentId"?: string, "consent"?: "Unknown"|"OneParty"|
/// "TwoParty"}`. Source: vcc-calls.txt, "to", and the 201 sample's `to`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallTo {
    /// "The telephone number, that the call will be made to. Use either telephoneNumber or
    /// agentId." At most 30 characters.
    #[serde(
        rename = "telephoneNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub telephone_number: Option<String>,
    /// "ID, in string format, of the agent the call will be made to. Use either agentId or
    /// telephoneNumber."
    #[serde(rename = "agentId", default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// The consent level, as for `from`. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
}

/// `regarding`: what the call is about.
///
/// Shape: `{"reference"?: string}`. Source: vcc-calls.txt, "regarding".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Regarding {
    /// "an alphanumeric string or a valid URL with a maximum length of 2000 characters that
    /// contains an external ID of an object this call is regarding".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// The body of the `201` response: the call that was placed.
///
/// Shape (member order as in the page's sample): `{"id": string, "links": [Link], "from":
/// CallFrom, "to": CallTo, "regarding": Regarding|null, "status": "Active", "recordingStatus":
/// "Stopped", "application": string|null, "dispositionCode": null}`. Top-level members are
/// always present, `null` when there is no value (the sample's `"dispositionCode": null`).
/// Source: vcc-calls.txt, "Response examples".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Call {
    /// The call id (the sample: `017db4a2-44b5-672e-8b9f-1a805fed07ad`).
    pub id: String,
    /// One link, `rel` `_self`, to the call resource.
    pub links: Vec<Link>,
    /// The request's `from`, echoed.
    pub from: CallFrom,
    /// The request's `to`, echoed.
    pub to: CallTo,
    /// The request's `regarding`, echoed; `null` when the request had no reference.
    #[serde(default)]
    pub regarding: Option<Regarding>,
    /// `Active` for a call just placed.
    pub status: String,
    /// `Stopped` for a call just placed.
    #[serde(rename = "recordingStatus")]
    pub recording_status: String,
    /// The request's `application`, echoed; `null` when it had none.
    #[serde(default)]
    pub application: Option<String>,
    /// The call's disposition code: `null` for a call just placed.
    #[serde(rename = "dispositionCode", default)]
    pub disposition_code: Option<String>,
}

/// A response's `from`.
///
/// Shape (the sample's order): `{"presentedClid"?: string, "agentId"?: string, "groups"?:
/// [string, ...], "consent"?: string}`. Source: vcc-calls.txt, the 201 sample's `from`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallFrom {
    /// The presented CLID (spelled `presentedClid` in the response).
    #[serde(
        rename = "presentedClid",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub presented_clid: Option<String>,
    /// The calling agent.
    #[serde(rename = "agentId", default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// The calling groups (not in the sample, which calls from an agent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
    /// The consent level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
}

/// One element of a response's `links`.
///
/// Shape: `{"href": string, "rel": string}`. Source: vcc-calls.txt, the 201 sample
/// (`"rel": "_self"`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Link {
    /// The URL of the call resource: `https://{host}/V0/{accountKey}/Calls/{id}`.
    pub href: String,
    /// `_self`.
    pub rel: String,
}
