/**
 * The Pack schema as JSON Schema (draft 2020-12), generated from the zod schema: for editors
 * (YAML language servers), the sidecar's OpenAPI document and the extension's pack form.
 * It describes the input (what a YAML file may contain: defaults optional).
 */
import { z } from 'zod';
import { PackSchema } from './schema.js';

export function packJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PackSchema, { io: 'input', unrepresentable: 'any' });
}
