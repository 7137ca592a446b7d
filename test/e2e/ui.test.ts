// What issue 22 added to the pages, seen in the browser against the running demo: the dark theme (axe-clean),
// the permission-required panel (a real DENY from the demo's permission policy), a table of 1,000 real findings
// (paging, CSV export), live freshness (signals, "updated N s ago", per-cluster refresh progress) and the traffic
// plots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

const root = join(import.meta.dirname, '..', '..');
const kubectl =
  process.env.KUBECTL ?? join(root, '.toolchain/kubectl/usr/bin/kubectl');
const kubeconfig = join(root, 'kubeconfig.kube-sim.local.yaml');

/** A live change to a running kube-sim cluster (POST /_sim/change; kube-sim speaks HTTP on its HTTPS port). */
const simTargets = new Map<string, { server: string; token: string }>();

async function simChange(cluster: string, body: object): Promise<void> {
  const { server, token } = simTargets.get(cluster) ?? simTarget(cluster);
  const res = await fetch(
    new URL('/_sim/change', server.replace(/^https:/, 'http:')),
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    },
  );
  assert.equal(res.status, 200, `${cluster} change: ${await res.text()}`);
}

/** The cluster's URL and token, from the kubeconfig kube-sim wrote. */
function simTarget(cluster: string) {
  const read = (path: string) =>
    execFileSync(kubectl, [
      '--kubeconfig',
      kubeconfig,
      'config',
      'view',
      '--raw',
      '-o',
      `jsonpath={${path}}`,
    ]).toString();
  const server = read(`.clusters[?(@.name=="${cluster}")].cluster.server`);
  const token = read(`.users[?(@.name=="${cluster}")].user.token`);
  const target = { server, token };
  simTargets.set(cluster, target);
  return target;
}

async function refreshed(): Promise<void> {
  const res = await api('/refresh?wait=true', { method: 'POST' });
  assert.equal(res.status, 200, `refresh: ${await res.text()}`);
}

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

async function snapshotTime(page: Page): Promise<string | null> {
  return page.locator('time').first().getAttribute('datetime');
}

test('the dashboard in the dark theme: theme colours, and axe WCAG 2 A/AA clean', async () => {
  const dark = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    storageState: await context.storageState(),
  });
  await dark.addInitScript(() => window.localStorage.setItem('theme', 'dark'));
  try {
    const { page, errors } = await openPage(dark, '/service-mesh');
    await page
      .getByRole('table', { name: 'Findings' })
      .waitFor({ timeout: 120_000 });
    await page
      .getByRole('figure', { name: 'Requests per second' })
      .locator('canvas')
      .first()
      .waitFor({ timeout: 60_000 });
    const background = await page.evaluate(
      () => getComputedStyle(document.body).backgroundColor,
    );
    const [r, g, b] = background.match(/\d+/g)!.map(Number);
    assert.ok(r + g + b < 3 * 100, `a dark page background, got ${background}`);
    const violations = await axeViolations(page, '#root article');
    assert.deepEqual(violations, []);
    await screenshot(page, 'dashboard-dark');
    assert.deepEqual(errors, []);
  } finally {
    await dark.close();
  }
});

test('a user without service-mesh.read sees the permission-required panel, not a 403', async () => {
  const denied = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    storageState: await context.storageState(),
  });
  // The demo's permission policy (packages/backend/src/demoPermissionPolicy.ts) denies what this file lists.
  const deniedFile = process.env.DEMO_DENIED_PERMISSIONS_FILE;
  assert.ok(
    deniedFile,
    'DEMO_DENIED_PERMISSIONS_FILE is set by scripts/e2e.sh for the backend and the tests',
  );
  await writeFile(deniedFile, JSON.stringify(['service-mesh.read']));
  const overviewCalls: string[] = [];
  denied.on('request', r => {
    if (r.url().includes('/api/service-mesh/overview'))
      overviewCalls.push(r.url());
  });
  const decisions: string[] = [];
  denied.on('response', async r => {
    if (r.url().includes('/api/permission/authorize'))
      decisions.push(await r.text().catch(() => ''));
  });
  try {
    for (const path of [
      '/service-mesh',
      '/catalog/default/component/product-service/service-mesh',
    ]) {
      const { page, errors } = await openPage(denied, path);
      await page
        .getByText('Permission required')
        .first()
        .waitFor({ timeout: 120_000 });
      // The panel's message is in its (collapsed) details.
      const text = (await page.locator('#root').textContent()) ?? '';
      assert.match(text, /service-mesh\.read permission/);
      assert.doesNotMatch(text, /403/);
      if (path === '/service-mesh')
        await screenshot(page, 'permission-required');
      assert.deepEqual(errors, []);
    }
    assert.deepEqual(overviewCalls, []);
    assert.ok(
      decisions.some(d => d.includes('"DENY"')),
      `the permission backend answered DENY: ${decisions.join(' ')}`,
    );
  } finally {
    await rm(deniedFile, { force: true });
    await denied.close();
  }
});

test('1,000 findings: 20 per page, the next page, and a CSV of all of them', async () => {
  // 1,000 namespaces onboarded in cluster1 only: one MESH062 each, through kube-sim, the collectors and the
  // analysis like any other finding.
  const names = Array.from({ length: 1000 }, (_, i) => `e2e-many-${i}`);
  await simChange('cluster1', {
    op: 'apply',
    args: [],
    objects: names.map(name => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'cpaas.io/serviceMesh': 'enabled' } },
    })),
  });
  try {
    await refreshed();
    const { findings } = await (await api('/overview')).json();
    const total = findings.length;
    assert.equal(
      findings.filter(
        (f: any) => f.code === 'MESH062' && names.includes(f.resource?.name),
      ).length,
      1000,
    );
    const { page, errors } = await openPage(context, '/service-mesh');
    const table = page.getByRole('table', { name: 'Findings' });
    await table.waitFor({ timeout: 120_000 });
    assert.equal(await table.locator('tbody tr').count(), 20);
    await page
      .getByText(`1-20 of ${total}`)
      .filter({ visible: true })
      .first()
      .waitFor();
    await page
      .getByRole('button', { name: 'Next Page' })
      .filter({ visible: true })
      .first()
      .click();
    await page
      .getByText(`21-40 of ${total}`)
      .filter({ visible: true })
      .first()
      .waitFor();
    await screenshot(page, 'findings-1000');
    await page.getByRole('button', { name: 'Export' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Export as CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'service-mesh-findings.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    assert.equal(csv.trim().split('\r\n').length, total + 1);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    for (const name of names)
      await simChange('cluster1', { op: 'delete', args: ['namespace', name] });
    await refreshed();
  }
});

test('the page updates itself when a new snapshot lands, with its age and the refresh progress', async () => {
  const { page, errors } = await openPage(context, '/service-mesh');
  await page
    .getByRole('table', { name: 'Findings' })
    .waitFor({ timeout: 120_000 });
  await page
    .getByText(/^updated (just now|\d+ s ago|\d+ min ago)$/)
    .first()
    .waitFor();
  const before = await snapshotTime(page);

  // A refresh started elsewhere (here: the API) reaches the open page through signals, without a reload.
  assert.equal(
    (await api('/refresh?wait=true', { method: 'POST' })).status,
    200,
  );
  await eventually(
    async () => (await snapshotTime(page)) !== before,
    'the page to show the new snapshot',
    60_000,
  );

  // The button: 202 at once, then the page follows GET /refresh per cluster until the run ends (the demo's
  // clusters answer within a second, so the run may be over before a progress panel is seen).
  const shown = await snapshotTime(page);
  const progress: any[] = [];
  page.on('response', async r => {
    if (r.url().endsWith('/api/service-mesh/refresh'))
      progress.push({ status: r.status(), body: await r.json() });
  });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await eventually(
    async () => (await snapshotTime(page)) !== shown,
    'the refreshed snapshot',
    90_000,
  );
  assert.equal(progress[0]?.status, 202);
  const last = progress[progress.length - 1].body;
  assert.equal(last.state, 'idle');
  assert.deepEqual(last.clusters.map((c: any) => c.name).sort(), [
    'cluster1',
    'cluster2',
    'cluster3',
    'global',
  ]);
  for (const c of last.clusters)
    assert.ok(['done', 'failed'].includes(c.state), JSON.stringify(c));
  await page
    .getByText(/^updated (just now|\d s ago|1\d s ago)$/)
    .first()
    .waitFor({ timeout: 30_000 });
  await screenshot(page, 'dashboard-live');
  assert.deepEqual(errors, []);
});

test('the traffic plots show rate, 5xx ratio and p95 per cluster pair', async () => {
  const { page, errors } = await openPage(context, '/service-mesh');
  const trends = page.getByRole('heading', { name: 'Traffic over time' });
  await trends.waitFor({ timeout: 120_000 });
  for (const name of ['Requests per second', '5xx ratio', 'p95 latency (ms)']) {
    const figure = page.getByRole('figure', { name });
    await figure.locator('canvas').first().waitFor({ timeout: 60_000 });
    assert.match(await figure.innerText(), /cluster1 → cluster1/);
  }
  await page
    .getByRole('group', { name: 'Time range' })
    .getByRole('button', { name: '24h' })
    .click();
  await page
    .getByRole('figure', { name: 'Requests per second' })
    .locator('canvas')
    .first()
    .waitFor();
  await trends.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${
      process.env.E2E_SCREENSHOTS ?? 'test/e2e/screenshots'
    }/traffic-plots.png`,
    clip:
      (await page
        .locator(
          'xpath=//h2[text()="Traffic over time"]/ancestor::div[contains(@class,"MuiCard-root")]',
        )
        .boundingBox()) ?? undefined,
  });
  assert.deepEqual(errors, []);
});
