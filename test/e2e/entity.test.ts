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
  // The DestinationRule's 70/20/10 over what cluster1's clients can reach: cluster3 is not discovered (cluster1's
  // istiod cannot sync it, MESH012), so 77.8/22.2, and the row says why cluster3 gets nothing.
  const row = await cluster1Row.innerText();
  assert.match(row, /77\.8%[\s\S]*22\.2%/, row);
  assert.match(row, /cluster3: not discovered[\s\S]*MESH012/, row);

  await split
    .getByLabel('What if this fails')
    .selectOption({ label: 'Region us-east-1' });
  const whatIf = split.locator('table').nth(1);
  await whatIf.waitFor();
  assert.match(await split.innerText(), /If region us-east-1 fails/);
  // With us-east-1 down, a cluster1 client has nothing left: eu-west-1 is cluster3, which it cannot reach.
  const after = await whatIf
    .locator('tbody tr')
    .filter({ hasText: 'us-east-1/us-east-1a' })
    .first()
    .innerText();
  assert.match(after, /No healthy upstream/, after);
  // cluster3's own clients move to their other zone's endpoints.
  const eu = await whatIf
    .locator('tbody tr')
    .filter({ hasText: 'eu-west-1/eu-west-1a' })
    .first()
    .innerText();
  assert.match(eu, /50%[\s\S]*50%/, eu);
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
  // The demo's traffic follows the DestinationRule over what the mesh can reach: cluster1 sends about 78% to
  // itself (70/20 of the 90 it can send), and nothing to cluster3.
  assert.match(text, /cluster1/);
  assert.match(text, /expected 77\.8%/);
  assert.match(text, /7[6-9](\.\d+)?%/);
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
