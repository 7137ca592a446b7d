import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ClusterMeshStatus } from '@internal/plugin-service-mesh-common';
import { formatLocality } from '../../utils/format';
import { SectionCard } from '../SectionCard';
import { compareStrings } from '@internal/plugin-service-mesh-common';

export interface LocalitiesTableProps {
  clusters: ClusterMeshStatus[];
}

/** Nodes per region/zone and cluster, from the nodes' topology labels. */
export function LocalitiesTable(props: LocalitiesTableProps) {
  const clusters = props.clusters.filter(c => c.localities.length > 0);
  const keys = new Map<string, { region: string; zone: string }>();
  for (const cluster of clusters) {
    for (const { region, zone } of cluster.localities) {
      keys.set(`${region}/${zone}`, { region, zone });
    }
  }
  const rows = [...keys.entries()].sort(([a], [b]) => compareStrings(a, b));
  const nodes = (cluster: ClusterMeshStatus, region: string, zone: string) =>
    cluster.localities
      .filter(l => l.region === region && l.zone === zone)
      .reduce((sum, l) => sum + l.nodes, 0);

  return (
    <SectionCard
      title="Localities"
      subheader="Nodes per region/zone (labels topology.kubernetes.io/region and zone)"
      noPadding
    >
      {rows.length === 0 ? (
        <Typography style={{ padding: 16 }}>
          No node carries region/zone labels.
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label="Nodes per locality and cluster">
            <TableHead>
              <TableRow>
                <TableCell>Region/zone</TableCell>
                {clusters.map(cluster => (
                  <TableCell key={cluster.name} align="right">
                    {cluster.name}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(([key, { region, zone }]) => (
                <TableRow key={key}>
                  <TableCell component="th" scope="row" role="rowheader">
                    {formatLocality({ region, zone })}
                  </TableCell>
                  {clusters.map(cluster => {
                    const count = nodes(cluster, region, zone);
                    return (
                      <TableCell key={cluster.name} align="right">
                        {count > 0 ? count : '—'}
                      </TableCell>
                    );
                  })}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </SectionCard>
  );
}
