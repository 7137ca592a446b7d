// Runs the "Join the service mesh" template in the app against the demo mesh, checks the labels with Debian's
// kubectl on every member cluster and in the mesh snapshot, then runs it again: the second run changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  api,
  eventually,
  launch,
  openPage,
  screenshot,
  signedIn,
} from './browser.ts';

const root = join(import.meta.dirname, '..', '..');
const kubectl =
  process.env.KUBECTL ?? join(root, '.toolchain/kubectl/usr/bin/kubectl');
const kubeconfig = join(root, 'kubeconfig.kube-sim.local.yaml');
const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const namespace = `e2e-orders-${Date.now().toString(36)}`;

let browser: Browser;
let context: BrowserContext;
before(async () => {
  browser = await launch();
  context = await signedIn(browser);
});
after(async () => {
  await browser?.close();
});

async function runTemplate(page: Page) {
  await page.getByRole('textbox', { name: 'Namespace' }).fill(namespace);
  await page.getByRole('button', { name: 'Next' }).click();
  // The cluster picker loads the members and their revisions from the backend; all members are preselected.
  for (const cluster of MEMBERS) {
    const box = page.getByRole('checkbox', { name: new RegExp(cluster) });
    await eventually(() => box.isChecked(), `${cluster} to be preselected`);
  }
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page
    .getByRole('heading', { name: 'Result per cluster' })
    .waitFor({ timeout: 120_000 });
}

function labels(cluster: string): Record<string, string> {
  const out = execFileSync(kubectl, [
    '--kubeconfig',
    kubeconfig,
    '--context',
    cluster,
    'get',
    'namespace',
    namespace,
    '-o',
    'jsonpath={.metadata.labels}',
  ]);
  return JSON.parse(out.toString());
}

test('the template onboards a new namespace on every member cluster, and a second run changes nothing', async () => {
  const first = await openPage(
    context,
    '/create/templates/default/join-service-mesh',
  );
  await first.page
    .getByRole('textbox', { name: 'Namespace' })
    .waitFor({ timeout: 60_000 });
  await runTemplate(first.page);
  const firstText = await first.page.locator('#root').innerText();
  for (const cluster of MEMBERS)
    assert.match(firstText, new RegExp(`${cluster}\\s+changed`));
  await screenshot(first.page, 'template-result');

  for (const cluster of MEMBERS) {
    assert.deepEqual(
      {
        mesh: labels(cluster)['cpaas.io/serviceMesh'],
        rev: labels(cluster)['istio.io/rev'],
      },
      { mesh: 'enabled', rev: '1-22' },
      cluster,
    );
  }
  // The mesh plugin sees it after a refresh.
  assert.equal(
    (await api('/refresh?wait=true', { method: 'POST' })).status,
    200,
  );
  const overview = await (await api('/overview')).json();
  for (const cluster of overview.clusters.filter(
    (c: any) => c.role === 'member',
  )) {
    assert.ok(
      cluster.onboardedNamespaces.includes(namespace),
      `${cluster.name} lists ${namespace}`,
    );
  }

  const second = await openPage(
    context,
    '/create/templates/default/join-service-mesh',
  );
  await second.page
    .getByRole('textbox', { name: 'Namespace' })
    .waitFor({ timeout: 60_000 });
  await runTemplate(second.page);
  const secondText = await second.page.locator('#root').innerText();
  for (const cluster of MEMBERS)
    assert.match(secondText, new RegExp(`${cluster}\\s+unchanged`));
  assert.deepEqual([...first.errors, ...second.errors], []);
});
