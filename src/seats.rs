//! The seat table: the supernode core of the network, each seat as a record a login attempt
//! reads and one it does not (what happens to the table is `supernode.rs`).
//!
//! A seat is one supernode address. It is taken when a client is promoted (or engineers bring up a
//! mega-supernode), goes `Down` while its host restarts (it comes back after a warm-up), and
//! becomes `Vacant` when the supernode drops its role; a later promotion may reuse it, as a new
//! address. Host caches refer to seats, so "was this entry valid when my cache was filled?" is
//! answered from `since` and `vacated_at` alone.

use crate::client::NO_SEAT;
use crate::members::{ListHead, ListTail, MemberStore};

/// A seat's status.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeatStatus {
    /// No supernode here.
    Vacant = 0,
    /// Serving clients.
    Active = 1,
    /// Its host PC is restarting or warming up; it will take its role back.
    Down = 2,
}

/// The host of a mega-supernode (a server run by the engineers, not a client).
pub const MEGA_HOST: u32 = u32::MAX - 1;

/// What a login attempt reads and writes of a seat, 32 bytes: a seat's line in the cache holds
/// it whole, and two seats' records share a line. With a table a field, as they once were, an
/// attempt on one of thousands of seats cost a cache miss a field; with every field of a seat
/// in one record, twice the bytes of the hot fields stayed in the cache for no use.
#[derive(Clone, Copy, PartialEq)]
#[repr(align(32))]
struct Hot {
    /// Tick the current (or last) occupant took the seat.
    since: u32,
    /// Clients attached now (including a host attached to itself, and clients logging in).
    attached: u32,
    /// Most clients attached at once.
    capacity: u32,
    /// Most handshakes accepted a minute.
    handshake_limit: u32,
    /// Login attempts this seat received this tick.
    attempts: u32,
    /// Handshakes accepted this tick.
    accepted: u32,
    /// The end of its member list.
    tail: ListTail,
    status: SeatStatus,
}

/// What a login attempt does not read of a seat (but on a switch-off, or a probe of a vacant
/// seat).
#[derive(Clone, Copy, PartialEq)]
struct Cold {
    /// The client hosting it, [`MEGA_HOST`], or [`NO_SEAT`] when vacant.
    host: u32,
    /// Tick the last occupant left (meaningful when vacant).
    vacated_at: u32,
    /// The start of its member list.
    head: ListHead,
}

/// Every seat, each as two records: a hot one a login attempt reads, a cold one it does not.
/// There are at most a few per hundred clients.
///
/// A seat's member list holds the clients that attached to it, lazily: an entry may be stale
/// (the client left), checked when used. It is emptied when the seat drops its clients, and
/// never compacted while it serves: compacting would change the order a failing seat drops its
/// clients in, and so the trace.
#[derive(Clone, Default)]
pub struct Seats {
    hot: Vec<Hot>,
    cold: Vec<Cold>,
    /// The blocks of the seats' member lists.
    store: MemberStore,
    /// Seats whose attempt counters are not zero: counted this tick, zeroed when the next starts.
    counted: Vec<u32>,
    /// Vacant seats to reuse, most recently vacated last.
    free: Vec<u32>,
    /// How many seats existed at the end of each tick, up to the last tick the table grew (later
    /// ticks: all of them). A host cache asks this at every login attempt, for the tick it was
    /// filled: an index, where a search of the growth ticks cost 3-5% of a storm's minute.
    len_by_tick: Vec<u32>,
    /// Active seats now.
    pub active: u32,
    /// Sum of `capacity` over active seats.
    pub active_capacity: u64,
    /// Sum of `attached` over active seats.
    pub active_attached: u64,
    /// Counts every time a seat some host cache may hold becomes active (back from `Down`, or a
    /// vacant seat taken again, which moves older caches' probes): a host cache with nothing live
    /// stays so until this changes. A new seat at the end of the table is in no older cache, so
    /// opening one leaves the count alone.
    pub live_epoch: u32,
}

/// What the seats hold, not how: each seat's fields and its members as a list of clients,
/// however their blocks fell in the store.
impl std::fmt::Debug for Seats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let seats: Vec<String> = (0..self.len() as u32)
            .map(|s| {
                let (h, c) = (&self.hot[s as usize], &self.cold[s as usize]);
                let members: Vec<u32> = self.members_of(s).flatten().copied().collect();
                format!(
                    "{:?} host {} since {} vacated {} capacity {} limit {} attached {} attempts {} accepted {} members {members:?}",
                    h.status,
                    c.host,
                    h.since,
                    c.vacated_at,
                    h.capacity,
                    h.handshake_limit,
                    h.attached,
                    h.attempts,
                    h.accepted
                )
            })
            .collect();
        f.debug_struct("Seats")
            .field("seats", &seats)
            .field("free", &self.free)
            .field("len_by_tick", &self.len_by_tick)
            .field("active", &self.active)
            .field("active_capacity", &self.active_capacity)
            .field("active_attached", &self.active_attached)
            .field("live_epoch", &self.live_epoch)
            .finish()
    }
}

impl Seats {
    /// How many seats exist (vacant ones included).
    pub fn len(&self) -> usize {
        self.hot.len()
    }

    /// True when no seat was ever taken.
    pub fn is_empty(&self) -> bool {
        self.hot.is_empty()
    }

    /// Seat `s`'s status.
    #[inline]
    pub fn status(&self, s: u32) -> SeatStatus {
        self.hot[s as usize].status
    }

    /// True if seat `s` is serving clients.
    #[inline]
    pub fn is_active(&self, s: u32) -> bool {
        self.status(s) == SeatStatus::Active
    }

    /// The client hosting seat `s`, [`MEGA_HOST`], or [`NO_SEAT`] when vacant.
    #[inline]
    pub fn host(&self, s: u32) -> u32 {
        self.cold[s as usize].host
    }

    /// Tick the current (or last) occupant of seat `s` took it.
    #[inline]
    pub fn since(&self, s: u32) -> u32 {
        self.hot[s as usize].since
    }

    /// Tick the last occupant of seat `s` left (meaningful when vacant).
    pub fn vacated_at(&self, s: u32) -> u32 {
        self.cold[s as usize].vacated_at
    }

    /// Clients attached to seat `s` now (its host and clients logging in included).
    #[inline]
    pub fn attached(&self, s: u32) -> u32 {
        self.hot[s as usize].attached
    }

    /// Most clients seat `s` holds at once.
    pub fn capacity(&self, s: u32) -> u32 {
        self.hot[s as usize].capacity
    }

    /// True if seat `s` was held at tick `r` (by whoever held it then): what a host cache filled
    /// at `r` could hold.
    #[inline]
    pub fn held_at(&self, s: u32, r: u32) -> bool {
        let hot = &self.hot[s as usize];
        match hot.status {
            SeatStatus::Vacant => hot.since <= r && r < self.cold[s as usize].vacated_at,
            _ => hot.since <= r,
        }
    }

    /// How many seats existed at the end of tick `t`.
    #[inline]
    pub fn len_at(&self, t: u32) -> u32 {
        let all = self.hot.len() as u32;
        self.len_by_tick.get(t as usize).copied().unwrap_or(all)
    }

    /// Takes a seat for `host` at tick `t`, active, with the given capacity and handshake limit.
    pub fn open(&mut self, host: u32, t: u32, capacity: u32, handshake_limit: u32) -> u32 {
        let s = match self.free.pop() {
            Some(s) => {
                self.live_epoch = self.live_epoch.wrapping_add(1);
                s
            }
            None => {
                let s = self.hot.len() as u32;
                self.hot.push(Hot {
                    since: t,
                    attached: 0,
                    capacity: 0,
                    handshake_limit: 0,
                    attempts: 0,
                    accepted: 0,
                    tail: ListTail::default(),
                    status: SeatStatus::Vacant,
                });
                self.cold.push(Cold {
                    host: NO_SEAT,
                    vacated_at: t,
                    head: ListHead::default(),
                });
                let t = t as usize;
                if self.len_by_tick.len() <= t {
                    let before = self.len_by_tick.last().copied().unwrap_or(0);
                    self.len_by_tick.resize(t + 1, before);
                }
                self.len_by_tick[t..].fill(s + 1);
                s
            }
        };
        let (hot, cold) = (&mut self.hot[s as usize], &mut self.cold[s as usize]);
        hot.status = SeatStatus::Active;
        hot.since = t;
        hot.capacity = capacity;
        hot.handshake_limit = handshake_limit;
        hot.attached = 0;
        cold.host = host;
        self.store.clear(&mut cold.head, &mut hot.tail);
        self.active += 1;
        self.active_capacity += u64::from(capacity);
        s
    }

    /// Every ordinary supernode's limits become `capacity` clients and `handshake_limit`
    /// handshakes a minute (a software update pushed to the live network); mega-supernodes keep
    /// theirs. Clients already attached stay, even past a lowered capacity: the limit turns away
    /// new logins, it does not drop anyone.
    pub fn set_ordinary_limits(&mut self, capacity: u32, handshake_limit: u32) {
        for (hot, cold) in self.hot.iter_mut().zip(&self.cold) {
            if cold.host == MEGA_HOST {
                continue;
            }
            if hot.status == SeatStatus::Active {
                self.active_capacity -= u64::from(hot.capacity);
                self.active_capacity += u64::from(capacity);
            }
            hot.capacity = capacity;
            hot.handshake_limit = handshake_limit;
        }
    }

    /// Changes the status of seat `s`, keeping the active totals right. Members are the caller's.
    pub fn set_status(&mut self, s: u32, status: SeatStatus, t: u32) {
        let (hot, cold) = (&mut self.hot[s as usize], &mut self.cold[s as usize]);
        let was = hot.status;
        if was == status {
            return;
        }
        if was == SeatStatus::Active {
            self.active -= 1;
            self.active_capacity -= u64::from(hot.capacity);
            self.active_attached -= u64::from(hot.attached);
        }
        if status == SeatStatus::Active {
            self.live_epoch = self.live_epoch.wrapping_add(1);
            self.active += 1;
            self.active_capacity += u64::from(hot.capacity);
            self.active_attached += u64::from(hot.attached);
        }
        hot.status = status;
        if status == SeatStatus::Vacant {
            cold.vacated_at = t;
            cold.host = NO_SEAT;
            hot.attached = 0;
            self.store.clear(&mut cold.head, &mut hot.tail);
            self.free.push(s);
        }
    }

    /// Records that client `c` attached to seat `s`.
    #[inline]
    pub fn attach(&mut self, s: u32, c: u32) {
        let hot = &mut self.hot[s as usize];
        hot.attached += 1;
        if hot.status == SeatStatus::Active {
            self.active_attached += 1;
        }
        self.store
            .push(&mut self.cold[s as usize].head, &mut hot.tail, c);
    }

    /// Records that one client left seat `s` (its stale member entry is cleaned up later).
    pub fn detach(&mut self, s: u32) {
        let hot = &mut self.hot[s as usize];
        hot.attached = hot.attached.saturating_sub(1);
        if hot.status == SeatStatus::Active {
            self.active_attached = self.active_attached.saturating_sub(1);
        }
    }

    /// No client is attached to seat `s` any more (its host went down with everyone on it).
    pub fn drop_attached(&mut self, s: u32) {
        self.hot[s as usize].attached = 0;
    }

    /// The clients that attached to seat `s` since its list was last emptied, in order, a block
    /// at a time; some may have left since (check each client's own record).
    pub fn members_of(&self, s: u32) -> impl Iterator<Item = &[u32]> {
        let i = s as usize;
        self.store.blocks_of(self.cold[i].head, self.hot[i].tail)
    }

    /// Empties seat `s`'s member list (it dropped everyone on it).
    pub fn clear_members(&mut self, s: u32) {
        let i = s as usize;
        self.store
            .clear(&mut self.cold[i].head, &mut self.hot[i].tail);
    }

    /// A new tick starts: no seat has had an attempt in it yet.
    pub fn start_tick(&mut self) {
        for s in self.counted.drain(..) {
            let hot = &mut self.hot[s as usize];
            hot.attempts = 0;
            hot.accepted = 0;
        }
    }

    /// Counts one login attempt on seat `s` in this tick (see [`Seats::start_tick`]) and returns
    /// the attempts so far this tick.
    #[inline]
    pub fn count_attempt(&mut self, s: u32) -> u32 {
        let hot = &mut self.hot[s as usize];
        if hot.attempts == 0 {
            self.counted.push(s);
        }
        hot.attempts += 1;
        hot.attempts
    }

    /// Seat `s` accepts a handshake if it has handshakes and room left this tick (an accepted
    /// one is counted; attaching the client is the caller's).
    #[inline]
    pub fn accept(&mut self, s: u32) -> bool {
        let hot = &mut self.hot[s as usize];
        let ok = hot.accepted < hot.handshake_limit && hot.attached < hot.capacity;
        hot.accepted += u32::from(ok);
        ok
    }

    /// Most handshakes seat `s` accepts a minute.
    #[inline]
    pub fn handshake_limit(&self, s: u32) -> u32 {
        self.hot[s as usize].handshake_limit
    }

    /// The load hint a host cache carries for seat `s`: the share of its capacity in use.
    #[inline]
    pub fn load(&self, s: u32) -> f64 {
        let hot = &self.hot[s as usize];
        f64::from(hot.attached) / f64::from(hot.capacity.max(1))
    }

    /// Heap bytes held (capacity).
    pub fn heap_bytes(&self) -> usize {
        self.hot.capacity() * std::mem::size_of::<Hot>()
            + self.cold.capacity() * std::mem::size_of::<Cold>()
            + self.store.heap_bytes()
            + (self.counted.capacity() + self.free.capacity() + self.len_by_tick.capacity()) * 4
    }
}

/// The seat each supernode host holds, by client: a bit a client says whether it hosts one, so
/// the common answer ("no") costs no hashing; the few hosts' seats are in a map.
#[derive(Clone, Debug, Default)]
pub struct Hosts {
    bits: Vec<u64>,
    seat: std::collections::HashMap<u32, u32>,
}

impl Hosts {
    /// No hosts among `clients` clients.
    pub fn new(clients: u32) -> Self {
        Self {
            bits: vec![0; (clients as usize).div_ceil(64)],
            seat: std::collections::HashMap::new(),
        }
    }

    /// Whether client `c` hosts a seat.
    #[inline(always)]
    pub fn contains(&self, c: u32) -> bool {
        self.bits
            .get(c as usize / 64)
            .is_some_and(|w| w & (1 << (c % 64)) != 0)
    }

    /// The seat client `c` hosts, if any (asked at every login and restart: always inlined,
    /// so the common answer, no, costs a bit's test where it is asked).
    #[inline(always)]
    pub fn get(&self, c: u32) -> Option<u32> {
        if self.contains(c) {
            Some(self.seat_of(c)).filter(|&s| s != NO_SEAT)
        } else {
            None
        }
    }

    /// The map's answer for host `c`, [`NO_SEAT`] if it hosts none. Apart from [`Hosts::get`],
    /// taking the client by value and answering a plain number: in wasm, a key passed by
    /// reference and an `Option` returned are memory that every caller would otherwise set up,
    /// at every login and restart, for the few that ask the map.
    #[inline(never)]
    fn seat_of(&self, c: u32) -> u32 {
        self.seat.get(&c).copied().unwrap_or(NO_SEAT)
    }

    /// Client `c` hosts seat `s`.
    pub fn insert(&mut self, c: u32, s: u32) {
        if let Some(w) = self.bits.get_mut(c as usize / 64) {
            *w |= 1 << (c % 64);
            self.seat.insert(c, s);
        }
    }

    /// Client `c` hosts no seat any more.
    pub fn remove(&mut self, c: u32) {
        if let Some(w) = self.bits.get_mut(c as usize / 64) {
            *w &= !(1 << (c % 64));
            self.seat.remove(&c);
        }
    }

    /// Every `(host, seat)` pair, by host.
    pub fn pairs(&self) -> Vec<(u32, u32)> {
        let mut v: Vec<(u32, u32)> = self.seat.iter().map(|(&c, &s)| (c, s)).collect();
        v.sort_unstable();
        v
    }

    /// Heap bytes held (capacity).
    pub fn heap_bytes(&self) -> usize {
        self.bits.capacity() * 8 + self.seat.capacity() * 12
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_found_by_client() {
        let mut h = Hosts::new(130);
        h.insert(129, 4);
        h.insert(3, 7);
        assert_eq!(
            (h.get(129), h.get(3), h.get(4)),
            (Some(4), Some(7), None),
            "two hosts"
        );
        h.remove(129);
        assert!(!h.contains(129) && h.contains(3), "one host left");
        assert_eq!(h.pairs(), vec![(3, 7)], "pairs by host");
    }

    #[test]
    fn seats_are_reused_and_totals_follow_status() {
        let mut s = Seats::default();
        let a = s.open(7, 0, 100, 10);
        let b = s.open(8, 0, 100, 10);
        s.attach(a, 1);
        s.attach(a, 2);
        assert_eq!(
            (s.active, s.active_capacity, s.active_attached),
            (2, 200, 2),
            "two active seats"
        );
        s.set_status(a, SeatStatus::Vacant, 5);
        assert_eq!(
            (s.active, s.active_capacity, s.active_attached),
            (1, 100, 0),
            "a vacated seat leaves the totals"
        );
        let c = s.open(9, 6, 100, 10);
        assert_eq!(c, a, "the vacant seat is reused");
        assert_ne!(b, c, "and the active one is not");
        assert_eq!(s.len_at(0), 2, "two seats existed at tick 0");
        assert_eq!(s.since(c), 6, "the new occupant's tenure starts at 6");
    }

    #[test]
    fn the_size_at_a_past_tick_counts_the_seats_opened_by_its_end() {
        let mut s = Seats::default();
        s.open(1, 3, 10, 10);
        s.open(2, 3, 10, 10);
        s.open(3, 7, 10, 10);
        let sizes: Vec<u32> = (0..10).map(|t| s.len_at(t)).collect();
        assert_eq!(
            sizes,
            [0, 0, 0, 2, 2, 2, 2, 3, 3, 3],
            "by the end of ticks 0..10"
        );
        s.set_status(0, SeatStatus::Vacant, 8);
        s.open(4, 9, 10, 10);
        assert_eq!(s.len_at(9), 3, "a reused seat does not grow the table");
    }

    #[test]
    fn attempts_and_handshakes_reset_each_tick() {
        let mut s = Seats::default();
        let a = s.open(1, 0, 10, 2);
        let b = s.open(2, 0, 10, 2);
        s.start_tick();
        assert_eq!(s.count_attempt(a), 1, "first attempt of a tick");
        assert_eq!(s.count_attempt(a), 2, "second attempt of the tick");
        assert_eq!(s.count_attempt(b), 1, "another seat counts its own");
        assert!(s.accept(a) && s.accept(a), "two handshakes a minute");
        assert!(!s.accept(a), "and no third");
        s.start_tick();
        assert_eq!(s.count_attempt(a), 1, "the counter starts again");
        assert!(s.accept(a), "and handshakes too");
        assert_eq!(s.count_attempt(b), 1, "for every seat counted before");
    }

    #[test]
    fn a_seat_takes_no_more_than_its_capacity() {
        let mut s = Seats::default();
        let a = s.open(1, 0, 2, 10);
        s.attach(a, 1);
        assert!(s.accept(a), "room for one more");
        s.attach(a, 2);
        assert!(!s.accept(a), "full");
        s.detach(a);
        assert!(s.accept(a), "room again once one left");
    }

    #[test]
    fn a_seat_record_is_half_a_cache_line() {
        assert_eq!(std::mem::size_of::<Hot>(), 32, "what an attempt reads");
        assert_eq!(std::mem::align_of::<Hot>(), 32, "never across two lines");
    }
}
