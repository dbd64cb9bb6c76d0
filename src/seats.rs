//! The seat table: the supernode core of the network, stored as parallel arrays (what happens to
//! it is `supernode.rs`).
//!
//! A seat is one supernode address. It is taken when a client is promoted (or engineers bring up a
//! mega-supernode), goes `Down` while its host restarts (it comes back after a warm-up), and
//! becomes `Vacant` when the supernode drops its role; a later promotion may reuse it, as a new
//! address. Host caches refer to seats, so "was this entry valid when my cache was filled?" is
//! answered from `since` and `vacated_at` alone.

use crate::client::NO_SEAT;
use crate::members::MemberLists;

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

/// Every seat, struct-of-arrays. There are at most a few per hundred clients.
#[derive(Clone, Debug, Default)]
pub struct Seats {
    /// Status of each seat.
    pub status: Vec<SeatStatus>,
    /// The client hosting it, [`MEGA_HOST`], or [`NO_SEAT`] when vacant.
    pub host: Vec<u32>,
    /// Tick the current (or last) occupant took the seat.
    pub since: Vec<u32>,
    /// Tick the last occupant left (meaningful when vacant).
    pub vacated_at: Vec<u32>,
    /// Most clients attached at once.
    pub capacity: Vec<u32>,
    /// Most handshakes accepted a minute.
    pub handshake_limit: Vec<u32>,
    /// Clients attached now (including a host attached to itself, and clients logging in).
    pub attached: Vec<u32>,
    /// Attached clients, lazily: an entry may be stale (the client left); checked when used. The
    /// list is emptied when the seat drops its clients, and never compacted while it serves:
    /// compacting would change the order a failing seat drops its clients in, and so the trace.
    pub members: MemberLists,
    /// Login attempts this seat received in the tick `stamp`.
    pub attempts: Vec<u32>,
    /// Handshakes accepted in the tick `stamp`.
    pub accepted: Vec<u32>,
    /// The tick the two counters above belong to.
    pub stamp: Vec<u32>,
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

impl Seats {
    /// How many seats exist (vacant ones included).
    pub fn len(&self) -> usize {
        self.status.len()
    }

    /// True when no seat was ever taken.
    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
    }

    /// True if seat `s` is serving clients.
    #[inline]
    pub fn is_active(&self, s: u32) -> bool {
        self.status[s as usize] == SeatStatus::Active
    }

    /// How many seats existed at the end of tick `t`.
    #[inline]
    pub fn len_at(&self, t: u32) -> u32 {
        let all = self.status.len() as u32;
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
                let s = self.status.len() as u32;
                self.status.push(SeatStatus::Vacant);
                self.host.push(NO_SEAT);
                self.since.push(t);
                self.vacated_at.push(t);
                self.capacity.push(0);
                self.handshake_limit.push(0);
                self.attached.push(0);
                self.members.add_seat();
                self.attempts.push(0);
                self.accepted.push(0);
                self.stamp.push(t);
                let t = t as usize;
                if self.len_by_tick.len() <= t {
                    let before = self.len_by_tick.last().copied().unwrap_or(0);
                    self.len_by_tick.resize(t + 1, before);
                }
                self.len_by_tick[t..].fill(s + 1);
                s
            }
        };
        let i = s as usize;
        self.status[i] = SeatStatus::Active;
        self.host[i] = host;
        self.since[i] = t;
        self.capacity[i] = capacity;
        self.handshake_limit[i] = handshake_limit;
        self.attached[i] = 0;
        self.members.clear(s);
        self.active += 1;
        self.active_capacity += u64::from(capacity);
        s
    }

    /// Every ordinary supernode's limits become `capacity` clients and `handshake_limit`
    /// handshakes a minute (a software update pushed to the live network); mega-supernodes keep
    /// theirs. Clients already attached stay, even past a lowered capacity: the limit turns away
    /// new logins, it does not drop anyone.
    pub fn set_ordinary_limits(&mut self, capacity: u32, handshake_limit: u32) {
        for i in 0..self.status.len() {
            if self.host[i] == MEGA_HOST {
                continue;
            }
            if self.status[i] == SeatStatus::Active {
                self.active_capacity -= u64::from(self.capacity[i]);
                self.active_capacity += u64::from(capacity);
            }
            self.capacity[i] = capacity;
            self.handshake_limit[i] = handshake_limit;
        }
    }

    /// Changes the status of seat `s`, keeping the active totals right. Members are the caller's.
    pub fn set_status(&mut self, s: u32, status: SeatStatus, t: u32) {
        let i = s as usize;
        let was = self.status[i];
        if was == status {
            return;
        }
        if was == SeatStatus::Active {
            self.active -= 1;
            self.active_capacity -= u64::from(self.capacity[i]);
            self.active_attached -= u64::from(self.attached[i]);
        }
        if status == SeatStatus::Active {
            self.live_epoch = self.live_epoch.wrapping_add(1);
            self.active += 1;
            self.active_capacity += u64::from(self.capacity[i]);
            self.active_attached += u64::from(self.attached[i]);
        }
        self.status[i] = status;
        if status == SeatStatus::Vacant {
            self.vacated_at[i] = t;
            self.host[i] = NO_SEAT;
            self.attached[i] = 0;
            self.members.clear(s);
            self.free.push(s);
        }
    }

    /// Records that client `c` attached to seat `s`.
    pub fn attach(&mut self, s: u32, c: u32) {
        let i = s as usize;
        self.attached[i] += 1;
        if self.status[i] == SeatStatus::Active {
            self.active_attached += 1;
        }
        self.members.push(s, c);
    }

    /// Records that one client left seat `s` (its stale member entry is cleaned up later).
    pub fn detach(&mut self, s: u32) {
        let i = s as usize;
        self.attached[i] = self.attached[i].saturating_sub(1);
        if self.status[i] == SeatStatus::Active {
            self.active_attached = self.active_attached.saturating_sub(1);
        }
    }

    /// Counts one login attempt on seat `s` in tick `t` and returns the attempts so far this tick.
    #[inline]
    pub fn count_attempt(&mut self, s: u32, t: u32) -> u32 {
        let i = s as usize;
        if self.stamp[i] != t {
            self.stamp[i] = t;
            self.attempts[i] = 0;
            self.accepted[i] = 0;
        }
        self.attempts[i] += 1;
        self.attempts[i]
    }

    /// The load hint a host cache carries for seat `s`: the share of its capacity in use.
    #[inline]
    pub fn load(&self, s: u32) -> f64 {
        let i = s as usize;
        f64::from(self.attached[i]) / f64::from(self.capacity[i].max(1))
    }

    /// Heap bytes held (capacity).
    pub fn heap_bytes(&self) -> usize {
        let per_seat = std::mem::size_of::<SeatStatus>() + 4 * 9;
        self.status.capacity() * per_seat
            + self.members.heap_bytes()
            + self.free.capacity() * 4
            + self.len_by_tick.capacity() * 4
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
    #[inline]
    pub fn contains(&self, c: u32) -> bool {
        self.bits
            .get(c as usize / 64)
            .is_some_and(|w| w & (1 << (c % 64)) != 0)
    }

    /// The seat client `c` hosts, if any.
    #[inline]
    pub fn get(&self, c: u32) -> Option<u32> {
        if self.contains(c) {
            self.seat.get(&c).copied()
        } else {
            None
        }
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
        assert_eq!(
            s.since[c as usize], 6,
            "the new occupant's tenure starts at 6"
        );
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
    fn attempts_reset_each_tick() {
        let mut s = Seats::default();
        let a = s.open(1, 0, 10, 10);
        assert_eq!(s.count_attempt(a, 3), 1, "first attempt of tick 3");
        assert_eq!(s.count_attempt(a, 3), 2, "second attempt of tick 3");
        assert_eq!(s.count_attempt(a, 4), 1, "counter starts again at tick 4");
    }
}
