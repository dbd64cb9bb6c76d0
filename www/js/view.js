// The animation: the engine's worker paints the network and the page draws the picture (one
// drawImage a new minute); at small populations an overlay shows who is attached to whom and login attempts
// travelling to their supernode.
import { colour } from './theme.js';

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
    /** A fixed height to width ratio (the embed's, whose width shrinks to fit), or null. */
    this.ratio = null;
    this.readColours();
  }

  /** Takes the states' colours from the page (again after a change of colour scheme). */
  readColours() {
    this.colours = { online: colour('online'), loggingIn: colour('logging-in') };
  }

  /**
   * The canvas size in pixels for the space the page gives it (16:9, a little taller on phones,
   * where it stays pinned above the text and must leave room for it).
   */
  fit() {
    const cssW = Math.max(this.wrap.clientWidth, 200);
    const ratio = this.ratio ?? (cssW < 600 ? 0.6 : 9 / 16);
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const w = Math.min(Math.round(cssW * dpr), 1280);
    const h = Math.round(w * ratio);
    if (w === this.size.w && h === this.size.h) return false;
    // Resizing clears a canvas: the picture shown stays, stretched, until the engine's next one.
    const last = document.createElement('canvas');
    last.width = this.canvas.width;
    last.height = this.canvas.height;
    last.getContext('2d').drawImage(this.canvas, 0, 0);
    for (const c of [this.canvas, this.overlay]) { c.width = w; c.height = h; }
    this.ctx.drawImage(last, 0, 0, w, h);
    this.size = { w, h };
    return true;
  }

  /** Shows a picture of the network (an ImageBitmap from the engine's worker), then lets it go. */
  paint(picture) {
    this.ctx.drawImage(picture, 0, 0);
    picture.close();
  }

  /**
   * Draws the overlay from `links` (five numbers a client, from the engine): attachment lines,
   * and logging-in handshakes travelling to their supernode, `progress` (0 to 1) of the way
   * through the current minute; with `motion` false, the same handshakes as still lines.
   */
  drawOverlay(links, { progress, motion }) {
    const o = this.octx;
    o.clearRect(0, 0, this.size.w, this.size.h);
    if (!links || links.length === 0) return;
    o.lineWidth = 1;
    if (links.length / 5 <= MAX_LINES) {
      o.strokeStyle = this.colours.online;
      o.globalAlpha = 0.18;
      this.strokeLinks(links, 0);
    }
    if (!motion) {
      o.strokeStyle = this.colours.loggingIn;
      o.globalAlpha = 0.5;
      this.strokeLinks(links, 3);
      o.globalAlpha = 1;
      return;
    }
    o.globalAlpha = 1;
    o.fillStyle = this.colours.loggingIn;
    o.beginPath();
    const r = Math.max(1.5, Math.min(3, this.size.w / 400));
    for (let i = 0; i < links.length; i += 5) {
      if (links[i + 4] !== 3) continue;
      const x = links[i] + (links[i + 2] - links[i]) * progress;
      const y = links[i + 1] + (links[i + 3] - links[i + 1]) * progress;
      o.moveTo(x + r, y);
      o.arc(x, y, r, 0, 2 * Math.PI);
    }
    o.fill();
  }

  /** One path of the links of clients in `state`, stroked. */
  strokeLinks(links, state) {
    const o = this.octx;
    o.beginPath();
    for (let i = 0; i < links.length; i += 5) {
      if (links[i + 4] !== state) continue;
      o.moveTo(links[i], links[i + 1]);
      o.lineTo(links[i + 2], links[i + 3]);
    }
    o.stroke();
  }
}
