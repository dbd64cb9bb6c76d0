//! The event queue: timers keyed by whole ticks, released first-in first-out within a tick.
//!
//! Every timer in the model (a reboot ending, a retry coming due, a login completing, a supernode
//! warming up) falls on a tick boundary, so a calendar of per-tick buckets gives the total order
//! `(tick, order of scheduling)` with O(1) push and pop and no float keys. A bucket's memory is
//! returned as soon as its tick is released.

/// Buckets this small are never shrunk.
const SMALL_BUCKET: usize = 1024;

/// A calendar of FIFO buckets, one per tick, holding payloads of type `T`.
#[derive(Clone, Debug)]
pub struct TickQueue<T> {
    /// `buckets[i]` holds the timers of tick `base + i`.
    buckets: std::collections::VecDeque<Vec<T>>,
    /// The tick of `buckets[0]`: nothing earlier can be scheduled any more.
    base: u32,
    len: usize,
    /// An emptied bucket kept for reuse: it becomes the next tick's bucket when a tick is
    /// released, so a storm's lock-step retries do not regrow their bucket from nothing each
    /// tick, and other buckets (restarts, backoffs) only grow as they fill.
    spare: Vec<T>,
}

impl<T> Default for TickQueue<T> {
    fn default() -> Self {
        Self {
            buckets: std::collections::VecDeque::new(),
            base: 0,
            len: 0,
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
    pub fn push(&mut self, tick: u32, item: T) {
        let offset = tick.saturating_sub(self.base) as usize;
        if offset >= self.buckets.len() {
            self.buckets.resize_with(offset + 1, Vec::new);
        }
        self.buckets[offset].push(item);
        self.len += 1;
    }

    /// Removes and returns every item due at `tick` (which must be the queue's next tick or later;
    /// earlier ticks still held are released too, in order), in the order they were scheduled.
    pub fn pop_due(&mut self, tick: u32) -> Vec<T> {
        let mut out = Vec::new();
        while self.base <= tick {
            match self.buckets.pop_front() {
                Some(mut bucket) => {
                    if out.is_empty() {
                        out = std::mem::take(&mut bucket);
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
        self.len -= out.len();
        // The next tick gets the spare, its items moved in, if the spare is the larger.
        if self.spare.capacity() > 0 {
            match self.buckets.front_mut() {
                Some(next) if next.capacity() < self.spare.capacity() => {
                    self.spare.append(next);
                    std::mem::swap(next, &mut self.spare);
                    self.spare = Vec::new();
                }
                Some(_) => {}
                None => self.buckets.push_back(std::mem::take(&mut self.spare)),
            }
        }
        out
    }

    /// Gives back a vector returned by [`TickQueue::pop_due`] once its items are handled, to be
    /// reused as a bucket.
    /// Once a storm is over, its storm-sized vector is given back to the allocator.
    pub fn recycle(&mut self, mut used: Vec<T>) {
        let keep = 2 * used.len().max(SMALL_BUCKET);
        used.clear();
        if used.capacity() > 2 * keep {
            used.shrink_to(keep);
        }
        if used.capacity() > self.spare.capacity() {
            self.spare = used;
        }
    }

    /// The items waiting for `tick`, in scheduling order (empty for a released or unused tick).
    pub fn bucket(&self, tick: u32) -> &[T] {
        match tick.checked_sub(self.base) {
            Some(offset) => self.buckets.get(offset as usize).map_or(&[], Vec::as_slice),
            None => &[],
        }
    }

    /// Replaces the items waiting for `tick` (which must still be open) with `items`, returning
    /// the ones it held, in order.
    pub fn swap_bucket(&mut self, tick: u32, mut items: Vec<T>) -> Vec<T> {
        let offset = tick.saturating_sub(self.base) as usize;
        if offset >= self.buckets.len() {
            self.buckets.resize_with(offset + 1, Vec::new);
        }
        std::mem::swap(&mut self.buckets[offset], &mut items);
        self.len = self.len - items.len() + self.buckets[offset].len();
        items
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
        (self.buckets.capacity() * std::mem::size_of::<Vec<T>>()
            + self.spare.capacity() * std::mem::size_of::<T>())
            + self
                .buckets
                .iter()
                .map(|b| b.capacity() * std::mem::size_of::<T>())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_by_tick_then_by_scheduling_order() {
        let mut q = TickQueue::starting_at(0);
        q.push(5, 'c');
        q.push(2, 'a');
        q.push(5, 'd');
        q.push(2, 'b');
        assert_eq!(
            q.pop_due(1),
            Vec::<char>::new(),
            "nothing is due before tick 2"
        );
        assert_eq!(q.pop_due(2), vec!['a', 'b'], "tick 2 in scheduling order");
        assert_eq!(q.pop_due(5), vec!['c', 'd'], "tick 5 in scheduling order");
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
            assert!(
                due.windows(2).all(|w| w[0].0 == t && w[0].1 < w[1].1),
                "tick {t} in scheduling order"
            );
            for _ in 0..10_000 {
                q.push(t + 1, (t + 1, next));
                next += 1;
            }
            q.recycle(due);
        }
        let item = std::mem::size_of::<(u32, u32)>();
        assert!(
            q.heap_bytes() < 4 * 10_000 * item,
            "the storm's buckets are not copied into every bucket: {} bytes",
            q.heap_bytes()
        );
    }

    #[test]
    fn a_bucket_can_be_read_and_swapped() {
        let mut q = TickQueue::starting_at(0);
        q.push(3, 1u32);
        q.push(3, 2);
        q.push(4, 9);
        assert_eq!(q.bucket(3), &[1, 2], "tick 3 holds two items");
        assert_eq!(q.bucket(7), &[] as &[u32], "tick 7 holds none");
        let old = q.swap_bucket(3, vec![5]);
        assert_eq!(old, vec![1, 2], "the swapped-out items, in order");
        assert_eq!(q.len(), 2, "one item at 3, one at 4");
        assert_eq!(q.pop_due(4), vec![5, 9], "the swapped-in item is released");
        assert_eq!(q.bucket(3), &[] as &[u32], "a released tick holds nothing");
    }

    #[test]
    fn a_past_tick_is_delivered_at_the_next_open_tick() {
        let mut q = TickQueue::starting_at(0);
        let _ = q.pop_due(9);
        q.push(3, 1u32);
        assert_eq!(q.next_tick(), 10, "ticks up to 9 are closed");
        assert_eq!(
            q.pop_due(10),
            vec![1],
            "a timer for a closed tick fires at the next one"
        );
    }
}
