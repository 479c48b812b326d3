// Scenario 4, what a user would write by hand without the library: a Nest route that calls the
// proxy's /api with undici and a session cookie it already has (looked up by the caller's
// Authorization header; no login flow, no pool, no retries), or, with FORWARD=authorization, a
// Basic-auth backend with the caller's Authorization header. It isolates the cost of having Nest
// and an HTTP hop in between from the cost of nestjs-apikit's backend session.
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Param, Req } from '@nestjs/common';
import { URLSearchParams } from 'node:url';
import { Pool } from 'undici';
import { listenNestApp } from './nest-app.factory.js';

const PROXY_URL = process.env.PROXY_URL;
/** `basic`: the caller's Authorization header goes to the backend as it came (auth.type basic's equivalent). */
const FORWARD_AUTHORIZATION = process.env.FORWARD === 'authorization';
/** Authorization header value -> Cookie header value, given by the parent. */
const cookies = new Map(Object.entries(JSON.parse(process.env.COOKIES_BY_AUTHORIZATION ?? '{}')));
const POOL = Symbol('POOL');

class ForwardController {
  constructor(pool) {
    this.pool = pool;
  }

  async metric(jobname, metric, req) {
    const headers = FORWARD_AUTHORIZATION
      ? { authorization: req.headers.authorization, accept: 'application/json' }
      : { cookie: cookies.get(req.headers.authorization), accept: 'application/json' };
    const query = new URLSearchParams({ metric, job: jobname });
    const res = await this.pool.request({ path: `/api?${query}`, method: 'GET', headers });
    const value = await res.body.text();
    return { jobname, metric, value };
  }
}
Inject(POOL)(ForwardController, undefined, 0);
const proto = ForwardController.prototype;
Param('jobname')(proto, 'metric', 0);
Param('metric')(proto, 'metric', 1);
Req()(proto, 'metric', 2);
Get(':jobname/:metric')(proto, 'metric', Object.getOwnPropertyDescriptor(proto, 'metric'));
Controller()(ForwardController);

class ForwardModule {}
Module({
  controllers: [ForwardController],
  providers: [{ provide: POOL, useFactory: () => new Pool(PROXY_URL, { connections: 64 }) }],
})(ForwardModule);

await listenNestApp(ForwardModule);
