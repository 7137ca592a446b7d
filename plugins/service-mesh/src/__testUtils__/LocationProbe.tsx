import { useLocation } from 'react-router-dom';

/** Renders the current path and query, so tests can assert URL changes. */
export function LocationProbe() {
  const location = useLocation();
  return (
    <output aria-label="Current location">
      {location.pathname}
      {location.search}
    </output>
  );
}
