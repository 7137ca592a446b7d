import { Table, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Typography from '@material-ui/core/Typography';
import type { ClusterMeshStatus } from '@internal/plugin-service-mesh-common';
import { compareStrings } from '@internal/plugin-service-mesh-common';
import { useTableAriaLabel } from '../../hooks/useTableAriaLabel';
import { serviceMeshTranslationRef } from '../../translation';
import { formatLocality } from '../../utils/format';
import { SectionCard } from '../SectionCard';

export interface LocalitiesTableProps {
  clusters: ClusterMeshStatus[];
}

interface LocalityRow {
  locality: string;
  /** Nodes per cluster name. */
  nodes: Record<string, number>;
}

/** Nodes per region/zone and cluster, from the nodes' topology labels; sortable and searchable by locality. */
export function LocalitiesTable(props: LocalitiesTableProps) {
  const { t } = useTranslationRef(serviceMeshTranslationRef);
  const label = t('localities.tableLabel');
  const wrapper = useTableAriaLabel(label);
  const clusters = props.clusters.filter(c => c.localities.length > 0);
  const rows = new Map<string, LocalityRow>();
  for (const cluster of clusters) {
    for (const l of cluster.localities) {
      const locality = formatLocality(l);
      const row = rows.get(locality) ?? { locality, nodes: {} };
      row.nodes[cluster.name] = (row.nodes[cluster.name] ?? 0) + l.nodes;
      rows.set(locality, row);
    }
  }
  const data = [...rows.values()].sort((a, b) =>
    compareStrings(a.locality, b.locality),
  );
  const columns: TableColumn<LocalityRow>[] = [
    {
      title: t('localities.locality'),
      field: 'locality',
      highlight: true,
      cellStyle: { whiteSpace: 'nowrap' },
    },
    ...clusters.map(
      (cluster): TableColumn<LocalityRow> => ({
        title: cluster.name,
        align: 'right',
        type: 'numeric',
        searchable: false,
        customSort: (a, b) =>
          (a.nodes[cluster.name] ?? 0) - (b.nodes[cluster.name] ?? 0),
        render: row => row.nodes[cluster.name] || '—',
      }),
    ),
  ];

  return (
    <SectionCard
      title={t('localities.title')}
      subheader={t('localities.subheader')}
      noPadding
    >
      {data.length === 0 ? (
        <Typography style={{ padding: 16 }}>{t('localities.none')}</Typography>
      ) : (
        <div ref={wrapper}>
          <Table<LocalityRow>
            columns={columns}
            data={data}
            options={{
              paging: data.length > 20,
              pageSize: 20,
              emptyRowsWhenPaging: false,
              search: data.length > 5,
              showTitle: false,
              toolbar: data.length > 5,
              padding: 'dense',
              draggable: false,
            }}
          />
        </div>
      )}
    </SectionCard>
  );
}
