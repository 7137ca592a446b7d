import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The field's value, `{ clusters, revision }`, for the Custom Field Explorer and type checks.
 *
 * @public
 */
export const ServiceMeshClusterPickerSchema = makeFieldSchema({
  output: z =>
    z.object({
      clusters: z
        .array(z.string())
        .describe('Member clusters to onboard the namespace on'),
      revision: z
        .string()
        .describe(
          'Istio revision (istio.io/rev) running on every selected cluster',
        ),
    }),
  uiOptions: z =>
    z.object({
      revisionTitle: z
        .string()
        .optional()
        .describe('Label of the revision select (default: Istio revision)'),
    }),
});

/** @public */
export type ServiceMeshClusterPickerProps =
  typeof ServiceMeshClusterPickerSchema.TProps;
/** @public */
export type ServiceMeshClusterPickerValue =
  typeof ServiceMeshClusterPickerSchema.TOutput;
