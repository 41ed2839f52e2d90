//! The engine's interactions by id: a dense store of `(id, value)` slots and a hash table of
//! 4-byte slot numbers (the layout of `indexmap`, without its stored hashes, and with the slots
//! in fixed-size chunks).
//!
//! Why not a `HashMap<InteractionId, Interaction>`: a hash table keeps between 1/8 and 1/2 of
//! its buckets empty, and a bucket here would be the id and the whole interaction (152 bytes);
//! at 1M interactions that map is 2^21 buckets, 321 bytes an interaction. Here the table's
//! buckets are 4 bytes (10.5 bytes an interaction at 1M), and the slots sit in chunks of
//! [`CHUNK`] allocated whole, so at most one chunk is partly empty: 163 bytes an interaction at
//! 1M (`docs/PERFORMANCE.md`, Memory). The price is one more dependent load per lookup (the
//! slot number, then the slot).
//!
//! The slot of the latest apply's lookup or insert is kept as a hint (`last`): the reads
//! right after an apply are of the same interaction (an endpoint's item: its state,
//! `allowed`, the vendor's profile), and each costs one id comparison instead of a hash and a
//! probe. The hint is only
//! a place to look first: it is checked against the slot's id, so a stale one costs that one
//! comparison and nothing else.
//!
//! Removal moves the last slot into the hole (`swap_remove`), so the slots stay dense and
//! iteration order is insertion order except where a removal moved the last slot. Chunks are
//! kept when emptied and reused (no allocation churn when the count hovers at a boundary).

use core::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::id::InteractionId;

/// Slots per chunk (a power of two). The first chunk grows by doubling up to it, so a small
/// engine holds no more than it needs; the next chunks are allocated whole.
const CHUNK_BITS: u32 = 12;
const CHUNK: usize = 1 << CHUNK_BITS;

/// The most slots a store holds: slot numbers are `u32`.
pub(crate) const MAX_LEN: usize = u32::MAX as usize;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot<V> {
    id: InteractionId,
    value: V,
}

/// The slot numbered `index` in `chunks` (free of `self`, so that it can be called while the
/// table is borrowed apart).
fn locate<V>(chunks: &[Vec<Slot<V>>], index: u32) -> Option<&Slot<V>> {
    let index = index as usize;
    chunks.get(index >> CHUNK_BITS)?.get(index & (CHUNK - 1))
}

/// Values by [`InteractionId`]: `get`, `get_mut`, `insert_new`, `remove`, `iter`.
#[derive(Clone)]
pub(crate) struct Store<V> {
    /// Slot numbers, hashed by their slot's id.
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
    /// The slots, `CHUNK` to a chunk; `len` of them are in use, the first `len` in order.
    chunks: Vec<Vec<Slot<V>>>,
    len: usize,
    /// The slot the latest [`Store::get_mut_hashed`] found or [`Store::insert_new`] filled
    /// (`u32::MAX`: none), where [`Store::get`] looks first. Written only through `&mut self`
    /// (an apply), so that readers sharing the store never write to it.
    last: u32,
}

impl<V> Default for Store<V> {
    fn default() -> Self {
        Store {
            table: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
            chunks: Vec::new(),
            len: 0,
            last: u32::MAX,
        }
    }
}

/// A lookup's hash, computed once and reused by the insert that may follow it.
#[derive(Clone, Copy)]
pub(crate) struct Hashed(u64);

impl<V> Store<V> {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_full(&self) -> bool {
        self.len >= MAX_LEN
    }

    pub(crate) fn hash(&self, id: &str) -> Hashed {
        Hashed(self.hasher.hash_one(id))
    }

    fn slot(&self, index: u32) -> Option<&Slot<V>> {
        locate(&self.chunks, index)
    }

    fn slot_mut(&mut self, index: u32) -> Option<&mut Slot<V>> {
        let index = index as usize;
        self.chunks
            .get_mut(index >> CHUNK_BITS)?
            .get_mut(index & (CHUNK - 1))
    }

    fn find(&self, hash: Hashed, id: &str) -> Option<u32> {
        self.table
            .find(hash.0, |&i| {
                self.slot(i).is_some_and(|s| s.id.as_str() == id)
            })
            .copied()
    }

    pub(crate) fn get(&self, id: &str) -> Option<&V> {
        if let Some(slot) = self.slot(self.last)
            && slot.id.as_str() == id
        {
            return Some(&slot.value);
        }
        let index = self.find(self.hash(id), id)?;
        self.slot(index).map(|s| &s.value)
    }

    /// The value of `id`, whose hash is `hash` (from [`Store::hash`]); its slot becomes the
    /// hint [`Store::get`] looks at first.
    pub(crate) fn get_mut_hashed(&mut self, hash: Hashed, id: &str) -> Option<&mut V> {
        let index = self.find(hash, id)?;
        self.last = index;
        self.slot_mut(index).map(|s| &mut s.value)
    }

    /// Adds `id`, which the caller found absent with the same `hash`. Returns `false` (and
    /// stores nothing) when the store is full ([`MAX_LEN`]).
    pub(crate) fn insert_new(&mut self, hash: Hashed, id: InteractionId, value: V) -> bool {
        // Full at `MAX_LEN` slots: slot `u32::MAX` is never used (it is the hint's "none").
        if self.is_full() {
            return false;
        }
        let Ok(index) = u32::try_from(self.len) else {
            return false;
        };
        let (chunk, offset) = (self.len >> CHUNK_BITS, self.len & (CHUNK - 1));
        if chunk == self.chunks.len() {
            self.chunks.push(Vec::new());
        }
        // The first `offset` slots of the chunk are in use: chunks before the last one are
        // full, and a reused (emptied) chunk keeps only its capacity.
        let Some(slots) = self.chunks.get_mut(chunk) else {
            return false;
        };
        debug_assert_eq!(slots.len(), offset);
        if slots.len() == slots.capacity() {
            // Double up to CHUNK, never past it: a chunk is at most CHUNK slots of memory.
            let want = (slots.capacity() * 2).clamp(4, CHUNK);
            slots.reserve_exact(want - slots.len());
        }
        slots.push(Slot { id, value });
        self.len += 1;
        self.last = index;
        let Self {
            table,
            hasher,
            chunks,
            ..
        } = self;
        table.insert_unique(hash.0, index, |&i| {
            locate(chunks, i).map_or(0, |s| hasher.hash_one(s.id.as_str()))
        });
        true
    }

    /// Removes `id` and returns its value; the last slot moves into its place.
    pub(crate) fn remove(&mut self, id: &str) -> Option<V> {
        let hash = self.hash(id);
        // Where the last slot is, found before anything changes.
        let last = self.len.checked_sub(1)?;
        let last_u32 = u32::try_from(last).ok()?;
        let Self { table, chunks, .. } = self;
        let entry = table
            .find_entry(hash.0, |&i| {
                locate(chunks, i).is_some_and(|s| s.id.as_str() == id)
            })
            .ok()?;
        let (index, _) = entry.remove();
        let moved = self.chunks.get_mut(last >> CHUNK_BITS)?.pop()?;
        self.len = last;
        if index == last_u32 {
            return Some(moved.value);
        }
        // Point the moved slot's table entry at its new place, then swap it in.
        let moved_hash = self.hash(moved.id.as_str());
        if let Some(entry) = self.table.find_mut(moved_hash.0, |&i| i == last_u32) {
            *entry = index;
        }
        let hole = self.slot_mut(index)?;
        let removed = core::mem::replace(hole, moved);
        Some(removed.value)
    }

    /// Every `(id, value)`, in slot order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&InteractionId, &V)> {
        self.chunks
            .iter()
            .flat_map(|c| c.iter())
            .take(self.len)
            .map(|s| (&s.id, &s.value))
    }
}

/// Equal when both hold the same ids with equal values, whatever their slot order.
impl<V: PartialEq> PartialEq for Store<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().all(|(id, v)| other.get(id.as_str()) == Some(v))
    }
}

impl<V: Eq> Eq for Store<V> {}

impl<V: core::fmt::Debug> core::fmt::Debug for Store<V> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A map from id to value, in slot order (the snapshot format of the engine's `interactions`).
#[cfg(feature = "serde")]
impl<V: serde::Serialize> serde::Serialize for Store<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Reads a map from id to value; an id twice is an error (a snapshot never has one).
#[cfg(feature = "serde")]
impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for Store<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<V>(core::marker::PhantomData<V>);

        impl<'de, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = Store<V>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a map from interaction id to interaction")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Store<V>, A::Error> {
                let mut store = Store::default();
                while let Some((id, value)) = map.next_entry::<InteractionId, V>()? {
                    let hash = store.hash(id.as_str());
                    if store.find(hash, id.as_str()).is_some() {
                        return Err(serde::de::Error::custom(format_args!(
                            "interaction `{id}` appears twice"
                        )));
                    }
                    if !store.insert_new(hash, id, value) {
                        return Err(serde::de::Error::custom("too many interactions"));
                    }
                }
                Ok(store)
            }
        }

        deserializer.deserialize_map(Visit(core::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn id(n: usize) -> InteractionId {
        InteractionId::parse(&format!("id-{n}"), "id").unwrap()
    }

    fn insert(store: &mut Store<usize>, n: usize) {
        let key = id(n);
        let hash = store.hash(key.as_str());
        assert!(store.get(key.as_str()).is_none());
        assert!(store.insert_new(hash, key, n));
    }

    /// The lookup hint is written only by `&mut self` methods: an engine can still be read
    /// from several threads at once (behind an `RwLock`), without those reads writing, and
    /// moved between them.
    #[test]
    fn the_store_and_the_engine_stay_send_and_sync() {
        fn shared<T: Send + Sync>() {}
        shared::<Store<usize>>();
        shared::<crate::Engine>();
    }

    /// Inserts and removes across several chunks against a `std` map, checking every lookup,
    /// the count and the iteration after each step.
    #[test]
    fn behaves_as_a_map_across_chunks() {
        let mut store = Store::default();
        let mut model = std::collections::HashMap::new();
        let mut x: u64 = 7;
        for step in 0..30_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let n = usize::try_from(x >> 50).unwrap();
            if step % 3 == 2 {
                assert_eq!(store.remove(&format!("id-{n}")), model.remove(&n));
            } else if let std::collections::hash_map::Entry::Vacant(e) = model.entry(n) {
                insert(&mut store, n);
                e.insert(n);
            }
            assert_eq!(store.len(), model.len());
            // A lookup right after the step, with the hint (the slot last inserted or found)
            // perhaps moved or removed by it: the map's answer all the same.
            let key = format!("id-{n}");
            assert_eq!(store.get(&key), model.get(&n));
            let probe = format!("id-{}", n ^ 1);
            let hash = store.hash(&probe);
            assert_eq!(
                store.get_mut_hashed(hash, &probe).copied(),
                model.get(&(n ^ 1)).copied()
            );
            assert_eq!(store.get(&key), model.get(&n));
        }
        for (n, v) in &model {
            assert_eq!(store.get(&format!("id-{n}")), Some(v));
        }
        let mut seen: Vec<usize> = store.iter().map(|(_, v)| *v).collect();
        seen.sort_unstable();
        let mut want: Vec<usize> = model.keys().copied().collect();
        want.sort_unstable();
        assert_eq!(seen, want);
        assert!(store.len() > 2 * CHUNK, "the test spans several chunks");
    }

    #[test]
    fn removing_everything_then_refilling_reuses_the_chunks() {
        let mut store = Store::default();
        for n in 0..CHUNK + 10 {
            insert(&mut store, n);
        }
        for n in 0..CHUNK + 10 {
            assert_eq!(store.remove(&format!("id-{n}")), Some(n));
        }
        assert_eq!(store.len(), 0);
        assert_eq!(store.iter().count(), 0);
        for n in 0..CHUNK + 10 {
            insert(&mut store, n + 1_000_000);
        }
        assert_eq!(store.len(), CHUNK + 10);
        assert_eq!(store.chunks.len(), 2);
        assert_eq!(store.chunks[0].capacity(), CHUNK);
        assert_eq!(store.get("id-1000005"), Some(&1_000_005));
    }

    #[test]
    fn equality_ignores_slot_order() {
        let (mut a, mut b) = (Store::default(), Store::default());
        for n in 0..5 {
            insert(&mut a, n);
            insert(&mut b, 4 - n);
        }
        assert_eq!(a, b);
        b.remove("id-2");
        assert_ne!(a, b);
    }
}
