import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ApiKitRoutes } from './apikit-routes.paths.js';

/** A body served as is, with its headers, made once. */
export interface ServedFile {
  readonly headers: Readonly<OutgoingHttpHeaders>;
  readonly body: Buffer;
}

/**
 * `GET <path>`: the OpenAPI document, built at bootstrap (once every controller and metadata prefix is
 * known) and serialised once; with `ui`, the Swagger UI page and its assets.
 */
export class OpenApiEndpoint {
  private readonly files = new Map<string, ServedFile>();

  constructor(
    readonly path: string,
    private readonly build: (routes: ApiKitRoutes) => object,
    uiFiles: ReadonlyMap<string, ServedFile>,
  ) {
    uiFiles.forEach((file, filePath) => this.files.set(filePath, file));
  }

  /** Builds the document; ApiKitModule calls it at bootstrap, with the routes it answers itself. */
  publish(routes: ApiKitRoutes): void {
    const body = Buffer.from(JSON.stringify(this.build(routes)), 'utf8');
    this.files.set(this.path, { headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }, body });
  }

  /** Answers `path` when it is the document or a UI file (true); false before `publish` or for any other path. */
  answer(path: string, res: ServerResponse, head: boolean): boolean {
    const file = this.files.get(path);
    if (file === undefined) return false;
    res.writeHead(200, file.headers);
    res.end(head ? undefined : file.body);
    return true;
  }
}
