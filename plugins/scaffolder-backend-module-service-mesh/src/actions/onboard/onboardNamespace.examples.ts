import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Onboard a namespace on every mesh member cluster with the revision the mesh runs',
    example: yaml.stringify({
      steps: [
        {
          id: 'onboard',
          action: 'service-mesh:namespace:onboard',
          name: 'Join the service mesh',
          input: { namespace: 'payments' },
        },
      ],
    }),
  },
  {
    description:
      'Onboard on two clusters with an explicit revision, upstream labels and STRICT mTLS',
    example: yaml.stringify({
      steps: [
        {
          id: 'onboard',
          action: 'service-mesh:namespace:onboard',
          name: 'Join the service mesh',
          input: {
            namespace: 'payments',
            clusters: ['cluster1', 'cluster2'],
            revision: '1-22',
            labelStyle: 'revision',
            createIfMissing: false,
            strictMtls: true,
          },
        },
      ],
    }),
  },
  {
    description: 'Show what onboarding would change, without changing anything',
    example: yaml.stringify({
      steps: [
        {
          id: 'onboard',
          action: 'service-mesh:namespace:onboard',
          name: 'Preview joining the service mesh',
          input: { namespace: 'payments', dryRun: true },
        },
      ],
    }),
  },
];
