//! One interaction as the engine holds it, and its user data kept out of line.

use crate::action::FirstSight;
use crate::api::Api;
use crate::error::Refusal;
use crate::id::ProviderName;
use crate::routing::Routing;
use crate::state::{Direction, Media, State, Target};
use crate::value::{self, MAX_USER_DATA_BYTES, UserData};

/// One interaction held by the engine.
///
/// Serialized as `{"state", "media", "direction", "api", "provider", "target", "user_data",
/// "routing"?}`: its user data and its routing data share one box in memory ([`Data`]) and are
/// two members in a snapshot. Snapshots written before `api` or `routing` were kept read as
/// `core` and none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interaction {
    pub(super) state: State,
    pub(super) media: Media,
    pub(super) direction: Direction,
    /// The vendor API that created it (MODEL.md section 11).
    pub(super) api: Api,
    pub(super) provider: Option<ProviderName>,
    pub(super) target: Option<Target>,
    /// Its user data, and its routing data from its creation (a VCC dispatch's `linkeddata`,
    /// personal queue, skills), out of line in one box: an interaction with neither costs one
    /// pointer.
    pub(super) user_data: Data,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize)]
struct InteractionRef<'a> {
    state: &'a State,
    media: Media,
    direction: Direction,
    api: Api,
    provider: &'a Option<ProviderName>,
    target: &'a Option<Target>,
    user_data: &'a UserData,
    #[serde(skip_serializing_if = "Option::is_none")]
    routing: Option<&'a Routing>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct InteractionOwned {
    state: State,
    media: Media,
    direction: Direction,
    #[serde(default)]
    api: Api,
    provider: Option<ProviderName>,
    target: Option<Target>,
    user_data: UserData,
    #[serde(default)]
    routing: Option<Routing>,
}

#[cfg(feature = "serde")]
impl serde::Serialize for Interaction {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        InteractionRef {
            state: &self.state,
            media: self.media,
            direction: self.direction,
            api: self.api,
            provider: &self.provider,
            target: &self.target,
            user_data: self.user_data.get(),
            routing: self.user_data.routing(),
        }
        .serialize(serializer)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Interaction {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let owned = InteractionOwned::deserialize(deserializer)?;
        let mut user_data = Data::new(owned.user_data);
        user_data.set_routing(owned.routing.filter(|r| !r.is_empty()).map(Box::new));
        Ok(Interaction {
            state: owned.state,
            media: owned.media,
            direction: owned.direction,
            api: owned.api,
            provider: owned.provider,
            target: owned.target,
            user_data,
        })
    }
}

impl Interaction {
    /// The current state with its data.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The media.
    pub fn media(&self) -> Media {
        self.media
    }

    /// The direction.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The vendor API whose input created it: the namespace it belongs to (MODEL.md section
    /// 11). [`Api::Core`] when a core action created it (any API may act on it).
    pub fn api(&self) -> Api {
        self.api
    }

    /// The provider it was dispatched with, if any.
    pub fn provider(&self) -> Option<&ProviderName> {
        self.provider.as_ref()
    }

    /// The route or queue it last waited at, if known.
    pub fn target(&self) -> Option<&Target> {
        self.target.as_ref()
    }

    /// Its user data.
    pub fn user_data(&self) -> &UserData {
        self.user_data.get()
    }

    /// Its routing data (linked records, personal queue, skills), if it was created with any.
    pub fn routing(&self) -> Option<&Routing> {
        self.user_data.routing()
    }

    /// The same, with the routing data of the first sight it was created from.
    pub(super) fn routed(mut self, first_sight: Option<FirstSight>) -> Self {
        self.user_data
            .set_routing(first_sight.and_then(|fs| fs.routing));
        self
    }
}

/// No user data, for the interactions that have none.
static NO_USER_DATA: UserData = UserData::new();

/// An interaction's user data, kept out of line with its JSON length
/// ([`value::encoded_len`]), and its routing data beside it: most interactions carry neither,
/// and an empty map inline would cost 24 bytes in every one where a box costs 8
/// (`docs/PERFORMANCE.md`, Memory). Never an empty box: `None` is the empty map and no routing
/// data, so equality and snapshots see only what is held.
#[derive(Clone, Default)]
pub(super) struct Data(Option<Box<Held>>);

#[derive(Clone)]
struct Held {
    map: UserData,
    /// `value::encoded_len(&map)`, kept so that a change is checked against
    /// [`MAX_USER_DATA_BYTES`] without walking the whole map.
    len: usize,
    /// The routing data the interaction was created with.
    routing: Option<Box<Routing>>,
}

/// A user-data change an input asks for.
pub(super) enum UserDataChange {
    Update(UserData),
    Attach(UserData),
    Delete(Vec<String>),
}

impl Data {
    pub(super) fn new(data: UserData) -> Self {
        if data.is_empty() {
            Data(None)
        } else {
            let len = value::encoded_len(&data);
            Data(Some(Box::new(Held {
                map: data,
                len,
                routing: None,
            })))
        }
    }

    pub(super) fn get(&self) -> &UserData {
        self.0.as_deref().map_or(&NO_USER_DATA, |h| &h.map)
    }

    /// The routing data, if any.
    pub(super) fn routing(&self) -> Option<&Routing> {
        self.0.as_deref().and_then(|h| h.routing.as_deref())
    }

    /// Sets the routing data (a creation's), keeping the box only when something is held.
    pub(super) fn set_routing(&mut self, routing: Option<Box<Routing>>) {
        match (&mut self.0, routing) {
            (Some(held), routing) => held.routing = routing,
            (None, None) => {}
            (None, Some(routing)) => {
                self.0 = Some(Box::new(Held {
                    map: UserData::new(),
                    len: 2,
                    routing: Some(routing),
                }));
            }
        }
        self.drop_if_empty();
    }

    /// Drops the box when it holds neither user data nor routing data.
    fn drop_if_empty(&mut self) {
        if self
            .0
            .as_deref()
            .is_some_and(|h| h.map.is_empty() && h.routing.is_none())
        {
            self.0 = None;
        }
    }

    fn len(&self) -> usize {
        self.0.as_deref().map_or(2, |h| h.len)
    }

    /// Checks that merging `new` (replacing existing values when `replace`, as `update` does;
    /// adding only absent keys otherwise, as `attach` does) leaves at most
    /// [`MAX_USER_DATA_BYTES`]; returns the JSON length after it.
    ///
    /// # Errors
    /// [`Refusal::UserDataTooLarge`] when it would hold more.
    pub(super) fn check(&self, new: &UserData, replace: bool) -> Result<usize, Refusal> {
        let map = self.get();
        let mut len = self.len();
        for (k, v) in new {
            match map.get(k) {
                None => len += value::member_len(k, v) + 1,
                Some(old) if replace => {
                    len = len + value::member_len(k, v) - value::member_len(k, old);
                }
                Some(_) => {}
            }
        }
        check_len(len)?;
        Ok(len)
    }

    /// Applies a checked change ([`Data::check`] gave `len`, the length after it), dropping
    /// the box when the map ends up empty.
    pub(super) fn change(&mut self, change: UserDataChange, len: usize) {
        if self.0.is_none() && matches!(change, UserDataChange::Delete(_)) {
            return;
        }
        let held = self.0.get_or_insert_with(|| {
            Box::new(Held {
                map: UserData::new(),
                len: 2,
                routing: None,
            })
        });
        match change {
            UserDataChange::Update(new) => {
                held.map.extend(new);
                held.len = len;
            }
            UserDataChange::Attach(new) => {
                for (k, v) in new {
                    held.map.entry(k).or_insert(v);
                }
                held.len = len;
            }
            UserDataChange::Delete(keys) => {
                for k in keys {
                    if let Some(v) = held.map.remove(&k) {
                        held.len = held.len.saturating_sub(value::member_len(&k, &v) + 1);
                    }
                }
            }
        }
        self.drop_if_empty();
    }
}

/// Checks a user-data length against [`MAX_USER_DATA_BYTES`].
///
/// # Errors
/// [`Refusal::UserDataTooLarge`] (kind `invalid_field` `user_data`) when `len` is over it.
pub(super) fn check_len(len: usize) -> Result<(), Refusal> {
    if len > MAX_USER_DATA_BYTES {
        return Err(Refusal::UserDataTooLarge { len });
    }
    Ok(())
}

impl PartialEq for Data {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get() && self.routing() == other.routing()
    }
}

impl Eq for Data {}

impl core::fmt::Debug for Data {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.routing() {
            None => core::fmt::Debug::fmt(self.get(), f),
            Some(routing) => f
                .debug_struct("Data")
                .field("user_data", self.get())
                .field("routing", routing)
                .finish(),
        }
    }
}
