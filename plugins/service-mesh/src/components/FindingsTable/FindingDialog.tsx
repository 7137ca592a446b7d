import { CodeSnippet, Link } from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  FINDING_CODES,
  findingDocsPath,
  type Finding,
} from '@internal/plugin-service-mesh-common';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { useFindingDocsLink } from '../../hooks/useFindingDocsLink';
import { serviceMeshTranslationRef } from '../../translation';
import {
  FindingLink,
  useConfiguredLinks,
  useConsoleLink,
  useEntityLinks,
} from './useFindingLinks';
import { SeverityChip } from '../StatusChips';

const useStyles = makeStyles(theme => ({
  meta: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    marginBottom: theme.spacing(2),
  },
  section: { marginTop: theme.spacing(2) },
  links: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
}));

function FindingLinks(props: { finding: Finding; entities: Entity[] }) {
  const classes = useStyles();
  const { t } = useTranslationRef(serviceMeshTranslationRef);
  const docs = useFindingDocsLink()(props.finding.code);
  const links = [
    ...(docs
      ? [
          {
            label: t('findingDocs.link', { code: props.finding.code }),
            href: docs,
          },
        ]
      : []),
    ...useEntityLinks(props.finding, props.entities),
    ...[useConsoleLink(props.finding)].filter(
      (l): l is FindingLink => l !== undefined,
    ),
    ...useConfiguredLinks(props.finding),
  ];
  return (
    <>
      <Typography
        variant="subtitle2"
        component="h3"
        className={classes.section}
      >
        {t('findingDialog.goTo')}
      </Typography>
      {links.length ? (
        <ul className={classes.links} aria-label={t('findingDialog.links')}>
          {links.map(link => (
            <li key={link.href}>
              <Link to={link.href}>{link.label}</Link>
            </li>
          ))}
        </ul>
      ) : (
        // Only where the app mounts no service-mesh page and sets no docs URL.
        <Typography variant="body2">
          The code's page is <code>{findingDocsPath(props.finding.code)}</code>{' '}
          in the plugin's repository.
        </Typography>
      )}
    </>
  );
}

export interface FindingDialogProps {
  /** The id from the URL; the dialog is closed when undefined. */
  findingId?: string;
  /** The finding with that id, when it is still reported. */
  finding?: Finding;
  onClose(): void;
  /** Catalog entities with the Kubernetes plugin's annotations, for links to the owners. */
  entities?: Entity[];
}

/** One finding in full: what it means, where, and how to fix it. Opened from `?finding=<id>`. */
export function FindingDialog(props: FindingDialogProps) {
  const classes = useStyles();
  const { t } = useTranslationRef(serviceMeshTranslationRef);
  const { finding, findingId } = props;
  const titleId = 'service-mesh-finding-dialog-title';
  return (
    <Dialog
      open={findingId !== undefined}
      onClose={props.onClose}
      aria-labelledby={titleId}
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id={titleId}>
        {finding
          ? `${finding.code}: ${finding.title}`
          : t('findingDialog.notFound')}
      </DialogTitle>
      <DialogContent>
        {finding ? (
          <>
            <div className={classes.meta}>
              <SeverityChip severity={finding.severity} />
              <Typography variant="body2">
                {t('findingDialog.clusters', {
                  clusters:
                    finding.clusters.join(', ') || t('findingDialog.meshWide'),
                })}
              </Typography>
            </div>
            <Typography>{finding.message}</Typography>
            {finding.resource && (
              <Typography variant="body2" className={classes.section}>
                {t('findingDialog.resource')} {finding.resource.kind}{' '}
                {finding.resource.namespace
                  ? `${finding.resource.namespace}/`
                  : ''}
                {finding.resource.name}
              </Typography>
            )}
            <Typography
              variant="subtitle2"
              component="h3"
              className={classes.section}
            >
              {t('findingDialog.meaning')}
            </Typography>
            <Typography variant="body2">
              {FINDING_CODES[finding.code]?.description ?? finding.title}
            </Typography>
            <Typography
              variant="subtitle2"
              component="h3"
              className={classes.section}
            >
              {t('findingDialog.fix')}
            </Typography>
            <CodeSnippet
              text={finding.hint}
              language="bash"
              wrapLongLines
              showCopyCodeButton
            />
            <FindingLinks finding={finding} entities={props.entities ?? []} />
          </>
        ) : (
          <Typography>
            No current finding has the id <code>{findingId}</code>. It may have
            been fixed since the link was shared.
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} color="primary" variant="contained">
          {t('findingDialog.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
