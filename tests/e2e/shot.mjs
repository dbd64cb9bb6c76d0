// Ad-hoc: node tests/e2e/shot.mjs URL NAME [width height] -- screenshot + console errors.
import { launchBrowser, collectErrors } from './harness.mjs';
const [url, name, w = '1280', h = '900', wait = '1500'] = process.argv.slice(2);
const browser = await launchBrowser();
const ctx = await browser.newContext({ viewport: { width: +w, height: +h }, deviceScaleFactor: +w < 500 ? 2 : 1 });
const page = await ctx.newPage();
const errors = collectErrors(page);
await page.goto(url);
await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 15000 }).catch((e) => errors.push(String(e)));
await page.waitForTimeout(+wait);
if (process.env.SCROLL) await page.evaluate((y) => window.scrollTo(0, y), +process.env.SCROLL);
await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: !process.env.VIEWPORT });
console.log(JSON.stringify({ errors, state: await page.evaluate(() => window.loginstorm?.state()) }, null, 1));
await browser.close();
