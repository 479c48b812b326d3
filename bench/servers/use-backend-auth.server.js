// Scenario 4, the other way the library hands a route its caller: `@UseBackendAuth()` on the controller
// and the injected `BitlyProxySession` singleton, which finds the request's caller through
// AsyncLocalStorage (the sample uses `@CallerSession()`, a parameter). Same route and answer as the
// sample's metric route, so both compare with the same hand-written peer: the figure is what the ALS
// path costs on the Node running the bench (promise hooks on Node 20; AsyncContextFrame since Node 24).
import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { ApiKitModule, BackendError, BitlyProxySession, UseBackendAuth } from 'nestjs-apikit';
import { listenNestApp } from './nest-app.factory.js';

const API_URL = `${process.env.PROXY_URL}/api`;

class MetricController {
  constructor(backend) {
    this.backend = backend;
  }

  async metric(jobname, metric) {
    const res = await this.backend.get(API_URL, { params: { metric, job: jobname } });
    if (!res.ok) throw new BackendError(res.statusText, res.status, res.text());
    return { jobname, metric, value: res.text() };
  }
}
Reflect.defineMetadata('design:paramtypes', [BitlyProxySession], MetricController);
const proto = MetricController.prototype;
Param('jobname')(proto, 'metric', 0);
Param('metric')(proto, 'metric', 1);
Get(':jobname/:metric')(proto, 'metric', Object.getOwnPropertyDescriptor(proto, 'metric'));
UseBackendAuth()(MetricController);
Controller()(MetricController);

class UseBackendAuthModule {}
Module({
  imports: [
    ApiKitModule.forRoot({
      name: 'bench-use-backend-auth',
      version: '1.0.0',
      repository: 'https://github.com/lsst-sqre/bench-service',
      description: 'The metric route with @UseBackendAuth()',
      auth: { type: 'bitly-proxy', data: { username: '', password: '', endpoint: process.env.START_URL } },
      errorBody: 'apikit',
      backend: { githubUrl: process.env.GITHUB_URL },
    }),
  ],
  controllers: [MetricController],
})(UseBackendAuthModule);

await listenNestApp(UseBackendAuthModule);
