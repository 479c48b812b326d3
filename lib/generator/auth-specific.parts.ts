import type { ProjectAnswers } from './project-answers.js';

/**
 * What only `bitly-proxy` needs: GitHub logins, and the sessions the replicas share through Redis
 * with a secret. A `basic` or `none` project has no sessions, so its manifests leave out the Redis,
 * the Secret and the variables that point at them, and its README deploys without them.
 */
const SESSION_MANIFESTS = ['kubernetes/redis.yaml', 'kubernetes/secret.yaml'];
const SESSION_ENTRIES: Readonly<Record<string, readonly string[]>> = {
  'kubernetes/deployment.yaml': ['GITHUB_URL', 'REDIS_PASSWORD', 'REDIS_URL', 'SESSION_SECRET'],
  'kubernetes/configmap.yaml': ['GITHUB_URL'],
};

export function hasSessions(answers: ProjectAnswers): boolean {
  return answers.auth === 'bitly-proxy';
}

/** Whether the sample's file at `path` (project-relative) belongs in the project. */
export function includesFile(answers: ProjectAnswers, path: string): boolean {
  return hasSessions(answers) || !SESSION_MANIFESTS.includes(path);
}

/** The entries of the sample's file at `path` that the project leaves out. */
export function entriesLeftOut(answers: ProjectAnswers, path: string): readonly string[] {
  return hasSessions(answers) ? [] : (SESSION_ENTRIES[path] ?? []);
}

/** The README's deployment commands and what it says of `kubernetes/`. */
export function deploymentReadme(answers: ProjectAnswers): { deployCommands: string; kubernetesContents: string } {
  if (!hasSessions(answers)) {
    return {
      deployCommands: 'kubectl apply -f kubernetes/',
      kubernetesContents: 'and a ConfigMap',
    };
  }
  return {
    deployCommands: [
      `kubectl create secret generic ${answers.name} \\`,
      '  --from-literal=SESSION_SECRET="$(openssl rand -base64 48)" --from-literal=REDIS_PASSWORD="$(openssl rand -hex 32)"',
      'kubectl apply -f kubernetes/configmap.yaml -f kubernetes/redis.yaml -f kubernetes/deployment.yaml \\',
      '  -f kubernetes/pod-disruption-budget.yaml -f kubernetes/service.yaml -f kubernetes/ingress.yaml',
    ].join('\n'),
    kubernetesContents:
      'a ConfigMap, a Redis the replicas share sessions through\n(it asks for the Secret\'s `REDIS_PASSWORD`; a NetworkPolicy lets only the service\'s pods reach\nit), and `secret.yaml`, the Secret\'s shape only: its values are placeholders, so it is not applied\n(that would replace the secret created above); never commit real ones',
  };
}
