/** zod schema of the DataSnapshot record (snapshot.ts), for readers such as the sidecar's lineage. */
import { z } from 'zod';

const GapSchema = z.object({ after: z.number(), before: z.number(), missing: z.number().int().nonnegative() }).strict();

export const GapReportSchema = z.object({
  rule: z.enum(['fixed-step', 'weekdays', 'calendar-months']),
  count: z.number().int().nonnegative(),
  missingBars: z.number().int().nonnegative(),
  holidays: z.number().int().nonnegative(),
  largest: z.array(GapSchema).max(5),
}).strict();

export const SnapshotSourceSchema = z.object({
  path: z.string(),
  format: z.enum(['csv', 'parquet', 'synthetic', 'derived']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  bytes: z.number().int().nonnegative().optional(),
  order: z.enum(['ascending', 'descending']).optional(),
  columns: z.record(z.string(), z.string()).optional(),
}).strict();

const hash = z.string().regex(/^[0-9a-f]{64}$/);

export const DataSnapshotSchema = z.object({
  schema_version: z.literal(1),
  snapshot_id: hash,
  hash,
  instrument_id: z.string().min(1),
  symbol: z.string().min(1),
  interval: z.string().min(2),
  date_range: z.object({ start: z.string(), end: z.string() }).strict(),
  start_ms: z.number(),
  end_ms: z.number(),
  row_count: z.number().int().positive(),
  has_volume: z.boolean(),
  data_source_version: z.string(),
  source: SnapshotSourceSchema,
  gaps: GapReportSchema,
  file: z.string(),
  engine_version: z.string(),
  created_at: z.string(),
}).strict();
