import type { ServerResponse } from 'node:http';
import type { NotReadyReason, ServiceReadiness } from './service-readiness.js';

/** One answer, serialised once: the readiness route writes bytes only. */
interface ReadinessAnswer {
  readonly status: 200 | 503;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body: Buffer;
}

function answerOf(status: 200 | 503, value: object): ReadinessAnswer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  // A probe's answer is the state of this moment: nothing between it and the kubelet may keep it.
  return Object.freeze({ status, body, headers: Object.freeze({ 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' }) });
}

const READY = answerOf(200, { status: 'ready' });
/** Every combination of reasons, by their list joined with commas: the body names no text from the network. */
const NOT_READY = new Map<string, ReadinessAnswer>(
  [['store_degraded'], ['shutting_down'], ['store_degraded', 'shutting_down']].map((reasons) => [reasons.join(), answerOf(503, { status: 'not_ready', reasons })]),
);

/** The readiness route (`readiness: '/ready'`), which the request hooks answer ahead of any controller. */
export class ReadinessEndpoint {
  constructor(
    readonly path: string,
    private readonly readiness: ServiceReadiness,
  ) {}

  answer(res: ServerResponse, head: boolean): void {
    const reasons: NotReadyReason[] = this.readiness.notReadyReasons;
    const answer = reasons.length === 0 ? READY : NOT_READY.get(reasons.join())!;
    res.writeHead(answer.status, answer.headers);
    res.end(head ? undefined : answer.body);
  }
}
