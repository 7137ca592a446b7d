/*
 * The meta-test that ties codes, checks and tests together (as Istio's analyzers_test.go does for its messages):
 * every code in the registry is reported by some check, every code a check declares is in the registry, and every
 * code has a firing case in the tests (a call of expectFinding/firingFindings from __testUtils__/findings.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MESH_CHECKS, RUNNER_CODES } from '../analysis/analyzeMesh';
import { TRAFFIC_CODES } from '../analysis/checks/traffic';
import {
  ALL_FINDING_CODES,
  FINDING_CATEGORIES,
  FINDING_CODES,
  findingDocsPath,
  isFindingCode,
} from './registry';

const SRC = join(__dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Codes with a firing case, per test file: `expectFinding(…, 'MESH010')` or `firingFindings(…, 'MESH010')`. */
function firingCases(): Map<string, string[]> {
  const byCode = new Map<string, string[]>();
  for (const file of testFiles(SRC)) {
    if (file === __filename) continue;
    const source = readFileSync(file, 'utf8');
    const rel = relative(SRC, file);
    // A skipped test asserts nothing.
    if (/\b(it|test|describe)\.skip\(|\bx(it|describe)\(/.test(source))
      throw new Error(`${rel} skips tests`);
    for (const m of source.matchAll(
      /\b(?:expectFinding|firingFindings)\(\s*[^;]*?'(MESH\d{3})'/g,
    )) {
      byCode.set(m[1], [...(byCode.get(m[1]) ?? []), rel]);
    }
  }
  return byCode;
}

describe('the finding-code registry', () => {
  const checkCodes = MESH_CHECKS.flatMap(c => c.codes);
  const produced = new Set([...checkCodes, ...TRAFFIC_CODES, ...RUNNER_CODES]);

  it('has every code reported by some check, and no check declares an unknown code', () => {
    expect(ALL_FINDING_CODES.filter(c => !produced.has(c))).toEqual([]);
    expect([...produced].filter(c => !isFindingCode(c))).toEqual([]);
  });

  it('has one declaration per check name, and codes in code order, each in one category', () => {
    const names = MESH_CHECKS.map(c => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(ALL_FINDING_CODES).toEqual([...ALL_FINDING_CODES].sort());
    const inCategories = FINDING_CATEGORIES.flatMap(c => Object.keys(c.codes));
    expect(inCategories).toHaveLength(new Set(inCategories).size);
    for (const code of ALL_FINDING_CODES) expect(code).toMatch(/^MESH\d{3}$/);
  });

  it('has a firing test for every code', () => {
    const fired = firingCases();
    expect(ALL_FINDING_CODES.filter(c => !fired.has(c))).toEqual([]);
  });

  it('defines everything the docs and the UI need for every code', () => {
    for (const [code, d] of Object.entries(FINDING_CODES)) {
      expect([code, d.title.length > 3]).toEqual([code, true]);
      expect([code, /[.)]$/.test(d.description)]).toEqual([code, true]);
      expect([code, d.fix.length > 10]).toEqual([code, true]);
      expect([code, d.docs.explanation.length > 40]).toEqual([code, true]);
      expect([code, d.docs.references.length > 0]).toEqual([code, true]);
      for (const r of d.docs.references) expect(r.url).toMatch(/^https:\/\//);
      // Plain text in the UI: no Markdown in title or description.
      expect(`${d.title} ${d.description}`).not.toMatch(/[`*[\]]/);
    }
    expect(findingDocsPath('MESH010')).toBe('docs/findings/MESH010.md');
  });
});
