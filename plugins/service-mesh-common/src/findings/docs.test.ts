/*
 * The README's finding-code tables and docs/findings/*.md are generated from the registry. This test fails when
 * they are stale; `yarn generate:findings` (this test with MESH_WRITE_GENERATED=1) rewrites them.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import prettier from 'prettier';
import {
  DOCS_DIR,
  renderDocsPages,
  renderReadmeSection,
  replaceReadmeSection,
} from './docs';
import { ALL_FINDING_CODES } from './registry';

const ROOT = join(__dirname, '../../../..');
const WRITE = process.env.MESH_WRITE_GENERATED === '1';

function format(markdown: string, path: string): string {
  const config = prettier.resolveConfig.sync(join(ROOT, path)) ?? {};
  return prettier.format(markdown, { ...config, parser: 'markdown' });
}

function read(path: string): string | undefined {
  const full = join(ROOT, path);
  return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
}

/** Writes (with MESH_WRITE_GENERATED=1) or lists the files whose content is not `expected`. */
function staleFiles(expected: Map<string, string>): string[] {
  const stale: string[] = [];
  for (const [path, content] of expected) {
    if (read(path) === content) continue;
    if (WRITE) {
      mkdirSync(dirname(join(ROOT, path)), { recursive: true });
      writeFileSync(join(ROOT, path), content);
    } else stale.push(path);
  }
  return stale;
}

describe('generated finding-code docs (yarn generate:findings rewrites them)', () => {
  it('the README tables match the registry', () => {
    const readme = read('README.md')!;
    const section = format(renderReadmeSection(), 'README.md').trim();
    const expected = replaceReadmeSection(readme, section);
    expect(staleFiles(new Map([['README.md', expected]]))).toEqual([]);
  });

  it('docs/findings holds one page per code and an index, all up to date', () => {
    const pages = new Map(
      [...renderDocsPages()].map(([path, md]) => [path, format(md, path)]),
    );
    expect(pages.size).toBe(ALL_FINDING_CODES.length + 1);
    expect(staleFiles(pages)).toEqual([]);
    const extra = readdirSync(join(ROOT, DOCS_DIR))
      .map(name => `${DOCS_DIR}/${name}`)
      .filter(path => !pages.has(path));
    expect(extra).toEqual([]);
  });
});
