import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { ApiError, type ErrorBody } from './api-error.js';
import { BODY_LIMIT_BYTES } from './http.config.js';

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
}

/** body-parser's errors carry a `type`; Nest wraps them as the cause of an HttpException. */
function bodyParserType(exception: HttpException): string | undefined {
  const cause = exception.cause as { type?: unknown } | undefined;
  return typeof cause?.type === 'string' ? cause.type : undefined;
}

function codeFor(status: number): string {
  return (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * What the client gets for any error: the gateway's own errors as they are, body-parser's
 * (malformed JSON, too large) and Nest's (unknown route) in the same `{ error, message }` shape,
 * and anything else as a 500 that does not leak internals.
 */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof ApiError) return { status: exception.getStatus(), body: exception.body };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const parserType = bodyParserType(exception);
    if (parserType === 'entity.parse.failed') {
      return {
        status: 400,
        body: {
          error: 'invalid_json',
          message: `the body is not valid JSON: ${exception.message}`,
        },
      };
    }
    if (status === 413) {
      return {
        status,
        body: {
          error: 'payload_too_large',
          message: `the body is larger than ${BODY_LIMIT_BYTES} bytes`,
          limitBytes: BODY_LIMIT_BYTES,
        },
      };
    }
    return { status, body: { error: codeFor(status), message: messageOf(exception) } };
  }
  return {
    status: 500,
    body: { error: 'internal_error', message: 'the gateway failed; see its log' },
  };
}
