import { defineFindingCategory } from '../definition';
import { istioSource } from './references';

export const ANALYSIS_FINDINGS = defineFindingCategory({
  id: 'analysis',
  title: 'The analysis itself',
  codes: {
    MESH098: {
      severity: 'info',
      title: 'Checks skipped: their input could not be read',
      description:
        'Some checks were not run for a cluster because data they need could not be read there (see MESH092): their problems, if any, are not reported.',
      scope: 'cluster',
      fix: 'Fix the read failure reported for the same cluster (usually MESH092: add the RBAC rule it names), then refresh.',
      docs: {
        explanation:
          'Every check declares the lists of a cluster\'s data it reads (its inputs). When one of them could not be read in a cluster (a 403, or a partial failure), the check is not run for that cluster rather than treating the list as empty: a forbidden `secrets` list is not "no remote secrets", and forbidden `deployments` do not make a primary a remote. A check whose conclusion needs every cluster (for example MESH042, a locality that exists nowhere) is not run at all. This finding names the cluster, the unreadable inputs, the checks skipped and the codes they would have reported. Istio\'s analyzers do the same: each declares its inputs, and the runner skips an analyzer whose input collection is missing.',
        references: [
          istioSource('pkg/config/analysis/analyzer.go', 'RemoveSkipped'),
        ],
      },
    },
    MESH099: {
      severity: 'warning',
      title: 'A check failed',
      description:
        'A check of the analysis threw an error on this snapshot; the other checks still ran, but the problems this one looks for are not reported.',
      scope: 'housekeeping',
      fix: 'This is a bug in the plugin: report it with the check name and the error from the finding (the backend log has the stack trace).',
      docs: {
        explanation:
          'The analysis runs every check separately, so one failing check cannot hide the findings of the others. A check that throws becomes this finding (naming the check and the error) and a log line in the backend, never silence. Istio reports the same situation as IST0001 (InternalError).',
        references: [
          istioSource('pkg/config/analysis/msg/messages.yaml', 'IST0001'),
        ],
      },
    },
  },
});
