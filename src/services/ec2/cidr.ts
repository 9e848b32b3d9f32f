/**
 * IPv4 CIDR arithmetic for VPCs, subnets and security group rules. Addresses are unsigned
 * 32-bit integers held in JS numbers (never bitwise-signed), so comparisons stay plain.
 */

export interface Cidr {
  /** The first address, as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const TWO_32 = 2 ** 32;

/** `10.0.1.7` as an integer, or undefined when not a dotted quad of 0..255. */
export function parseIpv4(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i] as string;
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return `${Math.floor(value / 2 ** 24) % 256}.${Math.floor(value / 2 ** 16) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/**
 * `a.b.c.d/n`, or undefined when malformed. With `strict`, host bits below the prefix must be
 * zero (what VPCs and subnets demand); without it they are dropped (what security group
 * rules accept).
 */
export function parseCidr(text: string, strict = true): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  const size = addressCount(prefix);
  const base = address - (address % size);
  if (strict && base !== address) return undefined;
  return { base, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

/** How many addresses a prefix length covers (2^(32-prefix)). */
export function addressCount(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** The last address of the block. */
export function lastAddress(cidr: Cidr): number {
  return cidr.base + addressCount(cidr.prefix) - 1;
}

/** Whether `inner` lies wholly inside `outer` (a block contains itself). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && lastAddress(inner) <= lastAddress(outer);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

/** The n-th address of the block (0 is the network address), or undefined past its end. */
export function nthAddress(cidr: Cidr, n: number): number | undefined {
  if (!Number.isInteger(n) || n < 0 || n >= addressCount(cidr.prefix)) return undefined;
  const value = cidr.base + n;
  return value < TWO_32 ? value : undefined;
}

/** A syntactically valid IPv6 CIDR (`2001:db8::/32`): rules only carry it, never compute with it. */
export function isIpv6Cidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const prefix = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > 128) return false;
  const address = text.slice(0, slash);
  if (!/^[0-9a-fA-F:]+$/.test(address) || address.includes(':::')) return false;
  const doubleColons = address.split('::').length - 1;
  if (doubleColons > 1) return false;
  const groups = address.split(':').filter((g) => g !== '');
  if (groups.some((g) => g.length > 4)) return false;
  return doubleColons === 1 ? groups.length < 8 : groups.length === 8;
}
