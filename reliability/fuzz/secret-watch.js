// Watches a child's output for planted secrets as it streams, across chunk boundaries.

export function watchForSecrets(stream, secrets, onFound) {
  const overlap = Math.max(...secrets.map((secret) => secret.length));
  let tail = '';
  stream.on('data', (chunk) => {
    const text = tail + chunk.toString('latin1');
    for (const secret of secrets) {
      const at = text.indexOf(secret);
      // The line around it, the secret itself masked: what the report shows to find the leak.
      if (at >= 0) onFound(text.slice(Math.max(0, text.lastIndexOf('\n', at) + 1), text.indexOf('\n', at) < 0 ? undefined : text.indexOf('\n', at)).replaceAll(secret, '<SECRET>').slice(0, 600));
    }
    tail = text.slice(-overlap);
  });
}
