/** `Basic <base64(username:password)>` (RFC 7617, UTF-8), for an outgoing `Authorization` header. */
export function basicCredentialsHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
