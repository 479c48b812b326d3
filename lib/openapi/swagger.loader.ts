import { ApiKitOptionsError } from '../options/apikit-options.error.js';

export type NestSwagger = typeof import('@nestjs/swagger');

/** @nestjs/swagger, an optional peer: imported only when `openapi` is on, so a service without it pays nothing. */
export async function loadSwagger(): Promise<NestSwagger> {
  try {
    return await import('@nestjs/swagger');
  } catch {
    throw new ApiKitOptionsError(['openapi: needs the "@nestjs/swagger" package (an optional peer dependency): npm install @nestjs/swagger']);
  }
}
