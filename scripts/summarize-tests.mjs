// The test command's summary (scripts/test-all.sh): a table of the steps (result, tests, duration) and a closing
// "N passed, N failed, N skipped" line. Reads RESULTS_DIR/steps.tsv (id, exit code, seconds per step) and each
// step's report: jest JSON (jest.json, production-jest.json) or JUnit (production.xml, bench-smoke.xml, e2e.xml).
// A step fails loudly, and counts as a failure, when it exited non-zero, or when its report is missing or holds
// no test at all (it crashed before writing it): a step that produced nothing never looks green.
// Exits 1 on any failure. Usage: node scripts/summarize-tests.mjs RESULTS_DIR
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/summarize-tests.mjs RESULTS_DIR');
  process.exit(2);
}

/** The reports each step writes; steps without reports (tsc, lint, …) are judged by their exit code. */
const REPORTS = {
  jest: ['jest.json'],
  production: ['production-jest.json', 'production.xml'],
  'bench-smoke': ['bench-smoke.xml'],
  e2e: ['e2e.xml'],
};

function jestCounts(text) {
  const j = JSON.parse(text);
  return {
    passed: j.numPassedTests,
    failed: j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0),
    skipped: j.numPendingTests + (j.numTodoTests ?? 0),
  };
}

function junitCounts(text) {
  const cases =
    text.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  const failed = cases.filter(c => /<(failure|error)\b/.test(c)).length;
  const skipped = cases.filter(c => /<skipped\b/.test(c)).length;
  return { passed: cases.length - failed - skipped, failed, skipped };
}

/** Counts of one report, or the reason it has none. */
function readReport(file) {
  const path = join(dir, file);
  if (!existsSync(path)) return { problem: `${file} missing` };
  try {
    const text = readFileSync(path, 'utf8');
    const counts = file.endsWith('.json')
      ? jestCounts(text)
      : junitCounts(text);
    if (counts.passed + counts.failed + counts.skipped === 0)
      return { problem: `${file} holds no test` };
    return counts;
  } catch (e) {
    return { problem: `${file} unreadable: ${e.message}` };
  }
}

const stepsFile = join(dir, 'steps.tsv');
const steps = existsSync(stepsFile)
  ? readFileSync(stepsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [id, rc, seconds] = line.split('\t');
        return { id, rc: Number(rc), seconds: Number(seconds) };
      })
  : [];
// Run by hand on a results folder without steps.tsv: judge the reports alone.
if (steps.length === 0)
  for (const id of Object.keys(REPORTS))
    steps.push({ id, rc: 0, seconds: NaN });
// A step with reports that never ran at all is a failure too.
for (const id of Object.keys(REPORTS))
  if (!steps.some(s => s.id === id)) steps.push({ id, rc: NaN, seconds: NaN });

const minutes = seconds =>
  Number.isNaN(seconds)
    ? ''
    : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
const total = { passed: 0, failed: 0, skipped: 0 };
const rows = [];
for (const s of steps) {
  const problems = [];
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (Number.isNaN(s.rc)) problems.push('did not run');
  else if (s.rc !== 0) problems.push(`exit ${s.rc}`);
  for (const file of REPORTS[s.id] ?? []) {
    const r = readReport(file);
    if (r.problem) problems.push(`no results: ${r.problem}`);
    else for (const k of Object.keys(counts)) counts[k] += r[k];
  }
  // Every problem that its report's failed tests do not already explain counts once.
  const unexplained =
    problems.some(p => p.startsWith('no results') || p === 'did not run') ||
    (problems.length > 0 && counts.failed === 0);
  if (unexplained) counts.failed += 1;
  for (const k of Object.keys(total)) total[k] += counts[k];
  const ok = problems.length === 0 && counts.failed === 0;
  rows.push({
    step: s.id,
    result: ok
      ? 'ok'
      : `FAILED${problems.length ? ` (${problems.join('; ')})` : ''}`,
    tests: REPORTS[s.id]
      ? `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`
      : '',
    duration: minutes(s.seconds),
  });
}
rows.push({
  step: 'total',
  result: '',
  tests: '',
  duration: minutes(
    steps.reduce((n, s) => n + (Number.isNaN(s.seconds) ? 0 : s.seconds), 0),
  ),
});

const columns = ['step', 'result', 'tests', 'duration'];
const width = Object.fromEntries(
  columns.map(c => [c, Math.max(c.length, ...rows.map(r => r[c].length))]),
);
const line = r =>
  columns
    .map(c => r[c].padEnd(width[c]))
    .join('  ')
    .trimEnd();
console.log('');
console.log(line(Object.fromEntries(columns.map(c => [c, c]))));
for (const r of rows) console.log(line(r));
console.log('');
console.log(
  `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`,
);
process.exit(total.failed > 0 ? 1 : 0);
