import { HttpException } from '@nestjs/common';

/** One problem with a request, named by the field it is about (`items.0.quantity`). */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** Every error body the gateway sends: a stable code, a sentence, and what else explains it. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly issues?: readonly FieldIssue[];
  readonly [detail: string]: unknown;
}

/**
 * An HTTP error with the gateway's JSON shape. Thrown from services and controllers; the
 * exception filter sends `body` as it is.
 */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly body: ErrorBody,
    options?: { cause?: unknown },
  ) {
    super(body, status, options);
  }

  static invalidRequest(issues: readonly FieldIssue[]): ApiError {
    const message = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    return new ApiError(400, { error: 'invalid_request', message, issues });
  }

  static notFound(what: string): ApiError {
    return new ApiError(404, { error: 'not_found', message: `${what} not found` });
  }

  static unavailable(error: string, message: string, cause?: unknown): ApiError {
    return new ApiError(503, { error, message }, { cause });
  }
}
