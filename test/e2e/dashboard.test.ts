// The platform dashboard against the demo mesh: every cluster, the remote-secret matrix, root-CA agreement,
// localities, and the findings (filterable and linkable); keyboard reachable and free of axe WCAG A/AA issues.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  api,
  axeViolations,
  eventually,
  launch,
  openPage,
  screenshot,
  signedIn,
  warmUp,
} from './browser.ts';

/** The demo's deliberate problems (packages/kube-sim/scenarios/demo/README.md). */
const DEMO_CODES = [
  'MESH001',
  'MESH010',
  'MESH012',
  'MESH015',
  'MESH032',
  'MESH052',
  'MESH062',
  'MESH063',
];

let browser: Browser;
let context: BrowserContext;
before(async () => {
  browser = await launch();
  context = await signedIn(browser);
  await warmUp(context);
  // cluster3 is located from the catalog (examples/clusters.yaml): it is read from the first refresh after the
  // catalog has ingested its entity.
  await eventually(
    async () =>
      (
        await (await api('/clusters')).json()
      ).items.some((c: any) => c.name === 'cluster3' && c.status === 'ok'),
    'cluster3 located from the catalog and read',
    120_000,
  );
});
after(async () => {
  await browser?.close();
});

test('the backend reports exactly the demo mesh findings', async () => {
  const overview = await (await api('/overview')).json();
  assert.deepEqual(overview.clusters.map((c: any) => c.name).sort(), [
    'cluster1',
    'cluster2',
    'cluster3',
    'global',
  ]);
  assert.deepEqual(
    [...new Set(overview.findings.map((f: any) => f.code))].sort(),
    DEMO_CODES,
  );
});

test('the dashboard shows clusters, remote secrets, root CA, localities and findings', async () => {
  const { page, errors } = await openPage(context, '/service-mesh');
  const clusters = page.getByRole('table', { name: 'Clusters of the mesh' });
  await clusters.waitFor({ timeout: 60_000 });
  for (const name of ['global', 'cluster1', 'cluster2', 'cluster3']) {
    await clusters
      .locator('tbody tr')
      .filter({ hasText: name })
      .first()
      .waitFor();
  }
  const cluster3 = clusters.locator('tbody tr').filter({ hasText: 'cluster3' });
  assert.match(await cluster3.innerText(), /desired v4\.0\.21/);
  assert.match(await cluster3.innerText(), /No external address/);

  const matrix = page.getByRole('table', { name: 'Remote secret matrix' });
  assert.match(
    await matrix
      .locator('tbody tr')
      .filter({ hasText: 'cluster2' })
      .innerText(),
    /Missing/,
  );
  assert.match(
    await page.getByText('All 3 member clusters share one root CA').innerText(),
    /share one root CA/,
  );
  await page
    .getByRole('table', { name: 'Nodes per locality and cluster' })
    .getByText('eu-west-1/eu-west-1b')
    .waitFor();

  const findings = page.getByRole('table', { name: 'Findings' });
  for (const code of DEMO_CODES)
    await findings.getByText(code, { exact: true }).waitFor();
  // Live traffic between the clusters, from VictoriaMetrics.
  await page
    .getByRole('table', { name: 'Cluster-to-cluster traffic' })
    .waitFor({ timeout: 60_000 });
  await screenshot(page, 'dashboard');
  assert.deepEqual(errors, []);
});

test('the reachability matrix and the topology picture show cluster3 cut off, with the reasons', async () => {
  const { page, errors } = await openPage(context, '/service-mesh');
  const matrix = page.getByRole('table', { name: 'Reachability matrix' });
  await matrix.waitFor({ timeout: 60_000 });
  const cell = (from: string, to: string) =>
    matrix.getByRole('button', { name: new RegExp(`^${from} to ${to}:`) });
  // cluster2 holds no remote secret for cluster3; cluster1's istiod cannot sync it; cluster3's gateway has no
  // external address, so no other network has a route to it.
  assert.match(
    await cell('cluster2', 'cluster3').innerText(),
    /not discovered \(MESH010\)[\s\S]*no gateway address \(MESH032\)/,
  );
  assert.match(
    await cell('cluster1', 'cluster3').innerText(),
    /not discovered \(MESH012\)[\s\S]*no gateway address \(MESH032\)/,
  );
  for (const [from, to] of [
    ['cluster1', 'cluster2'],
    ['cluster3', 'cluster1'],
    ['cluster3', 'cluster2'],
  ])
    assert.match(await cell(from, to).innerText(), /reachable/);

  // The reason on hover, and in a dialog opened with the keyboard.
  await cell('cluster2', 'cluster3').hover();
  await page.getByRole('tooltip').filter({ hasText: 'MESH010' }).waitFor();
  await cell('cluster2', 'cluster3').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'cluster2 → cluster3' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Discovered: no[\s\S]*MESH010/);
  assert.match(await dialog.innerText(), /Routable: no[\s\S]*MESH032/);
  await screenshot(page, 'dashboard-reachability-dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  const picture = page.getByRole('img', { name: /^Mesh topology/ });
  assert.match(
    (await picture.getAttribute('aria-label')) ?? '',
    /network3 \(cluster3\), cut off/,
  );
  assert.equal(
    await page
      .locator('svg line[data-link="network1>network3"]')
      .getAttribute('data-state'),
    'blocked',
  );
  assert.equal(
    await page
      .locator('svg line[data-link="network3>network1"]')
      .getAttribute('data-state'),
    'ok',
  );
  assert.match(
    await page.getByRole('list', { name: 'Networks not reached' }).innerText(),
    /network2 → network3: cut off/,
  );
  await picture.scrollIntoViewIfNeeded();
  await screenshot(page, 'dashboard-topology');
  assert.deepEqual(errors, []);
});

test("the dashboard shows istiod's own view: a remote it cannot sync, and the stale proxies", async () => {
  const { page, errors } = await openPage(context, '/service-mesh');
  const remotes = page
    .locator('table')
    .filter({ hasText: 'istio-remote-secret-cluster3' })
    .first();
  await remotes.waitFor({ timeout: 60_000 });
  const timedOut = remotes.locator('tbody tr').filter({ hasText: 'timeout' });
  assert.equal(await timedOut.count(), 1);
  assert.match(
    await timedOut.innerText(),
    /cluster1[\s\S]*cluster3[\s\S]*timeout[\s\S]*istiod-1-22-mbkf7kwt57-m7ctv/,
  );
  const stale = page
    .locator('table')
    .filter({ hasText: 'product-service-sk49fkr92z-qsjxj' })
    .first();
  await stale.waitFor();
  const rows = stale.locator('tbody tr').filter({ hasText: 'STALE' });
  assert.equal(await rows.count(), 2);
  assert.match(
    await rows.first().innerText(),
    /global-svc[\s\S]*1\.22\.4[\s\S]*STALE \(1[12]m\)/,
  );
  await page
    .getByText('Proxies not synced', { exact: true })
    .scrollIntoViewIfNeeded();
  await screenshot(page, 'dashboard-istiod');
  assert.deepEqual(errors, []);
});

test('findings filter by code, and a finding opens from its link and from the URL', async () => {
  const { page, errors } = await openPage(context, '/service-mesh');
  const findings = page.getByRole('table', { name: 'Findings' });
  await findings.waitFor({ timeout: 60_000 });
  await page
    .getByRole('searchbox', { name: 'Search findings' })
    .fill('remote secret');
  await page.waitForFunction(
    () =>
      document.querySelectorAll('table[aria-label="Findings"] tbody tr')
        .length === 1,
  );
  assert.match(await findings.locator('tbody tr').innerText(), /MESH010/);

  await findings.getByRole('link', { name: 'Missing remote secret' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  // The hint's CodeSnippet is loaded lazily: wait for it, then read the dialog.
  await dialog
    .getByText(/istioctl create-remote-secret/)
    .first()
    .waitFor();
  assert.match(await dialog.innerText(), /istioctl create-remote-secret/);
  const url = new URL(page.url());
  const id = url.searchParams.get('finding');
  assert.ok(
    id && id.startsWith('MESH010'),
    `finding id in the URL, got ${url}`,
  );
  await screenshot(page, 'finding');

  const direct = await openPage(
    context,
    `/service-mesh?finding=${encodeURIComponent(id!)}`,
  );
  await direct.page.getByRole('dialog').waitFor({ timeout: 60_000 });
  assert.match(await direct.page.getByRole('dialog').innerText(), /cluster2/);

  // The code's own page in the plugin, from the dialog (the demo publishes no docs site).
  await dialog.getByRole('link', { name: 'Documentation of MESH010' }).click();
  await page
    .getByRole('heading', { name: 'MESH010: Missing remote secret' })
    .waitFor();
  assert.equal(new URL(page.url()).pathname, '/service-mesh/findings/MESH010');
  const fix = await page
    .locator('article')
    .filter({ has: page.getByRole('heading', { name: 'How to fix it' }) })
    .innerText();
  assert.match(fix, /istioctl create-remote-secret --context=<peer>/);
  await screenshot(page, 'finding-docs');
  assert.deepEqual(await axeViolations(page, '#root article'), []);
  assert.deepEqual([...errors, ...direct.errors], []);
});

test('the dashboard is keyboard reachable and passes axe WCAG 2 A/AA rules', async () => {
  const { page, errors } = await openPage(context, '/service-mesh');
  await page
    .getByRole('table', { name: 'Findings' })
    .waitFor({ timeout: 60_000 });
  // Tab from the top of the page reaches the refresh button and a finding link without a mouse.
  const reached = new Set<string>();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    reached.add(
      await page.evaluate(() =>
        (document.activeElement?.textContent ?? '').trim().slice(0, 40),
      ),
    );
  }
  assert.ok(
    [...reached].some(t => /refresh/i.test(t)),
    `refresh button not reached: ${[...reached].join(' | ')}`,
  );
  // The new frontend system's page has no <main>; Backstage's <article> Content holds the plugin's page.
  const violations = await axeViolations(page, '#root article');
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
});
