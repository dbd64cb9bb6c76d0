// The pages pass axe-core's accessibility rules (WCAG 2 A/AA and axe's best practices): the
// first screen on a laptop and on a phone, the embed as an article shows it (the stage alone,
// and the stage, chart and every control), and the article when it is there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { repoRoot, useSite, openPage } from './harness.mjs';

const site = useSite(path.join(repoRoot, 'www'));

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One violation, in a few lines: the rule, how bad, what to do, and where (first few nodes). */
function describe(v) {
  const nodes = v.nodes.slice(0, 4).map((n) => `    ${JSON.stringify(n.target)}: ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`
    + (n.failureSummary ? `\n      ${n.failureSummary.replace(/\s*\n\s*/g, ' / ').slice(0, 300)}` : ''));
  const more = v.nodes.length > 4 ? [`    … and ${v.nodes.length - 4} more`] : [];
  return [`  ${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>`, ...nodes, ...more].join('\n');
}

/**
 * Runs axe over `page` (and its frames: axe is put in each, so an embed's iframe is checked as
 * part of its article) and asserts it found nothing.
 */
async function assertNoViolations(page, what) {
  // The charts load lazily (when scrolled near): loaded and filled now, so axe checks them too.
  for (const frame of page.frames()) {
    await frame.evaluate(() => window.loginstorm?.charts?.()).catch(() => {});
  }
  // The pages' CSP (script-src 'self') blocks an inline <script> (page.addScriptTag); an
  // evaluation over the DevTools protocol is not a page script, so it runs.
  for (const frame of page.frames()) await frame.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map(({ id, impact, help, helpUrl, nodes }) => ({
      id, impact, help, helpUrl,
      nodes: nodes.map(({ target, html, failureSummary }) => ({ target, html, failureSummary })),
    }));
  });
  assert.equal(violations.length, 0, `axe found ${violations.length} violation(s) on ${what}:\n${violations.map(describe).join('\n')}`);
}

const CASES = [
  ['index.html', 'the first screen', { width: 1280, height: 800 }],
  ['index.html', 'the first screen on a phone', { width: 360, height: 740 }],
  ['embed.html?preset=aug-2007&t=420', 'the embed, stage alone', { width: 720, height: 600 }],
  ['embed.html?preset=aug-2007&t=420&view=both&controls=all', 'the embed, stage, chart and every control', { width: 720, height: 600 }],
];

for (const [url, what, viewport] of CASES) {
  test(`${what} (${url}, ${viewport.width}x${viewport.height}) has no axe violations`, { timeout: 60_000 }, async () => {
    const { page, close } = await openPage(site.browser, `${site.server.url}${url}`, viewport);
    try {
      await assertNoViolations(page, `${url} at ${viewport.width}x${viewport.height}`);
    } finally {
      await close();
    }
  });
}

test('the article (article.html, 1280x800) with its embed has no axe violations', { timeout: 60_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const res = await page.goto(`${site.server.url}article.html`, { waitUntil: 'load', timeout: 15_000 });
    assert.ok(res?.ok(), `GET article.html answered ${res?.status()}`);
    // The article has no ready flag of its own: it marks when its embed said "ready", and the
    // embed (same origin) sets its own.
    await page.waitForFunction(() => document.body.dataset.simReady === '1'
      && document.querySelector('iframe')?.contentDocument?.body?.dataset.ready === '1', null, { timeout: 15_000 });
    await assertNoViolations(page, 'article.html at 1280x800');
  } finally {
    await context.close();
  }
});
