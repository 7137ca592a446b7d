export { FindingDocsPage } from './FindingDocsPage';
