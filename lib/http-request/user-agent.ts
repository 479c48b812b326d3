import { createRequire } from 'node:module';

/** The package's own version, read once through its `exports` ("./package.json"), wherever it is installed. */
function packageVersion(): string {
  try {
    const manifest = createRequire(import.meta.url)('nestjs-apikit/package.json') as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `nestjs-apikit/<version>`: GitHub refuses requests without a User-Agent, and a named one is a courtesy to every server. */
export const LIBRARY_USER_AGENT = `nestjs-apikit/${packageVersion()}`;
