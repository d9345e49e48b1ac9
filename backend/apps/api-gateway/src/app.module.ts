import { ServiceModule } from '@kafkadog/service';
import { Module } from '@nestjs/common';
import { AnalyticsModule } from './analytics/analytics.module.js';
import { ControlModule } from './control/control.module.js';
import { DlqModule } from './dlq/dlq.module.js';
import { EventsModule } from './events/events.module.js';
import { ExplorerModule } from './explorer/explorer.module.js';
import { FaultsModule } from './faults/faults.module.js';
import { HttpModule } from './http/http.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PageviewsModule } from './pageviews/pageviews.module.js';
import { ProductsModule } from './products/products.module.js';
import { ScenariosModule } from './scenarios/scenarios.module.js';
import { SystemModule } from './system/system.module.js';

@Module({
  imports: [
    ServiceModule.forRoot({ name: 'api-gateway' }),
    HttpModule,
    OrdersModule,
    ProductsModule,
    EventsModule,
    PageviewsModule,
    AnalyticsModule,
    DlqModule,
    FaultsModule,
    SystemModule,
    ExplorerModule,
    ScenariosModule,
    ControlModule,
  ],
})
export class AppModule {}
