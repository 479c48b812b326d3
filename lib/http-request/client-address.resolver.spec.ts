import { addressBucketOf, ClientAddressResolver, parseCidr } from './client-address.resolver.js';

describe('ClientAddressResolver', () => {
  const behindIngress = new ClientAddressResolver(['10.0.0.0/8', 'fc00::/7']);

  it('takes the peer when it is no trusted proxy, whatever X-Forwarded-For says', () => {
    expect(behindIngress.resolve({ peer: '203.0.113.5', forwardedFor: '198.51.100.1' })).toBe('203.0.113.5');
    expect(behindIngress.resolve({ peer: '::ffff:127.0.0.1', forwardedFor: '198.51.100.1' })).toBe('127.0.0.1');
  });

  it('takes the right-most forwarded entry that is no trusted proxy, from a trusted peer', () => {
    expect(behindIngress.resolve({ peer: '10.1.2.3', forwardedFor: '198.51.100.1, 203.0.113.9' })).toBe('203.0.113.9');
    expect(behindIngress.resolve({ peer: '10.1.2.3', forwardedFor: ['203.0.113.9', '10.4.5.6'] })).toBe('203.0.113.9');
    expect(behindIngress.resolve({ peer: 'fd00::1', forwardedFor: '2001:DB8::1' })).toBe('2001:db8::1');
  });

  it('stands the nearest trusted hop for an entry that is no address, and for a header of trusted hops only', () => {
    expect(behindIngress.resolve({ peer: '10.1.2.3', forwardedFor: 'junk, 10.9.9.9' })).toBe('10.9.9.9');
    expect(behindIngress.resolve({ peer: '10.1.2.3', forwardedFor: '10.9.9.9' })).toBe('10.9.9.9');
    expect(behindIngress.resolve({ peer: '10.1.2.3', forwardedFor: undefined })).toBe('10.1.2.3');
  });

  it('trusts none with []', () => {
    expect(new ClientAddressResolver([]).resolve({ peer: '10.1.2.3', forwardedFor: '198.51.100.1' })).toBe('10.1.2.3');
  });

  it('parses CIDR blocks and single addresses, and refuses anything else', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('fc00::/7')).toEqual({ address: 'fc00::', prefix: 7, family: 'ipv6' });
    expect(parseCidr('192.0.2.1')).toEqual({ address: '192.0.2.1', prefix: 32, family: 'ipv4' });
    for (const bad of ['10.0.0.0/33', '10.0.0.0/8/1', 'example.org', '10.0.0.0/-1', '::/129', '']) expect(parseCidr(bad)).toBeUndefined();
  });
});

describe('addressBucketOf', () => {
  it('keeps an IPv4 address as it is and counts an IPv6 one by its /64', () => {
    expect(addressBucketOf('203.0.113.9')).toBe('203.0.113.9');
    expect(addressBucketOf('2001:db8:1:2::7')).toBe('2001:db8:1:2::/64');
    expect(addressBucketOf('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressBucketOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucketOf('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
});
