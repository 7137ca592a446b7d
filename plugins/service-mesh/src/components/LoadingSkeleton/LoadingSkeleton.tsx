import Grid from '@material-ui/core/Grid';
import Skeleton from '@material-ui/lab/Skeleton';
import { VisuallyHidden } from '../VisuallyHidden';

/** Placeholder blocks in the shape of the content, announced once to screen readers. */
export function LoadingSkeleton(props: { label: string; blocks?: number[] }) {
  const blocks = props.blocks ?? [12, 6, 6, 12];
  return (
    <div role="status" aria-busy="true">
      <VisuallyHidden>{props.label}</VisuallyHidden>
      <Grid container spacing={3} aria-hidden="true">
        {blocks.map((width, index) => (
          <Grid item xs={12} md={width as 6 | 12} key={index}>
            <Skeleton variant="text" width="30%" height={32} />
            <Skeleton variant="rect" height={index === 0 ? 180 : 120} />
          </Grid>
        ))}
      </Grid>
    </div>
  );
}
