/*
 * The example template (examples/templates/join-service-mesh) must keep matching the action's inputs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import yaml from 'yaml';
import { createOnboardNamespaceAction } from './onboardNamespace';
import { LABEL_STYLES } from './types';

const TEMPLATE = path.resolve(
  __dirname,
  '../../../../../examples/templates/join-service-mesh/template.yaml',
);

describe('the "Join the service mesh" template', () => {
  const template = yaml.parse(fs.readFileSync(TEMPLATE, 'utf8'));
  const action = createOnboardNamespaceAction({
    config: new ConfigReader({}),
    permissions: mockServices.permissions(),
  });
  const inputSchema = action.schema!.input as {
    properties: Record<string, unknown>;
  };

  it('calls the action with inputs it declares', () => {
    expect(template).toMatchObject({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { title: 'Join the service mesh' },
    });
    const step = template.spec.steps.find(
      (s: { action: string }) => s.action === action.id,
    );
    expect(step).toBeDefined();
    for (const key of Object.keys(step.input))
      expect(Object.keys(inputSchema.properties)).toContain(key);
    expect(template.spec.output.text[0].content).toContain(
      'steps.onboard.output.results',
    );
  });

  it('offers the label styles of the action and validates the namespace as a DNS-1123 label', () => {
    const properties = Object.assign(
      {},
      ...template.spec.parameters.map((p: any) => p.properties),
    );
    expect(properties.labelStyle.enum).toEqual(LABEL_STYLES);
    expect(properties.labelStyle.enumNames).toHaveLength(LABEL_STYLES.length);
    expect(properties.target['ui:field']).toBe('ServiceMeshClusterPicker');
    const pattern = new RegExp(properties.namespace.pattern);
    expect(['payments', 'a', 'shop-2'].every(n => pattern.test(n))).toBe(true);
    expect(['Payments', '-a', 'a-', 'a_b'].some(n => pattern.test(n))).toBe(
      false,
    );
  });
});
