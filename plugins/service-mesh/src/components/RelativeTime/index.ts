export { RelativeTime, formatAge } from './RelativeTime';
