export type ServiceStatus = 'up' | 'down' | 'starting';

export interface ServiceHealth {
  readonly name: string;
  readonly url: string;
  readonly status: ServiceStatus;
  /** Why it is not up: the checks that are not, or why it could not be asked. */
  readonly detail?: string;
}

interface HealthBody {
  readonly status?: unknown;
  readonly checks?: Record<string, unknown>;
  readonly message?: unknown;
}

/** What one service's GET /health answer says, in the overview's words. */
export function readHealth(
  name: string,
  url: string,
  httpStatus: number,
  body: HealthBody | undefined,
): ServiceHealth {
  if (httpStatus === 200) return { name, url, status: 'up' };
  if (body?.status === 'starting') {
    const detail = typeof body.message === 'string' ? body.message : 'starting';
    return { name, url, status: 'starting', detail };
  }
  const failing = Object.entries(body?.checks ?? {})
    .filter(([, status]) => status !== 'up')
    .map(([check, status]) => `${check}: ${String(status)}`);
  const starting =
    failing.length > 0 && Object.values(body?.checks ?? {}).every((s) => s !== 'down');
  return {
    name,
    url,
    status: starting ? 'starting' : 'down',
    detail: failing.length > 0 ? failing.join(', ') : `GET /health answered ${httpStatus}`,
  };
}
