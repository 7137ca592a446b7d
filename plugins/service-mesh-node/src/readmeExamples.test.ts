/*
 * The README's "Connect your clusters" examples, as a platform team would paste them: each app-config block is
 * validated against the config schemas (this package's config.d.ts and the Kubernetes backend's), every credential
 * in it is `secret` (none reaches the frontend), and cluster access reads it into the clusters the text promises
 * (the client-side one with its MESH094). The catalog entity goes through the catalog locator.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { loadConfigSchema } from '@backstage/config-loader';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { DefaultServiceMeshClustersService } from './DefaultServiceMeshClustersService';
import type { GkeClient } from './locate/GkeClusterSource';

jest.setTimeout(120_000);

const README = fs.readFileSync(
  path.resolve(__dirname, '../../../README.md'),
  'utf8',
);
const section = README.slice(
  README.indexOf('## Connect your clusters'),
  README.indexOf('## Finding codes'),
);

/** `${NAME}` as the value a secret store would put there. */
const substitute = (text: string) =>
  text.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name) => `value-of-${name}`);

const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m =>
  parseAllDocuments(substitute(m[1])).map(d => d.toJS()),
);
const configs = blocks
  .filter(docs => docs.length === 1 && !docs[0].kind)
  .map(docs => docs[0] as Record<string, any>);
const entity = blocks.flat().find(d => d.kind === 'Resource') as Entity;

// A kubeconfig where the README's example path points.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-kubeconfig-'));
const kubeconfigFile = path.join(dir, 'kubeconfig.yaml');
fs.writeFileSync(
  kubeconfigFile,
  'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: { server: "https://tooling.example.com:6443" }\nusers:\n- name: u\n  user: { token: t }\ncontexts:\n- name: tooling\n  context: { cluster: c, user: u }\ncurrent-context: tooling\n',
);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function withKubeconfig(config: Record<string, any>) {
  if (!config.serviceMesh?.kubeconfig) return config;
  return {
    ...config,
    serviceMesh: { ...config.serviceMesh, kubeconfig: kubeconfigFile },
  };
}

const gkeRequests: string[] = [];
const gkeClient = {
  listClusters: async ({ parent }: { parent: string }) => {
    gkeRequests.push(parent);
    return [
      {
        clusters: [
          {
            name: 'gke-prod',
            endpoint: '203.0.113.20',
            resourceLabels: { mesh: 'prod' },
            masterAuth: { clusterCaCertificate: 'Q0EgZGF0YQ==' },
          },
          { name: 'gke-dev', endpoint: '203.0.113.21', resourceLabels: {} },
        ],
      },
    ];
  },
} as unknown as GkeClient;

async function clustersOf(config: Record<string, any>) {
  const data = withKubeconfig(config);
  // This test has no DNS: let the locator skip resolving the (public) EKS host name.
  for (const method of data.kubernetes?.clusterLocatorMethods ?? [])
    if (method.type === 'catalog')
      method.dangerouslyAllowClusterUrls = ['*.eks.amazonaws.com'];
  const access = DefaultServiceMeshClustersService.fromConfig({
    config: new ConfigReader(data),
    logger: mockServices.logger.mock(),
    catalog: catalogServiceMock({ entities: [entity] }),
    auth: mockServices.auth(),
    gkeClient: () => gkeClient,
  });
  return access.listClusters();
}

describe('the README examples of "Connect your clusters"', () => {
  it('has one example per provider and locator', () => {
    const providers = configs.flatMap(c =>
      (c.kubernetes?.clusterLocatorMethods ?? []).flatMap((m: any) => [
        m.type,
        ...(m.clusters ?? []).map((x: any) => x.authProvider),
        ...(m.authProvider ? [m.authProvider] : []),
      ]),
    );
    expect(new Set(providers)).toEqual(
      new Set([
        'config',
        'serviceAccount',
        'aws',
        'azure',
        'gke',
        'googleServiceAccount',
        'catalog',
        'localKubectlProxy',
        'google',
      ]),
    );
    expect(configs.some(c => c.serviceMesh?.kubeconfig)).toBe(true);
    expect(entity.spec?.type).toBe('kubernetes-cluster');
  });

  it('validates against the config schemas, with every credential secret', async () => {
    const schema = await loadConfigSchema({
      dependencies: [
        '@internal/plugin-service-mesh-node',
        '@backstage/plugin-kubernetes-backend',
      ],
    });
    // The repository's app-config, which the example is added to (the backend's schema requires its keys).
    const base = {
      data: parse(
        fs.readFileSync(
          path.resolve(__dirname, '../../../app-config.yaml'),
          'utf8',
        ),
      ),
      context: 'app-config.yaml',
    };
    for (const config of configs) {
      const visibilityOf = new Map<string, string>();
      schema.process([base, { data: config, context: 'README' }], {
        valueTransform: (value, context) => {
          if (typeof value === 'string' && value.startsWith('value-of-'))
            visibilityOf.set(value, context.visibility);
          return value;
        },
      });
      const credentials = JSON.stringify(config).match(/value-of-[A-Z0-9_]+/g);
      // Every ${…} of the examples is a credential (token, CA, key, external id): secret, never in the browser.
      expect(Object.fromEntries(visibilityOf)).toEqual(
        Object.fromEntries((credentials ?? []).map(v => [v, 'secret'])),
      );
      const frontend = schema.process(
        [base, { data: config, context: 'README' }],
        { visibility: ['frontend'] },
      );
      for (const value of credentials ?? [])
        expect(JSON.stringify(frontend)).not.toContain(value);
    }
    // A typo in a key type is caught (the schemas are really applied).
    expect(() =>
      schema.process([
        base,
        { data: { serviceMesh: { members: 'cluster1' } }, context: 'typo' },
      ]),
    ).toThrow(/members/);
  });

  it('reads into the clusters the text promises', async () => {
    const results = await Promise.all(configs.map(clustersOf));
    const summary = results.flatMap(r =>
      r.clusters.map(c => [c.name, c.source, c.authProvider, c.problem?.code]),
    );
    expect(summary).toEqual([
      ['cluster1', 'config', 'serviceAccount', undefined],
      ['eks-prod', 'config', 'aws', undefined],
      ['aks-westeurope', 'config', 'azure', undefined],
      // matchingResourceLabels keeps gke-prod only; its CA comes from the GKE API
      ['gke-prod', 'gke', 'googleServiceAccount', undefined],
      ['eks-staging', 'catalog', 'aws', undefined],
      ['local', 'localKubectlProxy', 'localKubectlProxy', undefined],
      ['tooling', 'kubeconfig', 'kubeconfig', undefined],
      ['gke-dev', 'config', 'google', 'MESH094'],
    ]);
    expect(results.flatMap(r => r.sourceErrors)).toEqual([]);
    expect(gkeRequests).toEqual([
      'projects/mesh-project/locations/europe-west1',
    ]);

    const [serviceAccount, aws] = results;
    expect(serviceAccount).toMatchObject({
      managementCluster: 'global',
      members: ['cluster1', 'cluster2'],
    });
    expect(aws.clusters[0].details.authMetadata).toEqual({
      'kubernetes.io/auth-provider': 'aws',
      'kubernetes.io/aws-assume-role':
        'arn:aws:iam::111122223333:role/backstage-mesh-reader',
      'kubernetes.io/aws-external-id': 'value-of-EKS_EXTERNAL_ID',
      'kubernetes.io/x-k8s-aws-id': 'prod',
    });
    const gke = results[3].clusters[0];
    expect(gke.details).toMatchObject({
      url: 'https://203.0.113.20',
      caData: 'Q0EgZGF0YQ==',
    });
    const clientSide = results[results.length - 1].clusters[0];
    expect(clientSide.problem?.hint).toContain('googleServiceAccount');
  });
});
