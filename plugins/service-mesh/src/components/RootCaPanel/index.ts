export { RootCaPanel, groupByRootCa } from './RootCaPanel';
export type { RootCaPanelProps } from './RootCaPanel';
