//! Where each client and supernode is drawn: the clusters the network starts in (a supernode and
//! the consecutive clients attached to it, see [`Clusters`]) are square blocks tiling the canvas,
//! so a reader sees a supernode with its users, and a cluster falling when its supernode goes.
//! Within a block each client (or, with more clients than pixels, each run of clients) has a
//! fixed cell.

use crate::client::{ClientState, Clusters, NO_SEAT};
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
    /// The clusters drawn as blocks.
    pub clusters: Clusters,
    /// Side of a cluster's block, in cells.
    pub block: u32,
    /// Blocks across.
    blocks_across: u32,
    /// The cell of the top-left block's top-left corner (the blocks are centred).
    origin: (u32, u32),
}

impl Layout {
    /// The layout of `clusters` on `width` x `height` pixels (each at least 1): the largest
    /// cells that give every client its own in square blocks, one a cluster; else one pixel a
    /// run of clients.
    pub fn new(width: u32, height: u32, clusters: Clusters) -> Self {
        let (width, height) = (width.max(1), height.max(1));
        let area = u64::from(width) * u64::from(height);
        // More clusters than pixels: neighbouring clusters share a block.
        let clusters = Clusters::new(clusters.clients, clusters.count.min(area as u32));
        let (n, k) = (
            u64::from(clusters.clients.max(1)),
            u64::from(clusters.count),
        );
        let largest = n.div_ceil(k);
        let mut cell = ((area as f64 / n as f64).sqrt().floor() as u32).clamp(1, MAX_CELL);
        let mut per = 1u64;
        loop {
            let (cols, rows) = (
                u64::from((width / cell).max(1)),
                u64::from((height / cell).max(1)),
            );
            if cell == 1 {
                per = per.max(n.div_ceil(cols * rows));
            }
            // The largest square block such that the blocks fit and each holds its cluster.
            let units = largest.div_ceil(per);
            let fits = |b: u64| (cols / b) * (rows / b) >= k;
            let mut b = ((cols * rows / k) as f64).sqrt().floor() as u64;
            while b > 0 && !fits(b) {
                b -= 1;
            }
            if b > 0 && b * b >= units {
                let across = cols / b;
                let down = k.div_ceil(across);
                return Self {
                    cell_px: cell,
                    cols: cols as u32,
                    rows: rows as u32,
                    clients_per_dot: per as u32,
                    clusters,
                    block: b as u32,
                    blocks_across: across as u32,
                    origin: (
                        ((cols - across * b) / 2) as u32,
                        ((rows - down * b) / 2) as u32,
                    ),
                };
            }
            if cell > 1 {
                cell -= 1;
            } else {
                per += 1;
            }
        }
    }

    /// The cell of the `u`-th run (of `clients_per_dot` clients) of cluster `j`: a fixed shuffle
    /// of the cluster's runs over the first cells of its block. The update restarts clients
    /// every so many apart in index order; laid out in order they would line up in diagonal
    /// stripes across the canvas, a pattern of the drawing and not of the network.
    #[inline]
    pub fn cell_of_run(&self, j: u32, u: u32) -> u32 {
        let runs =
            (self.clusters.start(j + 1) - self.clusters.start(j)).div_ceil(self.clients_per_dot);
        self.cell_in_block(j, shuffled(u, runs))
    }

    /// The cell at position `u` (row by row) of cluster `j`'s block.
    #[inline]
    fn cell_in_block(&self, j: u32, u: u32) -> u32 {
        let b = self.block;
        let (bx, by) = (j % self.blocks_across, j / self.blocks_across);
        let x = self.origin.0 + bx * b + u % b;
        let y = self.origin.1 + by * b + u / b;
        y * self.cols + x
    }

    /// The cell of client `c`: in its cluster's block.
    #[inline]
    pub fn cell_of(&self, c: u32) -> u32 {
        let j = self.clusters.of(c);
        let u = (c - self.clusters.start(j)) / self.clients_per_dot;
        self.cell_of_run(j, u)
    }

    /// A sample of clients at least about `spacing_px` apart on screen: the client in the middle
    /// of every so many clusters' blocks, across and down.
    pub fn samples(&self, spacing_px: u32) -> Vec<u32> {
        let every = spacing_px.div_ceil(self.block * self.cell_px).max(1);
        let mid = self.block / 2;
        let clusters = self.clusters;
        (0..clusters.count)
            .filter(|j| {
                (j % self.blocks_across) % every == 0 && (j / self.blocks_across) % every == 0
            })
            .map(|j| clusters.start(j) + (mid * self.block + mid) * self.clients_per_dot)
            .filter(|&c| clusters.of(c) < clusters.count && c < clusters.clients)
            .collect()
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

    /// Where seat `s` is drawn: on its host's dot, or (mega-supernodes, which have no client)
    /// in the middle of a block.
    pub fn seat_origin(&self, sim: &Simulation, s: u32) -> (u32, u32) {
        let host = sim.seats().host(s);
        if host == MEGA_HOST || host == NO_SEAT {
            let j = s.wrapping_mul(7) % self.clusters.count;
            let mid = self.block / 2;
            self.cell_origin(self.cell_in_block(j, mid * self.block + mid))
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
        for (c, life) in sim.clients().iter().enumerate() {
            let (st, seat) = (life.state, life.seat);
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

/// Where `u` goes in a fixed shuffle of `0..n` (`u` below `n`): a bijection on the next power of
/// two (an odd multiplier and an xorshift, each one-to-one on `bits`-bit numbers), walked until it
/// lands below `n`, which keeps it one-to-one on `0..n`.
#[inline]
fn shuffled(u: u32, n: u32) -> u32 {
    if n <= 2 || u >= n {
        return u;
    }
    let bits = 32 - (n - 1).leading_zeros();
    let mask = if bits >= 32 {
        u32::MAX
    } else {
        (1 << bits) - 1
    };
    let mut x = u;
    loop {
        x = x.wrapping_mul(0x9E37_79B1) & mask;
        x ^= x >> (bits / 2 + 1);
        x = x.wrapping_mul(0x85EB_CA6B) & mask;
        if x < n {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_shuffle_is_one_to_one_and_scatters_neighbours() {
        for n in [1, 2, 3, 7, 200, 330, 1000, 4097] {
            let mut seen = vec![false; n as usize];
            for u in 0..n {
                let v = shuffled(u, n) as usize;
                assert!(
                    v < n as usize && !seen[v],
                    "n {n}: {u} goes to {v} twice or outside"
                );
                seen[v] = true;
            }
        }
        // Clients every 3 apart (as a scattered update restarts them) do not stay evenly spaced.
        let gaps: std::collections::HashSet<i64> = (0..50)
            .map(|i| i64::from(shuffled(3 * i + 3, 330)) - i64::from(shuffled(3 * i, 330)))
            .collect();
        assert!(gaps.len() > 30, "{} distinct gaps", gaps.len());
    }

    #[test]
    fn every_client_gets_its_own_cell_when_there_is_room() {
        let p = Layout::new(200, 100, Clusters::new(500, 3));
        let mut seen = std::collections::HashSet::new();
        for c in 0..500 {
            assert!(seen.insert(p.cell_of(c)), "client {c} shares a cell");
        }
        assert_eq!(p.clients_per_dot, 1, "one client a dot");
    }

    #[test]
    fn each_cluster_is_a_block_of_its_own() {
        for (w, h, n, k) in [
            (960, 540, 20_000, 102),
            (360, 270, 1_000_000, 5_051),
            (100, 80, 700, 4),
        ] {
            let clusters = Clusters::new(n, k);
            let p = Layout::new(w, h, clusters);
            let drawn = p.clusters;
            let mut owner = std::collections::HashMap::new();
            for j in 0..drawn.count {
                let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
                for c in (drawn.start(j)..drawn.start(j + 1)).step_by(p.clients_per_dot as usize) {
                    let cell = p.cell_of(c);
                    let (x, y) = (cell % p.cols, cell / p.cols);
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                    assert!(x < p.cols && y < p.rows, "{n}: client {c} on the canvas");
                    let was = owner.insert(cell, j);
                    assert!(
                        was.is_none_or(|o| o == j),
                        "{n}: cell {cell} in two clusters"
                    );
                }
                assert!(
                    x1 - x0 < p.block && y1 - y0 < p.block,
                    "{n}: cluster {j} within its block of {} cells",
                    p.block
                );
            }
        }
    }

    #[test]
    fn links_join_each_attached_client_to_its_supernode_at_small_populations() {
        let sim = Simulation::new(Config {
            clients: 400,
            ..Config::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let p = Layout::new(400, 400, sim.clusters());
        let links = p.links(&sim);
        assert_eq!(
            links.len(),
            400 * 5,
            "every client is online and attached at the start"
        );
        for (c, l) in links.chunks_exact(5).enumerate() {
            let (x, y) = p.client_centre(c as u32);
            let (sx, sy) = p.seat_origin(&sim, sim.clients()[c].seat);
            assert_eq!(l, [x, y, sx as f32, sy as f32, 0.0], "client {c}'s link");
        }
        let crowded = Layout::new(60, 60, sim.clusters());
        assert!(
            crowded.links(&sim).is_empty(),
            "no lines when dots are small"
        );
    }
}
