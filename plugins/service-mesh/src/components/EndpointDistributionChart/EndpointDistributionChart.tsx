import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import type { EndpointDistributionRow } from '@internal/plugin-service-mesh-common';
import { formatLocality } from '../../utils/format';
import { SectionCard } from '../SectionCard';
import { compareStrings } from '@internal/plugin-service-mesh-common';

const useStyles = makeStyles(theme => ({
  service: { marginTop: theme.spacing(1) },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(140px, 1fr) 2fr minmax(120px, auto)',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    padding: theme.spacing(0.5, 0),
  },
  label: { fontWeight: 500 },
  bar: { display: 'block', width: '100%', height: 16 },
  legend: {
    display: 'flex',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  swatch: {
    display: 'inline-block',
    width: 12,
    height: 12,
    marginRight: theme.spacing(0.5),
    verticalAlign: 'middle',
  },
}));

export interface EndpointDistributionChartProps {
  rows: EndpointDistributionRow[];
}

/** Endpoints per cluster and region/zone as stacked horizontal bars: ready, then not ready. */
export function EndpointDistributionChart(
  props: EndpointDistributionChartProps,
) {
  const classes = useStyles();
  const theme = useTheme();
  const services = [...new Set(props.rows.map(row => row.service))].sort();
  const max = Math.max(1, ...props.rows.map(row => row.ready + row.notReady));

  return (
    <SectionCard
      title="Endpoints"
      subheader="Per cluster and region/zone, as the mesh sees them"
    >
      {props.rows.length === 0 ? (
        <Typography>
          No endpoints: no pod backs this entity's services.
        </Typography>
      ) : (
        <>
          <div className={classes.legend} aria-hidden="true">
            <Typography variant="body2">
              <span
                className={classes.swatch}
                style={{ backgroundColor: theme.palette.status.ok }}
              />
              Ready
            </Typography>
            <Typography variant="body2">
              <span
                className={classes.swatch}
                style={{ backgroundColor: theme.palette.status.error }}
              />
              Not ready
            </Typography>
          </div>
          {services.map(service => {
            const rows = props.rows
              .filter(row => row.service === service)
              .sort(
                (a, b) =>
                  compareStrings(a.cluster, b.cluster) ||
                  compareStrings(
                    formatLocality(a.locality),
                    formatLocality(b.locality),
                  ),
              );
            return (
              <div key={service} className={classes.service}>
                <Typography variant="subtitle2" component="h3">
                  {service}
                </Typography>
                <ul
                  className={classes.list}
                  aria-label={`Endpoints of ${service}`}
                >
                  {rows.map(row => {
                    const key = `${row.cluster}/${formatLocality(
                      row.locality,
                    )}`;
                    return (
                      <li key={key} className={classes.row}>
                        <Typography variant="body2" className={classes.label}>
                          {row.cluster} · {formatLocality(row.locality)}
                        </Typography>
                        <svg
                          className={classes.bar}
                          viewBox="0 0 100 10"
                          preserveAspectRatio="none"
                          aria-hidden="true"
                          focusable="false"
                        >
                          <rect
                            x={0}
                            y={0}
                            width={(row.ready / max) * 100}
                            height={10}
                            fill={theme.palette.status.ok}
                          />
                          <rect
                            x={(row.ready / max) * 100}
                            y={0}
                            width={(row.notReady / max) * 100}
                            height={10}
                            fill={theme.palette.status.error}
                          />
                        </svg>
                        <Typography variant="body2">
                          {row.ready} ready, {row.notReady} not ready
                        </Typography>
                      </li>
                    );
                  })}
                </ul>
              </div>
            );
          })}
        </>
      )}
    </SectionCard>
  );
}
