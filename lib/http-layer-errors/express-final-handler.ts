import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { httpLayerError } from '../errors/http-layer-error.js';

/** The part of an Express application the final answer needs (typed here: lib/ imports no adapter). */
interface ExpressAppLike {
  handle(req: IncomingMessage, res: ServerResponse, done: (error?: unknown) => void): void;
}

/**
 * Answers in apikit's body what Express's router gives up on before any layer runs, Nest's 404 and
 * error handlers included: a target whose path Express cannot read (`//a#@?`, `/\:@..]`: parseurl
 * finds no pathname). Express's own final handler would answer an HTML page saying `Cannot GET null`.
 * The application stays the server's request listener, in its place among the others; it is called
 * with a final callback of ours instead of Express's.
 */
export function answerUnroutedInApiKitBody(server: Server, app: object): boolean {
  if (typeof (app as Partial<ExpressAppLike>).handle !== 'function') return false;
  const listeners = server.listeners('request');
  if (!listeners.includes(app as never)) return false;
  const express = app as ExpressAppLike;
  const handle = (req: IncomingMessage, res: ServerResponse): void => express.handle(req, res, (error) => answerUnrouted(res, error));
  server.removeAllListeners('request');
  for (const listener of listeners) server.on('request', listener === app ? handle : (listener as (...args: unknown[]) => void));
  return true;
}

/** No error: the path could not be read, a malformed request (400). An error that escaped Nest: its own status, else 500. */
function answerUnrouted(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(httpLayerError(error === undefined ? 400 : statusOf(error)).toDict());
  res.statusCode = error === undefined ? 400 : statusOf(error);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

function statusOf(error: unknown): number {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const candidate = typeof status === 'number' ? status : statusCode;
  return typeof candidate === 'number' && Number.isInteger(candidate) && candidate >= 400 && candidate <= 599 ? candidate : 500;
}
