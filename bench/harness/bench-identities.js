// Callers of the backend scenarios: GitHub accounts of the simulated stack, and the HTTP Basic
// header a caller of the sample sends for each. The passwords are made up and only ever loopback.
export function benchIdentity(index) {
  return { login: `bench-user-${index}`, password: `bench-password-${index}` };
}

export function benchIdentities(count, offset = 0) {
  return Array.from({ length: count }, (_, i) => benchIdentity(offset + i));
}

export function basicAuthorization({ login, password }) {
  return `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
}
