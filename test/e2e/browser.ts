// Shared helpers for the browser tests: headless Debian Chromium through playwright-core, a signed-in guest
// session, pages that record console errors and failed API calls, axe checks, and screenshots.
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
} from 'playwright-core';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const baseUrl = process.env.E2E_BASE_URL ?? 'http://localhost:3000';
export const backendUrl =
  process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
/** Development-only token from app-config.yaml (backend.auth.externalAccess). */
export const staticToken = 'mesh-demo-static-token';
const screenshots =
  process.env.E2E_SCREENSHOTS ?? join(import.meta.dirname, 'screenshots');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Console messages that are not the project's to fix, each with its reason. They are React development-mode
 * deprecation warnings raised inside Material UI v4 and Backstage's material-table, which every Backstage app
 * on MUI v4 prints; production builds do not print them.
 */
const IGNORED_CONSOLE: RegExp[] = [
  /Warning: findDOMNode is deprecated/, // @material-ui/core v4 ButtonBase/Tooltip under React 18
  // material-table (Backstage's Table: the catalog, and the mesh's findings) and its react-beautiful-dnd header.
  /Warning: %s: Support for defaultProps will be removed from (function|memo) components/,
];

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A browser context signed in as the guest user (the demo app's sign-in page offers only the guest). */
export async function signedIn(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
  });
  const page = await context.newPage();
  // The first compile of the dev server can take a while on a cold machine; a sign-in that races a backend
  // still starting up is retried.
  for (let attempt = 1; ; attempt++) {
    await page.goto(baseUrl, { waitUntil: 'domcontentloaded' });
    await page
      .getByRole('button', { name: 'Enter' })
      .click({ timeout: 180_000 });
    try {
      await page
        .getByRole('link', { name: 'Service Mesh' })
        .first()
        .waitFor({ timeout: 30_000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  await page.close();
  return context;
}

/**
 * Opens the plugin's pages once so the dev server compiles their lazily loaded code before the timed steps of
 * the tests (on a cold 2-core machine the first compile can take minutes).
 */
export async function warmUp(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/service-mesh`, { waitUntil: 'domcontentloaded' });
  await page
    .getByRole('table', { name: 'Findings' })
    .waitFor({ timeout: 300_000 });
  await page.goto(
    `${baseUrl}/catalog/default/component/product-service/service-mesh`,
    { waitUntil: 'domcontentloaded' },
  );
  await page
    .getByRole('table', { name: 'Mesh membership per cluster' })
    .waitFor({ timeout: 300_000 });
  await page.close();
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

export interface TrackedPage {
  page: Page;
  /** Console errors, uncaught page errors and failed backend calls seen so far. */
  errors: string[];
}

export async function openPage(
  context: BrowserContext,
  path: string,
): Promise<TrackedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', msg => {
    const text = msg.text();
    // Chromium's "Failed to load resource" line has no URL; the response listener reports it with one.
    if (msg.type() !== 'error' || text.startsWith('Failed to load resource'))
      return;
    if (!IGNORED_CONSOLE.some(r => r.test(text)))
      errors.push(`console: ${text.slice(0, 500)}`);
  });
  page.on('pageerror', err => errors.push(`page: ${String(err)}`));
  page.on('response', res => {
    if (res.status() >= 400)
      errors.push(
        `http: ${res.status()} ${res.request().method()} ${res.url()}`,
      );
  });
  await page.goto(baseUrl + path, { waitUntil: 'domcontentloaded' });
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = join(screenshots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: number;
  targets: string[];
}

/** Runs axe-core's WCAG 2 A/AA rules on the part of the page that `selector` picks (our plugin's content). */
export async function axeViolations(
  page: Page,
  selector: string,
): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async sel => {
    const axe = (window as any).axe;
    const result = await axe.run(sel, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
      },
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 5).map((n: any) => String(n.target)),
    }));
  }, selector);
}

/** Calls the backend with the static token. */
export async function api(
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${backendUrl}/api/service-mesh${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${staticToken}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  });
}
