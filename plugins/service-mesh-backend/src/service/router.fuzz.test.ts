/*
 * Property-based: every REST route gets generated requests — methods, query strings (unicode, huge, repeated,
 * nested keys, broken percent-encoding), headers (credentials, content types, validators, encodings) and bodies —
 * against the real router in a test backend with a fixed snapshot. Not one answer >= 500, and every 4xx says
 * why. In process over keep-alive HTTP, so 10,000 cases per route take seconds. FUZZ_RUNS sets the count.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  demoSnapshotState,
  fakeSnapshotService,
} from '../__testUtils__/fakeSnapshotService';
import { serviceMeshPlugin } from '../plugin';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
jest.setTimeout(900_000);

const ROUTES = [
  '/health',
  '/ready',
  '/clusters',
  '/overview',
  '/entity',
  '/traffic',
  '/traffic/mesh',
  '/refresh',
];
const ENTITY_REFS = [
  'component:default/product-service',
  'component:default/by-selector',
  'component:default/bad-selector',
  'component:default/no-kubernetes',
  'component:default/missing',
  'Component:default/product-service',
  'product-service',
  'user:guest',
  ':',
  '/',
  'a:b/c/d',
];

const text = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      ...ENTITY_REFS,
      '5m',
      '1h',
      '24h',
      '',
      ' ',
      '%',
      '%zz',
      '%C0%AF',
      '\u0000',
      '名前',
    ),
    weight: 6,
  },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 3 },
  {
    arbitrary: fc.integer({ min: 500, max: 12_000 }).map(n => 'x'.repeat(n)),
    weight: 1,
  },
  // Past Node's 16 KiB request-head limit: refused by its HTTP parser (431 or a reset), before any of our code.
  {
    arbitrary: fc.integer({ min: 17_000, max: 70_000 }).map(n => 'x'.repeat(n)),
    weight: 1,
  },
);
/**
 * Node's parser refuses a request head over 16 KiB. `headBytes` counts the path and the generated headers only,
 * not what Node's client adds (request line, Host, Connection, Content-Length: under 256 bytes here), so a head
 * within 256 bytes of the limit may go either way (a 16,349-byte estimate was answered 431).
 */
const HEAD_LIMIT_ESTIMATE = 16 * 1024 - 256;
/** A query key: the real ones, their qs array/object forms, and junk. */
const key = fc.oneof(
  fc.constantFrom(
    'entityRef',
    'window',
    'entityRef[]',
    'entityRef[a]',
    'window[0]',
    '__proto__',
    'constructor',
    'ready',
  ),
  fc.string({ maxLength: 12 }),
);
const rawPiece = fc.constantFrom(
  '%',
  '%zz',
  '%00',
  '%ff%fe',
  '+',
  '&&',
  '==',
  '[]',
  ']]',
  '%5B',
  '%E2%82',
);
const query = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.oneof(
        fc
          .tuple(key, text)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
        fc
          .tuple(key, rawPiece)
          .map(([k, v]) => `${encodeURIComponent(k)}=${v}`),
        rawPiece,
      ),
      { maxLength: 6 },
    )
    .map(parts => `?${parts.join('&')}`),
);
const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map(c => String.fromCharCode(c)),
  maxLength: 60,
});
const headers = fc.record(
  {
    authorization: fc.oneof(
      { arbitrary: fc.constant(mockCredentials.user.header()), weight: 8 },
      fc.constant('Bearer not-a-token'),
      fc.constant('Basic Zm9vOmJhcg=='),
      headerValue,
    ),
    accept: fc.oneof(
      fc.constantFrom('application/json', '*/*', 'text/html', ''),
      headerValue,
    ),
    'accept-encoding': fc.constantFrom(
      'gzip',
      'br',
      'identity',
      'gzip;q=0, identity;q=0',
      '*',
      'x',
    ),
    'content-type': fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-16',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
      ),
      headerValue,
    ),
    'if-none-match': fc.oneof(
      fc.constant('*'),
      fc.constant('W/"x"'),
      headerValue,
    ),
    'x-forwarded-for': headerValue,
  },
  { requiredKeys: ['authorization'] },
);
const body = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 4 },
  { arbitrary: fc.json({ maxDepth: 3 }), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      '{',
      '{"a":',
      'null',
      '[]',
      '"x"',
      '{"__proto__":{"polluted":1}}',
    ),
    weight: 4,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 4 },
  // Past express.json's 100 kB limit: 413 with a message.
  {
    arbitrary: fc
      .integer({ min: 100_000, max: 300_000 })
      .map(n => `{"x":"${'y'.repeat(n)}"}`),
    weight: 1,
  },
);
const method = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'POST'), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'PUT',
      'DELETE',
      'PATCH',
      'HEAD',
      'OPTIONS',
      'TRACE',
    ),
    weight: 1,
  },
);
// Mostly the route itself, so most cases reach its handler; sometimes a path next to it.
const suffix = fc.oneof(
  { arbitrary: fc.constant(''), weight: 8 },
  {
    arbitrary: fc.constantFrom('/', '//', '/x', '/..', '%2F', '.json'),
    weight: 1,
  },
);

describe('service-mesh REST API under hostile input (property-based)', () => {
  let port: number;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  beforeAll(async () => {
    const state = await demoSnapshotState();
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'product-service',
                namespace: 'default',
                annotations: {
                  'backstage.io/kubernetes-id': 'product-service',
                },
              },
              spec: {},
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'by-selector',
                namespace: 'default',
                annotations: {
                  'backstage.io/kubernetes-label-selector':
                    'app in (product, inventory),tier!=db',
                },
              },
              spec: {},
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'bad-selector',
                namespace: 'default',
                annotations: {
                  'backstage.io/kubernetes-label-selector': 'app in (unclosed',
                },
              },
              spec: {},
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'no-kubernetes', namespace: 'default' },
              spec: {},
            },
          ],
        }),
        fakeSnapshotService(state).factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => agent.destroy());

  function send(
    m: string,
    path: string,
    h: Record<string, string>,
    b?: unknown,
  ) {
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const payload =
        b === undefined
          ? undefined
          : Buffer.from(typeof b === 'string' ? b : JSON.stringify(b));
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: m,
          path,
          agent,
          headers: {
            ...h,
            ...(payload ? { 'content-length': payload.length } : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  const counts: Record<string, Record<string, number>> = {};
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(
      `REST fuzz, cases per route and statuses:\n${JSON.stringify(
        counts,
        null,
        1,
      )}`,
    );
  });

  it.each(ROUTES)(
    `%s: ${RUNS} cases, no status >= 500, every 4xx with a message`,
    async route => {
      const started = Date.now();
      const tally: Record<string, number> = {};
      counts[route] = tally;
      await fc.assert(
        fc.asyncProperty(
          method,
          suffix,
          query,
          headers,
          body,
          async (m, s, q, h, b) => {
            const url = `/api/service-mesh${route}${s}${q}`;
            const headBytes =
              url.length +
              Object.entries(h).reduce(
                (n, [k, v]) => n + k.length + String(v).length + 4,
                0,
              );
            let res;
            try {
              res = await send(
                m,
                url,
                h as Record<string, string>,
                m === 'GET' || m === 'HEAD' ? undefined : b,
              );
            } catch (error) {
              // Node's parser may reset an over-long head instead of answering 431.
              if (headBytes > HEAD_LIMIT_ESTIMATE) {
                tally.reset = (tally.reset ?? 0) + 1;
                return;
              }
              throw error;
            }
            tally[res.status] = (tally[res.status] ?? 0) + 1;
            if (res.status === 431) {
              // Node's HTTP parser refuses a request head over its 16 KiB limit before any application code runs.
              if (headBytes <= HEAD_LIMIT_ESTIMATE)
                throw new Error(`431 for a ${headBytes}-byte request head`);
              return;
            }
            if (res.status >= 500)
              throw new Error(
                `${m} ${route}${s}${q.slice(0, 200)} → ${
                  res.status
                } ${res.text.slice(0, 300)}`,
              );
            if (res.status >= 400 && m !== 'HEAD') {
              let message: unknown;
              try {
                message = JSON.parse(res.text)?.error?.message;
              } catch {
                message = undefined;
              }
              if (typeof message !== 'string' || message.length === 0)
                throw new Error(
                  `${m} ${route}${s}${q.slice(0, 200)} → ${
                    res.status
                  } without a message: ${res.text.slice(0, 300)}`,
                );
            }
          },
        ),
        { numRuns: RUNS },
      );
      tally.seconds = (Date.now() - started) / 1000;
      expect(
        Object.values(tally).reduce((a, n) => a + n, 0),
      ).toBeGreaterThanOrEqual(RUNS);
    },
  );
});
