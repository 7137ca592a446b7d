// The Service Mesh tab and card of the demo's product service: membership and sidecar coverage, endpoints per
// locality, policies, the expected split (the demo's 70/20/10 distribute rule) and the what-if control.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  axeViolations,
  launch,
  openPage,
  screenshot,
  signedIn,
  warmUp,
} from './browser.ts';

let browser: Browser;
let context: BrowserContext;
before(async () => {
  browser = await launch();
  context = await signedIn(browser);
  await warmUp(context);
});
after(async () => {
  await browser?.close();
});

const TAB = '/catalog/default/component/product-service/service-mesh';

test('the tab shows membership, sidecar coverage, endpoints, policies and findings', async () => {
  const { page, errors } = await openPage(context, TAB);
  const membership = page.getByRole('table', {
    name: 'Mesh membership per cluster',
  });
  await membership.waitFor({ timeout: 60_000 });
  assert.match(
    await membership
      .locator('tbody tr')
      .filter({ hasText: 'cluster2' })
      .innerText(),
    /1\/2 pods with a sidecar/,
  );
  assert.match(
    await membership
      .locator('tbody tr')
      .filter({ hasText: 'cluster1' })
      .innerText(),
    /STRICT/,
  );
  await page.getByText('3 ready, 0 not ready').waitFor();
  const policies = page.getByRole('table', {
    name: 'Traffic policies',
    exact: true,
  });
  assert.match(await policies.innerText(), /Differs across clusters/);
  const findings = page.getByRole('table', { name: 'Findings' });
  for (const code of ['MESH010', 'MESH052', 'MESH063'])
    await findings.getByText(code, { exact: true }).waitFor();
  await screenshot(page, 'entity-service-mesh-tab');
  assert.deepEqual(errors, []);
});

test("the tab shows the sync state of the entity's proxies as istiod reports it", async () => {
  const { page, errors } = await openPage(context, TAB);
  const sync = page
    .locator('table')
    .filter({ hasText: 'proxies synced' })
    .first();
  await sync.waitFor({ timeout: 60_000 });
  assert.match(
    await sync
      .locator('tbody tr')
      .filter({ hasText: 'cluster1' })
      .first()
      .innerText(),
    /1 of 3 proxies synced/,
  );
  assert.equal(
    await sync.locator('tbody tr').filter({ hasText: 'STALE' }).count(),
    2,
  );
  await page.getByText('Proxy sync', { exact: true }).scrollIntoViewIfNeeded();
  await screenshot(page, 'entity-proxy-sync');
  assert.deepEqual(errors, []);
});

test('the expected split follows the DestinationRule and the what-if control recomputes it', async () => {
  const { page, errors } = await openPage(context, TAB);
  const split = page.getByRole('region', {
    name: 'Traffic split of global-svc/product-service',
  });
  await split.waitFor({ timeout: 60_000 });
  const now = split.locator('table').first();
  const cluster1Row = now
    .locator('tbody tr')
    .filter({ hasText: 'us-east-1/us-east-1a' })
    .first();
  assert.match(await cluster1Row.innerText(), /70%[\s\S]*20%/);

  await split
    .getByLabel('What if this fails')
    .selectOption({ label: 'Region us-east-1' });
  const whatIf = split.locator('table').nth(1);
  await whatIf.waitFor();
  assert.match(await split.innerText(), /If region us-east-1 fails/);
  // With us-east-1 down, a cluster1 client's requests all go to eu-west-1 (the only endpoints left).
  const after = await whatIf
    .locator('tbody tr')
    .filter({ hasText: 'us-east-1/us-east-1a' })
    .first()
    .innerText();
  assert.match(after, /50%[\s\S]*50%/, after);
  await screenshot(page, 'entity-what-if');
  assert.deepEqual(errors, []);
});

test('live traffic from VictoriaMetrics sits beside the expected split, per window', async () => {
  const { page, errors } = await openPage(context, TAB);
  const section = page.getByRole('region', {
    name: 'Live traffic of global-svc/product-service',
  });
  await section.waitFor({ timeout: 60_000 });
  const text = await section.innerText();
  assert.doesNotMatch(text, /No live data/);
  // The demo's traffic follows the DestinationRule: cluster1 sends about 70% to itself, as expected.
  assert.match(text, /cluster1/);
  assert.match(text, /70(\.\d+)?%/);
  await page.getByRole('button', { name: /1h/i }).first().click();
  await section.waitFor();
  await screenshot(page, 'entity-live-traffic');
  assert.deepEqual(errors, []);
});

test('the overview card links to the tab', async () => {
  const { page, errors } = await openPage(
    context,
    '/catalog/default/component/product-service',
  );
  const link = page.getByRole('link', { name: 'Open the Service Mesh tab' });
  await link.waitFor({ timeout: 60_000 });
  await screenshot(page, 'entity-overview-card');
  await link.click();
  await page.waitForURL(/\/service-mesh$/);
  assert.deepEqual(errors, []);
});

test('the tab passes axe WCAG 2 A/AA rules', async () => {
  const { page, errors } = await openPage(context, TAB);
  await page
    .getByRole('table', { name: 'Findings' })
    .waitFor({ timeout: 60_000 });
  assert.deepEqual(await axeViolations(page, 'main'), []);
  assert.deepEqual(errors, []);
});
