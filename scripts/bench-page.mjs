// Runs www/bench.html in headless Chromium for 100k and 1M clients and prints its JSON lines.
// Usage: node scripts/bench-page.mjs [clients ...]   (make bench-page)
import path from 'node:path';
import { repoRoot, startServer, launchBrowser } from '../tests/e2e/harness.mjs';

// The harness unrefs its server so tests can exit; a script must keep itself alive.
const keepAlive = setInterval(() => {}, 1000);
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const server = await startServer(path.join(repoRoot, 'www'));
const browser = await launchBrowser();
try {
  // Load: navigation to the first frame of the full page, five cold loads.
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}index.html`);
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
    loads.push(Number(await page.evaluate(() => document.body.dataset.firstFrameMs)));
    await context.close();
  }
  console.log(JSON.stringify({ bench: 'load', first_frame_ms: loads }));
  for (const clients of sizes.length ? sizes : [100_000, 1_000_000]) {
    for (const from of [120, 390, 600]) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${server.url}bench.html?clients=${clients}&from=${from}&frames=240`);
      await page.waitForFunction(() => document.body.dataset.done, null, { timeout: 600_000 });
      console.log(await page.locator('#result').textContent());
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
  clearInterval(keepAlive);
}
