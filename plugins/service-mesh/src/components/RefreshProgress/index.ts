export { RefreshProgressList } from './RefreshProgressList';
