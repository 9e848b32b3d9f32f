/**
 * DynamoDB's order and equality of AttributeValues: numbers numerically, strings by their
 * UTF-8 bytes, binary by unsigned bytes; sets equal whatever their order, lists in order,
 * maps by their entries.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { compareNumbers, numberKey } from './numbers.js';

export type AttributeType = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';

/** The value's type, or undefined for a value with no known member set. */
export function typeOf(value: AttributeValue): AttributeType | undefined {
  if (value.S !== undefined) return 'S';
  if (value.N !== undefined) return 'N';
  if (value.M !== undefined) return 'M';
  if (value.L !== undefined) return 'L';
  if (value.B !== undefined) return 'B';
  if (value.BOOL !== undefined) return 'BOOL';
  if (value.SS !== undefined) return 'SS';
  if (value.NS !== undefined) return 'NS';
  if (value.NULL !== undefined) return 'NULL';
  if (value.BS !== undefined) return 'BS';
  return undefined;
}

/** Unsigned lexicographic order of two byte strings. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

// UTF-16 order differs from code-point (and so UTF-8) order only where a surrogate meets a
// character in U+E000..U+FFFF: lifting surrogates above the BMP restores it.
function codePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}

/** The order of two strings by their UTF-8 bytes, without encoding them. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? codePointRank(x) - codePointRank(y) : x - y;
  }
  return a.length - b.length;
}

const TYPE_ORDER: readonly AttributeType[] = ['B', 'BOOL', 'BS', 'L', 'M', 'N', 'NS', 'NULL', 'S', 'SS'];

/**
 * DynamoDB's order of two values of one scalar type (N, S, B), as sort keys are ordered.
 * Values of other or differing types get a stable order (by type name) so that sorting
 * never throws; DynamoDB itself never orders them.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number {
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb || ta === undefined || tb === undefined) {
    return TYPE_ORDER.indexOf(ta as AttributeType) - TYPE_ORDER.indexOf(tb as AttributeType);
  }
  if (ta === 'N') return compareNumbers(a.N!, b.N!);
  if (ta === 'S') return compareStrings(a.S!, b.S!);
  if (ta === 'B') return compareBytes(a.B!, b.B!);
  return 0;
}

function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function sameMembers<T>(a: readonly T[], b: readonly T[], key: (member: T) => string): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set<string>();
  for (const member of a) keys.add(key(member));
  for (const member of b) if (!keys.has(key(member))) return false;
  return true;
}

function sameList(a: readonly AttributeValue[], b: readonly AttributeValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i]!, b[i]!)) return false;
  return true;
}

function sameMap(a: Record<string, AttributeValue>, b: Record<string, AttributeValue>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const other = b[key];
    if (other === undefined || !Object.hasOwn(b, key) || !valuesEqual(a[key]!, other)) return false;
  }
  return true;
}

/** DynamoDB's equality: same type and same value (numbers numerically, sets as sets). */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if (a === b) return true;
  const type = typeOf(a);
  if (type === undefined || type !== typeOf(b)) return false;
  switch (type) {
    case 'S':
      return a.S === b.S;
    case 'N':
      return compareNumbers(a.N!, b.N!) === 0;
    case 'B':
      return compareBytes(a.B!, b.B!) === 0;
    case 'BOOL':
      return a.BOOL === b.BOOL;
    case 'NULL':
      return true;
    case 'SS':
      return sameMembers(a.SS!, b.SS!, (s) => s);
    case 'NS':
      return sameMembers(a.NS!, b.NS!, numberKey);
    case 'BS':
      return sameMembers(a.BS!, b.BS!, bytesKey);
    case 'L':
      return sameList(a.L!, b.L!);
    case 'M':
      return sameMap(a.M!, b.M!);
  }
}

/** A key that identifies a set member of the given set type, for membership tests. */
export function setMemberKey(type: 'SS' | 'NS' | 'BS', member: string | Uint8Array): string {
  if (type === 'BS') return bytesKey(member as Uint8Array);
  return type === 'NS' ? numberKey(member as string) : (member as string);
}
