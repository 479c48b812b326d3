// Scenario 1, the limit: node:http answering the metadata JSON from a buffer built once.
import { createServer } from 'node:http';
import { announceReady } from './parent.channel.js';
import { benchServiceMetadata } from './service-metadata.fixture.js';

const body = Buffer.from(JSON.stringify(benchServiceMetadata));
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length };

const server = createServer((req, res) => {
  if (req.url === '/metadata' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  } else {
    res.writeHead(404).end();
  }
});
server.listen(0, '127.0.0.1', () => announceReady({ port: server.address().port }));
