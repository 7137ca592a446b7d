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
    findingsTrend: {
      title: 'Findings over time',
      subheader: 'Counted at each published snapshot',
      chartTitle: 'Findings by severity',
      errors: 'Errors',
      warnings: 'Warnings',
      info: 'Info',
      window: 'Time window',
      cluster: 'Trend of',
      allClusters: 'All clusters',
      empty:
        'No snapshot was published in this window yet: the trend starts with the next refresh.',
      latest:
        '{{points}} snapshots; latest: {{errors}} errors, {{warnings}} warnings, {{info}} info',
    },
    localities: {
      title: 'Localities',
      subheader:
        'Nodes per region/zone (labels topology.kubernetes.io/region and zone)',
      tableLabel: 'Nodes per locality and cluster',
      locality: 'Region/zone',
      none: 'No node carries region/zone labels.',
    },
    findingDialog: {
      goTo: 'Go to',
      links: 'Links for this finding',
      notFound: 'Finding not found',
      clusters: 'Clusters: {{clusters}}',
      meshWide: 'mesh-wide',
      resource: 'Resource:',
      meaning: 'What it means',
      fix: 'How to fix',
      close: 'Close',
    },
    findingDocs: {
      link: 'Documentation of {{code}}',
      currentFindings: 'Current {{code}} findings',
      dashboard: 'Back to the mesh dashboard',
      unknownTitle: 'No finding code {{code}}',
      unknownMessage:
        'The service-mesh plugin defines no finding with this code. Codes are stable, so the link may be mistyped.',
      meaning: 'What it means',
      severity: 'Severity',
      scope: 'Scope',
      category: 'Category',
      fix: 'How to fix it',
      hintNote:
        "Each finding's hint names the exact command or change for that instance (clusters, namespaces and names filled in).",
      references: 'References',
      published: '{{code}} in the published documentation',
    },
    entity: {
      pending:
        'The service-mesh backend is reading the clusters for the first time…',
    },
  },
});
