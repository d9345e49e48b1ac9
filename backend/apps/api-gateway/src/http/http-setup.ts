import { Inject, Injectable, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ExpressAdapter } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { BODY_LIMIT_BYTES, HTTP_CONFIG, type HttpConfig } from './http.config.js';
import { methodNotAllowed, routesOf, type RouteMethods } from './method-not-allowed.js';
import { openApiDocument } from './openapi.js';
import { forbiddenOrigin } from './origin-guard.js';

interface ExpressLike {
  disable(setting: string): void;
  use(
    handler: (
      request: {
        method: string;
        path: string;
        headers: Record<string, string | string[] | undefined>;
      },
      response: {
        status(code: number): { json(body: unknown): void };
        setHeader(name: string, value: string): void;
      },
      next: () => void,
    ) => void,
  ): void;
  readonly router: Parameters<typeof routesOf>[0];
}

/** The methods that carry a body in this API; other requests' bodies are not read. */
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT']);

/**
 * The Express settings of the gateway. `runService` creates and starts the Nest app, so they are
 * made here, through the HTTP adapter that Nest hands to providers:
 * - in the constructor, which runs while Nest builds the app and before it adds its own body
 *   parsers (Nest skips a parser of the same name that is already there): a JSON parser limited
 *   to 64 KB that parses every POST and PUT body as JSON whatever its Content-Type, so that any
 *   non-JSON body is a 400 `invalid_json` and a larger one a 413; CORS for the dashboard; and,
 *   before both, the 403 for a change sent by a page of another origin (see forbiddenOrigin)
 *   and the 405 for a method that the path does not have (before its body is read);
 * - in onModuleInit, after the controllers' routes and before Nest's catch-all 404: /docs, and
 *   the routes' table that the 405 reads.
 */
@Injectable()
export class HttpSetup implements OnModuleInit {
  readonly #adapter: ExpressAdapter;
  readonly #express: ExpressLike;
  #routes: readonly RouteMethods[] = [];

  constructor(adapterHost: HttpAdapterHost, @Inject(HTTP_CONFIG) config: HttpConfig) {
    this.#adapter = adapterHost.httpAdapter as ExpressAdapter;
    const express = this.#adapter.getInstance<ExpressLike>();
    this.#express = express;
    express.disable('x-powered-by');
    express.use((request, response, next) => {
      const origin = request.headers.origin;
      const refused = forbiddenOrigin(
        request.method,
        typeof origin === 'string' ? origin : undefined,
        config.corsOrigins,
      );
      if (refused) response.status(403).json(refused);
      else next();
    });
    express.use((request, response, next) => {
      const refused = methodNotAllowed(this.#routes, request.method, request.path);
      if (!refused) return next();
      response.setHeader('Allow', refused.allow);
      response.status(405).json(refused.body);
    });
    this.#adapter.useBodyParser('json', false, {
      limit: BODY_LIMIT_BYTES,
      type: (request: { method?: string }) => BODY_METHODS.has(request.method ?? ''),
    });
    this.#adapter.enableCors({
      origin: [...config.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'OPTIONS'],
      allowedHeaders: ['Content-Type', 'Idempotency-Key'],
      exposedHeaders: ['Location', 'Idempotent-Replayed'],
    });
  }

  onModuleInit(): void {
    // SwaggerModule.setup only needs the adapter (routes and static files) from the app.
    const app = {
      getHttpAdapter: () => this.#adapter,
      useStaticAssets: (path: string, options: { prefix: string }): void => {
        this.#adapter.useStaticAssets(path, options);
      },
    } as unknown as INestApplication;
    SwaggerModule.setup('docs', app, openApiDocument(), {
      jsonDocumentUrl: 'docs/openapi.json',
      yamlDocumentUrl: 'docs/openapi.yaml',
    });
    this.#routes = routesOf(this.#express.router);
  }
}
