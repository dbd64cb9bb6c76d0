//! Clients: where each Skype client is in its life cycle, one 12-byte record per client. What
//! moves a client from state to state is in `lifecycle.rs`.

use crate::queue::TickQueue;

/// Where a client is in its life cycle. The values index the palette and the counters.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientState {
    /// Attached to a supernode: the user can call and chat.
    Online = 0,
    /// The PC is restarting; nothing is sent.
    Rebooting = 1,
    /// Between login attempts, on a retry timer.
    Waiting = 2,
    /// Handshake accepted by a supernode; the login server is finishing the login.
    LoggingIn = 3,
}

impl ClientState {
    /// Every state, in the order of their values.
    pub const ALL: [ClientState; 4] = [
        Self::Online,
        Self::Rebooting,
        Self::Waiting,
        Self::LoggingIn,
    ];

    /// The state stored as `v` (its two low bits: a stored state is always one of the four, and
    /// matching those bits lets the compiler read the state with no test).
    #[inline]
    pub fn from_u8(v: u8) -> ClientState {
        match v & 3 {
            0 => Self::Online,
            1 => Self::Rebooting,
            2 => Self::Waiting,
            _ => Self::LoggingIn,
        }
    }

    /// The state's name as the CLI and the page write it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Rebooting => "rebooting",
            Self::Waiting => "waiting",
            Self::LoggingIn => "logging_in",
        }
    }
}

/// No supernode (as a seat index).
pub const NO_SEAT: u32 = u32::MAX;

/// Everything a client is, packed in 12 bytes: a timer that fires for a random client touches
/// one cache line for it, not one for each field. At a million clients nearly every such
/// access is a cache miss, so the record's layout sets the speed of a storm's minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Life {
    /// Tick (minute) the host cache was last refreshed: its entries are the supernodes of then.
    /// A cache is refreshed at each login and refilled only while failing, so for an online
    /// client this is also the tick it logged in: its uptime starts here (see [`Clients::online_since`]).
    pub cache_at: u32,
    /// Online or logging in: the seat attached to. Waiting: the remembered target seat of the
    /// `first-live` choice, or [`NO_SEAT`].
    pub seat: u32,
    /// Bumped whenever the client's pending timer is replaced, so stale timers are ignored.
    pub timer_gen: u8,
    /// Failed logins in a row (saturating): the exponent of the backoff.
    pub failures: u8,
    /// Failed logins since the host cache was last refilled.
    pub since_refill: u8,
    /// [`ClientState`] as `u8`.
    pub state: u8,
}

impl Default for Life {
    /// Online since tick 0, attached nowhere yet.
    fn default() -> Self {
        Self {
            cache_at: 0,
            seat: NO_SEAT,
            timer_gen: 0,
            failures: 0,
            since_refill: 0,
            state: ClientState::Online as u8,
        }
    }
}

/// Timers whose clients are read ahead together (see [`Clients::read_ahead`]).
pub const READ_AHEAD: usize = 32;

/// Every client's record. Facts that never change (eligibility, time zone, host cache
/// entries) are derived by hashing, not stored: 12 bytes a client.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Clients {
    /// One record per client, by client index.
    pub life: Vec<Life>,
    /// How many clients are in each [`ClientState`], indexed by its value.
    pub counts: [u32; 4],
}

impl Clients {
    /// `n` clients, all online since tick 0 and attached nowhere yet.
    pub fn new(n: u32) -> Self {
        let n = n as usize;
        Self {
            life: vec![Life::default(); n],
            counts: [n as u32, 0, 0, 0],
        }
    }

    /// How many clients.
    pub fn len(&self) -> usize {
        self.life.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.life.is_empty()
    }

    /// The state of client `c`.
    #[inline]
    pub fn state_of(&self, c: u32) -> ClientState {
        ClientState::from_u8(self.life[c as usize].state)
    }

    /// Moves client `c` to state `s`, keeping the counters right.
    #[inline]
    pub fn set_state(&mut self, c: u32, s: ClientState) {
        let life = &mut self.life[c as usize];
        self.counts[usize::from(life.state & 3)] -= 1;
        self.counts[s as usize] += 1;
        life.state = s as u8;
    }

    /// How many clients are in state `s`.
    #[inline]
    pub fn count(&self, s: ClientState) -> u32 {
        self.counts[s as usize]
    }

    /// Replaces client `c`'s pending timer with one at tick `at` (a stale timer is ignored when
    /// it comes due: its generation no longer matches).
    #[inline]
    pub fn schedule(&mut self, timers: &mut TickQueue<u32>, c: u32, at: u32) {
        let g = self.life[c as usize].timer_gen.wrapping_add(1);
        self.life[c as usize].timer_gen = g;
        timers.push(at, pack_timer(c, g));
    }

    /// True if `timer` is client `c`'s current one (not replaced since it was set).
    #[inline]
    pub fn is_current(&self, timer: u32) -> bool {
        let (c, generation) = unpack_timer(timer);
        self.life[c as usize].timer_gen == generation
    }

    /// Reads the records of a chunk of clients before they are handled, in a loop short enough
    /// that all the reads are under way at once: at a million clients each is a cache miss, and
    /// one after the other they would wait for each other. Changes nothing.
    #[inline]
    pub fn read_ahead(&self, clients: impl Iterator<Item = u32>) {
        let sum = clients.fold(0u32, |acc, client| {
            self.life
                .get(client as usize)
                .map_or(acc, |l| acc ^ u32::from(l.timer_gen))
        });
        std::hint::black_box(sum);
    }

    /// Tick (minute) online client `c` logged in: its uptime starts here. Only meaningful while
    /// it is online (then its host cache dates from that login).
    #[inline]
    pub fn online_since(&self, c: u32) -> u32 {
        self.life[c as usize].cache_at
    }

    /// Heap bytes held (capacity).
    pub fn heap_bytes(&self) -> usize {
        self.life.capacity() * std::mem::size_of::<Life>()
    }
}

/// Clients start in clusters of consecutive indices, one a supernode of the starting core: cluster
/// `j` of `clusters` holds clients `start(j)..start(j + 1)`. The page draws each cluster as a block,
/// so a supernode and its users are seen together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clusters {
    /// Clients.
    pub clients: u32,
    /// Clusters (at least 1).
    pub count: u32,
}

impl Clusters {
    /// `count` clusters of `clients` clients.
    pub fn new(clients: u32, count: u32) -> Self {
        Self {
            clients,
            count: count.max(1),
        }
    }

    /// The first client of cluster `j` (`clients` for `j == count`).
    #[inline]
    pub fn start(&self, j: u32) -> u32 {
        (u64::from(j) * u64::from(self.clients) / u64::from(self.count)) as u32
    }

    /// The cluster client `c` starts in.
    #[inline]
    pub fn of(&self, c: u32) -> u32 {
        let (k, n) = (u64::from(self.count), u64::from(self.clients.max(1)));
        (((u64::from(c) + 1) * k - 1) / n) as u32
    }
}

/// A timer in the client queue: the client (24 bits) and its timer generation (8 bits).
#[inline]
pub fn pack_timer(client: u32, generation: u8) -> u32 {
    (client << 8) | u32::from(generation)
}

/// The client and generation of a packed timer.
#[inline]
pub fn unpack_timer(t: u32) -> (u32, u8) {
    (t >> 8, (t & 0xFF) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_pack_the_largest_population() {
        let c = 9_000_000 - 1;
        assert_eq!(
            unpack_timer(pack_timer(c, 201)),
            (c, 201),
            "client and generation survive packing"
        );
    }

    #[test]
    fn clusters_cover_every_client_once_in_order() {
        for (n, k) in [(20_000, 102), (100, 7), (999, 1000), (5, 1)] {
            let cl = Clusters::new(n, k);
            for j in 0..k {
                for c in cl.start(j)..cl.start(j + 1) {
                    assert_eq!(cl.of(c), j, "client {c} of {n} in cluster {j} of {k}");
                }
            }
            assert_eq!(cl.start(k), n, "the last cluster ends with the last client");
        }
    }

    #[test]
    fn a_client_is_twelve_bytes() {
        assert_eq!(
            std::mem::size_of::<Life>(),
            12,
            "one record a client, no padding"
        );
    }

    #[test]
    fn states_round_trip() {
        for s in ClientState::ALL {
            assert_eq!(
                ClientState::from_u8(s as u8),
                s,
                "{s:?} round-trips through u8"
            );
        }
    }
}
