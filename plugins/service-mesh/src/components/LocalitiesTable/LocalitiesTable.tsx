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
      // Fixed layout: the locality keeps the room it needs, the counts share the rest.
      width: '55%',
      cellStyle: { whiteSpace: 'nowrap' },
    },
    ...clusters.map(
      (cluster): TableColumn<LocalityRow> => ({
        title: cluster.name,
        align: 'right',
        type: 'numeric',
        searchable: false,
        // Counts are short: narrow columns leave the locality room, so three clusters fit in the half-width card.
        cellStyle: { paddingLeft: 8, paddingRight: 16 },
        headerStyle: { paddingLeft: 8, paddingRight: 16, whiteSpace: 'nowrap' },
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
        // Many clusters scroll sideways instead of being cut off by the half-width card.
        <div ref={wrapper} style={{ overflowX: 'auto' }}>
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
              // The columns share the card's width instead of overflowing it.
              tableLayout: 'fixed',
            }}
          />
        </div>
      )}
    </SectionCard>
  );
}
