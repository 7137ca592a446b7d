import {
  ContentHeader,
  Link,
  MarkdownContent,
  WarningPanel,
} from '@backstage/core-components';
import { configApiRef, useApiHolder } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  FINDING_CODES,
  FINDING_SCOPE_DESCRIPTIONS,
  findingCategoryOf,
  findingDocsPath,
  isFindingCode,
} from '@internal/plugin-service-mesh-common';
import { useParams } from 'react-router-dom';
import {
  FINDING_DOCS_BASE_URL_KEY,
  publishedFindingDocsUrl,
} from '../../hooks/useFindingDocsLink';
import { useOptionalRouteRef } from '../../hooks/useOptionalRouteRef';
import { findingDocsRouteRef, rootRouteRef } from '../../routes';
import { serviceMeshTranslationRef } from '../../translation';
import { SectionCard } from '../SectionCard';
import { SeverityChip } from '../StatusChips';
import { inAppFindingMarkdown } from './findingDocsMarkdown';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: theme.spacing(1, 2),
    alignItems: 'center',
    margin: theme.spacing(0, 0, 2),
    '& dd': { margin: 0 },
  },
  references: { margin: 0, paddingLeft: theme.spacing(3) },
}));

/**
 * A finding code's documentation inside the plugin (`/service-mesh/findings/MESH010`): title, severity, what it
 * means, how the check decides, the fix and Istio's references, all from the -common registry, the same text as
 * the generated docs/findings pages.
 */
export function FindingDocsPage() {
  const classes = useStyles();
  const { t } = useTranslationRef(serviceMeshTranslationRef);
  const { code = '' } = useParams();
  const dashboard = useOptionalRouteRef(rootRouteRef);
  const codePage = useOptionalRouteRef(findingDocsRouteRef);
  const publishedBase = useApiHolder()
    .get(configApiRef)
    ?.getOptionalString(FINDING_DOCS_BASE_URL_KEY);

  if (!isFindingCode(code)) {
    return (
      <WarningPanel
        severity="warning"
        defaultExpanded
        title={t('findingDocs.unknownTitle', { code })}
        message={t('findingDocs.unknownMessage')}
      >
        {dashboard && (
          <Link to={dashboard()}>{t('findingDocs.dashboard')}</Link>
        )}
      </WarningPanel>
    );
  }
  const definition = FINDING_CODES[code];
  const category = findingCategoryOf(code);
  const markdown = (text: string) => (
    <MarkdownContent
      content={inAppFindingMarkdown(text, {
        codePage: other => codePage?.({ code: other }),
        publishedBase,
      })}
    />
  );

  return (
    <>
      <ContentHeader title={`${code}: ${definition.title}`}>
        {dashboard && (
          <Link to={`${dashboard()}?code=${code}`}>
            {t('findingDocs.currentFindings', { code })}
          </Link>
        )}
      </ContentHeader>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <SectionCard title={t('findingDocs.meaning')}>
            <dl className={classes.facts}>
              <dt>{t('findingDocs.severity')}</dt>
              <dd>
                <SeverityChip severity={definition.severity} />
                {definition.severityNote && (
                  <Typography variant="body2" component="span">
                    {definition.severityNote}
                  </Typography>
                )}
              </dd>
              <dt>{t('findingDocs.scope')}</dt>
              <dd>
                {definition.scope}:{' '}
                {FINDING_SCOPE_DESCRIPTIONS[definition.scope]}
              </dd>
              {category && (
                <>
                  <dt>{t('findingDocs.category')}</dt>
                  <dd>{category.title}</dd>
                </>
              )}
            </dl>
            <Typography paragraph>{definition.description}</Typography>
            {markdown(definition.docs.explanation)}
          </SectionCard>
        </Grid>
        <Grid item xs={12}>
          <SectionCard title={t('findingDocs.fix')}>
            {markdown(definition.fix)}
            <Typography variant="body2">{t('findingDocs.hintNote')}</Typography>
          </SectionCard>
        </Grid>
        <Grid item xs={12}>
          <SectionCard title={t('findingDocs.references')}>
            <ul className={classes.references}>
              {definition.docs.references.map(reference => (
                <li key={reference.url}>
                  <Link to={reference.url}>{reference.title}</Link>
                </li>
              ))}
              {publishedBase && (
                <li>
                  <Link
                    to={publishedFindingDocsUrl(
                      publishedBase,
                      findingDocsPath(code),
                    )}
                  >
                    {t('findingDocs.published', { code })}
                  </Link>
                </li>
              )}
            </ul>
          </SectionCard>
        </Grid>
      </Grid>
    </>
  );
}
