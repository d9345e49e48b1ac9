import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { toErrorResponse } from './error-response.js';

describe('toErrorResponse', () => {
  it('sends the gateway’s own errors as they are', () => {
    const error = ApiError.invalidRequest([{ field: 'items', message: 'required' }]);
    expect(toErrorResponse(error)).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        message: 'items: required',
        issues: [{ field: 'items', message: 'required' }],
      },
    });
  });

  it('names malformed JSON from the body parser', () => {
    const parserError = Object.assign(new SyntaxError('Unexpected token'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    const wrapped = new BadRequestException(parserError.message, { cause: parserError });
    expect(toErrorResponse(wrapped)).toMatchObject({
      status: 400,
      body: { error: 'invalid_json' },
    });
  });

  it('names a body over the limit', () => {
    const wrapped = new HttpException('request entity too large', 413, {
      cause: Object.assign(new Error('request entity too large'), { type: 'entity.too.large' }),
    });
    expect(toErrorResponse(wrapped)).toMatchObject({
      status: 413,
      body: { error: 'payload_too_large', limitBytes: 65_536 },
    });
  });

  it('gives other HTTP errors the same shape, and hides unexpected ones', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x'))).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'Cannot GET /x' },
    });
    expect(toErrorResponse(new Error('secret detail'))).toEqual({
      status: 500,
      body: { error: 'internal_error', message: 'the gateway failed; see its log' },
    });
  });
});
