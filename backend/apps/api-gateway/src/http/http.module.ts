import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ErrorFilter } from './error.filter.js';
import { HttpSetup } from './http-setup.js';
import { httpConfigFromEnv, HTTP_CONFIG } from './http.config.js';

@Module({
  providers: [
    HttpSetup,
    { provide: HTTP_CONFIG, useFactory: httpConfigFromEnv },
    { provide: APP_FILTER, useClass: ErrorFilter },
  ],
})
export class HttpModule {}
