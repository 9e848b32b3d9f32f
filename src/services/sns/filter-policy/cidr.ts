/**
 * IP addresses and CIDR blocks as SNS filter policies read them (event-ruler's CIDR, which parses
 * literals with Java's InetAddress): only dotted-quad IPv4 and colon-hex IPv6 literals count as
 * addresses, an IPv4-mapped IPv6 address is its IPv4 address, and a block runs from the address
 * as written (its host bits are not cleared) to that address with every host bit set.
 */
const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const JAVA_INT = /^[+-]?[0-9]+$/;

export interface IpRange {
  readonly bottom: Uint8Array;
  readonly top: Uint8Array;
}

/** A CIDR block a policy cannot use: the message is event-ruler's. */
export class CidrError extends Error {}

function parseIpv4(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(4);
  const parts = text.split('.');
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    // current JDKs refuse the octal-looking literals older ones read as decimal
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function hexGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  if (!groups.every((g) => HEX_GROUP.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

function parseIpv6(text: string): Uint8Array | undefined {
  const gap = text.indexOf('::');
  if (gap !== text.lastIndexOf('::')) return undefined;
  const head = hexGroups(gap < 0 ? text : text.slice(0, gap));
  const tail = hexGroups(gap < 0 ? '' : text.slice(gap + 2));
  if (!head || !tail) return undefined;
  const count = head.length + tail.length;
  if (gap < 0 ? count !== 8 : count > 7) return undefined;
  const groups = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return isIpv4Mapped(bytes) ? bytes.slice(12) : bytes;
}

function isIpv4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function looksLikeIp(text: string): boolean {
  return IPV4.test(text) || IPV6.test(text);
}

/** The address's bytes (4 or 16) if the text is an IP address literal, else undefined. */
export function ipBytes(text: string): Uint8Array | undefined {
  if (IPV4.test(text)) return parseIpv4(text);
  return IPV6.test(text) ? parseIpv6(text) : undefined;
}

function requireIp(text: string): Uint8Array {
  if (!looksLikeIp(text)) throw new CidrError(`Nonstandard IP address: ${text}`);
  const bytes = ipBytes(text);
  if (!bytes) throw new CidrError(`Invalid IP address: ${text}`);
  return bytes;
}

/** Java's String.split: trailing empty strings are dropped. */
function splitDroppingTrailing(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java's Integer.parseInt, or NaN. */
function parseJavaInt(text: string): number {
  if (!JAVA_INT.test(text)) return Number.NaN;
  const value = Number(text);
  return value >= -2147483648 && value <= 2147483647 ? value : Number.NaN;
}

export function cidrRange(text: string): IpRange {
  const parts = splitDroppingTrailing(text, '/');
  if (parts.length !== 2) throw new CidrError("Malformed CIDR, one '/' required");
  const maskBits = parseJavaInt(parts[1]!);
  if (Number.isNaN(maskBits)) throw new CidrError('Malformed CIDR, mask bits must be an integer');
  if (maskBits < 0) throw new CidrError('Malformed CIDR, mask bits must not be negative');
  const bottom = requireIp(parts[0]!);
  if (bottom.length === 4 && maskBits > 31) throw new CidrError('IPv4 mask bits must be < 32');
  if (bottom.length === 16 && maskBits > 127) throw new CidrError('IPv6 mask bits must be < 128');
  const top = bottom.slice();
  let hostBits = bottom.length * 8 - maskBits;
  for (let i = top.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    top[i] = hostBits >= 8 ? 0xff : top[i]! | ((1 << hostBits) - 1);
  }
  return { bottom, top };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return 0;
}

export function ipInRange(range: IpRange, ip: Uint8Array): boolean {
  if (ip.length !== range.bottom.length) return false;
  return compareBytes(ip, range.bottom) >= 0 && compareBytes(ip, range.top) <= 0;
}

export function sameIp(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}
