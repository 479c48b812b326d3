// Scenario 3: the same service described by nestjs-apikit; it serves /metadata and the health check GET /.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { ApiKitModule } from 'nestjs-apikit';
import { listenNestApp } from './nest-app.factory.js';
import { benchServiceOptions } from './service-metadata.fixture.js';

class ApiKitAppModule {}
Module({ imports: [ApiKitModule.forRoot(benchServiceOptions)] })(ApiKitAppModule);

await listenNestApp(ApiKitAppModule);
