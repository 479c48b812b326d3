import { BlockList, isIP } from 'node:net';

/** What a request says about where it came from: its socket's peer and the `X-Forwarded-For` it carries. */
export interface ClientOrigin {
  readonly peer: string | undefined;
  readonly forwardedFor: string | readonly string[] | undefined;
}

/** `10.0.0.0/8`, `fc00::/7` or a single address: its parts, or undefined when it is neither. */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, prefixText, extra] = text.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * The client address of a request behind trusted proxies (the ingress's pods): the socket's peer when
 * it is not a trusted proxy, else the right-most `X-Forwarded-For` entry that is not one either. Proxies
 * append the peer they saw, so entries left of the first untrusted one could be anything a client wrote;
 * from an untrusted peer the header is ignored, whatever it says.
 */
export class ClientAddressResolver {
  private readonly trusted = new BlockList();
  readonly trustsNone: boolean;

  constructor(readonly trustedProxies: readonly string[]) {
    for (const entry of trustedProxies) {
      const cidr = parseCidr(entry);
      if (cidr === undefined) throw new RangeError(`ClientAddressResolver: not a CIDR block: ${JSON.stringify(entry)}`);
      this.trusted.addSubnet(cidr.address, cidr.prefix, cidr.family);
    }
    this.trustsNone = trustedProxies.length === 0;
  }

  /** The client's address (IPv4-mapped IPv6 written as IPv4), or undefined when the socket had none (closed). */
  resolve(origin: ClientOrigin): string | undefined {
    const peer = plainAddress(origin.peer);
    if (peer === undefined || this.trustsNone || !this.isTrusted(peer)) return peer;
    const hops = forwardedHops(origin.forwardedFor);
    let nearest = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = plainAddress(hops[i]);
      // A hop that is no address was not written by a proxy of ours: the nearest trusted hop stands for it.
      if (hop === undefined) return nearest;
      if (!this.isTrusted(hop)) return hop;
      nearest = hop;
    }
    return nearest;
  }

  private isTrusted(address: string): boolean {
    return this.trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
}

/**
 * The bucket an address is counted in: an IPv4 address alone, an IPv6 address by its /64, the block one
 * subscriber gets (RFC 6177): one /64 holds 2^64 addresses, each a bucket of its own otherwise.
 */
export function addressBucketOf(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head, tail] = address.toLowerCase().split('::');
  const words = (text: string | undefined): string[] =>
    text === undefined || text === '' ? [] : text.split(':').flatMap((group) => (group.includes('.') ? ipv4Words(group) : [parseInt(group, 16).toString(16)]));
  const [left, right] = [words(head), words(tail)];
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right];
}

/** An embedded dotted IPv4 tail (`64:ff9b::192.0.2.1`) as its two 16-bit groups. */
function ipv4Words(dotted: string): string[] {
  const [a, b, c, d] = dotted.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

/** Every `X-Forwarded-For` entry in order, several headers read as one list (RFC 9110 §5.3). */
function forwardedHops(header: string | readonly string[] | undefined): string[] {
  if (header === undefined) return [];
  const text = typeof header === 'string' ? header : header.join(',');
  return text.split(',').map((hop) => hop.trim());
}

/** An address as text, `::ffff:10.1.2.3` as `10.1.2.3`; undefined for anything that is not one. */
function plainAddress(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const version = isIP(text);
  if (version === 4) return text;
  if (version !== 6) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  return mapped === null ? text.toLowerCase() : mapped[1];
}
