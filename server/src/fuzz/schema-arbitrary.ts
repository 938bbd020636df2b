import fc from 'fast-check';

type Schema = Record<string, unknown>;

/**
 * A fast-check arbitrary of JSON values for a (subset of) JSON Schema as found in our OpenAPI 3.1 document:
 * $ref, anyOf/oneOf, enum/const, object (properties, required, additionalProperties), array, string (format,
 * pattern ignored), number/integer (bounds), boolean, null. Values are mostly schema-shaped, not always valid:
 * that is the point of fuzzing.
 */
export function arbitraryFor(schema: unknown, components: Record<string, unknown>, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6 || schema === null || typeof schema !== 'object') return fc.jsonValue({ maxDepth: 2 });
  const s = schema as Schema;
  const ref = s['$ref'];
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    return arbitraryFor(components[name], components, depth + 1);
  }
  const alts = (s['anyOf'] ?? s['oneOf']) as unknown[] | undefined;
  if (Array.isArray(alts)) return fc.oneof(...alts.map((a) => arbitraryFor(a, components, depth + 1)));
  if (Array.isArray(s['enum'])) return fc.constantFrom(...(s['enum'] as unknown[]));
  if ('const' in s) return fc.constant(s['const']);
  const type = Array.isArray(s['type']) ? (s['type'] as string[])[0] : s['type'];
  switch (type) {
    case 'object': {
      const props = (s['properties'] ?? {}) as Record<string, unknown>;
      const required = new Set((s['required'] ?? []) as string[]);
      const entries: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) entries[k] = arbitraryFor(v, components, depth + 1);
      const keys = Object.keys(entries);
      if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      return fc.record(entries, { requiredKeys: keys.filter((k) => required.has(k)) });
    }
    case 'array':
      return fc.array(arbitraryFor(s['items'], components, depth + 1), { maxLength: 4 });
    case 'string': {
      const format = s['format'];
      if (format === 'date') return fc.oneof(fc.constant('2022-01-01'), fc.string({ maxLength: 12 }));
      if (format === 'date-time') return fc.oneof(fc.constant('2026-01-01T00:00:00Z'), fc.string({ maxLength: 12 }));
      if (format === 'email') return fc.oneof(fc.emailAddress(), fc.string({ maxLength: 12 }));
      return fc.string({ maxLength: 40 });
    }
    case 'integer':
      return fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.integer());
    case 'number':
      return fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ noNaN: true }));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
