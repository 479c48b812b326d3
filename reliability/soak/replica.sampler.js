// What the soak watches in each replica: its live heap (the probe's answer over IPC, after a full
// collection) and its open file descriptors and sockets (/proc/<pid>/fd, Linux).
import { readdirSync, readlinkSync } from 'node:fs';

let nextId = 1;

/** The replica's live heap and RSS in bytes, or undefined when it does not answer within `timeoutMs`. */
export function sampleHeap(child, timeoutMs = 2_000) {
  const id = nextId++;
  return new Promise((resolve) => {
    const done = (value) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(value);
    };
    const onMessage = (message) => {
      if (message?.type === `heap:${id}`) done({ heapUsed: message.heapUsed, rss: message.rss, spaces: message.spaces });
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    child.on('message', onMessage);
    if (!child.connected) return done(undefined);
    child.send({ type: 'heap', id });
  });
}

/** Open file descriptors of a process, and how many of them are sockets. */
export function countDescriptors(pid) {
  let fds = 0;
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed between the listing and the look
    }
    fds += 1;
    if (target.startsWith('socket:')) sockets += 1;
  }
  return { fds, sockets };
}
