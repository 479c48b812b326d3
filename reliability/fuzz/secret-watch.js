// Watches a child's output for planted secrets as it streams, across chunk boundaries.

export function watchForSecrets(stream, secrets, onFound) {
  const overlap = Math.max(...secrets.map((secret) => secret.length));
  let tail = '';
  stream.on('data', (chunk) => {
    const text = tail + chunk.toString('latin1');
    for (const secret of secrets) if (text.includes(secret)) onFound(secret);
    tail = text.slice(-overlap);
  });
}
