// `npm test`: set-up (with Chromium), then every test: type checks and lint, unit and
// cross-package tests (vitest), the kernel conformance suite and notebook executions (pytest in
// .venv), the UI tests (Playwright + Debian's Chromium against a real JupyterLab). Every stage
// runs even when an earlier one fails; the run fails if any stage failed. Ends with the totals.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { log, ROOT, runAsync, STAMPS, VENV_BIN } from './lib.mjs';
import { setup, TSC } from './setup.mjs';

const started = Date.now();
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const reports = path.join(STAMPS, 'reports');

function vitestCounts(file) {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: r.numPassedTests ?? 0, failed: (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0), skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0) };
}

function junitCounts(file) {
  if (!existsSync(file)) return null;
  const xml = readFileSync(file, 'utf8');
  const attr = (name) => [...xml.matchAll(new RegExp(`<testsuite [^>]*\\b${name}="(\\d+)"`, 'g'))].reduce((s, m) => s + Number(m[1]), 0);
  const tests = attr('tests');
  const failed = attr('failures') + attr('errors');
  const skipped = attr('skipped');
  return { passed: tests - failed - skipped, failed, skipped };
}

const stages = [
  { name: 'typecheck (tests, benches)', run: () => runAsync(process.execPath, [TSC, '-p', 'tsconfig.tests.json']) },
  { name: 'lint', run: () => runAsync(bin('eslint'), ['--max-warnings', '0', '.']) },
  {
    name: 'unit and cross-package tests (vitest)',
    report: path.join(reports, 'vitest.json'),
    counts: vitestCounts,
    run() {
      return runAsync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${this.report}`]);
    },
  },
  {
    name: 'kernel conformance and notebooks (pytest)',
    report: path.join(reports, 'pytest.xml'),
    counts: junitCounts,
    run() {
      return runAsync(path.join(VENV_BIN, 'python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junitxml=${this.report}`, 'test/kernel', 'test/notebooks']);
    },
  },
  {
    name: 'UI tests (Playwright + Chromium)',
    report: path.join(reports, 'vitest-ui.json'),
    counts: vitestCounts,
    run() {
      return runAsync(bin('vitest'), ['run', '--config', 'test/ui/vitest.config.mts', '--reporter=default', '--reporter=json', `--outputFile.json=${this.report}`]);
    },
  },
];

async function main() {
  try {
    setup({ withBrowser: true });
  } catch (e) {
    process.stderr.write(`[sigmatiq] set-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });
  const results = [];
  for (const stage of stages) {
    log(`stage: ${stage.name}`);
    const t0 = Date.now();
    const code = await stage.run();
    const counts = stage.counts ? stage.counts(stage.report) : null;
    // A runner that crashed before writing its report counts as one failure.
    const ok = code === 0 && (stage.counts === undefined || counts !== null);
    results.push({ name: stage.name, ok, code, counts, seconds: (Date.now() - t0) / 1000 });
  }
  const total = { passed: 0, failed: 0, skipped: 0 };
  log('summary:');
  for (const r of results) {
    const c = r.counts ?? (r.ok ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 });
    if (!r.ok && c.failed === 0) c.failed = 1;
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
    log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''} (${r.seconds.toFixed(1)} s)`);
  }
  const minutes = (Date.now() - started) / 60000;
  log(`total time ${minutes.toFixed(1)} min`);
  process.stdout.write(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}\n`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}

void main();
