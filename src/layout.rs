//! Where each client and supernode is drawn: a fixed cell per client (or per run of clients,
//! when there are more clients than pixels), scattered over the canvas by a permutation so no
//! pattern of the engine's own (such as the order the update walks clients in) shows on screen.

use crate::client::{ClientState, NO_SEAT};
use crate::seats::MEGA_HOST;
use crate::sim::Simulation;

/// Largest dot side, in pixels.
const MAX_CELL: u32 = 12;
/// Smallest dot side, in pixels, at which [`Layout::links`] gives links.
pub const MIN_LINK_CELL: u32 = 4;

/// How clients are laid out on a canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    /// Side of one client's cell, in pixels (1 in density mode).
    pub cell_px: u32,
    /// Cells across.
    pub cols: u32,
    /// Cells down.
    pub rows: u32,
    /// Clients sharing one cell (1 when each has its own).
    pub clients_per_dot: u32,
    /// Steps the scatter permutation (coprime with the number of cells).
    multiplier: u64,
}

impl Layout {
    /// The layout of `clients` clients on `width` x `height` pixels (each at least 1): the
    /// largest cells that give every client its own, else one pixel a run of clients.
    pub fn new(width: u32, height: u32, clients: u32) -> Self {
        let (width, height) = (width.max(1), height.max(1));
        let area = u64::from(width) * u64::from(height);
        let mut cell =
            ((area as f64 / f64::from(clients.max(1))).sqrt().floor() as u32).clamp(1, MAX_CELL);
        // Shrink until every client has a cell (or we are at one pixel: density mode).
        while cell > 1 && u64::from(width / cell) * u64::from(height / cell) < u64::from(clients) {
            cell -= 1;
        }
        let (cols, rows) = ((width / cell).max(1), (height / cell).max(1));
        let cells = u64::from(cols) * u64::from(rows);
        Self {
            cell_px: cell,
            cols,
            rows,
            clients_per_dot: u64::from(clients).div_ceil(cells).max(1) as u32,
            multiplier: coprime_multiplier(cells),
        }
    }

    /// The cell of client `c`: its run of `clients_per_dot` clients, scattered by a fixed
    /// permutation.
    #[inline]
    pub fn cell_of(&self, c: u32) -> u32 {
        self.scatter(c / self.clients_per_dot)
    }

    /// Where run `k` is drawn: a fixed permutation of the cells.
    #[inline]
    pub fn scatter(&self, k: u32) -> u32 {
        let cells = u64::from(self.cols) * u64::from(self.rows);
        ((u64::from(k) * self.multiplier + 7) % cells) as u32
    }

    /// How far the scatter moves from one run to the next, in cells.
    #[inline]
    pub fn scatter_step(&self) -> u64 {
        self.multiplier
    }

    /// The top-left pixel of cell `k`.
    #[inline]
    pub fn cell_origin(&self, k: u32) -> (u32, u32) {
        let (cell_px, cols) = (self.cell_px, self.cols);
        ((k % cols) * cell_px, (k / cols) * cell_px)
    }

    /// The centre of client `c`'s dot, in pixels.
    pub fn client_centre(&self, c: u32) -> (f32, f32) {
        let (x, y) = self.cell_origin(self.cell_of(c));
        let half = self.cell_px as f32 / 2.0;
        (x as f32 + half, y as f32 + half)
    }

    /// Where seat `s` is drawn: on its host's dot, or (mega-supernodes, which have no client) at
    /// a cell of its own.
    pub fn seat_origin(&self, sim: &Simulation, s: u32) -> (u32, u32) {
        let host = sim.seats().host[s as usize];
        if host == MEGA_HOST || host == NO_SEAT {
            self.cell_origin(self.cell_of(u32::MAX / 2 + s))
        } else {
            self.cell_origin(self.cell_of(host))
        }
    }

    /// Who is attached to whom, for drawing at small populations: for every client online or
    /// logging in, `[client x, client y, supernode x, supernode y, state]` (pixels; the state
    /// as its `u8` value). Empty when dots are smaller than [`MIN_LINK_CELL`] pixels: lines
    /// would be noise, and a frame's worth of them too slow.
    pub fn links(&self, sim: &Simulation) -> Vec<f32> {
        if self.clients_per_dot > 1 || self.cell_px < MIN_LINK_CELL {
            return Vec::new();
        }
        let mut out = Vec::new();
        let seats = sim.client_seats();
        for (c, (&st, &seat)) in sim.client_states().iter().zip(seats).enumerate() {
            let state = ClientState::from_u8(st);
            if seat == NO_SEAT
                || !matches!(state, ClientState::Online | ClientState::LoggingIn)
                || seat as usize >= sim.seats().len()
            {
                continue;
            }
            let (x1, y1) = self.client_centre(c as u32);
            let (sx, sy) = self.seat_origin(sim, seat);
            out.extend_from_slice(&[x1, y1, sx as f32, sy as f32, f32::from(st)]);
        }
        out
    }
}

/// A multiplier coprime with `n`, near the golden ratio of it, so `c * m mod n` scatters.
fn coprime_multiplier(n: u64) -> u64 {
    let gcd = |mut a: u64, mut b: u64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let mut m = ((n as f64 * 0.618_033_988_7) as u64).max(1);
    while gcd(m, n) != 1 {
        m += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn every_client_gets_its_own_cell_when_there_is_room() {
        let p = Layout::new(200, 100, 500);
        let mut seen = std::collections::HashSet::new();
        for c in 0..500 {
            assert!(seen.insert(p.cell_of(c)), "client {c} shares a cell");
        }
        assert_eq!(p.clients_per_dot, 1, "one client a dot");
    }

    #[test]
    fn links_join_each_attached_client_to_its_supernode_at_small_populations() {
        let sim = Simulation::new(Config {
            clients: 400,
            ..Config::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let p = Layout::new(400, 400, 400);
        let links = p.links(&sim);
        assert_eq!(
            links.len(),
            400 * 5,
            "every client is online and attached at the start"
        );
        for (c, l) in links.chunks_exact(5).enumerate() {
            let (x, y) = p.client_centre(c as u32);
            let (sx, sy) = p.seat_origin(&sim, sim.client_seats()[c]);
            assert_eq!(l, [x, y, sx as f32, sy as f32, 0.0], "client {c}'s link");
        }
        let crowded = Layout::new(60, 60, 400);
        assert!(
            crowded.links(&sim).is_empty(),
            "no lines when dots are small"
        );
    }
}
