import { describe, expect, it } from 'vitest';
import {
  addressCount,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  isIpv6Cidr,
  lastAddress,
  nthAddress,
  parseCidr,
  parseIpv4,
} from '../../src/services/ec2/cidr.js';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`not a CIDR: ${text}`);
  return parsed;
};

describe('IPv4 addresses', () => {
  it('parses dotted quads into unsigned integers and back', () => {
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('10.0.1.7')).toBe(10 * 2 ** 24 + 1 * 256 + 7);
    expect(parseIpv4('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(formatIpv4(2 ** 32 - 1)).toBe('255.255.255.255');
    expect(formatIpv4(parseIpv4('172.31.16.4') as number)).toBe('172.31.16.4');
  });

  it('refuses what is not a dotted quad of 0..255', () => {
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '01.2.3.4', '', '1.2.3.-4'])
      expect(parseIpv4(bad)).toBeUndefined();
  });
});

describe('CIDR blocks', () => {
  it('parses and formats a block', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({ base: 10 * 2 ** 24, prefix: 16 });
    expect(formatCidr(cidr('172.31.0.0/20'))).toBe('172.31.0.0/20');
    expect(parseCidr('0.0.0.0/0')).toEqual({ base: 0, prefix: 0 });
  });

  it('refuses malformed blocks', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/', '10.0.0/16', '10.0.0.0/a', '10.0.0.0/16/2'])
      expect(parseCidr(bad)).toBeUndefined();
  });

  it('refuses host bits when strict and clears them otherwise', () => {
    expect(parseCidr('10.0.0.1/16')).toBeUndefined();
    expect(formatCidr(parseCidr('10.0.200.1/16', false) as never)).toBe('10.0.0.0/16');
  });

  it('counts addresses and finds the last one', () => {
    expect(addressCount(16)).toBe(65536);
    expect(addressCount(28)).toBe(16);
    expect(addressCount(32)).toBe(1);
    expect(addressCount(0)).toBe(2 ** 32);
    expect(formatIpv4(lastAddress(cidr('10.0.1.0/24')))).toBe('10.0.1.255');
    expect(formatIpv4(lastAddress(cidr('0.0.0.0/0')))).toBe('255.255.255.255');
  });

  it('knows containment', () => {
    expect(cidrContains(cidr('10.0.0.0/16'), cidr('10.0.1.0/24'))).toBe(true);
    expect(cidrContains(cidr('10.0.0.0/16'), cidr('10.0.0.0/16'))).toBe(true);
    expect(cidrContains(cidr('10.0.0.0/16'), cidr('10.1.0.0/24'))).toBe(false);
    expect(cidrContains(cidr('10.0.1.0/24'), cidr('10.0.0.0/16'))).toBe(false);
    expect(cidrContains(cidr('10.0.0.0/16'), cidr('10.0.255.240/28'))).toBe(true);
  });

  it('knows overlap, in both directions and at the edges', () => {
    expect(cidrsOverlap(cidr('10.0.1.0/24'), cidr('10.0.1.128/25'))).toBe(true);
    expect(cidrsOverlap(cidr('10.0.1.128/25'), cidr('10.0.1.0/24'))).toBe(true);
    expect(cidrsOverlap(cidr('10.0.1.0/24'), cidr('10.0.2.0/24'))).toBe(false);
    expect(cidrsOverlap(cidr('10.0.0.0/23'), cidr('10.0.1.0/24'))).toBe(true);
    expect(cidrsOverlap(cidr('10.0.0.0/24'), cidr('10.0.0.255/32'))).toBe(true);
    expect(cidrsOverlap(cidr('10.0.0.0/24'), cidr('10.0.1.0/32'))).toBe(false);
  });

  it('gives the n-th address and nothing past the end', () => {
    const block = cidr('172.31.16.0/20');
    expect(formatIpv4(nthAddress(block, 0) as number)).toBe('172.31.16.0');
    expect(formatIpv4(nthAddress(block, 4) as number)).toBe('172.31.16.4');
    expect(formatIpv4(nthAddress(block, 4095) as number)).toBe('172.31.31.255');
    expect(nthAddress(block, 4096)).toBeUndefined();
    expect(nthAddress(block, -1)).toBeUndefined();
    expect(nthAddress(block, 1.5)).toBeUndefined();
  });
});

describe('IPv6 CIDR syntax', () => {
  it('accepts full and compressed forms', () => {
    expect(isIpv6Cidr('::/0')).toBe(true);
    expect(isIpv6Cidr('2001:db8::/32')).toBe(true);
    expect(isIpv6Cidr('2001:db8:0:0:0:0:0:1/128')).toBe(true);
  });

  it('refuses malformed ones', () => {
    for (const bad of [
      '2001:db8::',
      '2001:db8::/129',
      '2001:::1/64',
      '1::2::3/64',
      '12345::/16',
      '1:2:3:4:5:6:7/64',
      'g::/8',
    ])
      expect(isIpv6Cidr(bad)).toBe(false);
  });
});
