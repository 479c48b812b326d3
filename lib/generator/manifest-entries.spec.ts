import { withoutEntries } from './manifest-entries.js';

const DEPLOYMENT = `      containers:
        - name: svc
          env:
            - name: PORT
              value: "5000"
            - name: GITHUB_URL
              valueFrom:
                configMapKeyRef:
                  name: svc
                  key: GITHUB_URL
            # Shared through Redis,
            # with a secret.
            - name: REDIS_URL
              valueFrom:
                configMapKeyRef:
                  name: svc
                  key: REDIS_URL
            - name: LOGLEVEL
              value: "INFO"
          readinessProbe:
            httpGet:
              path: /
`;

const CONFIG_MAP = `data:
  # The backend.
  BACKEND_URL: "https://x.org"
  # Where passwords go.
  GITHUB_URL: "https://github.com"
  LOGLEVEL: "INFO"
`;

describe('withoutEntries', () => {
  it('drops env list items with their fields and the comments right above them, and nothing else', () => {
    expect(withoutEntries(DEPLOYMENT, ['GITHUB_URL', 'REDIS_URL'], 'deployment.yaml')).toBe(`      containers:
        - name: svc
          env:
            - name: PORT
              value: "5000"
            - name: LOGLEVEL
              value: "INFO"
          readinessProbe:
            httpGet:
              path: /
`);
  });

  it('drops mapping keys with their comments', () => {
    expect(withoutEntries(CONFIG_MAP, ['GITHUB_URL'], 'configmap.yaml')).toBe(`data:
  # The backend.
  BACKEND_URL: "https://x.org"
  LOGLEVEL: "INFO"
`);
  });

  it('refuses a name the manifest no longer holds, naming it', () => {
    expect(() => withoutEntries(CONFIG_MAP, ['GITHUB_URL', 'REDIS_URL'], 'sample/kubernetes/configmap.yaml')).toThrow(
      'sample/kubernetes/configmap.yaml no longer holds REDIS_URL',
    );
  });
});
