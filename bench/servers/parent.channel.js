// The IPC side of a bench child: announce readiness, answer the parent's commands, and die with
// the parent (a child must never outlive the run, even when the parent is killed hard).
process.on('disconnect', () => process.exit(0));

export function announceReady(details) {
  process.send?.({ type: 'ready', ...details });
}

export function announceError(err) {
  process.send?.({ type: 'error', message: err?.stack ?? String(err) });
}

/** @param {Record<string, (msg: any) => unknown>} handlers command name -> handler (may be async) */
export function answerCommands(handlers) {
  process.on('message', async (msg) => {
    if (msg?.type !== 'command') return;
    const handler = handlers[msg.command];
    try {
      if (!handler) throw new Error(`unknown command '${msg.command}'`);
      process.send({ type: `answer:${msg.id}`, result: await handler(msg) });
    } catch (err) {
      announceError(err);
    }
  });
}
