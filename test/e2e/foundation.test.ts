// The wiring: the backend plugin answers only authenticated calls; the app serves the catalog and an entity
// page that has the Kubernetes tab and the Service Mesh tab side by side.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  backendUrl,
  launch,
  openPage,
  screenshot,
  signedIn,
  staticToken,
} from './browser.ts';

let browser: Browser;
let context: BrowserContext;
before(async () => {
  browser = await launch();
  context = await signedIn(browser);
});
after(async () => {
  await browser?.close();
});

test('GET /api/service-mesh/health answers 200 with the static token and 401 without', async () => {
  const ok = await fetch(`${backendUrl}/api/service-mesh/health`, {
    headers: { Authorization: `Bearer ${staticToken}` },
  });
  assert.equal(ok.status, 200);
  const health = await ok.json();
  // Liveness and readiness; a degraded metrics store would show in the body, not in the status.
  assert.equal(health.ready, true, JSON.stringify(health));
  assert.equal(health.dependencies.store.status, 'ok', JSON.stringify(health));
  const denied = await fetch(`${backendUrl}/api/service-mesh/health`);
  assert.equal(denied.status, 401);
  const wrong = await fetch(`${backendUrl}/api/service-mesh/overview`, {
    headers: { Authorization: 'Bearer not-the-token' },
  });
  assert.equal(wrong.status, 401);
});

// The catalog list is Backstage's own page (its React warnings are not ours), so only its content is checked.
test('the catalog lists the demo components', async () => {
  const { page } = await openPage(context, '/');
  for (const name of [
    'product-service',
    'storefront',
    'inventory',
    'payments',
  ]) {
    await page
      .getByRole('link', { name, exact: true })
      .first()
      .waitFor({ timeout: 60_000 });
  }
  await screenshot(page, 'catalog');
});

test('an entity page offers the Kubernetes tab and the Service Mesh tab side by side', async () => {
  const { page, errors } = await openPage(
    context,
    '/catalog/default/component/product-service',
  );
  await page
    .getByRole('heading', { name: 'product-service' })
    .waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Deployment' }).click();
  const menu = page.getByRole('menu', { name: 'Deployment' });
  await menu.getByRole('menuitemradio', { name: 'Kubernetes' }).waitFor();
  await menu.getByRole('menuitemradio', { name: 'Service Mesh' }).click();
  await page.waitForURL(/\/product-service\/service-mesh$/);
  await page
    .getByRole('heading', { name: 'Mesh membership' })
    .waitFor({ timeout: 60_000 });
  assert.deepEqual(errors, []);
});

test('an entity without Kubernetes annotations has no Service Mesh tab or card', async () => {
  const { page, errors } = await openPage(
    context,
    '/catalog/default/component/legacy-reports',
  );
  await page
    .getByRole('heading', { name: 'legacy-reports' })
    .waitFor({ timeout: 60_000 });
  await page.getByRole('heading', { name: 'About' }).waitFor();
  assert.equal(
    await page.getByRole('button', { name: 'Deployment' }).count(),
    0,
  );
  assert.equal(
    await page.getByRole('link', { name: 'Open the Service Mesh tab' }).count(),
    0,
  );
  assert.deepEqual(errors, []);
});
