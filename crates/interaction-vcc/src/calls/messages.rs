//! The messages of the Calls API's error responses, spelled exactly as the vendor's page spells
//! them (vcc-calls.txt, "Returns HTTP Status Code 400" and "415"), plus the few this crate adds
//! where the page gives none (marked "not on the page").
//!
//! A `400` response carries one of these as `{"message": "..."}`; see [`crate::calls_response`].

/// Calling agent busy (vcc-calls.txt, 400).
pub const CALLING_AGENT_BUSY: &str = "Unable to place call - Agent number busy";
/// Destination agent busy, or otherwise not available (vcc-calls.txt, 400).
pub const DESTINATION_AGENT_UNAVAILABLE: &str =
    "Unable to place call - dialed Agent is not currently available";
/// Unknown destination agent (vcc-calls.txt, 400; the page's trailing full stop kept).
pub const DESTINATION_AGENT_UNKNOWN: &str = "Unable to place call - invalid Agent Id.";
/// Unknown calling agent (vcc-calls.txt, 400).
pub const CALLING_AGENT_UNKNOWN: &str = "Unable to place call - Agent Id is unknown";
/// Invalid number dialed (vcc-calls.txt, 400).
pub const NUMBER_INVALID: &str = "Unable to place call - number is invalid";
/// Call failed (vcc-calls.txt, 400). Used for a calling agent that is logged out: the platform
/// cannot reach the agent's leg of the call.
pub const CALL_FAILED: &str = "Unable to place call to Agent. Please try again";
/// vcc-calls.txt, 400.
pub const TELEPHONE_NUMBER_TOO_LONG: &str = "Telephone number exceeds 30 characters";
/// vcc-calls.txt, 400.
pub const AGENT_ID_TOO_LONG: &str = "Agent Id exceeds 11 digits";
/// vcc-calls.txt, 400.
pub const AGENT_ID_NOT_DIGITS: &str = "Agent Id must contain digits only";
/// vcc-calls.txt, 400. Used for a `from.telephoneNumber`: a call cannot be made from a number.
pub const TELEPHONE_NUMBER_NOT_SUPPORTED: &str = "Telephone number not supported in this context";
/// vcc-calls.txt, 400. Used when `from` names neither an agent nor groups.
pub const AGENT_ID_REQUIRED: &str = "Agent Id must be specified";
/// vcc-calls.txt, 400: `to` names neither a telephone number nor an agent.
pub const TO_REQUIRED: &str = "Either telephone number or agent id required";
/// vcc-calls.txt, 400: `to` names both a telephone number and an agent.
pub const TO_NOT_BOTH: &str = "Either telephone number or agent id required, not both";
/// vcc-calls.txt, 400.
pub const REFERENCE_TOO_LONG: &str = "Reference exceeded 2000 characters";
/// vcc-calls.txt, 400.
pub const REFERENCE_INVALID: &str = "Reference contained invalid characters";
/// vcc-calls.txt, 400.
pub const APPLICATION_TOO_LONG: &str = "Application exceeded 32 characters";
/// vcc-calls.txt, 400.
pub const APPLICATION_NOT_ALPHANUMERIC: &str = "Application contains non-alphanumeric characters";
/// Not on the page: `from` names both an agent and groups ("Use either agentID or groups"),
/// worded like the page's message for `to`.
pub const FROM_NOT_BOTH: &str = "Either agent id or groups required, not both";
/// Not on the page: a `consent` other than the three values the page lists.
pub const CONSENT_INVALID: &str = "Consent must be one of Unknown, OneParty, TwoParty";
/// Not on the page: a `presentedCLID` that is not a telephone number of at most 30 characters.
pub const PRESENTED_CLID_INVALID: &str =
    "Presented CLID must be a telephone number of at most 30 characters";

/// The 415 message for `media_type` (vcc-calls.txt: "The requested resource does not support
/// content type 'multipart/form-data'.").
pub fn unsupported_content_type(media_type: &str) -> String {
    format!("The requested resource does not support content type '{media_type}'.")
}
