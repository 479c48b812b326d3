import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServedFile } from './openapi.endpoint.js';

/**
 * The Swagger UI page at `ui` and its assets beside it (`<ui>/swagger-ui.css`, ...), from the
 * `swagger-ui-dist` that @nestjs/swagger depends on: served offline, read once at boot. The page's
 * script is a file of its own, not inline, so that a `script-src 'self'` policy (helmet's default) allows it.
 */
export async function swaggerUiResponses(ui: string, documentPath: string, title: string): Promise<Map<string, ServedFile>> {
  const dist = dirname(createRequire(import.meta.resolve('@nestjs/swagger')).resolve('swagger-ui-dist/package.json'));
  const base = ui.endsWith('/') ? ui.slice(0, -1) : ui;
  const [css, bundle] = await Promise.all([readFile(join(dist, 'swagger-ui.css')), readFile(join(dist, 'swagger-ui-bundle.js'))]);
  const page =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<link rel="stylesheet" href="${base}/swagger-ui.css"></head><body><div id="swagger-ui"></div>` +
    `<script src="${base}/swagger-ui-bundle.js"></script><script src="${base}/swagger-ui-init.js"></script></body></html>`;
  const init = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(documentPath)}, dom_id: '#swagger-ui' });\n`;
  return new Map([
    [ui, asset(Buffer.from(page, 'utf8'), 'text/html; charset=utf-8')],
    [`${base}/swagger-ui.css`, asset(css, 'text/css; charset=utf-8')],
    [`${base}/swagger-ui-bundle.js`, asset(bundle, 'text/javascript; charset=utf-8')],
    [`${base}/swagger-ui-init.js`, asset(Buffer.from(init, 'utf8'), 'text/javascript; charset=utf-8')],
  ]);
}

function asset(body: Buffer, contentType: string): ServedFile {
  return { headers: { 'content-type': contentType, 'content-length': body.length }, body };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
