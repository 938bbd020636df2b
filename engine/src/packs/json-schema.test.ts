import { describe, expect, it } from 'vitest';
import { packJsonSchema } from './json-schema.js';

interface Obj {
  type?: string;
  properties?: Record<string, Obj>;
  required?: string[];
  items?: Obj;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: unknown;
}

describe('packJsonSchema', () => {
  it('carries the REQUIREMENTS rules: 3-15 indicators, >= 1 strategy, three gate sections, strict objects', () => {
    const s = packJsonSchema() as Obj;
    expect(s.type).toBe('object');
    expect(s.additionalProperties).toBe(false);
    expect(s.properties?.indicators).toMatchObject({ type: 'array', minItems: 3, maxItems: 15 });
    expect(s.properties?.strategies).toMatchObject({ type: 'array', minItems: 1 });
    expect(s.properties?.gates?.required?.slice().sort()).toEqual(['execution', 'quality', 'risk']);
    expect(s.required).toEqual(expect.arrayContaining(['pack_id', 'version', 'metadata', 'indicators', 'strategies', 'default_strategy', 'gates', 'policies']));
    // defaults are optional in the input
    expect(s.required).not.toContain('features');
  });
});
