import { Module } from '@nestjs/common';
import { LabClient } from './lab.client.js';
import { labConfigFromEnv, LAB_CONFIG } from './lab.config.js';

@Module({
  providers: [LabClient, { provide: LAB_CONFIG, useFactory: labConfigFromEnv }],
  exports: [LabClient],
})
export class LabModule {}
