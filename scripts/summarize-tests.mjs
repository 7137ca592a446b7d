// Prints the test counts of the jest run (jest.json), the browser and production runs (JUnit) and a closing
// "N passed, N failed, N skipped" line. Usage: node scripts/summarize-tests.mjs RESULTS_DIR
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const total = { passed: 0, failed: 0, skipped: 0 };
const add = (name, passed, failed, skipped) => {
  console.log(`${name}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  total.passed += passed;
  total.failed += failed;
  total.skipped += skipped;
};

const jestFile = join(dir, 'jest.json');
if (existsSync(jestFile)) {
  const j = JSON.parse(readFileSync(jestFile, 'utf8'));
  add('jest', j.numPassedTests, j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0), j.numPendingTests + (j.numTodoTests ?? 0));
} else {
  console.log('jest: no results (the run did not finish)');
  total.failed += 1;
}

// Browser tests, the two-replica production test and the benchmark smoke run write JUnit.
for (const [name, file] of [['e2e', 'e2e.xml'], ['production', 'production.xml'], ['bench-smoke', 'bench-smoke.xml']]) {
  const path = join(dir, file);
  if (!existsSync(path)) {
    console.log(`${name}: no results (the run did not finish)`);
    total.failed += 1;
    continue;
  }
  const xml = readFileSync(path, 'utf8');
  const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  const failed = cases.filter(c => /<failure\b/.test(c)).length;
  const skipped = cases.filter(c => /<skipped\b/.test(c)).length;
  add(name, cases.length - failed - skipped, failed, skipped);
}

console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
