//! One interaction as the engine holds it, and its user data kept out of line.

use crate::action::FirstSight;
use crate::api::Api;
use crate::error::Error;
use crate::id::ProviderName;
use crate::routing::Routing;
use crate::state::{Direction, Media, State, Target};
use crate::value::{self, MAX_USER_DATA_BYTES, UserData};

/// One interaction held by the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Interaction {
    pub(super) state: State,
    pub(super) media: Media,
    pub(super) direction: Direction,
    /// The vendor API that created it (MODEL.md section 11); snapshots written before it was
    /// kept read as `core` (any API may act on it).
    #[cfg_attr(feature = "serde", serde(default))]
    pub(super) api: Api,
    pub(super) provider: Option<ProviderName>,
    pub(super) target: Option<Target>,
    pub(super) user_data: Data,
    /// Routing data from its creation (a VCC dispatch's `linkeddata`, personal queue, skills);
    /// boxed, so that an interaction without it costs one pointer. Snapshots written before it
    /// was kept read as none.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub(super) routing: Option<Box<Routing>>,
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
        self.routing.as_deref()
    }

    /// The same, with the routing data of the first sight it was created from.
    pub(super) fn routed(self, first_sight: Option<FirstSight>) -> Self {
        Interaction {
            routing: first_sight.and_then(|fs| fs.routing),
            ..self
        }
    }
}

/// No user data, for the interactions that have none.
static NO_USER_DATA: UserData = UserData::new();

/// An interaction's user data, kept out of line with its JSON length
/// ([`value::encoded_len`]): most interactions carry none, and an empty map inline would cost
/// 24 bytes in every one where a box costs 8 (`docs/PERFORMANCE.md`, Memory). Never an empty
/// box: `None` is the empty map, so equality and snapshots see only the map.
#[derive(Clone, Default)]
pub(super) struct Data(Option<Box<Held>>);

#[derive(Clone)]
struct Held {
    map: UserData,
    /// `value::encoded_len(&map)`, kept so that a change is checked against
    /// [`MAX_USER_DATA_BYTES`] without walking the whole map.
    len: usize,
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
            Data(Some(Box::new(Held { map: data, len })))
        }
    }

    pub(super) fn get(&self) -> &UserData {
        self.0.as_deref().map_or(&NO_USER_DATA, |h| &h.map)
    }

    fn len(&self) -> usize {
        self.0.as_deref().map_or(2, |h| h.len)
    }

    /// Checks that merging `new` (replacing existing values when `replace`, as `update` does;
    /// adding only absent keys otherwise, as `attach` does) leaves at most
    /// [`MAX_USER_DATA_BYTES`]; returns the JSON length after it.
    ///
    /// # Errors
    /// [`Error::InvalidField`] `user_data` when it would hold more.
    pub(super) fn check(&self, new: &UserData, replace: bool) -> Result<usize, Error> {
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
        if held.map.is_empty() {
            self.0 = None;
        }
    }
}

/// Checks a user-data length against [`MAX_USER_DATA_BYTES`].
///
/// # Errors
/// [`Error::InvalidField`] `user_data` when `len` is over it.
pub(super) fn check_len(len: usize) -> Result<(), Error> {
    if len > MAX_USER_DATA_BYTES {
        return Err(Error::invalid_field(
            "user_data",
            format!("would hold {len} bytes of JSON; at most {MAX_USER_DATA_BYTES} are allowed"),
        ));
    }
    Ok(())
}

impl PartialEq for Data {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for Data {}

impl core::fmt::Debug for Data {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(self.get(), f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Data {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Data {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        UserData::deserialize(deserializer).map(Data::new)
    }
}
