import { SigmatiqError, isSigmatiqError } from '@sigmatiq/engine';
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
  QUOTA_EXCEEDED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
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
  return { status: 500, body: { code: 'INTERNAL', message: 'Internal error; see the sidecar log.' } };
}

export function httpError(code: string, message: string, details?: Record<string, unknown>): SigmatiqError {
  return new SigmatiqError(code, message, details);
}
