import { Module } from '@nestjs/common';
import { ControlModule } from '../control/control.module.js';
import { DlqModule } from '../dlq/dlq.module.js';
import { FaultsModule } from '../faults/faults.module.js';
import { FeedModule } from '../feed/feed.module.js';
import { LabModule } from '../lab/lab.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { SystemModule } from '../system/system.module.js';
import { FactRecorder } from './fact-recorder.js';
import { Probes } from './probes.js';
import { ScenariosController } from './scenarios.controller.js';
import { scenariosConfigFromEnv, SCENARIOS_CONFIG } from './scenarios.config.js';
import { ScenariosService } from './scenarios.service.js';

@Module({
  imports: [
    FeedModule,
    OrdersModule,
    FaultsModule,
    DlqModule,
    ControlModule,
    SystemModule,
    LabModule,
  ],
  controllers: [ScenariosController],
  providers: [
    ScenariosService,
    FactRecorder,
    Probes,
    { provide: SCENARIOS_CONFIG, useFactory: scenariosConfigFromEnv },
  ],
})
export class ScenariosModule {}
