import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { ApiKitModule } from '../lib/index.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';
import { rawExchange, type RawAnswer } from './fixtures/raw-exchange.fixture.js';

// Issue 26: with errorBody 'apikit', the answers the HTTP layer writes itself (node's parser, Fastify's
// router, the body readers) are apikit's body too, with a fixed text, and echo nothing of the request.
// Raw bytes over a socket: no HTTP client sends these requests.

/** Planted in every request's URL and headers: no answer may carry it back. */
const MARKER = 'plantedMk7q';

@Controller('items')
class ItemsController {
  @Get(':id')
  one(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Post()
  create(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({
  imports: [ApiKitModule.forRoot({ name: 'layer', version: '1', repository: 'https://example.test/r', description: 'd', errorBody: 'apikit' })],
  controllers: [ItemsController],
})
class HttpLayerModule {}

/** A request head as bytes: the request line, the marker in a header, then the given lines. */
function head(requestLine: string, ...lines: string[]): string {
  return [requestLine, 'Host: 127.0.0.1', `X-Planted: ${MARKER}`, ...lines, 'Connection: close', '', ''].join('\r\n');
}

const TEXT = {
  400: 'The request is malformed: its request line, URL, headers or body could not be read.',
  413: 'The request is larger than this service accepts.',
  414: 'The request URL is longer than this service accepts.',
  431: "The request's header fields are larger than this service accepts.",
};

/** The answer is apikit's body for `status`, with `text`, and nothing of the request in it. */
function expectApiKitAnswer(answer: RawAnswer, status: number, reason: string, text: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(answer.body)).toEqual({ reason, status_code: status, error_content: text });
  expect(answer.raw).not.toContain(MARKER);
}

describe.each(ADAPTERS)("errorBody: 'apikit' for the HTTP layer's own answers on %s", (name, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  let port: number;

  beforeAll(async () => {
    const app = await booter.create(HttpLayerModule);
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => booter.closeAll());

  it('answers a malformed percent-encoding in the path with a 400', async () => {
    const answer = await rawExchange(port, head(`GET /items/%zz${MARKER} HTTP/1.1`));
    expectApiKitAnswer(answer, 400, 'Bad Request', TEXT[400]);
  });

  it('answers a method the parser does not know with a 400, closing the connection', async () => {
    const answer = await rawExchange(port, head(`BREW /items/${MARKER} HTTP/1.1`));
    expectApiKitAnswer(answer, 400, 'Bad Request', TEXT[400]);
    expect(answer.headers.connection).toBe('close');
  });

  it('answers a garbage request line with a 400', async () => {
    const answer = await rawExchange(port, `\x16\x03\x01 ${MARKER} \x00\x01\r\n\r\n`);
    expectApiKitAnswer(answer, 400, 'Bad Request', TEXT[400]);
  });

  it('answers headers over the server limit with a 431', async () => {
    const answer = await rawExchange(port, head(`GET /items/${MARKER} HTTP/1.1`, `X-Large: ${MARKER}${'v'.repeat(20_000)}`));
    expectApiKitAnswer(answer, 431, 'Request Header Fields Too Large', TEXT[431]);
  });

  it('answers a URL over the server limit (which counts it in the header section) with a 431', async () => {
    const answer = await rawExchange(port, head(`GET /items/${MARKER}${'u'.repeat(20_000)} HTTP/1.1`));
    expectApiKitAnswer(answer, 431, 'Request Header Fields Too Large', TEXT[431]);
  });

  it('answers a JSON body over the body limit with a 413', async () => {
    // Over both limits (Express's 100 kB, Fastify's 1 MiB), and all sent: Express reads it to the end before answering.
    const json = `{"name":"${MARKER}${'b'.repeat(1_200_000)}"}`;
    const answer = await rawExchange(port, `${head('POST /items HTTP/1.1', 'Content-Type: application/json', `Content-Length: ${json.length}`)}${json}`);
    expectApiKitAnswer(answer, 413, 'Payload Too Large', TEXT[413]);
  });

  it('answers a malformed JSON body with a 400, quoting none of it', async () => {
    const json = `{"name": ${MARKER}}`;
    const answer = await rawExchange(port, `${head('POST /items HTTP/1.1', 'Content-Type: application/json', `Content-Length: ${json.length}`)}${json}`);
    expectApiKitAnswer(answer, 400, 'Bad Request', TEXT[400]);
  });

  it('answers a route that does not exist with a 404 naming the method, not the path', async () => {
    const answer = await rawExchange(port, head(`GET /no/such/${MARKER} HTTP/1.1`));
    expectApiKitAnswer(answer, 404, 'Not Found', 'No route answers GET at this path.');
  });

  // Fastify's router refuses a route parameter over maxParamLength (100); Express has no such limit.
  (name === 'fastify' ? it : it.skip)('answers a route parameter over the router limit with a 414', async () => {
    const answer = await rawExchange(port, head(`GET /items/${MARKER}${'p'.repeat(200)} HTTP/1.1`));
    expectApiKitAnswer(answer, 414, 'URI Too Long', TEXT[414]);
  });

  // Targets Express's router reads no path from (a fragment after `//` or `/\`: parseurl finds none): its own final handler
  // answered them, an HTML page saying `Cannot GET null`. Fastify's router reads them, and finds no route.
  it.each([`//${MARKER}#@?`, `/\\${MARKER}#a@b?c`])("answers a target whose path the router cannot read (%s) in apikit's body", async (target) => {
    const answer = await rawExchange(port, head(`GET ${target} HTTP/1.1`));
    if (name === 'express') expectApiKitAnswer(answer, 400, 'Bad Request', TEXT[400]);
    else expectApiKitAnswer(answer, 404, 'Not Found', 'No route answers GET at this path.');
  });

  it('answers a method no route takes with a 404 naming the method', async () => {
    const answer = await rawExchange(port, head(`PROPFIND /items/${MARKER} HTTP/1.1`));
    expectApiKitAnswer(answer, 404, 'Not Found', 'No route answers PROPFIND at this path.');
  });

  it('still answers a well-formed request on the same server', async () => {
    const answer = await rawExchange(port, head('GET /items/7 HTTP/1.1'));
    expect([answer.status, JSON.parse(answer.body)]).toEqual([200, { id: '7' }]);
  });
});

describe.each(ADAPTERS)("errorBody: 'nest' (the default) leaves the HTTP layer's answers alone on %s", (_name, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  afterAll(() => booter.closeAll());

  it("answers a method the parser does not know in the server's own way", async () => {
    @Module({ imports: [ApiKitModule.forRoot({ name: 'layer', version: '1', repository: 'https://example.test/r', description: 'd' })] })
    class NestBodyModule {}
    const app = await booter.create(NestBodyModule);
    await app.listen(0, '127.0.0.1');
    const answer = await rawExchange((app.getHttpServer().address() as AddressInfo).port, head('BREW / HTTP/1.1'));
    expect(answer.status).toBe(400);
    expect(answer.body).not.toContain('status_code');
  });
});
