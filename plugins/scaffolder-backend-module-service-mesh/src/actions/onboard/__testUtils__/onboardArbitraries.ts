/*
 * Inputs and cluster states for the property-based tests of the onboarding action: valid requests and hostile
 * ones (unicode, control characters, huge values, unknown clusters), over healthy and conflicting clusters.
 */
import fc from 'fast-check';

export const CLUSTERS = ['cluster1', 'cluster2', 'cluster3'];

/** Strings a user (or a broken form) can send: valid names, near-misses, unicode, control characters, huge ones. */
export const hostileString = fc.oneof(
  fc.constantFrom(
    'payments',
    'team-a',
    'a',
    'kube-system',
    'istio-system',
    'cpaas-system',
    'default',
    '',
    ' ',
    '-x',
    'x-',
    'UPPER',
    'a.b',
    'a_b',
    'ns\u0000',
    'ñamespace',
    '名前空間',
    '🙂',
    '../etc',
    '1-22',
    'canary',
  ),
  fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 60, max: 20_000 }).map(n => 'a'.repeat(n)),
);

const labelValue = fc.constantFrom('enabled', 'disabled', '1-22', 'canary', '');
export const labels = fc.dictionary(
  fc.constantFrom(
    'cpaas.io/serviceMesh',
    'istio.io/rev',
    'istio-injection',
    'team',
    'app.kubernetes.io/part-of',
  ),
  labelValue,
  { maxKeys: 3 },
);

const validName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const often = <T>(likely: fc.Arbitrary<T>, rest: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: likely, weight: 3 }, { arbitrary: rest, weight: 1 });

const benignLabels = fc.dictionary(
  fc.constantFrom(
    'team',
    'app.kubernetes.io/part-of',
    'cpaas.io/serviceMesh',
    'istio.io/rev',
  ),
  fc.constantFrom('enabled', '1-22', 'shop'),
  { maxKeys: 2 },
);
/** Mostly healthy clusters (the namespace absent or with ordinary labels), sometimes conflicting or skewed ones. */
export interface ClusterStateSpec {
  namespace?: Record<string, string>;
  revisions: string[];
  strict: boolean;
}

export const clusterState: fc.Arbitrary<ClusterStateSpec> =
  often<ClusterStateSpec>(
    fc.record({
      namespace: fc.option(benignLabels, { nil: undefined }),
      revisions: fc.constant(['1-22']),
      strict: fc.boolean(),
    }),
    fc.record({
      namespace: fc.option(labels, { nil: undefined }),
      revisions: fc.constantFrom(['1-22', 'canary'], ['canary'], []),
      strict: fc.boolean(),
    }),
  );

/** Half the cases are valid requests (so the plan/apply property is exercised), half hostile. */
export const onboardInput = fc.record(
  {
    namespace: often(
      fc.oneof(fc.constant('payments'), validName),
      hostileString,
    ),
    clusters: often(
      fc.oneof(fc.constant(undefined), fc.subarray(CLUSTERS, { minLength: 1 })),
      fc.oneof(
        fc.array(
          fc.oneof(
            fc.constantFrom(...CLUSTERS, 'global', ' cluster1 '),
            hostileString,
          ),
          {
            maxLength: 6,
          },
        ),
        fc.integer({ min: 100, max: 3000 }).map(n => Array(n).fill('cluster1')),
      ),
    ),
    revision: often(
      fc.constantFrom(undefined, '1-22'),
      fc.oneof(fc.constant('canary'), hostileString),
    ),
    labelStyle: often(
      fc.constantFrom(undefined, 'alauda', 'revision', 'injection'),
      hostileString,
    ),
    createIfMissing: fc.option(fc.boolean(), { nil: undefined }),
    strictMtls: fc.option(fc.boolean(), { nil: undefined }),
  },
  { requiredKeys: ['namespace'] },
);
