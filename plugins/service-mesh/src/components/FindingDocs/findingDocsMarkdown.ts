/*
 * The registry's Markdown links are written relative to the repository root (`docs/findings/MESH011.md`,
 * `docs/live-traffic.md`), for the generated docs pages. In the app, a link to another code goes to that code's
 * page in the plugin; other repository docs go to the published docs when their base URL is configured, and are
 * named as a path otherwise (a relative link would resolve against the app's URL and break).
 */

import { publishedFindingDocsUrl } from '../../hooks/useFindingDocsLink';

const REPO_LINK = /\[([^\]]+)\]\((docs\/[^)\s]+)\)/g;
const CODE_PAGE = /^docs\/findings\/(MESH\d+)\.md$/;

export interface FindingDocsLinkTargets {
  /** The in-app page of another code. */
  codePage(code: string): string | undefined;
  /** The published docs' base URL, when configured. */
  publishedBase?: string;
}

export function inAppFindingMarkdown(
  markdown: string,
  targets: FindingDocsLinkTargets,
): string {
  return markdown.replace(REPO_LINK, (_link, text: string, path: string) => {
    const code = CODE_PAGE.exec(path)?.[1];
    const page = code ? targets.codePage(code) : undefined;
    if (page) return `[${text}](${page})`;
    if (targets.publishedBase)
      return `[${text}](${publishedFindingDocsUrl(
        targets.publishedBase,
        path,
      )})`;
    return `${text} (\`${path}\` in the plugin's repository)`;
  });
}
