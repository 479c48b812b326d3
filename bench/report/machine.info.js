// What the figures were measured on: they only mean something next to the machine and versions.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(import.meta.url);

function installedVersion(pkg) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function versionInfo() {
  const packages = ['nestjs-apikit', '@nestjs/core', '@nestjs/platform-express', 'express', '@nestjs/platform-fastify', 'fastify', 'undici', 'autocannon'];
  return { node: process.version, ...Object.fromEntries(packages.map((p) => [p, installedVersion(p)])) };
}
