// The animation: the engine paints the network into the main canvas (one putImageData a
// frame); at small populations an overlay shows who is attached to whom and login attempts
// travelling to their supernode.

/** Colours of the states, as the engine's palette (Okabe-Ito). */
const LINK_COLOURS = { light: ['0,114,178', '153,153,153', '230,159,0', '0,158,115'], dark: ['86,180,233', '110,110,110', '230,159,0', '0,158,115'] };
/** Above this many links, lines would be a smear: draw only the travelling attempts. */
const MAX_LINES = 3000;

export class View {
  constructor(canvas, overlay, wrap) {
    this.canvas = canvas;
    this.overlay = overlay;
    this.ctx = canvas.getContext('2d');
    this.octx = overlay.getContext('2d');
    this.wrap = wrap;
    this.size = { w: canvas.width, h: canvas.height };
  }

  /** The canvas size in pixels for the space the page gives it (16:9, taller on phones). */
  fit() {
    const cssW = Math.max(this.wrap.clientWidth, 200);
    const ratio = cssW < 600 ? 3 / 4 : 9 / 16;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const w = Math.min(Math.round(cssW * dpr), 1280);
    const h = Math.round(w * ratio);
    if (w === this.size.w && h === this.size.h) return false;
    for (const c of [this.canvas, this.overlay]) { c.width = w; c.height = h; }
    this.size = { w, h };
    return true;
  }

  /**
   * Paints the network, and the overlay with `links` (five numbers a client, from the engine).
   * `progress` (0 to 1) is how far into the current minute we are; `motion` false draws no
   * travelling particles.
   */
  draw(sim, { links, progress, motion, dark }) {
    sim.draw(this.ctx);
    const o = this.octx;
    o.clearRect(0, 0, this.size.w, this.size.h);
    if (!links || links.length === 0) return;
    const n = links.length / 5;
    const colours = dark ? LINK_COLOURS.dark : LINK_COLOURS.light;
    if (n <= MAX_LINES) {
      o.lineWidth = 1;
      o.strokeStyle = `rgba(${colours[0]},0.18)`;
      o.beginPath();
      for (let i = 0; i < links.length; i += 5) {
        if (links[i + 4] !== 0) continue;
        o.moveTo(links[i], links[i + 1]);
        o.lineTo(links[i + 2], links[i + 3]);
      }
      o.stroke();
    }
    // Logging in: the handshake on its way to the supernode.
    o.fillStyle = `rgb(${colours[3]})`;
    o.strokeStyle = `rgba(${colours[3]},0.5)`;
    o.beginPath();
    const r = Math.max(1.5, Math.min(3, this.size.w / 400));
    for (let i = 0; i < links.length; i += 5) {
      if (links[i + 4] !== 3) continue;
      const [x1, y1, x2, y2] = [links[i], links[i + 1], links[i + 2], links[i + 3]];
      if (motion) {
        const x = x1 + (x2 - x1) * progress;
        const y = y1 + (y2 - y1) * progress;
        o.moveTo(x + r, y);
        o.arc(x, y, r, 0, 2 * Math.PI);
      }
    }
    o.fill();
    if (!motion) {
      // Reduced motion: the same fact as a still line.
      o.beginPath();
      for (let i = 0; i < links.length; i += 5) {
        if (links[i + 4] !== 3) continue;
        o.moveTo(links[i], links[i + 1]);
        o.lineTo(links[i + 2], links[i + 3]);
      }
      o.stroke();
    }
  }
}
