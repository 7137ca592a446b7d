export { LocalitiesTable } from './LocalitiesTable';
export type { LocalitiesTableProps } from './LocalitiesTable';
