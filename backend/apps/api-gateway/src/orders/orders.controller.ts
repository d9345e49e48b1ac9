import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { pageQuery } from '../http/pagination.js';
import { parseInput } from '../http/validation.js';
import { parseIdempotencyKey } from './order-request.js';
import { OrdersService } from './orders.service.js';
import type { OrderPage, OrderStatus, OrderView } from './read-model.js';

/** The largest `limit` of GET /orders. */
export const MAX_ORDERS_PAGE = 500;
const OrdersQuery = pageQuery(50, MAX_ORDERS_PAGE);

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** 201 for a new order; 200 when an Idempotency-Key names an order placed before. */
  @Post()
  async place(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ orderId: string; status: OrderStatus }> {
    const key = parseIdempotencyKey(idempotencyKey);
    const { orderId, status, replayed } = await this.orders.place(body, key);
    response.status(replayed ? 200 : 201);
    response.setHeader('Location', `/orders/${orderId}`);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return { orderId, status };
  }

  @Get()
  list(@Query() query: unknown): OrderPage {
    const { limit, offset } = parseInput(OrdersQuery, query);
    return this.orders.page(limit, offset);
  }

  @Get(':id')
  get(@Param('id') orderId: string): Promise<OrderView> {
    return this.orders.get(orderId);
  }
}
