//! What the engine remembers beyond its live interactions, each bounded by a setting
//! (MODEL.md section 11): idempotency keys with the request each named, and compact
//! fingerprints of ended interactions it no longer holds.

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};

use hashbrown::HashTable;
use xxhash_rust::xxh3::{Xxh3Default, xxh3_64, xxh3_128};

use crate::action::{Action, Actor, FirstSight};
use crate::api::Api;
use crate::id::{IdempotencyKey, InteractionId};
use crate::state::EndReason;

/// A [`Hasher`] whose output is the same on every run, platform and restore: XXH3 (a
/// specified algorithm) over integers written little-endian, whatever the machine's order and
/// width (`usize` as 8 bytes). `std`'s `Hash` impls write strings as their bytes and a 0xFF,
/// and derived enums their variant index: a fixed encoding.
struct StableHasher(Xxh3Default);

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        self.0.finish()
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }
    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }
    fn write_u16(&mut self, i: u16) {
        self.write(&i.to_le_bytes());
    }
    fn write_u32(&mut self, i: u32) {
        self.write(&i.to_le_bytes());
    }
    fn write_u64(&mut self, i: u64) {
        self.write(&i.to_le_bytes());
    }
    fn write_u128(&mut self, i: u128) {
        self.write(&i.to_le_bytes());
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_i8(&mut self, i: i8) {
        self.write_u8(i.cast_unsigned());
    }
    fn write_i16(&mut self, i: i16) {
        self.write_u16(i.cast_unsigned());
    }
    fn write_i32(&mut self, i: i32) {
        self.write_u32(i.cast_unsigned());
    }
    fn write_i64(&mut self, i: i64) {
        self.write_u64(i.cast_unsigned());
    }
    fn write_i128(&mut self, i: i128) {
        self.write_u128(i.cast_unsigned());
    }
    fn write_isize(&mut self, i: isize) {
        self.write_i64(i as i64);
    }
}

/// The fingerprint of a request: what an idempotency key is remembered with, so that the same
/// key with another request is told apart (MODEL.md section 11). Everything the input says but
/// its key: the interaction, the action with its arguments, the actor, the first-sight data
/// (routing data included) and the API. An id the adapter drew ([`FirstSight::drawn_id`]: a
/// VCC dispatch without `externalid`) is not something the request said, and is left out.
pub(super) fn request_fingerprint(
    id: &InteractionId,
    action: &Action,
    actor: &Actor,
    first_sight: Option<&FirstSight>,
    api: Api,
) -> u64 {
    let mut h = StableHasher(Xxh3Default::new());
    if !first_sight.is_some_and(|fs| fs.drawn_id) {
        id.hash(&mut h);
    }
    action.hash(&mut h);
    actor.hash(&mut h);
    first_sight.hash(&mut h);
    api.hash(&mut h);
    h.finish()
}

/// The idempotency keys applied, oldest first, each kept as the 128-bit XXH3 hash of its text
/// (scope included) with its request's fingerprint: 24 bytes in the table and 16 in the order,
/// whatever the key's length (a GUID `requestid` or a 256-byte one cost the same). Two keys
/// share a hash with a chance of 2^-128 per pair.
#[derive(Clone, Default)]
pub(super) struct Keys {
    /// `(key hash, request fingerprint)`, hashed by the key hash's low 64 bits.
    table: HashTable<(u128, u64)>,
    order: VecDeque<u128>,
}

/// What a key says of an input that carries it.
pub(super) enum Seen {
    /// Not seen (or forgotten): evaluate the input.
    New,
    /// The same request again: a duplicate.
    Same,
    /// Another request under the same key: a conflict.
    Other,
}

fn key_hash(key: &IdempotencyKey) -> u128 {
    xxh3_128(key.as_str().as_bytes())
}

/// The table's hash of a key hash: its low 64 bits (it is a hash already).
#[allow(clippy::cast_possible_truncation)]
const fn low(hash: u128) -> u64 {
    hash as u64
}

impl Keys {
    pub(super) fn seen(&self, key: &IdempotencyKey, fingerprint: u64) -> Seen {
        if self.order.is_empty() {
            return Seen::New;
        }
        let hash = key_hash(key);
        match self.table.find(low(hash), |(k, _)| *k == hash) {
            None => Seen::New,
            Some((_, f)) if *f == fingerprint => Seen::Same,
            Some(_) => Seen::Other,
        }
    }

    /// Remembers `key` for the request `fingerprint`, forgetting the oldest beyond `max`.
    pub(super) fn remember(&mut self, key: &IdempotencyKey, fingerprint: u64, max: usize) {
        if max == 0 {
            return;
        }
        self.insert(key_hash(key), fingerprint);
        while self.order.len() > max {
            if let Some(old) = self.order.pop_front()
                && let Ok(entry) = self.table.find_entry(low(old), |(k, _)| *k == old)
            {
                entry.remove();
            }
        }
    }

    fn insert(&mut self, hash: u128, fingerprint: u64) {
        if let Some(entry) = self.table.find_mut(low(hash), |(k, _)| *k == hash) {
            entry.1 = fingerprint;
        } else {
            self.table
                .insert_unique(low(hash), (hash, fingerprint), |(k, _)| low(*k));
            self.order.push_back(hash);
        }
    }

    pub(super) fn len(&self) -> usize {
        self.order.len()
    }

    /// The keys in order with their fingerprints (the snapshot form).
    fn entries(&self) -> impl Iterator<Item = (u128, u64)> + '_ {
        self.order.iter().map(|hash| {
            let fingerprint = self
                .table
                .find(low(*hash), |(k, _)| k == hash)
                .map_or(0, |(_, f)| *f);
            (*hash, fingerprint)
        })
    }
}

impl PartialEq for Keys {
    fn eq(&self, other: &Self) -> bool {
        self.order.len() == other.order.len() && self.entries().eq(other.entries())
    }
}

impl Eq for Keys {}

impl core::fmt::Debug for Keys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Keys({} remembered)", self.order.len())
    }
}

/// The keys as a list of `[key hash, request fingerprint]` pairs, oldest first; the 128-bit
/// hash written as 32 hexadecimal digits (a JSON number holds no 128-bit integer).
#[cfg(feature = "serde")]
impl serde::Serialize for Keys {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.entries()
                .map(|(hash, fingerprint)| (format!("{hash:032x}"), fingerprint)),
        )
    }
}

/// Reads the pairs back; a key hash listed twice is an error (the engine never writes one).
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, u64)>::deserialize(deserializer)?;
        let mut keys = Keys::default();
        for (hex, fingerprint) in pairs {
            let hash = u128::from_str_radix(&hex, 16)
                .ok()
                .filter(|_| hex.len() == 32)
                .ok_or_else(|| {
                    serde::de::Error::custom("an idempotency key hash is not 32 hex digits")
                })?;
            if keys.table.find(low(hash), |(k, _)| *k == hash).is_some() {
                return Err(serde::de::Error::custom(
                    "an idempotency key is listed twice",
                ));
            }
            keys.insert(hash, fingerprint);
        }
        Ok(keys)
    }
}

/// The ended interactions the engine no longer holds, each as one `u64`: the id's XXH3 hash
/// with its low four bits replaced by the end reason and the API it belonged to. Oldest first,
/// at most `max_forgotten` (`EngineSettings`). A lookup is one probe of a hash table of the
/// fingerprints themselves (they are hashes already).
///
/// Two ids share a fingerprint with a chance of 2^-60 per pair: at a million remembered ids,
/// a new id is mistaken for a forgotten one about once in a billion billion.
#[derive(Clone, Default)]
pub(super) struct Forgotten {
    table: HashTable<u64>,
    order: VecDeque<u64>,
}

/// What a fingerprint says of a forgotten interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Remembered {
    pub(super) reason: EndReason,
    pub(super) api: Api,
}

const META: u64 = 0xF;

fn id_hash(id: &str) -> u64 {
    xxh3_64(id.as_bytes()) & !META
}

fn reason_bits(reason: EndReason) -> u64 {
    match reason {
        EndReason::Released => 0,
        EndReason::Completed => 1,
        EndReason::Cancelled => 2,
        EndReason::Disconnected => 3,
    }
}

fn reason_of(bits: u64) -> EndReason {
    match bits & 3 {
        0 => EndReason::Released,
        1 => EndReason::Completed,
        2 => EndReason::Cancelled,
        _ => EndReason::Disconnected,
    }
}

impl Forgotten {
    pub(super) fn len(&self) -> usize {
        self.order.len()
    }

    /// What is remembered of `id`, if it is.
    pub(super) fn get(&self, id: &str) -> Option<Remembered> {
        if self.order.is_empty() {
            return None;
        }
        let hash = id_hash(id);
        self.table
            .find(hash, |&f| f & !META == hash)
            .map(|&f| Remembered {
                reason: reason_of(f),
                api: Api::from_bits(f >> 2),
            })
    }

    /// Remembers `id`, which ended with `reason` and belonged to `api`, forgetting the oldest
    /// fingerprint beyond `max`.
    pub(super) fn remember(&mut self, id: &str, reason: EndReason, api: Api, max: usize) {
        if max == 0 {
            return;
        }
        let hash = id_hash(id);
        let fingerprint = hash | (api as u64) << 2 | reason_bits(reason);
        // The same hash remembered already (two ids that share it): keep one entry, with the
        // newest meaning.
        if let Ok(mut entry) = self.table.find_entry(hash, |&f| f & !META == hash) {
            let old = *entry.get();
            *entry.get_mut() = fingerprint;
            if let Some(slot) = self.order.iter_mut().rev().find(|f| **f == old) {
                *slot = fingerprint;
            }
        } else {
            self.table.insert_unique(hash, fingerprint, |&f| f & !META);
            self.order.push_back(fingerprint);
        }
        while self.order.len() > max {
            if let Some(old) = self.order.pop_front()
                && let Ok(entry) = self.table.find_entry(old & !META, |&f| f == old)
            {
                entry.remove();
            }
        }
    }

    /// Rebuilds the table from fingerprints in order (a restore); a repeated id keeps its last.
    #[cfg(feature = "serde")]
    fn from_order(order: Vec<u64>) -> Forgotten {
        let mut forgotten = Forgotten::default();
        for f in order {
            let hash = f & !META;
            if let Ok(mut entry) = forgotten.table.find_entry(hash, |&g| g & !META == hash) {
                let old = *entry.get();
                *entry.get_mut() = f;
                forgotten.order.retain(|g| *g != old);
            } else {
                forgotten.table.insert_unique(hash, f, |&g| g & !META);
            }
            forgotten.order.push_back(f);
        }
        forgotten
    }
}

impl PartialEq for Forgotten {
    fn eq(&self, other: &Self) -> bool {
        self.order == other.order
    }
}

impl Eq for Forgotten {}

impl core::fmt::Debug for Forgotten {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Forgotten({} fingerprints)", self.order.len())
    }
}

/// The fingerprints in order (a list of numbers).
#[cfg(feature = "serde")]
impl serde::Serialize for Forgotten {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.order.iter())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Forgotten {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u64>::deserialize(deserializer).map(Forgotten::from_order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_keep_reason_and_api_and_evict_oldest_first() {
        let mut f = Forgotten::default();
        f.remember("a", EndReason::Completed, Api::Gws, 2);
        f.remember("b", EndReason::Disconnected, Api::Anywhere365, 2);
        assert_eq!(
            f.get("a"),
            Some(Remembered {
                reason: EndReason::Completed,
                api: Api::Gws
            })
        );
        assert_eq!(f.get("b").map(|r| r.api), Some(Api::Anywhere365));
        assert_eq!(f.get("c"), None);
        f.remember("c", EndReason::Released, Api::Vcc, 2);
        assert_eq!(f.get("a"), None, "the oldest is forgotten");
        assert_eq!(f.len(), 2);
        f.remember("c", EndReason::Cancelled, Api::Core, 2);
        assert_eq!(f.len(), 2);
        assert_eq!(f.get("c").map(|r| r.reason), Some(EndReason::Cancelled));
    }

    #[test]
    fn request_fingerprints_are_fixed() {
        let id = InteractionId::parse("i1", "id").unwrap();
        let a = request_fingerprint(&id, &Action::Release, &Actor::Platform, None, Api::Vcc);
        let b = request_fingerprint(&id, &Action::Release, &Actor::Platform, None, Api::Vcc);
        let c = request_fingerprint(&id, &Action::Complete, &Actor::Platform, None, Api::Vcc);
        assert_eq!(a, b);
        assert_ne!(a, c);
        // The same on every run and platform, so that a snapshot restored elsewhere agrees:
        // pinned (integers are written little-endian, lengths as 8 bytes).
        assert_eq!(a, PINNED, "{a:#x}");
    }

    const PINNED: u64 = 0xd48e_77d0_935e_f998;
}
