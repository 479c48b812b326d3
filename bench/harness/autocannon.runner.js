// One bounded autocannon run against a loopback URL, reduced to the figures the report needs.
import autocannon from 'autocannon';

/**
 * @param {{ url: string, connections: number, durationSec: number, headerSets?: Array<Record<string,string>>, ratePerSec?: number }} load
 *   `headerSets`: request headers per caller, spread over the connections (connection i uses set i mod n).
 *   `ratePerSec`: a fixed request rate over all connections instead of as fast as the server answers.
 */
export async function runAutocannon({ url, connections, durationSec, headerSets, ratePerSec }) {
  let connectionIndex = 0;
  const setupClient = headerSets?.length
    ? (client) => client.setHeaders(headerSets[connectionIndex++ % headerSets.length])
    : undefined;
  const result = await autocannon({ url, connections, duration: durationSec, pipelining: 1, timeout: 10, setupClient, ...(ratePerSec > 0 ? { overallRate: ratePerSec } : {}) });
  return {
    requestsPerSec: result.requests.average,
    requests: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.average,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
