import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { toErrorResponse } from './error-response.js';

/** Sends every error as `{ error, message, … }` JSON; logs the ones that are the gateway's fault. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  readonly #logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = toErrorResponse(exception);
    if (status >= 500) {
      const text = exception instanceof Error ? (exception.stack ?? exception.message) : exception;
      this.#logger.error(`${body.error}: ${String(text)}`);
    }
    // A stream (GET /events) that already started cannot change its status any more.
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(status).json(body);
  }
}
