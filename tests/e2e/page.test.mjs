// The site in www/ loads, draws its first frame and reports no errors,
// on a desktop and on a phone-sized screen.
import { test, before, after } from 'node:test';
import path from 'node:path';
import { repoRoot, startServer, launchBrowser, checkPage } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer(path.join(repoRoot, 'www'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('desktop 1280x800 draws the view without errors', { timeout: 60_000 }, async () => {
  await checkPage(browser, `${server.url}index.html`, { width: 1280, height: 800, name: 'desktop' });
});

test('phone 360x740 @2x draws the view without errors', { timeout: 60_000 }, async () => {
  await checkPage(browser, `${server.url}index.html`,
    { width: 360, height: 740, deviceScaleFactor: 2, name: 'phone' });
});
