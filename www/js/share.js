// Copy link, copy embed code, CSV and PNG export.
import { colour } from './theme.js';
import { writeEmbedOptions, FIELDSET_SWITCHES } from './embed-options.js';

/** Copies `text`; falls back to selecting it in `field` for the reader to copy. */
export async function copyText(text, field, status, what) {
  field.value = text;
  field.hidden = false;
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = `${what} copied.`;
  } catch {
    field.focus();
    field.select();
    status.textContent = `${what} is selected below: press Ctrl+C (or ⌘C) to copy it.`;
  }
}

const EMBED_TITLE = 'loginstorm: a simulation of Skype\'s 2007 outage';

/** Text for an HTML attribute's value in double quotes. */
function attr(text) {
  return String(text).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}

/**
 * The code an article pastes to embed the run with the page's `query` (?preset=…) and the embed
 * `options` (embed-options.js): an iframe, or (`kind` 'element') the <loginstorm-sim> element.
 * An iframe that grows to its content takes the platform's frame-sizing where the browser has it,
 * and the embed's `height` message elsewhere (a line of script, as NPR's pym.js does).
 */
export function embedCode(pageUrl, query, options = {}, kind = 'iframe', id = 'loginstorm-embed') {
  const params = new URLSearchParams(query);
  for (const [k, v] of writeEmbedOptions(options)) params.set(k, v);
  if (kind === 'element') {
    params.delete('height');
    const script = new URL('loginstorm.js', pageUrl).href;
    const attrs = [...params].map(([k, v]) => ` ${k}="${attr(v)}"`).join('');
    return `<script type="module" src="${attr(script)}"></script>\n<loginstorm-sim${attrs}></loginstorm-sim>`;
  }
  const src = new URL(`embed.html?${params}`, pageUrl).href;
  const title = options.title ? `loginstorm: ${options.title}` : EMBED_TITLE;
  const height = frameHeight(options);
  if (options.height !== 'auto') {
    return `<iframe src="${attr(src)}" title="${attr(title)}" width="720" height="${height}" style="max-width: 100%; border: 0" loading="lazy"></iframe>`;
  }
  return `<iframe id="${id}" src="${attr(src)}" title="${attr(title)}" style="width: 100%; height: ${height}px; border: 0; frame-sizing: content-height" loading="lazy"></iframe>\n`
    + `<script>addEventListener('message', function (e) { var f = document.getElementById('${id}'); `
    + `if (e.source === f.contentWindow && e.data && e.data.loginstorm === 1 && e.data.type === 'height') f.style.height = e.data.height + 'px'; });</script>`;
}

/**
 * A frame height (px) in which an embed 720 px wide with `options` shows everything: the picture
 * gives way to what the options add (it would shrink to a thumbnail in a frame much smaller).
 */
export function frameHeight(options) {
  let h = options.view === 'chart' ? 520 : 600;
  if (options.controls === 'all') h += 230;
  else if (options.controls === 'switch') h += FIELDSET_SWITCHES.includes(options.switch) ? 150 : 90;
  else if (options.controls === 'none') h -= 90;
  if (options.caption === false) h -= 90;
  return h;
}

function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * A file name's stem that says what the file shows: the scenario, then each setting the reader
 * changed (name-value, in the URL's order), in characters any file system takes.
 */
export function fileStem(preset, settings) {
  const parts = [preset, ...Object.entries(settings).map(([k, v]) => `${k}-${v}`)];
  const stem = `loginstorm_${parts.join('_')}`.replace(/[^A-Za-z0-9._-]+/g, '-');
  return stem.length > 150 ? stem.slice(0, 150) : stem;
}

export function downloadCsv(csv, name) {
  download(new Blob([csv], { type: 'text/csv' }), name);
}

/**
 * One PNG that stands on its own: a title line (`title`), the moment (`when`), the view (with
 * its overlay), its legend (`legend`: [css colour, words] pairs) and scale (`scale`), the caption,
 * the charts (each under its title, `chartTitles`), what their marks mean (`notes`, lines of text)
 * and the link that shows it all again (`link`).
 */
export function composePng(view, overlay, charts, caption, { title = 'loginstorm', when = '', legend = [], scale = '', link = '', chartTitles = [], notes = [] } = {}) {
  const pad = 16;
  const width = Math.max(view.width, ...charts.map((c) => c.width));
  const captionLines = wrap(caption, Math.floor(width / 9));
  const head = 30 + (when ? 22 : 0);
  // The legend's items, laid out in rows that fit the width.
  const measure = document.createElement('canvas').getContext('2d');
  measure.font = '13px system-ui, sans-serif';
  const keys = [];
  let [kx, row] = [0, 0];
  for (const [ink, words] of legend) {
    const w = 15 + measure.measureText(words).width + 14;
    if (kx > 0 && kx + w > width) { kx = 0; row++; }
    keys.push({ ink, words, x: kx, row });
    kx += w;
  }
  const keyLines = (keys.length ? (row + 1) * 20 : 0) + (scale ? 20 : 0);
  const linkLines = link ? link.match(new RegExp(`.{1,${Math.floor(width / 6.5)}}`, 'g')) : [];
  const noteLines = notes.flatMap((n) => wrap(n, Math.floor(width / 7)));
  const height = pad + head + view.height + 8 + keyLines + pad + captionLines.length * 22 + pad
    + charts.reduce((h, c) => h + c.height + pad + 20, 0) + noteLines.length * 16 + linkLines.length * 15;
  const out = document.createElement('canvas');
  out.width = width + 2 * pad;
  out.height = height;
  const ctx = out.getContext('2d');
  ctx.fillStyle = colour('bg');
  ctx.fillRect(0, 0, out.width, out.height);
  let y = pad;
  ctx.fillStyle = colour('fg');
  ctx.font = 'bold 20px system-ui, sans-serif';
  ctx.fillText(title, pad, y + 20);
  y += 30;
  if (when) {
    ctx.font = '15px system-ui, sans-serif';
    ctx.fillStyle = colour('muted');
    ctx.fillText(when, pad, y + 15);
    y += 22;
  }
  ctx.drawImage(view, pad, y);
  ctx.drawImage(overlay, pad, y);
  y += view.height + 8;
  ctx.font = '13px system-ui, sans-serif';
  for (const { ink, words, x, row: r } of keys) {
    ctx.fillStyle = ink;
    ctx.fillRect(pad + x, y + r * 20 + 4, 11, 11);
    ctx.fillStyle = colour('fg');
    ctx.fillText(words, pad + x + 15, y + r * 20 + 14);
  }
  if (keys.length) y += (row + 1) * 20;
  if (scale) {
    ctx.fillStyle = colour('muted');
    ctx.fillText(scale, pad, y + 13);
    y += 20;
  }
  y += pad;
  ctx.fillStyle = colour('fg');
  ctx.font = '16px system-ui, sans-serif';
  for (const line of captionLines) { ctx.fillText(line, pad, y + 16); y += 22; }
  y += pad;
  charts.forEach((c, i) => {
    ctx.fillStyle = colour('fg');
    ctx.font = 'bold 14px system-ui, sans-serif';
    ctx.fillText(chartTitles[i] ?? '', pad, y + 14);
    y += 20;
    ctx.drawImage(c, pad, y);
    y += c.height + pad;
  });
  ctx.fillStyle = colour('fg');
  ctx.font = '12px system-ui, sans-serif';
  for (const line of noteLines) { ctx.fillText(line, pad, y + 12); y += 16; }
  ctx.fillStyle = colour('muted');
  ctx.font = '11px ui-monospace, monospace';
  for (const line of linkLines) { ctx.fillText(line, pad, y + 11); y += 15; }
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}

export async function downloadPng(blobPromise, name) {
  const blob = await blobPromise;
  if (blob) download(blob, name);
}

function wrap(text, perLine) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if ((line + ' ' + word).trim().length > perLine && line) { lines.push(line); line = word; } else line = `${line} ${word}`.trim();
  }
  if (line) lines.push(line);
  return lines;
}
