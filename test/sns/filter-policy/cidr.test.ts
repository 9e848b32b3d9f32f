import { describe, expect, it } from 'vitest';
import { cidrRange, ipBytes, ipInRange } from '../../../src/services/sns/filter-policy/cidr.js';

const ip = (text: string) => {
  const bytes = ipBytes(text);
  if (!bytes) throw new Error(`not an IP: ${text}`);
  return bytes;
};

describe('IP literals (Java InetAddress, as event-ruler reads them)', () => {
  it('reads dotted-quad IPv4 and colon-hex IPv6', () => {
    expect([...ip('192.168.0.1')]).toEqual([192, 168, 0, 1]);
    expect([...ip('::1')]).toEqual([...new Array(15).fill(0), 1]);
    expect([...ip('2001:db8::ff00:42:8329')].slice(0, 4)).toEqual([0x20, 0x01, 0x0d, 0xb8]);
  });

  it('reads an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect([...ip('::ffff:c0a8:1')]).toEqual([192, 168, 0, 1]);
  });

  it('refuses what is not an address literal', () => {
    for (const text of [
      '256.0.0.1',
      '010.0.0.1',
      '1.2.3',
      'example.com',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '::ffff:1.2.3.4',
      '',
    ]) {
      expect(ipBytes(text), text).toBeUndefined();
    }
  });
});

describe('CIDR blocks', () => {
  it('runs from the address as written to the address with all host bits set', () => {
    const block = cidrRange('10.0.0.5/24');
    expect([...block.bottom]).toEqual([10, 0, 0, 5]);
    expect([...block.top]).toEqual([10, 0, 0, 255]);
    expect(ipInRange(block, ip('10.0.0.5'))).toBe(true);
    expect(ipInRange(block, ip('10.0.0.4'))).toBe(false);
    expect(ipInRange(cidrRange('10.0.0.0/9'), ip('10.127.255.255'))).toBe(true);
    expect(ipInRange(cidrRange('10.0.0.0/9'), ip('10.128.0.0'))).toBe(false);
  });

  it('compares only addresses of the block family', () => {
    expect(ipInRange(cidrRange('::/0'), ip('10.0.0.1'))).toBe(false);
    expect(ipInRange(cidrRange('2001:db8::/32'), ip('2001:db8:ffff::1'))).toBe(true);
  });

  it('reads the mask as Java does: trailing slashes dropped, a sign allowed', () => {
    expect([...cidrRange('10.0.0.0/+8/').top]).toEqual([10, 255, 255, 255]);
  });
});
