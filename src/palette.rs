//! The one palette: every colour the canvas, the legend and the charts use, light and dark, from
//! Okabe-Ito (safe for colour-blind readers).
//!
//! The canvas reads it here; the page reads it as CSS custom properties from `www/palette.css`,
//! which is generated from [`css`] (`loginstorm palette > www/palette.css`; a test fails when the
//! file and this module disagree).

use crate::client::ClientState;
use crate::metrics::Phase;
use std::fmt::Write;

/// An RGBA colour (alpha 255 is opaque).
pub type Rgba = [u8; 4];

/// The colours of one scheme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    /// Behind everything.
    pub background: Rgba,
    /// Per [`ClientState`], by its value.
    pub states: [Rgba; 4],
    /// A supernode's outline and fill.
    pub supernode: Rgba,
    /// A mega-supernode.
    pub mega: Rgba,
    /// A supernode switching itself off.
    pub flash: Rgba,
    /// The charts' line for the normal level.
    pub reference: Rgba,
    /// The charts' shading of each phase, by [`Phase::ALL`] order (translucent).
    pub bands: [Rgba; 6],
}

/// Phase shading, the same in both schemes: restarts grey, the storm orange, the collapse
/// vermillion, recovery green.
const BANDS: [Rgba; 6] = [
    [0, 0, 0, 0],
    [153, 153, 153, 46],
    [230, 159, 0, 41],
    [213, 94, 0, 51],
    [0, 158, 115, 36],
    [0, 158, 115, 15],
];

impl Palette {
    /// For a light page.
    pub const LIGHT: Palette = Palette {
        background: [255, 255, 255, 255],
        states: [
            [0, 114, 178, 255],
            [153, 153, 153, 255],
            [230, 159, 0, 255],
            [0, 158, 115, 255],
        ],
        supernode: [204, 121, 167, 255],
        mega: [0, 0, 0, 255],
        flash: [213, 94, 0, 255],
        reference: [153, 153, 153, 255],
        bands: BANDS,
    };
    /// For a dark page.
    pub const DARK: Palette = Palette {
        background: [17, 20, 24, 255],
        states: [
            [86, 180, 233, 255],
            [110, 110, 110, 255],
            [230, 159, 0, 255],
            [0, 158, 115, 255],
        ],
        supernode: [204, 121, 167, 255],
        mega: [240, 228, 66, 255],
        flash: [213, 94, 0, 255],
        reference: [153, 153, 153, 255],
        bands: BANDS,
    };

    /// The scheme for a dark page or a light one.
    pub fn of(dark: bool) -> Palette {
        if dark { Self::DARK } else { Self::LIGHT }
    }

    /// Every colour by the name the page uses for it (`--online`, `--band-collapsed`, ...).
    pub fn named(&self) -> Vec<(String, Rgba)> {
        let mut out: Vec<(String, Rgba)> = ClientState::ALL
            .iter()
            .map(|&s| (s.name().replace('_', "-"), self.states[s as usize]))
            .collect();
        for (name, c) in [
            ("background", self.background),
            ("supernode", self.supernode),
            ("mega", self.mega),
            ("flash", self.flash),
            ("reference", self.reference),
        ] {
            out.push((name.to_owned(), c));
        }
        for (phase, &c) in Phase::ALL.iter().zip(&self.bands) {
            out.push((format!("band-{}", phase.name()), c));
        }
        out
    }
}

/// `c` as CSS: `#rrggbb` when opaque, else `rgba(r, g, b, a)`.
pub fn css_colour(c: Rgba) -> String {
    if c[3] == 255 {
        format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
    } else {
        let alpha = f64::from(c[3]) / 255.0;
        format!("rgba({}, {}, {}, {alpha:.2})", c[0], c[1], c[2])
    }
}

/// `www/palette.css`: both schemes as custom properties on `:root`.
pub fn css() -> String {
    let mut out = String::from(
        "/* Generated from src/palette.rs by `loginstorm palette > www/palette.css`: do not edit. */\n",
    );
    let block = |out: &mut String, p: &Palette, indent: &str| {
        for (name, c) in p.named() {
            // Writing to a String cannot fail.
            let _ = writeln!(out, "{indent}  --{name}: {};", css_colour(c));
        }
    };
    out.push_str(":root {\n");
    block(&mut out, &Palette::LIGHT, "");
    out.push_str("}\n@media (prefers-color-scheme: dark) {\n  :root {\n");
    block(&mut out, &Palette::DARK, "  ");
    out.push_str("  }\n}\n");
    out
}

/// `a` moved toward `b` by `t` (0 to 1), opaque.
pub fn blend(a: Rgba, b: Rgba, t: f64) -> Rgba {
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    [mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2]), 255]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_css_names_every_state_and_phase_in_both_schemes() {
        let css = css();
        for p in [Palette::LIGHT, Palette::DARK] {
            for s in ClientState::ALL {
                let line = format!(
                    "--{}: {};",
                    s.name().replace('_', "-"),
                    css_colour(p.states[s as usize])
                );
                assert!(css.contains(&line), "{line} in the generated CSS");
            }
        }
        for phase in Phase::ALL {
            assert!(
                css.contains(&format!("--band-{}:", phase.name())),
                "a band for {phase:?}"
            );
        }
        assert_eq!(
            css_colour([213, 94, 0, 51]),
            "rgba(213, 94, 0, 0.20)",
            "translucent colours keep their alpha"
        );
    }

    #[test]
    fn states_differ_from_each_other_and_from_the_background() {
        for p in [Palette::LIGHT, Palette::DARK] {
            for (i, a) in p.states.iter().enumerate() {
                assert_ne!(*a, p.background, "state {i} shows on the background");
                for b in &p.states[i + 1..] {
                    assert_ne!(a, b, "states are told apart by colour");
                }
            }
        }
    }
}
