// Shared helpers for the browser tests: headless Debian Chromium through playwright-core, a page that records
// console errors, and screenshots under test/e2e/screenshots.
import { chromium, type Browser, type Page } from 'playwright-core';
import { join } from 'node:path';

export const baseUrl = process.env.E2E_BASE_URL ?? 'http://localhost:3000';
export const backendUrl = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
export const staticToken = 'mesh-demo-static-token';
const screenshots = process.env.E2E_SCREENSHOTS ?? join(import.meta.dirname, 'screenshots');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

export interface TrackedPage {
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
}

/** Errors the app logs that are not ours to fix (none today; add with a reason). */
const IGNORED_ERRORS: RegExp[] = [];

export async function openPage(browser: Browser, path: string): Promise<TrackedPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', msg => {
    if (msg.type() === 'error' && !IGNORED_ERRORS.some(r => r.test(msg.text()))) errors.push(msg.text());
  });
  page.on('pageerror', err => errors.push(String(err)));
  await page.goto(baseUrl + path, { waitUntil: 'domcontentloaded' });
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = join(screenshots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
