export { counter, parseMetrics, type Sample } from '../../scripts/lib/metrics.js';

/** GET <serviceUrl>/metrics as text. */
export async function fetchMetrics(serviceUrl: string): Promise<string> {
  const response = await fetch(`${serviceUrl}/metrics`);
  if (!response.ok) throw new Error(`GET ${serviceUrl}/metrics answered ${response.status}`);
  return response.text();
}
