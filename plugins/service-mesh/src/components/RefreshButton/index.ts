export { RefreshButton, REFRESH_DENIED_TEXT } from './RefreshButton';
export type { RefreshButtonProps } from './RefreshButton';
