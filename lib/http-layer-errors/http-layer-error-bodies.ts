import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { logEvent } from '../logging/index.js';
import { answerClientError } from './client-error.answer.js';
import { answerUnroutedInApiKitBody } from './express-final-handler.js';
import { answerFrameworkErrorsInApiKitBody } from './fastify-framework-errors.js';

/**
 * `errorBody: 'apikit'` down to the HTTP layer: the answers written before any Nest code runs are apikit's
 * body too, with a fixed text that quotes nothing of the request.
 * - node's `clientError` (a garbage request line, an unknown method, headers over the limit, a time-out):
 *   every listener is replaced by `answerClientError`, Fastify's included (node's own default answers only
 *   when there is none), on both adapters alike;
 * - on Fastify, its router's framework errors (a malformed URL, a parameter over `maxParamLength`);
 * - on Express, the targets its router cannot read a path from, which no layer of Nest's sees.
 * Nothing on the path of a request that parses: these run only on such errors.
 */
export function installHttpLayerErrorBodies(httpAdapter: AbstractHttpAdapter): void {
  const server = httpAdapter.getHttpServer() as Server;
  server.removeAllListeners('clientError');
  server.on('clientError', answerClientError);
  if (httpAdapter.getType() === 'fastify' && !answerFrameworkErrorsInApiKitBody(httpAdapter.getInstance<object>())) {
    logEvent(new Logger('ApiKit'), 'warn', 'error_body.fastify_options_unreachable',
      "Fastify's options were not found: a malformed URL is answered in Fastify's body, not apikit's");
  }
  if (httpAdapter.getType() === 'express' && !answerUnroutedInApiKitBody(server, httpAdapter.getInstance<object>())) {
    logEvent(new Logger('ApiKit'), 'warn', 'error_body.express_app_unreachable',
      "Express's application is not the server's request listener: a URL it cannot read is answered in Express's page, not apikit's");
  }
}
