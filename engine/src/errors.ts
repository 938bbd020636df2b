/**
 * The one error type of the workbench. Every failure a user can cause carries a stable `code`
 * (e.g. `DATA_UNSORTED`, `PACK_INVALID`, `EXPR_PARSE`), a human message and, where it helps,
 * `details` saying where the problem is (row, column, field, parameter). The sidecar maps codes
 * to HTTP statuses and the kernel to Jupyter error replies, each in one place.
 */
export class SigmatiqError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigmatiqError';
    this.code = code;
    this.details = details;
  }

  /** `CODE: message` — the one-line form used by the CLI and the kernel. */
  toLine(): string {
    return `${this.code}: ${this.message}`;
  }
}

export function isSigmatiqError(value: unknown): value is SigmatiqError {
  return value instanceof SigmatiqError;
}
