import { SigmatiqError, isSigmatiqError } from '../engine.js';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The ONE place where error codes become HTTP statuses. Every error body the sidecar sends is
 * `{ code, message, details? }`. Codes not listed here (e.g. engine validation codes such as PACK_INVALID)
 * are client errors about content and map to 422.
 */
export const ERROR_STATUS: Readonly<Record<string, ContentfulStatusCode>> = {
  INVALID_PARAM: 400,
  VALIDATION_FAILED: 400,
  UNKNOWN_FIELD: 400,
  GATE_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_HEADER_REQUIRED: 403,
  QUOTA_EXCEEDED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  SNAPSHOT_FILE_NOT_FOUND: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  GATE_MISMATCH: 422,
  GATE_POLICY_INVALID: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
};

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export function statusForCode(code: string): ContentfulStatusCode {
  return ERROR_STATUS[code] ?? 422;
}

/** Converts anything thrown into the status and body sent to the client; unknown throwables become INTERNAL. */
export function toErrorResponse(err: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (isSigmatiqError(err)) {
    const body: ErrorBody = { code: err.code, message: err.message };
    if (err.details !== undefined) body.details = { ...err.details };
    return { status: statusForCode(err.code), body };
  }
  if (err instanceof HTTPException) {
    // Hono's own failures: malformed JSON bodies (400), oversize bodies (413).
    const code = err.status === 413 ? 'PAYLOAD_TOO_LARGE' : err.status === 400 ? 'MALFORMED_JSON' : err.status === 401 ? 'UNAUTHENTICATED' : 'INVALID_PARAM';
    return { status: statusForCode(code), body: { code, message: err.message } };
  }
  const constraint = sqliteConstraint(err);
  if (constraint !== null) {
    const message = constraint.includes('FOREIGNKEY')
      ? 'Another resource still refers to this one, or a referenced resource does not exist.'
      : 'A resource with these unique fields already exists.';
    return { status: 409, body: { code: 'CONFLICT', message, details: { constraint } } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'Internal error; see the sidecar log.' } };
}

/** The SQLite constraint code (e.g. SQLITE_CONSTRAINT_UNIQUE) anywhere in an error's cause chain, or null. */
export function sqliteConstraint(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as Error & { code?: unknown; extendedCode?: unknown }).extendedCode ?? (e as Error & { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return code;
    if (/SQLITE_CONSTRAINT|constraint failed/i.test(e.message)) return 'SQLITE_CONSTRAINT';
    e = e.cause;
  }
  return null;
}

export function httpError(code: string, message: string, details?: Record<string, unknown>): SigmatiqError {
  return new SigmatiqError(code, message, details);
}
