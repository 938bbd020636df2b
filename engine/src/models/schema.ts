/**
 * The model config (docs/models.md): what a model is, as the YAML a model version stores.
 *
 * A model = one strategy of one pack (pinned by version and content hash), an instrument, an
 * optional data snapshot, an optional subset of the pack's indicators, parameter overrides and
 * exec / sizing / risk policy overrides. Every number is a plain JSON number, so the canonical
 * JSON of the parsed YAML (the sidecar's config_hash) equals `modelConfigHash(config)`.
 */
import { z } from 'zod';
import { IDENT_RE, PACK_ID_RE } from '../packs/schema.js';

/** Model names: a letter or digit, then letters, digits, `_`, `-`, `.` (at most 100). */
export const MODEL_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** A parameter key: `exit_k` (level or strategy parameter) or `rsi.period` (indicator/feature parameter). */
export const PARAM_KEY_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/;
const POLICY_FIELD_RE = /^[a-z][a-z0-9_]*$/;
export const POLICY_SECTIONS = ['exec', 'sizing', 'risk'] as const;
export type PolicySection = (typeof POLICY_SECTIONS)[number];

const Ident = z.string().regex(IDENT_RE, 'must be lower snake case: a letter, then letters, digits or _');
const Finite = z.number().refine(Number.isFinite, 'must be a finite number');
const PolicyOverrides = z.record(z.string().regex(POLICY_FIELD_RE, 'must be a policy field name (lower snake case)'), Finite);

export const ModelPackRefSchema = z.strictObject({
  id: z.string().regex(PACK_ID_RE, 'must be a pack id (lower case, digits, -, _, .)'),
  /** The pack's semver; filled in by `pinModel` when absent. */
  version: z.string().regex(SEMVER_RE, 'must be a semantic version (1.2.3)').optional(),
  /** `packContentHash(pack)`; filled in by `pinModel` when absent. */
  content_hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest').optional(),
});

export const ModelConfigSchema = z
  .strictObject({
    name: z.string().regex(MODEL_NAME_RE, 'must start with a letter or digit and use letters, digits, _, -, . (at most 100)'),
    description: z.string().max(2000).optional(),
    /** `pack: swing` is short for `pack: { id: swing }`. */
    pack: z.preprocess((v) => (typeof v === 'string' ? { id: v } : v), ModelPackRefSchema),
    strategy: Ident,
    /** The instrument symbol (SPX, EURUSD…); informative, and checked against the data's symbol when both are set. */
    instrument: z.string().min(1).max(50).optional(),
    /** A data snapshot: engine hash prefix (4+ hex characters) or sidecar id. */
    data: z.string().min(4).max(100).optional(),
    /** The pack indicators/features the model uses (default: all); must cover what the strategy reads. */
    indicators: z.array(Ident).min(1).max(50).optional(),
    /** Parameter overrides: levels and strategy params (`exit_k`), indicator params (`rsi.period`). */
    params: z.record(z.string().regex(PARAM_KEY_RE, 'must be name or indicator.param (lower snake case)'), Finite).optional(),
    exec: PolicyOverrides.optional(),
    sizing: PolicyOverrides.optional(),
    risk: PolicyOverrides.optional(),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    (m.indicators ?? []).forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['indicators', i], message: `indicator '${id}' is listed twice` });
      seen.add(id);
    });
    for (const key of Object.keys(m.params ?? {})) {
      const head = key.split('.')[0] ?? '';
      if ((POLICY_SECTIONS as readonly string[]).includes(head)) {
        ctx.addIssue({ code: 'custom', path: ['params', key], message: `'${key}' is a policy field: put it under ${head}: instead of params:` });
      }
    }
  });

export type ModelConfig = z.output<typeof ModelConfigSchema>;
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;
