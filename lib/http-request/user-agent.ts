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

/** The package's version (`unknown` when its manifest cannot be read), as the user agent and the tracer name it. */
export const LIBRARY_VERSION = packageVersion();

/** `nestjs-apikit/<version>`: GitHub refuses requests without a User-Agent, and a named one is a courtesy to every server. */
export const LIBRARY_USER_AGENT = `nestjs-apikit/${LIBRARY_VERSION}`;
