export { IstiodReadStatus, RemoteSyncStatus, XdsState } from './XdsState';
export { formatAge } from './formatAge';
