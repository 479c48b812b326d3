// Scenarios 1-3 as load targets: the raw node:http limit, the hand-written Nest route,
// nestjs-apikit's metadata and health routes in a minimal app, and the sample's as `npm start`
// runs it (demo mode, its whole module), each on Express and on Fastify.
import { fileURLToPath } from 'node:url';
import { spawnNode, waitForMessage } from '../harness/child-process.registry.js';
import { runAutocannon } from '../harness/autocannon.runner.js';
import { withServerCpu } from '../harness/process-cpu.meter.js';
import { startSample } from './sample.launcher.js';

const serverFile = (name) => fileURLToPath(new URL(`../servers/${name}`, import.meta.url));

async function startServer(file, label, env = {}) {
  const child = spawnNode(serverFile(file), { env, label });
  const { port } = await waitForMessage(child, 'ready');
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid };
}

function autocannonTarget(fields, server, path, connections) {
  const url = `${server.origin}${path}`;
  return { ...fields, measure: (durationSec) => withServerCpu([server.pid], () => runAutocannon({ url, connections, durationSec })) };
}

export async function startMetadataTargets({ connections }) {
  const [raw, bareExpress, bareFastify, kitExpress, kitFastify, sampleExpress, sampleFastify] = await Promise.all([
    startServer('raw-http.server.js', 'raw node:http'),
    startServer('bare-nest.server.js', 'bare Nest (express)', { HTTP_ADAPTER: 'express' }),
    startServer('bare-nest.server.js', 'bare Nest (fastify)', { HTTP_ADAPTER: 'fastify' }),
    startServer('apikit-nest.server.js', 'nestjs-apikit (express)', { HTTP_ADAPTER: 'express' }),
    startServer('apikit-nest.server.js', 'nestjs-apikit (fastify)', { HTTP_ADAPTER: 'fastify' }),
    startSample({ adapter: 'express' }),
    startSample({ adapter: 'fastify' }),
  ]);
  const t = (fields, server, path) =>
    autocannonTarget({ limitId: fields.scenario === 1 ? null : 'raw-http-metadata', ...fields }, server, path, connections);
  return [
    t({ id: 'raw-http-metadata', scenario: 1, label: 'raw node:http, prebuilt buffer', path: 'GET /metadata', role: 'limit', baselineId: null }, raw, '/metadata'),
    t({ id: 'nest-express-metadata', scenario: 2, label: 'hand-written Nest route, Express', path: 'GET /metadata', baselineId: 'raw-http-metadata' }, bareExpress, '/metadata'),
    t({ id: 'nest-fastify-metadata', scenario: 2, label: 'hand-written Nest route, Fastify', path: 'GET /metadata', baselineId: 'raw-http-metadata' }, bareFastify, '/metadata'),
    t({ id: 'apikit-express-metadata', scenario: 3, label: 'nestjs-apikit metadata, Express', path: 'GET /metadata', baselineId: 'nest-express-metadata', target: 0.9 }, kitExpress, '/metadata'),
    t({ id: 'apikit-express-health', scenario: 3, label: 'nestjs-apikit health, Express', path: 'GET /', baselineId: 'nest-express-metadata', target: 0.9 }, kitExpress, '/'),
    t({ id: 'apikit-fastify-metadata', scenario: 3, label: 'nestjs-apikit metadata, Fastify', path: 'GET /metadata', baselineId: 'nest-fastify-metadata', target: 0.9 }, kitFastify, '/metadata'),
    t({ id: 'apikit-fastify-health', scenario: 3, label: 'nestjs-apikit health, Fastify', path: 'GET /', baselineId: 'nest-fastify-metadata', target: 0.9 }, kitFastify, '/'),
    t({ id: 'sample-express-metadata', scenario: 3, label: 'sample as deployed, metadata, Express', path: 'GET /metadata', baselineId: 'nest-express-metadata', target: 0.95 }, sampleExpress, '/metadata'),
    t({ id: 'sample-express-health', scenario: 3, label: 'sample as deployed, health, Express', path: 'GET /', baselineId: 'nest-express-metadata', target: 0.95 }, sampleExpress, '/'),
    t({ id: 'sample-fastify-metadata', scenario: 3, label: 'sample as deployed, metadata, Fastify', path: 'GET /metadata', baselineId: 'nest-fastify-metadata', target: 0.95 }, sampleFastify, '/metadata'),
    t({ id: 'sample-fastify-health', scenario: 3, label: 'sample as deployed, health, Fastify', path: 'GET /', baselineId: 'nest-fastify-metadata', target: 0.95 }, sampleFastify, '/'),
  ];
}
