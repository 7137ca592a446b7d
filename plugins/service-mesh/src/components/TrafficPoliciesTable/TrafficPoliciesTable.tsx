import { Fragment, useState } from 'react';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { EntityTrafficPolicy } from '@internal/plugin-service-mesh-common';
import { SectionCard } from '../SectionCard';
import { ToneChip } from '../StatusChips';
import { PolicySpec } from './PolicySpec';
import { compareStrings } from '@internal/plugin-service-mesh-common';

const useStyles = makeStyles(theme => ({
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  detail: { backgroundColor: theme.palette.background.default },
  empty: { padding: theme.spacing(2) },
  // Kind names and short headers stay whole: narrow columns broke "DestinationRule" and "Clusters" mid-word.
  nowrap: { whiteSpace: 'nowrap', wordBreak: 'keep-all' },
}));

const KIND_ORDER = [
  'DestinationRule',
  'VirtualService',
  'PeerAuthentication',
  'AuthorizationPolicy',
];

function nameOf(policy: EntityTrafficPolicy): string {
  return `${policy.namespace}/${policy.name}`;
}

/**
 * Who a DestinationRule or VirtualService applies to, when not every client (the backend computes it with
 * Istio's rules), and the rules Istio merges it with.
 */
export function scopeLabels(policy: EntityTrafficPolicy): string[] {
  const labels: string[] = [];
  const clients = policy.clients;
  if (clients) {
    const selector = Object.entries(clients.workloadSelector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const named = clients.namespaces.filter(n => n !== '*');
    if (selector || !clients.namespaces.includes('*')) {
      if (named.length > 0)
        labels.push(
          `Clients in ${named.join(', ')}${
            selector ? ` with ${selector}` : ''
          }`,
        );
    }
    if (clients.gateways?.length)
      labels.push(`At gateway ${clients.gateways.join(', ')}`);
  }
  const others = (policy.merge?.rules ?? []).filter(r => r !== nameOf(policy));
  if (others.length > 0) labels.push(`Merged with ${others.join(', ')}`);
  return labels;
}

export interface TrafficPoliciesTableProps {
  policies: EntityTrafficPolicy[];
  /** Every cluster the entity runs in, to show where a policy is missing. */
  clusters: string[];
}

/** DestinationRules, VirtualServices, PeerAuthentications and AuthorizationPolicies in force, with the clusters they are in. */
export function TrafficPoliciesTable(props: TrafficPoliciesTableProps) {
  const classes = useStyles();
  const [open, setOpen] = useState<Set<number>>(new Set());
  const policies = [...props.policies].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      compareStrings(nameOf(a), nameOf(b)) ||
      compareStrings(a.clusters.join(), b.clusters.join()),
  );
  const variants = (policy: EntityTrafficPolicy) =>
    policies.filter(p => p.kind === policy.kind && nameOf(p) === nameOf(policy))
      .length;
  const coveredClusters = (policy: EntityTrafficPolicy) =>
    new Set(
      policies
        .filter(p => p.kind === policy.kind && nameOf(p) === nameOf(policy))
        .flatMap(p => p.clusters),
    );

  const toggle = (index: number) =>
    setOpen(previous => {
      const next = new Set(previous);
      if (next.has(index)) next.delete(index);
      else next.add(index);
      return next;
    });

  return (
    <SectionCard title="Traffic policies" noPadding>
      {policies.length === 0 ? (
        <Typography className={classes.empty}>
          No DestinationRule, VirtualService, PeerAuthentication or
          AuthorizationPolicy applies: Istio defaults are in force.
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label="Traffic policies">
            <TableHead>
              <TableRow>
                <TableCell className={classes.nowrap}>Kind</TableCell>
                <TableCell>Name</TableCell>
                <TableCell className={classes.nowrap}>Clusters</TableCell>
                <TableCell>Spec</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {policies.map((policy, index) => {
                const label = `${policy.kind} ${nameOf(
                  policy,
                )} in ${policy.clusters.join(', ')}`;
                const missing = props.clusters.filter(
                  c => !coveredClusters(policy).has(c),
                );
                const expanded = open.has(index);
                return (
                  <Fragment key={`${label}-${index}`}>
                    <TableRow>
                      <TableCell className={classes.nowrap}>
                        {policy.kind}
                      </TableCell>
                      <TableCell component="th" scope="row" role="rowheader">
                        {nameOf(policy)}
                      </TableCell>
                      <TableCell>
                        <div className={classes.chips}>
                          <span>{policy.clusters.join(', ')}</span>
                          {variants(policy) > 1 && (
                            <ToneChip
                              tone="warning"
                              label="Differs across clusters"
                            />
                          )}
                          {missing.length > 0 && (
                            <ToneChip
                              tone="warning"
                              label={`Missing in ${missing.join(', ')}`}
                            />
                          )}
                          {scopeLabels(policy).map(scope => (
                            <ToneChip
                              key={scope}
                              tone="neutral"
                              label={scope}
                            />
                          ))}
                        </div>
                      </TableCell>
                      <TableCell>
                        <IconButton
                          size="small"
                          aria-label={`${
                            expanded ? 'Hide' : 'Show'
                          } spec of ${label}`}
                          aria-expanded={expanded}
                          onClick={() => toggle(index)}
                        >
                          {expanded ? <ExpandLessIcon /> : <ExpandMoreIcon />}
                        </IconButton>
                      </TableCell>
                    </TableRow>
                    {expanded && (
                      <TableRow className={classes.detail}>
                        <TableCell colSpan={4}>
                          <PolicySpec spec={policy.spec} label={label} />
                        </TableCell>
                      </TableRow>
                    )}
                  </Fragment>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </SectionCard>
  );
}
