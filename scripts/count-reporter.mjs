// Counts every test in every browser and leaves the totals in COUNT_FILE, so
// that `npm test` can end on one plain line: "tests: N passed, N failed, N skipped".
import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';

export const COUNT_FILE = 'node_modules/.cache/otp-step/browser-test-count.json';

function count(suite, totals) {
  if (!suite) return;
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped++;
    else if (test.passed) totals.passed++;
    else totals.failed++;
  }
  for (const child of suite.suites) count(child, totals);
}

export function countReporter() {
  return {
    onTestRunFinished({sessions}) {
      const totals = {passed: 0, failed: 0, skipped: 0};
      for (const session of sessions) {
        count(session.testResults, totals);
        // A file that failed to load has errors but no test results: count it as a failure.
        if (!session.testResults && session.errors?.length) totals.failed++;
      }
      mkdirSync(dirname(COUNT_FILE), {recursive: true});
      writeFileSync(COUNT_FILE, JSON.stringify(totals));
    },
  };
}
