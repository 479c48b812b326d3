import 'reflect-metadata';
import { Controller, Get, Module, Param, type Type } from '@nestjs/common';
import request from 'supertest';
import { ApiKitModule, type ApiKitModuleOptions } from '../lib/index.js';
import { BASE_BODY, BASE_OPTIONS, expectMetadata } from './fixtures/metadata-app.fixture.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';

// The e2e contract of the metadata routes and the health check (apikit contract sections 2, 3, 6),
// over real HTTP on both adapters.

const CANARY = 'canary-password-5f1e9c';

@Controller()
class JobController {
  @Get(':jobname/:metric')
  metric(@Param('jobname') jobname: string, @Param('metric') metric: string) {
    return { jobname, metric };
  }
}

@Controller()
class OwnRootController {
  @Get()
  root() {
    return { own: 'root' };
  }
}

describe.each(ADAPTERS)('metadata and health routes (%s)', (_adapter, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  afterEach(() => booter.closeAll());
  const boot = (rootModule: Type) => booter.boot(rootModule);

  function moduleWith(options: Partial<ApiKitModuleOptions>, controllers: Type[] = []): Type {
    @Module({ imports: [ApiKitModule.forRoot({ ...BASE_OPTIONS, ...options })], controllers })
    class RootModule {}
    return RootModule;
  }

  it('serves the four metadata forms at the root by default, with exactly six string keys', async () => {
    const app = await boot(moduleWith({}));
    for (const path of ['/metadata', '/metadata.json', '/v1.0/metadata', '/v1.0/metadata.json']) {
      await expectMetadata(app, path, BASE_BODY);
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const app = await boot(moduleWith({}));
    for (const path of ['/metadata', '/v1.0/metadata.json']) {
      const res = await request(app.getHttpServer()).head(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
      expect(res.text ?? '').toBe('');
    }
  });

  it('ignores the query string', async () => {
    const app = await boot(moduleWith({}));
    await expectMetadata(app, '/metadata?pretty=1', BASE_BODY);
  });

  it.each(['post', 'put', 'delete', 'patch'] as const)('never answers %s with 200', async (method) => {
    const app = await boot(moduleWith({ route: ['', 'bob'] }));
    for (const path of ['/metadata', '/bob/v1.0/metadata.json', '/']) {
      const res = await request(app.getHttpServer())[method](path);
      expect(res.status).not.toBe(200);
      expect(res.text).not.toContain('BobApp');
    }
  });

  it('serves every prefix: canonicalised, inner slashes kept, root equivalents, case-sensitive', async () => {
    const app = await boot(moduleWith({ route: ['bob', '/chuck/', 'a/b', '//', ''] }));
    for (const prefix of ['', '/bob', '/chuck', '/a/b']) {
      for (const suffix of ['/metadata', '/metadata.json', '/v1.0/metadata', '/v1.0/metadata.json']) {
        await expectMetadata(app, prefix + suffix, BASE_BODY);
      }
    }
    for (const path of ['/Bob/metadata', '/METADATA', '/b/metadata', '/a/metadata', '/bob/metadata/', '/v1.0/Metadata']) {
      await request(app.getHttpServer()).get(path).expect(404);
    }
  });

  it('takes the v literally: apiVersion "v2" gives /vv2/metadata', async () => {
    const app = await boot(moduleWith({ apiVersion: 'v2', route: '/svc' }));
    const body = { ...BASE_BODY, api_version: 'v2' };
    await expectMetadata(app, '/svc/vv2/metadata', body);
    await expectMetadata(app, '/svc/vv2/metadata.json', body);
    await request(app.getHttpServer()).get('/svc/v2/metadata').expect(404);
    await request(app.getHttpServer()).get('/svc/v1.0/metadata').expect(404);
    await request(app.getHttpServer()).get('/metadata').expect(404);
  });

  it('registers no metadata route for route: [] (the health check stays)', async () => {
    const app = await boot(moduleWith({ route: [] }));
    await request(app.getHttpServer()).get('/metadata').expect(404);
    await request(app.getHttpServer()).get('/v1.0/metadata').expect(404);
    await request(app.getHttpServer()).get('/').expect(200, 'OK');
  });

  it('publishes only the auth type: a password in auth.data never appears in any response', async () => {
    const auth = { type: 'bitly-proxy' as const, data: { username: 'bot', password: CANARY, endpoint: 'https://x/oauth2/start' } };
    const app = await boot(moduleWith({ auth, route: ['', 'svc'] }));
    await expectMetadata(app, '/svc/metadata', { ...BASE_BODY, auth: 'bitly-proxy' });
    const paths = ['/', '/metadata', '/metadata.json', '/svc/v1.0/metadata', '/nope', '/svc/metadata?x=1'];
    for (const path of paths) {
      for (const method of ['get', 'head', 'post'] as const) {
        const res = await request(app.getHttpServer())[method](path);
        expect(JSON.stringify(res.headers) + (res.text ?? '')).not.toContain(CANARY);
      }
    }
  });

  it('answers the health check GET / with OK whatever the prefixes', async () => {
    const app = await boot(moduleWith({ route: ['api', 'other/deep'] }));
    const res = await request(app.getHttpServer()).get('/').expect(200, 'OK');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    await request(app.getHttpServer()).head('/').expect(200);
    await request(app.getHttpServer()).get('/?probe=1').expect(200, 'OK');
    await request(app.getHttpServer()).get('/api').expect(404);
  });

  it('leaves / to the user with healthCheck: false', async () => {
    const off = await boot(moduleWith({ healthCheck: false }));
    await request(off.getHttpServer()).get('/').expect(404);
    await expectMetadata(off, '/metadata', BASE_BODY);
    const own = await boot(moduleWith({ healthCheck: false }, [OwnRootController]));
    await request(own.getHttpServer()).get('/').expect(200, { own: 'root' });
    const on = await boot(moduleWith({ healthCheck: true }, [OwnRootController]));
    await request(on.getHttpServer()).get('/').expect(200, 'OK');
  });

  describe('next to a catch-all @Get(":jobname/:metric") route', () => {
    @Module({ controllers: [JobController] })
    class JobsModule {}
    const apikit = ApiKitModule.forRoot(BASE_OPTIONS);
    @Module({ imports: [JobsModule, apikit] })
    class JobsImportedBefore {}
    @Module({ imports: [apikit, JobsModule] })
    class JobsImportedAfter {}
    @Module({ imports: [apikit], controllers: [JobController] })
    class JobsInRootModule {}

    it.each([
      ['imported before ApiKitModule', JobsImportedBefore],
      ['imported after ApiKitModule', JobsImportedAfter],
      ['declared by the root module', JobsInRootModule],
    ])('still serves /v1.0/metadata when the controller is %s', async (_, rootModule) => {
      const app = await boot(rootModule);
      await expectMetadata(app, '/v1.0/metadata', BASE_BODY);
      await expectMetadata(app, '/metadata.json', BASE_BODY);
      await request(app.getHttpServer()).get('/job/metric').expect(200, { jobname: 'job', metric: 'metric' });
      await request(app.getHttpServer()).get('/v2.0/metadata').expect(200, { jobname: 'v2.0', metric: 'metadata' });
      await request(app.getHttpServer()).get('/').expect(200, 'OK');
    });
  });
});
