// One service description for every metadata scenario, so all of them serve the same JSON body.
export const benchServiceOptions = {
  name: 'bench-service',
  version: '1.0.0',
  repository: 'https://github.com/lsst-sqre/bench-service',
  description: 'Service described by every metadata scenario of the benchmark',
  apiVersion: '1.0',
  auth: 'none',
};

/** apikit's wire format of the options above (what `/metadata` answers). */
export const benchServiceMetadata = {
  name: benchServiceOptions.name,
  version: benchServiceOptions.version,
  repository: benchServiceOptions.repository,
  description: benchServiceOptions.description,
  api_version: benchServiceOptions.apiVersion,
  auth: 'none',
};
