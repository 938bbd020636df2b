import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isScalar, parseDocument, visit } from 'yaml';
import { PACK_ERROR_CODES, PACK_WARNING_CODES } from './report.js';
import { validatePackYaml } from './validate.js';

const SWING = readFileSync(resolve(__dirname, '../../../packs/swing.yaml'), 'utf8');
const LINES = SWING.split('\n').length;

/** Source ranges of every scalar (keys and values) in the swing pack. */
function scalarRanges(): [number, number][] {
  const out: [number, number][] = [];
  visit(parseDocument(SWING), {
    Scalar(_key, node) {
      if (isScalar(node) && node.range) out.push([node.range[0], node.range[1]]);
    },
  });
  return out;
}

const RANGES = scalarRanges();
const JUNK = ['-1', 'abc', '1e9', '[]', '{}', 'null', '"x y"', '0.5', 'true', '3', 'rsi >', "'", 'a: b'];
const CODES = new Set<string>([...PACK_ERROR_CODES, ...PACK_WARNING_CODES]);

describe('validator robustness', () => {
  it('an empty file is one located schema error, not a crash', () => {
    const r = validatePackYaml('');
    expect(r.status).toBe('FAIL');
    expect(r.errors).toEqual([expect.objectContaining({ code: 'PACK_SCHEMA', line: 1, col: 1 })]);
  });

  it('multiple YAML documents are a PACK_YAML error', () => {
    expect(validatePackYaml('a: 1\n---\nb: 2\n').errors[0]).toMatchObject({ code: 'PACK_YAML' });
  });

  it('any one scalar of the swing pack replaced by junk: never throws, every issue has a known code and an in-file position', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: RANGES.length - 1 }), fc.constantFrom(...JUNK), (k, junk) => {
        const [a, b] = RANGES[k] ?? [0, 0];
        const text = SWING.slice(0, a) + junk + SWING.slice(b);
        const r = validatePackYaml(text);
        expect(r.status === 'FAIL').toBe(r.errors.length > 0);
        for (const issue of [...r.errors, ...r.warnings]) {
          expect(CODES.has(issue.code)).toBe(true);
          if (issue.line !== undefined) {
            expect(issue.line).toBeGreaterThanOrEqual(1);
            expect(issue.line).toBeLessThanOrEqual(LINES + 1);
            expect(issue.col ?? 0).toBeGreaterThanOrEqual(1);
          }
        }
        // the file is read without bars, so only the unchanged values can PASS
        if (r.status === 'PASS') expect(r.warnings.map((w) => w.code)).toContain('PACK_SANITY_SKIPPED');
      }),
      { numRuns: 40, seed: 20261121 },
    );
  });
});
