export { EntityProxySync } from './EntityProxySync';
