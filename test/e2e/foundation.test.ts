// The wiring: the backend plugin answers only authenticated calls; the app serves the catalog, an entity page
// and the mesh dashboard without browser errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { backendUrl, launch, openPage, screenshot, staticToken } from './browser.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('GET /api/service-mesh/health answers 200 with the static token and 401 without', async () => {
  const ok = await fetch(`${backendUrl}/api/service-mesh/health`, {
    headers: { Authorization: `Bearer ${staticToken}` },
  });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { status: 'ok' });
  const denied = await fetch(`${backendUrl}/api/service-mesh/health`);
  assert.equal(denied.status, 401);
});

test('the catalog lists the demo components', async () => {
  const { page, errors } = await openPage(browser, '/');
  await page.getByText('product-service').first().waitFor({ timeout: 120_000 });
  await screenshot(page, 'catalog');
  assert.deepEqual(errors, []);
});

test('an entity page has the Kubernetes and Service Mesh tabs', async () => {
  const { page, errors } = await openPage(browser, '/catalog/default/component/product-service');
  await page.getByRole('tab', { name: 'Service Mesh' }).waitFor({ timeout: 120_000 });
  await page.getByRole('tab', { name: 'Kubernetes' }).waitFor();
  await page.getByRole('tab', { name: 'Service Mesh' }).click();
  await page.waitForURL(/\/service-mesh$/);
  await screenshot(page, 'entity-service-mesh-tab');
  assert.deepEqual(errors, []);
});

test('the dashboard renders at /service-mesh', async () => {
  const { page, errors } = await openPage(browser, '/service-mesh');
  await page.getByRole('heading', { name: 'Service Mesh' }).first().waitFor({ timeout: 120_000 });
  await screenshot(page, 'dashboard');
  assert.deepEqual(errors, []);
});
