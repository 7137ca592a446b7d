import { configMap } from '../__testUtils__/objects';
import { mapInjectors } from './injectors';
import { MappingContext } from './objects';

// The `config` key as the istiod chart renders it (istiod-injector-configmap.yaml), templates shortened.
const CONFIG = `
defaultTemplates: [sidecar]
policy: disabled
alwaysInjectSelector:
  - matchLabels:
      inject-me: "yes"
neverInjectSelector:
  - matchExpressions:
      - key: openshift.io/build.name
        operator: Exists
injectedAnnotations: {}
template: "{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}"
templates:
  sidecar: |
    spec:
      containers:
      - name: istio-proxy
`;

describe('mapInjectors', () => {
  it('keeps policy and the selectors of istio-sidecar-injector[-<rev>], per revision', () => {
    const ctx = new MappingContext();
    expect(
      mapInjectors(
        [
          configMap('istio-sidecar-injector-1-22', 'istio-system', {
            config: CONFIG,
            values: '{}',
          }),
          configMap('istio-sidecar-injector', 'istio-system', {
            config: 'policy: enabled\n',
          }),
          configMap('istio-1-22', 'istio-system', { mesh: 'trustDomain: x' }),
          configMap('istio-sidecar-injector-bad', 'istio-system', {
            config: 'policy: [',
          }),
        ],
        ctx,
      ),
    ).toEqual([
      {
        revision: '1-22',
        configMap: 'istio-sidecar-injector-1-22',
        policy: 'disabled',
        alwaysInjectSelector: [{ matchLabels: { 'inject-me': 'yes' } }],
        neverInjectSelector: [
          {
            matchExpressions: [
              {
                key: 'openshift.io/build.name',
                operator: 'Exists',
                values: [],
              },
            ],
          },
        ],
      },
      {
        revision: 'default',
        configMap: 'istio-sidecar-injector',
        policy: 'enabled',
        alwaysInjectSelector: [],
        neverInjectSelector: [],
      },
    ]);
    expect(ctx.malformedObjects).toEqual([
      expect.objectContaining({
        kind: 'ConfigMap',
        name: 'istio-sidecar-injector-bad',
        reason: expect.stringContaining('data.config is not valid YAML'),
      }),
    ]);
  });
});
