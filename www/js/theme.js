// The model's colours for scripts: the custom properties of palette.css (generated from the
// engine's palette), read from the page, so the canvas, the legend and the charts agree.

/** The colour `--name` of the current scheme (the palette's, or the page chrome's), as CSS text. */
export function colour(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim();
}
