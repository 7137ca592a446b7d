import { createTranslationRef } from '@backstage/core-plugin-api/alpha';

/**
 * The plugin's user-facing strings, for apps that translate or reword them
 * (`createTranslationMessages({ ref: serviceMeshTranslationRef, messages: { ... } })`).
 *
 * @alpha
 */
export const serviceMeshTranslationRef = createTranslationRef({
  id: 'service-mesh',
  messages: {
    permission: {
      title: 'Permission required',
      message:
        'To view the service mesh, contact your Backstage administrator to grant you the service-mesh.read permission.',
    },
    summary: {
      snapshotFrom: 'Snapshot from',
      pending: 'Reading the clusters for the first time…',
      memberClusters: '{{n}} member clusters',
      multiNetwork: ', multi-network',
      management: 'Management: {{name}}',
      errors: '{{n}} errors',
      warnings: '{{n}} warnings',
      notRead: '{{notRead}} of {{total}} clusters could not be read',
    },
    refresh: {
      button: 'Refresh',
      busy: 'Refreshing…',
      denied:
        'You do not have permission to refresh the mesh (service-mesh.refresh).',
      progress: 'Refreshing: {{done}} of {{total}} clusters read',
    },
    findings: {
      title: 'Findings',
      none: 'No findings: the mesh checks all pass.',
      noMatch: 'No finding matches the filters.',
      exportCsv: 'Export as CSV',
      exportJson: 'Export as JSON',
      columns: {
        severity: 'Severity',
        code: 'Code',
        finding: 'Finding',
        clusters: 'Clusters',
        resource: 'Resource',
        hint: 'Fix hint',
      },
    },
    entity: {
      pending:
        'The service-mesh backend is reading the clusters for the first time…',
    },
  },
});
