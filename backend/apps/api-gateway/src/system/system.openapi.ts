/** GET /system/health in the OpenAPI document. */
export const systemPaths: Record<string, Record<string, unknown>> = {
  '/system/health': {
    get: {
      tags: ['operations'],
      summary: "Every service's health and Kafka's, for the dashboard's overview",
      description:
        "The gateway asks each service's GET /health (SERVICE_URLS) at once, 1.5 s at most each. " +
        'Always 200: a service that is down is part of the answer.',
      responses: {
        200: {
          description: 'Health of Kafka and of each service',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  kafka: {
                    type: 'object',
                    properties: {
                      status: { type: 'string', enum: ['up', 'down'] },
                      brokers: { type: 'array', items: { type: 'string' } },
                    },
                  },
                  services: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        name: { type: 'string', example: 'payment-service' },
                        url: { type: 'string' },
                        status: { type: 'string', enum: ['up', 'down', 'starting'] },
                        detail: { type: 'string', example: 'kafka: down' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
