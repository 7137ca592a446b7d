import { formatTime } from '../../utils/format';
import { RelativeTime } from '../RelativeTime';

/** A machine-readable `<time>` with a stable UTC rendering, and optionally its live age ("12 s ago"). */
export function Timestamp(props: { value?: string; relative?: boolean }) {
  if (!props.value) return <span>never</span>;
  return (
    <>
      <time dateTime={props.value}>{formatTime(props.value)}</time>
      {props.relative && (
        <>
          {' '}
          (<RelativeTime value={props.value} prefix="updated " />)
        </>
      )}
    </>
  );
}
