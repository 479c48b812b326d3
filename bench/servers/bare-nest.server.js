// Scenario 2, what a user would write by hand: one @Get('metadata') returning a constant object.
// Decorators are applied as functions because bench/ is plain JavaScript (no TS loader).
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { listenNestApp } from './nest-app.factory.js';
import { benchServiceMetadata } from './service-metadata.fixture.js';

class MetadataController {
  metadata() {
    return benchServiceMetadata;
  }
}
Get('metadata')(MetadataController.prototype, 'metadata', Object.getOwnPropertyDescriptor(MetadataController.prototype, 'metadata'));
Controller()(MetadataController);

class BareAppModule {}
Module({ controllers: [MetadataController] })(BareAppModule);

await listenNestApp(BareAppModule);
