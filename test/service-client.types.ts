// A type test, checked by `npm run typecheck` (tsc over test/), never run: what the compiler accepts and
// refuses of a client made by createServiceClient from the types openapi-typescript wrote for service B.
import { createServiceClient, type BackendCaller, type OpenApiDocument } from '../lib/index.js';
import type { paths } from './fixtures/clients/weather.js';

declare const caller: BackendCaller;
declare const document: OpenApiDocument;
const weather = createServiceClient<paths>(caller, 'https://weather.example.test', { document });
const unchecked = createServiceClient<paths>(caller, 'https://weather.example.test');

export async function uncheckedCalls(): Promise<void> {
  // Without the document nothing validates the answer: its body is `unknown`, the parameters still typed.
  const { data } = await unchecked.GET('/weather/{city}', { params: { path: { city: 'paris' } } });
  const body: unknown = data;
  // @ts-expect-error an unvalidated body has no known fields
  const city: string | undefined = data?.city;
  // @ts-expect-error the path parameter is `city`, unvalidated or not
  await unchecked.GET('/weather/{city}', { params: { path: { town: 'paris' } } });
  void [body, city];
}

export async function typedCalls(): Promise<void> {
  const { data, error } = await weather.GET('/weather/{city}', { params: { path: { city: 'paris' }, query: { unit: 'f' } } });
  const city: string | undefined = data?.city;
  const requestId: string | null | undefined = data?.requestId;
  const errorReason: string | undefined = error?.reason;
  void [city, requestId, errorReason];

  // @ts-expect-error the path parameter is `city`, not `town`
  await weather.GET('/weather/{city}', { params: { path: { town: 'paris' } } });
  // @ts-expect-error the path parameter is required
  await weather.GET('/weather/{city}', { params: { path: {} } });
  // @ts-expect-error B has no such path
  await weather.GET('/climate/{city}', { params: { path: { city: 'paris' } } });
  // @ts-expect-error `unit` is "c" or "f"
  await weather.GET('/weather/{city}', { params: { path: { city: 'paris' }, query: { unit: 'k' } } });
  // @ts-expect-error B's route is a GET
  await weather.POST('/weather/{city}', { params: { path: { city: 'paris' } } });
  const { data: receipt } = await weather.POST('/weather/{city}/reports', { params: { path: { city: 'oslo' } }, body: { temperature: -3.5 } });
  const temperature: number | undefined = receipt?.temperature;
  void temperature;
  // @ts-expect-error a report's temperature is a number
  await weather.POST('/weather/{city}/reports', { params: { path: { city: 'oslo' } }, body: { temperature: 'cold' } });
  // @ts-expect-error the forecast's city is a string
  const wrong: number | undefined = data?.city;
  void wrong;
}
