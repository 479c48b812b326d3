// Reads a V8 .cpuprofile (`node --cpu-prof`) into the few lines a person needs before optimising:
// where the busy time goes by owner (this library, Nest, undici, Node's internals, GC) and the
// functions with the most self time. Idle time (the event loop waiting) is left out of the shares.
import { relative } from 'node:path';

const IDLE = new Set(['(idle)', '(program)']);

/** Who owns a frame: `lib` (nestjs-apikit's dist/lib), `sample`, an npm package, `node:internal`, or a V8 bucket. */
function ownerOf(callFrame, root) {
  const { url, functionName } = callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (match) return match[1];
  const local = relative(root, path);
  if (local.startsWith('dist/lib/')) return 'nestjs-apikit (lib)';
  if (local.startsWith('dist/sample/')) return 'sample';
  return local;
}

function frameName(callFrame, root) {
  const { url, functionName, lineNumber } = callFrame;
  const where = url ? `${relative(root, url.replace(/^file:\/\//, '')).replace(/^.*node_modules\//, '')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

/**
 * @param {{ nodes: Array<{ id: number, callFrame: object }>, samples: number[], timeDeltas: number[] }} profile
 * @param {{ root: string, top?: number, windowUs?: [number, number] }} options
 *   `windowUs`: only samples taken between these monotonic-clock times (µs), e.g. the load alone, not the boot
 * @returns {string} a plain-text summary
 */
export function summariseProfile(profile, { root, top = 25, windowUs = [-Infinity, Infinity] }) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= windowUs[0] && at <= windowUs[1]) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const owners = new Map();
  const functions = new Map();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    if (IDLE.has(callFrame.functionName)) continue;
    busy += us;
    const owner = ownerOf(callFrame, root);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const name = frameName(callFrame, root);
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const share = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]);
  return [
    `busy: ${(busy / 1e6).toFixed(2)} s of CPU sampled (idle excluded)`,
    'self time by owner:',
    ...sorted(owners).map(([owner, us]) => `  ${share(us)}  ${owner}`),
    `top ${top} functions by self time:`,
    ...sorted(functions).slice(0, top).map(([name, us]) => `  ${share(us)}  ${name}`),
  ].join('\n');
}
