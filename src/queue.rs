//! The event queue: timers keyed by whole ticks, released first-in first-out within a tick.
//!
//! Every timer in the model (a reboot ending, a retry coming due, a login completing, a supernode
//! warming up) falls on a tick boundary, so a calendar of per-tick buckets gives the total order
//! `(tick, order of scheduling)` with O(1) push and pop and no float keys. A bucket's memory is
//! returned as soon as its tick is released.

/// Items a full chunk holds. A bucket is a list of chunks, so a storm's bucket is handed back
/// chunk by chunk as it is handled and the next tick's bucket fills the same chunks: the queue
/// holds one storm's worth of timers, not two.
pub const CHUNK: usize = 4096;
/// Empty full-size chunks kept for reuse (in a storm one or two are in flight at a time).
const POOL_MAX: usize = 4;
/// Empty smaller chunks kept for reuse: every tick empties a bucket and fills new ones, so
/// without them each small bucket is allocated and grown afresh (much of a sweep's time in wasm).
const SPARE_MAX: usize = 64;

/// A calendar of FIFO buckets, one per tick, holding payloads of type `T`.
#[derive(Clone)]
pub struct TickQueue<T> {
    /// `buckets[i]` holds the timers of tick `base + i`, as chunks: every chunk but the last
    /// holds at least [`CHUNK`] items; the last grows like any vector up to that size.
    buckets: std::collections::VecDeque<Vec<Vec<T>>>,
    /// The tick of `buckets[0]`: nothing earlier can be scheduled any more.
    base: u32,
    len: usize,
    /// Emptied full-size chunks, for the next pushes.
    pool: Vec<Vec<T>>,
    /// Emptied smaller chunks, for the first push into an empty bucket.
    spare: Vec<Vec<T>>,
}

/// What the queue holds (each tick's items in order), not how: two queues with the same
/// timers print alike however their chunks fell.
impl<T: std::fmt::Debug> std::fmt::Debug for TickQueue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ticks: Vec<(u32, Vec<&T>)> = (0..self.buckets.len() as u32)
            .map(|i| {
                (
                    self.base + i,
                    self.bucket(self.base + i).collect::<Vec<&T>>(),
                )
            })
            .filter(|(_, items)| !items.is_empty())
            .collect();
        f.debug_struct("TickQueue")
            .field("base", &self.base)
            .field("len", &self.len)
            .field("ticks", &ticks)
            .finish()
    }
}

impl<T> Default for TickQueue<T> {
    fn default() -> Self {
        Self {
            buckets: std::collections::VecDeque::new(),
            base: 0,
            len: 0,
            pool: Vec::new(),
            spare: Vec::new(),
        }
    }
}

impl<T> TickQueue<T> {
    /// An empty queue whose first tick is `base`.
    pub fn starting_at(base: u32) -> Self {
        Self {
            base,
            ..Self::default()
        }
    }

    /// Schedules `item` for `tick`. A tick already released is clamped to the next one still
    /// open, so nothing is ever lost or delivered into the past.
    #[inline]
    pub fn push(&mut self, tick: u32, item: T) {
        let offset = tick.saturating_sub(self.base) as usize;
        // The common case, small enough to inline where timers are set (in the wasm build too).
        if let Some(chunk) = self.buckets.get_mut(offset).and_then(|b| b.last_mut()) {
            if chunk.len() < CHUNK {
                chunk.push(item);
                self.len += 1;
                return;
            }
        }
        self.push_into_new_chunk(offset, item);
    }

    /// [`TickQueue::push`] when the bucket `offset` ticks from `base` needs a new chunk (or
    /// the queue a new bucket): once a tick and bucket, or once every [`CHUNK`] items.
    #[cold]
    #[inline(never)]
    fn push_into_new_chunk(&mut self, offset: usize, item: T) {
        if offset >= self.buckets.len() {
            self.buckets.resize_with(offset + 1, Vec::new);
        }
        let bucket = &mut self.buckets[offset];
        // A bucket's first chunk is a spare one emptied earlier (or grows from nothing); a big
        // bucket's next chunks are full-size, from the pool when it has any.
        let mut chunk = match bucket.is_empty() {
            true => self
                .spare
                .pop()
                .or_else(|| self.pool.pop())
                .unwrap_or_default(),
            false => self.pool.pop().unwrap_or_else(|| Vec::with_capacity(CHUNK)),
        };
        chunk.push(item);
        bucket.push(chunk);
        self.len += 1;
    }

    /// Removes every item due at `tick` (which must be the queue's next tick or later; earlier
    /// ticks still held are released too, in order), as chunks in scheduling order. Hand each
    /// chunk back with [`TickQueue::recycle`] once its items are handled.
    pub fn pop_due(&mut self, tick: u32) -> Vec<Vec<T>> {
        let mut out = Vec::new();
        while self.base <= tick {
            match self.buckets.pop_front() {
                Some(mut bucket) => {
                    if out.is_empty() {
                        out = bucket;
                    } else {
                        out.append(&mut bucket);
                    }
                }
                None => {
                    self.base = tick + 1;
                    break;
                }
            }
            self.base += 1;
        }
        self.len -= out.iter().map(Vec::len).sum::<usize>();
        out
    }

    /// Takes back a chunk returned by [`TickQueue::pop_due`] once its items are handled, for
    /// the next pushes.
    #[inline]
    pub fn recycle(&mut self, mut chunk: Vec<T>) {
        chunk.clear();
        if chunk.capacity() == CHUNK && self.pool.len() < POOL_MAX {
            self.pool.push(chunk);
        } else if chunk.capacity() > 0 && chunk.capacity() < CHUNK && self.spare.len() < SPARE_MAX {
            self.spare.push(chunk);
        }
    }

    /// How many items wait for `tick` (none for a released or unused tick).
    pub fn bucket_len(&self, tick: u32) -> usize {
        self.chunks(tick).iter().map(Vec::len).sum()
    }

    /// The items waiting for `tick`, in scheduling order (none for a released or unused tick).
    pub fn bucket(&self, tick: u32) -> impl Iterator<Item = &T> {
        self.chunks(tick).iter().flatten()
    }

    fn chunks(&self, tick: u32) -> &[Vec<T>] {
        match tick.checked_sub(self.base) {
            Some(offset) => self.buckets.get(offset as usize).map_or(&[], Vec::as_slice),
            None => &[],
        }
    }

    /// Replaces the items waiting for `tick` (which must still be open) with `items`, returning
    /// the ones it held, in order, in one vector.
    pub fn swap_bucket(&mut self, tick: u32, items: Vec<T>) -> Vec<T> {
        let offset = tick.saturating_sub(self.base) as usize;
        if offset >= self.buckets.len() {
            self.buckets.resize_with(offset + 1, Vec::new);
        }
        let new_len = items.len();
        let chunks = std::mem::replace(
            &mut self.buckets[offset],
            if items.is_empty() {
                Vec::new()
            } else {
                vec![items]
            },
        );
        let mut out = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        // Chunk by chunk, each freed once copied: never two copies of a storm at once.
        for chunk in chunks {
            out.extend(chunk);
        }
        self.len = self.len - out.len() + new_len;
        out
    }

    /// The first tick that can still be scheduled or released.
    pub fn next_tick(&self) -> u32 {
        self.base
    }

    /// How many items are waiting.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Heap bytes held by the queue (capacity, not length).
    pub fn heap_bytes(&self) -> usize {
        let item = std::mem::size_of::<T>();
        let chunk_bytes = |chunks: &Vec<Vec<T>>| {
            chunks.capacity() * std::mem::size_of::<Vec<T>>()
                + chunks.iter().map(|c| c.capacity() * item).sum::<usize>()
        };
        self.buckets.capacity() * std::mem::size_of::<Vec<Vec<T>>>()
            + self.buckets.iter().map(chunk_bytes).sum::<usize>()
            + chunk_bytes(&self.pool)
            + chunk_bytes(&self.spare)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat<T>(chunks: Vec<Vec<T>>) -> Vec<T> {
        chunks.into_iter().flatten().collect()
    }

    #[test]
    fn releases_by_tick_then_by_scheduling_order() {
        let mut q = TickQueue::starting_at(0);
        q.push(5, 'c');
        q.push(2, 'a');
        q.push(5, 'd');
        q.push(2, 'b');
        assert_eq!(
            flat(q.pop_due(1)),
            Vec::<char>::new(),
            "nothing is due before tick 2"
        );
        assert_eq!(
            flat(q.pop_due(2)),
            vec!['a', 'b'],
            "tick 2 in scheduling order"
        );
        assert_eq!(
            flat(q.pop_due(5)),
            vec!['c', 'd'],
            "tick 5 in scheduling order"
        );
        assert!(q.is_empty(), "all released");
    }

    #[test]
    fn a_storm_reuses_one_big_bucket_and_keeps_the_order() {
        let mut q = TickQueue::starting_at(0);
        let mut next = 0u32;
        for t in 0..40u32 {
            // Restarts spread over the next ten ticks, then a storm of retries for the next.
            for d in 2..=10 {
                for _ in 0..10 {
                    q.push(t + d, (t + d, next));
                    next += 1;
                }
            }
            let due = q.pop_due(t);
            let order: Vec<_> = due.iter().flatten().copied().collect();
            assert!(
                order.windows(2).all(|w| w[0].0 == t && w[0].1 < w[1].1),
                "tick {t} in scheduling order"
            );
            // Each chunk handled sends its clients to the next tick, then goes back.
            let mut storm = 10_000;
            for chunk in due {
                let n = if order.len() > 1_000 { chunk.len() } else { 0 };
                for _ in 0..n.min(storm) {
                    q.push(t + 1, (t + 1, next));
                    next += 1;
                }
                storm -= n.min(storm);
                q.recycle(chunk);
            }
            for _ in 0..storm {
                q.push(t + 1, (t + 1, next));
                next += 1;
            }
            let item = std::mem::size_of::<(u32, u32)>();
            let held = q.len() * item;
            assert!(
                q.heap_bytes() < held + (POOL_MAX + 12) * CHUNK * item,
                "tick {t}: the queue holds one storm, not two: {} bytes for {held}",
                q.heap_bytes()
            );
        }
    }

    #[test]
    fn a_bucket_can_be_read_and_swapped() {
        let mut q = TickQueue::starting_at(0);
        q.push(3, 1u32);
        q.push(3, 2);
        q.push(4, 9);
        assert_eq!(
            q.bucket(3).copied().collect::<Vec<_>>(),
            [1, 2],
            "tick 3 holds two items"
        );
        assert_eq!(q.bucket_len(7), 0, "tick 7 holds none");
        let old = q.swap_bucket(3, vec![5]);
        assert_eq!(old, vec![1, 2], "the swapped-out items, in order");
        assert_eq!(q.len(), 2, "one item at 3, one at 4");
        assert_eq!(
            flat(q.pop_due(4)),
            vec![5, 9],
            "the swapped-in item is released"
        );
        assert_eq!(q.bucket_len(3), 0, "a released tick holds nothing");
    }

    #[test]
    fn a_past_tick_is_delivered_at_the_next_open_tick() {
        let mut q = TickQueue::starting_at(0);
        let _ = q.pop_due(9);
        q.push(3, 1u32);
        assert_eq!(q.next_tick(), 10, "ticks up to 9 are closed");
        assert_eq!(
            flat(q.pop_due(10)),
            vec![1],
            "a timer for a closed tick fires at the next one"
        );
    }
}
