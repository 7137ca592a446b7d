export { FindingsTrend } from './FindingsTrend';
