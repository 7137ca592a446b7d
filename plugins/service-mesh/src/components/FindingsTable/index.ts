export { FindingsTable } from './FindingsTable';
export type { FindingsTableProps } from './FindingsTable';
export { filterFindings } from './filterFindings';
export type { FindingsFilter } from './filterFindings';
