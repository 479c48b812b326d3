// Every server under test runs in its own child process, so the load generator never shares an
// event loop with it. This registry is the one place children are spawned, and it kills every
// one of them when the run ends, also on an error, a signal or an uncaught exception.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';

const live = new Set();

function killAllNow() {
  for (const child of live) child.kill('SIGKILL');
}
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

/**
 * Spawns `node <file>` with an IPC channel. stdout/stderr are kept (last 8 KiB) for error messages.
 * @param {string} file
 * @param {{ env?: Record<string,string>, args?: string[], nodeArgs?: string[], label?: string }} [opts]
 */
export function spawnNode(file, opts = {}) {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), file, ...(opts.args ?? [])], {
    env: { ...process.env, NODE_ENV: 'production', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.label = opts.label ?? file;
  child.output = '';
  const keep = (chunk) => {
    child.output = (child.output + chunk.toString()).slice(-8192);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  live.add(child);
  child.once('exit', (code, signal) => {
    live.delete(child);
    // A server that dies mid-run otherwise shows only as "no request completed" in later rounds.
    if (!child.stopping) console.error(`${child.label} exited unexpectedly (${code ?? signal}):\n${child.output}`);
  });
  return child;
}

/** Resolves with the first IPC message of the given `type`, rejects if the child exits first or time runs out. */
export function waitForMessage(child, type, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${child.label}: no '${type}' message within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (msg) => {
      if (msg?.type === 'error') fail(new Error(`${child.label}: ${msg.message}`));
      else if (msg?.type === type) done(() => resolve(msg));
    };
    const onExit = (code, signal) => fail(new Error(`${child.label} exited (${code ?? signal}) before '${type}':\n${child.output}`));
    const done = (then) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      then();
    };
    const fail = (err) => done(() => reject(err));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Sends a request over IPC and waits for the answer of the same `id`. */
let nextId = 1;
export async function ask(child, command, payload = {}, timeoutMs = 120_000) {
  const id = nextId++;
  const answer = waitForMessage(child, `answer:${id}`, timeoutMs);
  child.send({ type: 'command', command, id, ...payload });
  const msg = await answer;
  return msg.result;
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the child is gone. */
export async function stopChild(child, graceMs = 2000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.stopping = true;
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), delay(graceMs).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

export async function stopAll() {
  await Promise.all([...live].map((child) => stopChild(child)));
}
