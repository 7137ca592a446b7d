import { useMemo } from 'react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { serviceMeshTranslationRef } from '../../translation';
import {
  CopyTextButton,
  Link,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Entity } from '@backstage/catalog-model';
import type { Finding } from '@internal/plugin-service-mesh-common';
import {
  download,
  findingsToCsv,
  findingsToJson,
} from '../../utils/exportFindings';
import {
  countBySeverity,
  SEVERITIES,
  sortFindings,
} from '../../utils/severity';
import { SectionCard } from '../SectionCard';
import { SeverityChip } from '../StatusChips';
import { FindingDialog } from './FindingDialog';
import { FindingFilters } from './FindingFilters';
import { filterFindings } from './filterFindings';
import { useEntityLinks, useMeshEntities } from './useFindingLinks';
import { useFindingDocsLink } from '../../hooks/useFindingDocsLink';
import { useTableAriaLabel } from '../../hooks/useTableAriaLabel';
import { useFindingsParams } from './useFindingsParams';
import { compareStrings } from '@internal/plugin-service-mesh-common';

const useStyles = makeStyles(theme => ({
  hintCell: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
  },
  hint: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    margin: 0,
    flexGrow: 1,
  },
  empty: { padding: theme.spacing(2) },
  nowrap: { whiteSpace: 'nowrap' },
  resource: { overflowWrap: 'anywhere' },
  links: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

export interface FindingsTableProps {
  findings: Finding[];
  /** Section title; defaults to "Findings". */
  title?: string;
  /** Show the filter bar; default true. */
  filterable?: boolean;
  /** Text when there are no findings at all. */
  emptyText?: string;
}

function summary(findings: Finding[]): string {
  const counts = countBySeverity(findings);
  return `${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`;
}

function ResourceCell(props: { finding: Finding; entities: Entity[] }) {
  const classes = useStyles();
  const links = useEntityLinks(props.finding, props.entities);
  const r = props.finding.resource;
  if (!r) return <>—</>;
  return (
    <div className={classes.resource}>
      <span className={classes.nowrap}>{r.kind}</span>{' '}
      {r.namespace ? `${r.namespace}/` : ''}
      {r.name}
      {links.length > 0 && (
        <div className={classes.links}>
          {links.map(link => (
            <Link key={link.href} to={link.href}>
              {link.label}
            </Link>
          ))}
        </div>
      )}
    </div>
  );
}

const severityRank = (f: Finding) => SEVERITIES.indexOf(f.severity);

/**
 * Findings, most severe first, in Backstage's Table (paging, sorting, CSV/JSON export); the filters and the open
 * finding live in the URL so they can be shared.
 */
export function FindingsTable(props: FindingsTableProps) {
  const classes = useStyles();
  const { t } = useTranslationRef(serviceMeshTranslationRef);
  const { filter, setFilter, openFindingId, closeFinding, findingLink } =
    useFindingsParams();
  const entities = useMeshEntities();
  const docsLink = useFindingDocsLink();
  const all = useMemo(() => sortFindings(props.findings), [props.findings]);
  const shown = useMemo(() => filterFindings(all, filter), [all, filter]);
  const open = openFindingId
    ? all.find(finding => finding.id === openFindingId)
    : undefined;
  const title = props.title ?? t('findings.title');

  // material-table renders a bare <table>: give it the section's name, as the other tables have.
  const wrapper = useTableAriaLabel(title);

  const columns: TableColumn<Finding>[] = [
    {
      title: t('findings.columns.severity'),
      field: 'severity',
      customSort: (a, b) => severityRank(a) - severityRank(b),
      render: f => <SeverityChip severity={f.severity} />,
      headerStyle: { whiteSpace: 'nowrap' },
      width: '7em',
    },
    {
      title: t('findings.columns.code'),
      field: 'code',
      cellStyle: { whiteSpace: 'nowrap', fontFamily: 'monospace' },
      width: '6em',
      render: f => {
        const docs = docsLink(f.code);
        return docs ? (
          <Link to={docs} aria-label={t('findingDocs.link', { code: f.code })}>
            {f.code}
          </Link>
        ) : (
          f.code
        );
      },
    },
    {
      title: t('findings.columns.finding'),
      field: 'title',
      render: f => (
        <>
          <Link to={findingLink(f.id)}>{f.title}</Link>
          <Typography variant="body2">{f.message}</Typography>
        </>
      ),
    },
    {
      title: t('findings.columns.clusters'),
      field: 'clusters',
      customSort: (a, b) =>
        compareStrings(a.clusters.join(','), b.clusters.join(',')),
      render: f => f.clusters.join(', ') || '—',
      headerStyle: { whiteSpace: 'nowrap' },
    },
    {
      title: t('findings.columns.resource'),
      field: 'resource.name',
      render: f => <ResourceCell finding={f} entities={entities} />,
    },
    {
      title: t('findings.columns.hint'),
      field: 'hint',
      sorting: false,
      render: f => (
        <div className={classes.hintCell}>
          <pre className={classes.hint}>{f.hint}</pre>
          <CopyTextButton
            text={f.hint}
            aria-label={`Copy the fix hint of ${f.code}`}
          />
        </div>
      ),
    },
  ];

  return (
    <SectionCard title={title} subheader={summary(props.findings)} noPadding>
      {props.filterable !== false && all.length > 0 && (
        <FindingFilters findings={all} filter={filter} onChange={setFilter} />
      )}
      {all.length === 0 ? (
        <Typography className={classes.empty}>
          {props.emptyText ?? t('findings.none')}
        </Typography>
      ) : (
        <div ref={wrapper}>
          <Table<Finding>
            columns={columns}
            data={shown}
            options={{
              paging: shown.length > 20,
              pageSize: 20,
              pageSizeOptions: [20, 50, 100],
              emptyRowsWhenPaging: false,
              search: false,
              showTitle: false,
              padding: 'dense',
              draggable: false,
              exportAllData: true,
              exportMenu: [
                {
                  label: t('findings.exportCsv'),
                  // What the filters show, whole (not the rendered cells).
                  exportFunc: () =>
                    download(
                      'service-mesh-findings.csv',
                      findingsToCsv(shown),
                      'text/csv',
                    ),
                },
                {
                  label: t('findings.exportJson'),
                  exportFunc: () =>
                    download(
                      'service-mesh-findings.json',
                      findingsToJson(shown),
                      'application/json',
                    ),
                },
              ],
              rowStyle: f =>
                f.id === open?.id ? { outline: '2px solid currentColor' } : {},
            }}
            localization={{
              body: {
                emptyDataSourceMessage: t('findings.noMatch'),
              },
            }}
          />
        </div>
      )}
      <FindingDialog
        findingId={openFindingId}
        finding={open}
        onClose={closeFinding}
        entities={entities}
      />
    </SectionCard>
  );
}
