//! The painter's pixels, read back: what each state looks like, in dots, in samples and blended.

use super::*;
use crate::config::Config;
use crate::presets::build_config;
use crate::run::Run;

/// August 2007 at `clients` clients, `t` minutes in: in the wave, every state is on screen.
fn mid_wave(clients: u32, t: u32) -> Run {
    let cfg = build_config("aug-2007", [("clients", clients.to_string())]);
    let mut run = Run::new(cfg.unwrap_or_else(|e| panic!("{e}"))).unwrap_or_else(|e| panic!("{e}"));
    run.step_until(t);
    run
}

fn colour_at(p: &Painter, x: u32, y: u32) -> Rgba {
    let i = ((y * p.width() + x) * 4) as usize;
    [
        p.pixels()[i],
        p.pixels()[i + 1],
        p.pixels()[i + 2],
        p.pixels()[i + 3],
    ]
}

#[test]
fn a_calm_network_paints_online_dots_and_supernodes() {
    let sim = Simulation::new(Config {
        clients: 400,
        ..Config::default()
    })
    .ok();
    let Some(sim) = sim else {
        panic!("valid config")
    };
    let mut p = Painter::new(200, 200, sim.clusters());
    p.paint(&sim, &Palette::LIGHT);
    let online = Palette::LIGHT.states[ClientState::Online as usize];
    let mut online_px = 0;
    let mut sn_px = 0;
    for px in p.pixels().chunks_exact(4) {
        if px == online {
            online_px += 1;
        }
        if px == Palette::LIGHT.supernode {
            sn_px += 1;
        }
    }
    assert!(
        online_px > 400 * 4,
        "400 online dots of several pixels each, got {online_px} px"
    );
    assert!(sn_px > 0, "supernodes are drawn");
    // A client without a supernode square on it is an online dot at its cell.
    let (x, y) = p.layout().cell_origin(p.layout().cell_of(399));
    assert_eq!(
        colour_at(&p, x, y),
        online,
        "client 399's dot is online-coloured"
    );
}

#[test]
fn small_dots_get_a_sample_drawn_large_with_its_shape() {
    let pal = Palette::LIGHT;
    let (bg, d) = (pal.background, SAMPLE_DOT_PX);
    let mut run = mid_wave(50_000, 366);
    let mut p = Painter::new(480, 360, run.sim().clusters());
    assert!(
        p.layout().cell_px < SAMPLE_BELOW_CELL,
        "dots too small for shapes"
    );
    // Samples checked and drawn right, by state, over moments of the wave that show them all.
    let (mut checked, mut right) = ([0u32; 4], [0u32; 4]);
    let samples = p.layout().samples(SAMPLE_SPACING_PX);
    for t in [366, 369, 372, 395, 410] {
        run.step_until(t);
        let sim = run.sim();
        p.paint(sim, &pal);
        for &c in &samples {
            let (cx, cy) = p.layout().cell_origin(p.layout().cell_of(c));
            let (x, y) = (cx.saturating_sub(d / 2) + 1, cy.saturating_sub(d / 2) + 1);
            if x + d + 1 > 480 || y + d + 1 > 360 {
                continue; // clipped at the edge
            }
            let at = |dx: u32, dy: u32| colour_at(&p, x + dx, y + dy);
            // A supernode drawn over the sample hides its shape.
            let supernodes = [pal.supernode, pal.mega, pal.flash];
            if (0..d * d).any(|k| supernodes.contains(&at(k % d, k / d))) {
                continue;
            }
            let st = ClientState::from_u8(sim.clients()[c as usize].state);
            let colour = pal.states[st as usize];
            // Each state's own shape: its corner, its centre, and the pixel in from the corner.
            let (corner, centre, inner) = (at(0, 0), at(d / 2, d / 2), at(1, 1));
            let shaped = match st {
                ClientState::Online => corner == colour && centre == colour && inner == colour,
                ClientState::Waiting => corner == colour && centre == bg && inner == bg,
                ClientState::Rebooting => corner == bg && centre == blend(bg, colour, 0.6),
                ClientState::LoggingIn => corner == colour && inner == bg && centre == colour,
            };
            checked[st as usize] += 1;
            right[st as usize] += u32::from(shaped);
        }
    }
    // Every state, each in its own shape (now and then a sample lands next to another, whose
    // frame covers it).
    for s in ClientState::ALL {
        let (n, ok) = (checked[s as usize], right[s as usize]);
        assert!(
            n >= 5 && ok * 10 >= n * 9,
            "{ok} of {n} sampled {s:?} clients drawn in its shape"
        );
    }
}

#[test]
fn density_mode_blends_the_states_of_each_run() {
    let run = mid_wave(50_000, 390);
    let clients = run.sim().clients();
    let mut p = Painter::new(100, 100, run.sim().clusters());
    let per = p.layout().clients_per_dot as usize;
    assert!(per >= 5, "more clients than pixels: {per} a pixel");
    let pal = Palette::DARK;
    // The density layer alone (samples and supernodes are drawn over it by `paint`).
    p.paint_density(clients, &pal);
    let (mut mixed, mut runs) = (0, 0);
    let layout = p.layout();
    let clusters = layout.clusters;
    for j in 0..clusters.count {
        let cluster = &clients[clusters.start(j) as usize..clusters.start(j + 1) as usize];
        for (u, run_states) in cluster.chunks(per).enumerate() {
            let mut counts = [0u32; 4];
            for l in run_states {
                counts[usize::from(l.state)] += 1;
            }
            mixed += usize::from(counts.iter().filter(|&&n| n > 0).count() > 1);
            runs += 1;
            // The mean of the run's state colours, over the background by how full the run is.
            let n = run_states.len() as f64;
            let weight = f64::from(90 + 166 * run_states.len() as u32 / per as u32) / 256.0;
            let expected: Vec<f64> = (0..3)
                .map(|i| {
                    let mean = (0..4)
                        .map(|s| f64::from(counts[s]) * f64::from(pal.states[s][i]))
                        .sum::<f64>()
                        / n;
                    f64::from(pal.background[i]) * (1.0 - weight) + mean * weight
                })
                .collect();
            let (x, y) = layout.cell_origin(layout.cell_of_run(j, u as u32));
            let got = colour_at(&p, x, y);
            for i in 0..3 {
                assert!(
                    (f64::from(got[i]) - expected[i]).abs() <= 2.0,
                    "cluster {j} run {u} ({counts:?}): channel {i} is {}, blending gives {:.1}",
                    got[i],
                    expected[i]
                );
            }
        }
    }
    assert!(
        mixed > 1_000,
        "runs mix states, so blending is what is tested: {mixed} of {runs}"
    );
}

#[test]
fn an_online_sample_has_no_frame_so_it_never_reads_as_a_hollow_supernode() {
    let pal = Palette::LIGHT;
    let d = SAMPLE_DOT_PX;
    let run = mid_wave(50_000, 120);
    let mut p = Painter::new(480, 360, run.sim().clusters());
    p.paint(run.sim(), &pal);
    let (mut online, mut framed) = (0, 0);
    for c in p.layout().samples(SAMPLE_SPACING_PX) {
        if ClientState::from_u8(run.sim().clients()[c as usize].state) != ClientState::Online {
            continue;
        }
        let (cx, cy) = p.layout().cell_origin(p.layout().cell_of(c));
        let (x, y) = (cx.saturating_sub(d / 2), cy.saturating_sub(d / 2));
        if x + d + 2 > 480 || y + d + 2 > 360 {
            continue;
        }
        online += 1;
        // The frame would be the background, all round the dot.
        let ring = (0..d + 2).all(|k| colour_at(&p, x + k, y) == pal.background);
        framed += u32::from(ring);
    }
    assert!(online >= 20, "{online} online samples on a calm day");
    assert_eq!(framed, 0, "{framed} of {online} online samples framed");
}

#[test]
fn a_serving_supernode_never_looks_hollow_however_light_its_load() {
    let pal = Palette::LIGHT;
    // August 2007 at its end, two days after the engineers' mega-supernodes came up: the network
    // has recovered around them, and some carry a sliver of their capacity.
    let cfg = build_config("aug-2007", [("clients", "20000".to_owned())]);
    let mut run = Run::new(cfg.unwrap_or_else(|e| panic!("{e}"))).unwrap_or_else(|e| panic!("{e}"));
    run.step_until(96 * 60 - 1);
    let sim = run.sim();
    // The size the page paints beside its text at 1280 px.
    let mut p = Painter::new(640, 360, sim.clusters());
    p.paint(sim, &pal);
    let seats = sim.seats();
    let (mut megas, mut light, mut hollow) = (0, 0, 0);
    for s in 0..seats.len() {
        if seats.host(s as u32) != MEGA_HOST || seats.status(s as u32) != SeatStatus::Active {
            continue;
        }
        let side = p.supernode_px() * 2;
        let (cx, cy) = p.layout().seat_origin(sim, s as u32);
        let (x, y) = (cx.saturating_sub(side / 2), cy.saturating_sub(side / 2));
        if x + side > 640 || y + side > 360 {
            continue;
        }
        megas += 1;
        light += u32::from(seats.load(s as u32) < 0.2);
        // Inside its frame, near the top (above any load): never the background.
        hollow += u32::from(colour_at(&p, x + side / 2, y + 2) == pal.background);
    }
    assert!(
        light > 0,
        "some of the {megas} mega-supernodes carry under a fifth of their capacity"
    );
    assert_eq!(
        hollow, 0,
        "{hollow} of {megas} serving mega-supernodes drawn hollow"
    );
}
