import { Controller, Get, Param } from '@nestjs/common';
import { BackendError, CallerSession, type BackendCaller } from 'nestjs-apikit';
import { BackendTarget } from '../backend/backend-target.js';
import type { MetricValue } from './metric-value.interface.js';

/**
 * `GET /<jobname>/<metric>`, and the same under `/mymicroservice` (the ingress passes its path
 * prefix through): the named metric of a job, read from the backend as the caller
 * (`@CallerSession()`: 401 without Basic credentials, unless the auth type is none).
 * The metadata and health routes are served by ApiKitModule ahead of this catch-all.
 */
@Controller(['', 'mymicroservice'])
export class MetricController {
  private readonly apiUrl: string;

  constructor(target: BackendTarget) {
    this.apiUrl = `${target.url}/api`;
  }

  @Get(':jobname/:metric')
  async metric(
    @Param('jobname') jobname: string,
    @Param('metric') metric: string,
    @CallerSession() backend: BackendCaller,
  ): Promise<MetricValue> {
    if (jobname.trim() === '' || metric.trim() === '') {
      throw new BackendError('Bad Request', 400, 'Must specify metric and jobname.');
    }
    // The technote's backend wants its arguments as query parameters and answers plain text.
    const res = await backend.get(this.apiUrl, { params: { metric, job: jobname } });
    if (!res.ok) throw new BackendError(res.statusText, res.status, res.text());
    return { jobname, metric, value: res.text() };
  }
}
