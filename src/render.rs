//! Paints the network into an RGBA buffer: one `putImageData` a frame on the page, and pixels
//! that native tests can read.
//!
//! Each client has a fixed cell (`layout.rs`). With room for it, a client is a dot whose colour
//! *and* shape tell its state (online filled, waiting hollow, rebooting dimmed, logging in
//! ringed); with more clients than pixels, each pixel blends the states of a run of consecutive
//! clients (density). Runs, not scattered clients, so a frame reads the state array once in
//! order: a million clients paint in a few milliseconds. Supernodes are larger pale squares filled
//! as far as they are loaded (hollow while their PC restarts and logs back in); mega-supernodes
//! are larger still; a supernode that just switched itself off flashes.

use crate::client::{ClientState, Clusters, Life};
use crate::layout::Layout;
use crate::palette::{Palette, Rgba, blend};
use crate::seats::{MEGA_HOST, SeatStatus};
use crate::sim::Simulation;

/// Paints frames of one size, reusing its buffers.
#[derive(Clone, Debug)]
pub struct Painter {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
    layout: Layout,
}

/// Dots smaller than this many pixels have no room for shapes: a sample is drawn large.
const SAMPLE_BELOW_CELL: u32 = 3;
/// Distance between sampled clients, in pixels (about).
const SAMPLE_SPACING_PX: u32 = 24;
/// Side of a sampled client's dot, in pixels.
const SAMPLE_DOT_PX: u32 = 6;
/// How far a serving supernode's empty part is tinted toward its colour (0: background).
const SERVING_TINT: f64 = 0.3;

impl Painter {
    /// A painter for `width` x `height` pixels (each at least 1) and the clients in `clusters`.
    pub fn new(width: u32, height: u32, clusters: Clusters) -> Self {
        let (width, height) = (width.max(1), height.max(1));
        Self {
            width,
            height,
            pixels: vec![0; (u64::from(width) * u64::from(height) * 4) as usize],
            layout: Layout::new(width, height, clusters),
        }
    }

    /// The RGBA bytes of the last frame, row by row.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The layout of the clients.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Paints the simulation's current state.
    pub fn paint(&mut self, sim: &Simulation, palette: &Palette) {
        for px in self.pixels.chunks_exact_mut(4) {
            px.copy_from_slice(&palette.background);
        }
        let clients = sim.clients();
        if self.layout.clients_per_dot > 1 {
            self.paint_density(clients, palette);
        } else {
            self.paint_dots(clients, palette);
        }
        if self.layout.cell_px < SAMPLE_BELOW_CELL {
            self.paint_sample(clients, palette);
        }
        self.paint_supernodes(sim, palette);
    }

    /// Where dots are too small for shapes, a sample of single clients drawn large enough to
    /// show theirs, so the states are told apart by shape as well as colour at any scale.
    fn paint_sample(&mut self, clients: &[Life], palette: &Palette) {
        for c in self.layout.samples(SAMPLE_SPACING_PX) {
            let Some(st) = clients.get(c as usize).map(|l| l.state) else {
                continue;
            };
            let (x, y) = self.layout.cell_origin(self.layout.cell_of(c));
            let (x, y) = (
                x.saturating_sub(SAMPLE_DOT_PX / 2),
                y.saturating_sub(SAMPLE_DOT_PX / 2),
            );
            // A frame sets the sample off from the crowd behind it, except an online one: on an
            // online crowd a framed square reads as a hollow, idle supernode.
            if ClientState::from_u8(st) != ClientState::Online {
                self.fill(
                    x,
                    y,
                    SAMPLE_DOT_PX + 2,
                    SAMPLE_DOT_PX + 2,
                    palette.background,
                );
            }
            self.dot(x + 1, y + 1, SAMPLE_DOT_PX, st, palette);
        }
    }

    /// Client dot of side `d` at (x, y): its state's colour and shape.
    fn dot(&mut self, x: u32, y: u32, d: u32, st: u8, palette: &Palette) {
        let colour = palette.states[usize::from(st & 3)];
        match ClientState::from_u8(st) {
            ClientState::Online => self.fill(x, y, d, d, colour),
            ClientState::Waiting => self.outline(x, y, d, colour),
            ClientState::Rebooting => {
                let dim = blend(palette.background, colour, 0.6);
                self.fill(x + d / 3, y + d / 3, d - 2 * (d / 3), d - 2 * (d / 3), dim);
            }
            ClientState::LoggingIn => {
                self.outline(x, y, d, colour);
                if d >= 5 {
                    self.fill(x + 2, y + 2, d - 4, d - 4, colour);
                }
            }
        }
    }

    fn paint_dots(&mut self, clients: &[Life], palette: &Palette) {
        let s = self.layout.cell_px;
        for (c, st) in clients.iter().map(|l| l.state).enumerate() {
            let (x, y) = self.layout.cell_origin(self.layout.cell_of(c as u32));
            if s < 3 {
                self.fill(x, y, s, s, palette.states[usize::from(st & 3)]);
                continue;
            }
            // Leave a one-pixel gap so neighbouring dots stay apart.
            self.dot(x, y, s - 1, st, palette);
        }
    }

    /// With more clients than pixels: each pixel of a cluster's block blends a run of its
    /// clients, read in index order (one pass over the states).
    fn paint_density(&mut self, clients: &[Life], palette: &Palette) {
        let layout = self.layout;
        let per = layout.clients_per_dot as usize;
        let full = Shade::new(per, per, palette);
        for j in 0..layout.clusters.count {
            let from = layout.clusters.start(j) as usize;
            let to = (layout.clusters.start(j + 1) as usize).min(clients.len());
            for (u, run) in clients[from.min(to)..to].chunks(per).enumerate() {
                let colour = if run.len() == per {
                    full.of(run)
                } else {
                    Shade::new(run.len(), per, palette).of(run)
                };
                // Density cells are single pixels: the cell is the pixel.
                let cell = layout.cell_of_run(j, u as u32) as usize * 4;
                if let Some(px) = self.pixels.get_mut(cell..cell + 4) {
                    px.copy_from_slice(&colour);
                }
            }
        }
    }

    /// A supernode square's side (px; a mega-supernode's is twice that): about two dots across,
    /// but small beside a small block, since with thousands of supernodes on screen large squares
    /// would hide the clusters they serve.
    fn supernode_px(&self) -> u32 {
        let block_px = self.layout.block * self.layout.cell_px;
        (self.layout.cell_px * 2 + 1)
            .max(5)
            .min((block_px / 3).max(3))
    }

    fn paint_supernodes(&mut self, sim: &Simulation, palette: &Palette) {
        let seats = sim.seats();
        let now = sim.now_min();
        let size = self.supernode_px();
        for s in 0..seats.len() {
            let seat = s as u32;
            let (host, status) = (seats.host(seat), seats.status(seat));
            let just_off =
                status == SeatStatus::Vacant && seats.vacated_at(seat) + 2 >= now && now > 0;
            if status == SeatStatus::Vacant && !just_off {
                continue;
            }
            let mega = host == MEGA_HOST;
            let (cx, cy) = self.layout.seat_origin(sim, s as u32);
            let side = if mega { size * 2 } else { size };
            let (x, y) = (cx.saturating_sub(side / 2), cy.saturating_sub(side / 2));
            if just_off {
                self.outline(
                    x.saturating_sub(2),
                    y.saturating_sub(2),
                    side + 4,
                    palette.flash,
                );
                continue;
            }
            let colour = if mega {
                palette.mega
            } else {
                palette.supernode
            };
            // Serving: a pale square filled from the bottom as far as it is loaded, so even an
            // empty one never reads as hollow ("not serving": its PC is down).
            let inner = side.saturating_sub(2);
            let serving = status == SeatStatus::Active;
            let ground = if serving {
                blend(palette.background, colour, SERVING_TINT)
            } else {
                palette.background
            };
            self.fill(x, y, side, side, ground);
            self.outline(x, y, side, colour);
            if serving {
                let load = seats.load(s as u32).min(1.0);
                let h = ((f64::from(inner) * load).round() as u32).min(inner);
                self.fill(x + 1, y + 1 + (inner - h), inner, h, colour);
            }
        }
    }

    #[inline]
    fn put(&mut self, x: u32, y: u32, c: Rgba) {
        if x < self.width && y < self.height {
            let i = ((y * self.width + x) * 4) as usize;
            self.pixels[i..i + 4].copy_from_slice(&c);
        }
    }

    fn fill(&mut self, x: u32, y: u32, w: u32, h: u32, c: Rgba) {
        for yy in y..(y + h).min(self.height) {
            for xx in x..(x + w).min(self.width) {
                self.put(xx, yy, c);
            }
        }
    }

    fn outline(&mut self, x: u32, y: u32, side: u32, c: Rgba) {
        if side == 0 {
            return;
        }
        for k in 0..side {
            self.put(x + k, y, c);
            self.put(x + k, y + side - 1, c);
            self.put(x, y + k, c);
            self.put(x + side - 1, y + k, c);
        }
    }
}

/// The colour of a run of clients in density mode, in integer maths (it runs for every pixel of
/// every frame): the mean of their states' colours, stronger the fuller the run, from 35% to
/// 100% over the background, in 1/256ths.
struct Shade {
    /// 2^16 / clients in the run: divides by multiplying.
    inv: u32,
    /// Weight of the mixed colour over the background, in 1/256ths.
    weight: u32,
    background: Rgba,
    states: [Rgba; 4],
}

impl Shade {
    fn new(run: usize, per: usize, palette: &Palette) -> Self {
        let (run, per) = (run.max(1) as u32, per.max(1) as u32);
        Self {
            inv: (1 << 16) / run,
            weight: 90 + 166 * run / per,
            background: palette.background,
            states: palette.states,
        }
    }

    #[inline]
    fn of(&self, run: &[Life]) -> Rgba {
        let mut counts = [0u32; 4];
        for l in run {
            counts[usize::from(l.state & 3)] += 1;
        }
        let mut out = [0, 0, 0, 255];
        for (i, o) in out.iter_mut().take(3).enumerate() {
            let sum: u32 = counts
                .iter()
                .zip(&self.states)
                .map(|(n, c)| n * u32::from(c[i]))
                .sum();
            let mean = (sum * self.inv) >> 16;
            let bg = u32::from(self.background[i]);
            *o = ((bg * (256 - self.weight) + mean * self.weight + 128) >> 8).min(255) as u8;
        }
        out
    }
}

#[cfg(test)]
mod tests;
