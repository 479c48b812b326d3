/** `ApiKitModule.forRoot({ openapi })`: where the service's OpenAPI document (and, optionally, a viewer) is served. */
export interface OpenApiOptions {
  /** The OpenAPI 3.1 document, as JSON. Default `/openapi.json`. */
  path?: string;
  /** A Swagger UI page for the document; none unless given (e.g. `/docs`). */
  ui?: string;
}

/** `openapi` after validation; `undefined` when the document is off. */
export interface ResolvedOpenApiOptions {
  path: string;
  ui: string | undefined;
}
