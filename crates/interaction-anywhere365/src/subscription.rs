//! Subscriptions: `POST /api/subscribe`, `DELETE /api/subscribe/:id`, and which subscriptions an
//! event may come from.
//!
//! Source: anywhere365-cti-broker.txt, "Subscribe for Events" ("Success response Code : 201
//! created Location: api/subscribe/:id") and "Unsubscribe for Events" ("Success response 202 –
//! No Content", "Error response 404 – Not found"); rules: MODEL.md section 6 ("events for a
//! subscription unsubscribed earlier are rejected").

use std::collections::{BTreeSet, VecDeque};

use interaction_core::Error;
use interaction_wire::{Kind, check_id, parse_body, printable};

/// A subscription id: the `:id` of `api/subscribe/:id` and the `SubscriptionId` of every event
/// ("The id of the subscription (returned when the callback URL was subscribed)").
///
/// The page shows GUIDs (`296854af-2ba7-45d0-b460-085dc1843b3d`); any id the core accepts is
/// accepted (non-empty, at most 256 bytes, no control characters), so traces may use readable
/// ones. Ids are compared exactly as they came.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct SubscriptionId(String);

impl SubscriptionId {
    /// Makes the id from `value`, checking it with [`check_id`].
    ///
    /// # Errors
    /// [`Error::MissingField`] or [`Error::InvalidField`] naming `field`.
    pub fn parse(value: &str, field: &str) -> Result<SubscriptionId, Error> {
        check_id(value, field)?;
        Ok(SubscriptionId(value.to_owned()))
    }

    /// The id the `n`th subscription gets, deterministically (the core draws no random ids):
    /// GUID-shaped, with `n` in decimal in the last group, `00000000-0000-0000-0000-000000000007`
    /// for 7. The replay tool passes the trace line number of the `POST /api/subscribe`.
    pub fn numbered(n: usize) -> SubscriptionId {
        SubscriptionId(format!("00000000-0000-0000-0000-{n:012}"))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `Location` of the subscription: `api/subscribe/{id}`, as the page writes it.
    pub fn location(&self) -> String {
        format!("api/subscribe/{}", self.0)
    }
}

impl core::borrow::Borrow<str> for SubscriptionId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Display for SubscriptionId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The broker-side state the adapter keeps between messages: which subscriptions are live and
/// which were unsubscribed (so that a late event for one is refused).
///
/// * [`Subscriptions::subscribe`] (`POST /api/subscribe`, 201) and
///   [`Subscriptions::unsubscribe`] (`DELETE /api/subscribe/:id`, 202, or 404) change it;
/// * [`Subscriptions::check`] says whether an event's `SubscriptionId` may be accepted: every
///   id but an unsubscribed one (a trace may start after the subscribe);
/// * [`Subscriptions::confirm`] records an id seen on an accepted event as live, so that a
///   later `DELETE` of it succeeds as it would at the broker.
///
/// Memory is bounded: at most [`Subscriptions::MAX_IDS`] live and as many unsubscribed ids are
/// kept. Beyond that, the oldest unsubscribed id is forgotten (its late events are then
/// accepted again), and ids seen on events are no longer recorded (a `DELETE` of one is then
/// 404). A refused call changes nothing.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subscriptions {
    live: BTreeSet<SubscriptionId>,
    unsubscribed: BTreeSet<SubscriptionId>,
    /// `unsubscribed` in the order the ids were unsubscribed, oldest first.
    unsubscribed_order: VecDeque<SubscriptionId>,
}

impl Subscriptions {
    /// How many live ids, and how many unsubscribed ids, are kept at most.
    pub const MAX_IDS: usize = 10_000;

    /// No subscriptions.
    pub fn new() -> Self {
        Subscriptions::default()
    }

    /// `POST /api/subscribe`: `id` becomes live. An id that was unsubscribed may be subscribed
    /// again.
    ///
    /// # Errors
    /// [`Error::InvalidField`] `id` when `id` is already live (ids come from the caller, which
    /// must not reuse them).
    pub fn subscribe(&mut self, id: SubscriptionId) -> Result<(), Error> {
        if self.live.contains(&id) {
            return Err(Error::invalid_field(
                "id",
                format!("subscription `{id}` already exists"),
            ));
        }
        if self.unsubscribed.remove(&id) {
            self.unsubscribed_order.retain(|old| old != &id);
        }
        self.live.insert(id);
        Ok(())
    }

    /// `DELETE /api/subscribe/:id`: the live subscription `id` ends; its later events are
    /// refused. Returns the id.
    ///
    /// # Errors
    /// [`Error::InvalidField`] `id` (answered 404) when `id` is not a live subscription: never
    /// subscribed, already unsubscribed, or not a valid id.
    pub fn unsubscribe(&mut self, id: &str) -> Result<SubscriptionId, Error> {
        let id = SubscriptionId::parse(id, "id")?;
        if !self.live.remove(&id) {
            let why = if self.unsubscribed.contains(&id) {
                "was already unsubscribed"
            } else {
                "is not subscribed"
            };
            return Err(Error::invalid_field(
                "id",
                format!("subscription `{}` {why}", printable(id.as_str())),
            ));
        }
        self.unsubscribed.insert(id.clone());
        self.unsubscribed_order.push_back(id.clone());
        while self.unsubscribed_order.len() > Self::MAX_IDS {
            if let Some(old) = self.unsubscribed_order.pop_front() {
                self.unsubscribed.remove(&old);
            }
        }
        Ok(id)
    }

    /// Whether an event from subscription `id` may be accepted: refused when `id` was
    /// unsubscribed earlier (MODEL.md section 6).
    ///
    /// # Errors
    /// [`Error::InvalidField`] `SubscriptionId`.
    pub fn check(&self, id: &SubscriptionId) -> Result<(), Error> {
        if self.unsubscribed.contains(id) {
            return Err(Error::invalid_field(
                "SubscriptionId",
                format!("subscription `{id}` was unsubscribed; its events are refused"),
            ));
        }
        Ok(())
    }

    /// Records `id`, seen on an accepted event, as live (the broker only sends events for live
    /// subscriptions). Does nothing for an unsubscribed id, or when [`Subscriptions::MAX_IDS`]
    /// are live.
    pub fn confirm(&mut self, id: &SubscriptionId) {
        if !self.unsubscribed.contains(id)
            && !self.live.contains(id)
            && self.live.len() < Self::MAX_IDS
        {
            self.live.insert(id.clone());
        }
    }

    /// Whether `id` is a live subscription.
    pub fn is_live(&self, id: &str) -> bool {
        self.live.contains(id)
    }

    /// Whether `id` was unsubscribed (and is still remembered as such).
    pub fn is_unsubscribed(&self, id: &str) -> bool {
        self.unsubscribed.contains(id)
    }

    /// The live subscriptions, sorted.
    pub fn live(&self) -> impl Iterator<Item = &SubscriptionId> {
        self.live.iter()
    }
}

/// Checks the body of `POST /api/subscribe`.
///
/// The page's "Payload" and "Parameters" cells for this endpoint are empty
/// (anywhere365-cti-broker.txt, "Subscribe for Events"), so no member is read or required: a
/// JSON object (its members, such as the callback URL, are kept by the caller) or no body
/// (`null`) is accepted.
///
/// # Errors
/// [`Error::Malformed`] naming `subscribe body` when the body is not JSON, or is JSON but not an
/// object.
pub fn decode_subscribe(body: &[u8]) -> Result<(), Error> {
    const WHAT: &str = "subscribe body";
    let raw = parse_body(body, WHAT)?;
    match Kind::of(raw) {
        Kind::Object | Kind::Null => Ok(()),
        kind => Err(Error::malformed(format!(
            "{WHAT}: expected a JSON object (or no body), got {kind}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interaction_core::ErrorKind;

    fn id(text: &str) -> SubscriptionId {
        SubscriptionId::parse(text, "id").unwrap()
    }

    #[test]
    fn numbered_ids_are_guid_shaped_and_distinct() {
        assert_eq!(
            SubscriptionId::numbered(7).as_str(),
            "00000000-0000-0000-0000-000000000007"
        );
        assert_eq!(
            SubscriptionId::numbered(7).location(),
            "api/subscribe/00000000-0000-0000-0000-000000000007"
        );
        assert_ne!(SubscriptionId::numbered(1), SubscriptionId::numbered(10));
    }

    #[test]
    fn subscribe_unsubscribe_and_late_events() {
        let mut subs = Subscriptions::new();
        let a = id("296854af-2ba7-45d0-b460-085dc1843b3d");
        subs.subscribe(a.clone()).unwrap();
        assert!(subs.is_live(a.as_str()));
        assert!(subs.check(&a).is_ok());
        let before = subs.clone();
        assert_eq!(
            subs.subscribe(a.clone()).unwrap_err().kind(),
            ErrorKind::InvalidField
        );
        assert_eq!(subs, before);

        assert_eq!(subs.unsubscribe(a.as_str()).unwrap(), a);
        let err = subs.check(&a).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidField);
        assert!(err.to_string().contains("`SubscriptionId`"), "{err}");
        // A second DELETE: not live any more.
        let before = subs.clone();
        let err = subs.unsubscribe(a.as_str()).unwrap_err();
        assert!(err.to_string().contains("already unsubscribed"), "{err}");
        assert_eq!(subs, before);
        // A confirm does not revive it; a new subscribe does.
        subs.confirm(&a);
        assert!(subs.check(&a).is_err());
        subs.subscribe(a.clone()).unwrap();
        assert!(subs.check(&a).is_ok());
    }

    #[test]
    fn unknown_ids_are_accepted_on_events_and_learned() {
        let mut subs = Subscriptions::new();
        let b = id("b");
        assert!(subs.check(&b).is_ok());
        assert!(
            subs.unsubscribe("b")
                .unwrap_err()
                .to_string()
                .contains("is not subscribed")
        );
        subs.confirm(&b);
        assert!(subs.unsubscribe("b").is_ok());
        for bad in ["", "x\u{7}", &"x".repeat(300)] {
            assert!(subs.unsubscribe(bad).is_err());
        }
    }

    #[test]
    fn memory_is_bounded() {
        let mut subs = Subscriptions::new();
        for n in 0..=Subscriptions::MAX_IDS {
            let s = SubscriptionId::numbered(n);
            subs.subscribe(s.clone()).unwrap();
            subs.unsubscribe(s.as_str()).unwrap();
        }
        // The first one unsubscribed is forgotten; the others are remembered.
        assert!(!subs.is_unsubscribed(SubscriptionId::numbered(0).as_str()));
        assert!(subs.is_unsubscribed(SubscriptionId::numbered(1).as_str()));
        assert_eq!(subs.unsubscribed.len(), Subscriptions::MAX_IDS);
    }

    #[test]
    fn subscribe_bodies() {
        for ok in [
            &b"{}"[..],
            b"null",
            br#"{"callbackUrl": "https://x", "extra": [1]}"#,
        ] {
            assert!(decode_subscribe(ok).is_ok());
        }
        for bad in [&b""[..], b"[]", b"\"x\"", b"{", b"5"] {
            let err = decode_subscribe(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Malformed);
            assert!(err.to_string().contains("subscribe body"));
        }
    }
}
