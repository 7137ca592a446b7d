export { ProxySyncPanel } from './ProxySyncPanel';
