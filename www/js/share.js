// Copy link, copy embed code, CSV and PNG export.
import { colour } from './theme.js';

/** Copies `text`; falls back to selecting it in `field` for the reader to copy. */
export async function copyText(text, field, status, what) {
  field.value = text;
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = `${what} copied.`;
  } catch {
    field.focus();
    field.select();
    status.textContent = `${what} is selected below: press Ctrl+C (or ⌘C) to copy it.`;
  }
}

/** The iframe snippet for embed.html with the same state. */
export function embedCode(pageUrl, query) {
  const src = new URL(`embed.html${query}`, pageUrl).href;
  return `<iframe src="${src.replaceAll('&', '&amp;')}" title="loginstorm: a simulation of Skype's 2007 outage" width="720" height="600" frameborder="0" loading="lazy"></iframe>`;
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

export function downloadCsv(csv, name) {
  download(new Blob([csv], { type: 'text/csv' }), name);
}

/** One PNG of the view (with its overlay), the charts and the caption. */
export function composePng(view, overlay, charts, caption) {
  const pad = 16;
  const width = Math.max(view.width, ...charts.map((c) => c.width));
  const captionLines = wrap(caption, Math.floor(width / 9));
  const height = pad + view.height + pad + captionLines.length * 22 + pad + charts.reduce((h, c) => h + c.height + pad, 0);
  const out = document.createElement('canvas');
  out.width = width + 2 * pad;
  out.height = height;
  const ctx = out.getContext('2d');
  ctx.fillStyle = colour('bg');
  ctx.fillRect(0, 0, out.width, out.height);
  let y = pad;
  ctx.drawImage(view, pad, y);
  ctx.drawImage(overlay, pad, y);
  y += view.height + pad;
  ctx.fillStyle = colour('fg');
  ctx.font = '16px system-ui, sans-serif';
  for (const line of captionLines) { ctx.fillText(line, pad, y + 16); y += 22; }
  y += pad;
  for (const c of charts) { ctx.drawImage(c, pad, y); y += c.height + pad; }
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
