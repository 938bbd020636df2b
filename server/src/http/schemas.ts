import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    code: z.string().openapi({ example: 'NOT_FOUND' }),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('Error');

/** The standard error responses every authenticated route may answer with. */
export function errorResponses(...statuses: number[]): Record<number, { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }> {
  const descriptions: Record<number, string> = {
    400: 'Invalid request (unknown field, bad parameter, malformed JSON)',
    401: 'Missing, unknown, expired or revoked API key',
    403: 'The key lacks the route\'s scope, or a plan quota is exhausted (QUOTA_EXCEEDED)',
    404: 'No such resource in the caller\'s organization',
    409: 'Conflict with an existing resource',
    413: 'Request body too large',
    422: 'Unprocessable (e.g. Idempotency-Key reused with another body)',
    429: 'Rate limited; see Retry-After',
  };
  const out: Record<number, { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }> = {};
  for (const s of statuses) {
    out[s] = { description: descriptions[s] ?? 'Error', content: { 'application/json': { schema: ErrorSchema } } };
  }
  return out;
}
