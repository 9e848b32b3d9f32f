/**
 * One entry of a policy field's array, and whether a single message value satisfies it. Types
 * are strict, as in AWS's event-ruler: a string condition never matches a number and a numeric
 * one never matches a string (so a String attribute "5" fails {"numeric": ["=", 5]}), while an
 * anything-but matches every present value it does not exclude, whatever its type.
 */
import { type IpRange, ipInRange, sameIp } from './cidr.js';
import type { EventValue } from './event.js';
import { type NumericRange, rangeContains } from './numeric.js';

export type Condition =
  | { readonly kind: 'string'; readonly value: string; readonly ip: Uint8Array | undefined }
  | { readonly kind: 'number'; readonly value: number; readonly comparable: number | undefined }
  | { readonly kind: 'literal'; readonly value: 'true' | 'false' | 'null' }
  | { readonly kind: 'prefix' | 'suffix' | 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'anything-but-prefix' | 'anything-but-suffix'; readonly value: string }
  | {
      readonly kind: 'anything-but-string' | 'anything-but-ignore-case';
      readonly values: ReadonlySet<string>;
    }
  | { readonly kind: 'anything-but-number'; readonly values: ReadonlySet<number> }
  | { readonly kind: 'numeric'; readonly range: NumericRange }
  | { readonly kind: 'cidr'; readonly range: IpRange }
  | { readonly kind: 'exists'; readonly value: boolean };

function exactString(condition: { value: string; ip: Uint8Array | undefined }, value: EventValue): boolean {
  if (value.type !== 'string') return false;
  if (!condition.ip) return value.text === condition.value;
  const ip = value.ipAddress;
  return ip !== null && sameIp(condition.ip, ip);
}

function exactNumber(
  condition: { value: number; comparable: number | undefined },
  value: EventValue,
): boolean {
  if (value.type !== 'number') return false;
  if (condition.comparable !== undefined && value.comparable !== undefined) {
    return condition.comparable === value.comparable;
  }
  return condition.value === value.number;
}

function isString(value: EventValue): boolean {
  return value.type === 'string';
}

/** Whether the value satisfies the condition; `exists` conditions are decided per field, not here. */
export function accepts(condition: Condition, value: EventValue): boolean {
  switch (condition.kind) {
    case 'string':
      return exactString(condition, value);
    case 'number':
      return exactNumber(condition, value);
    case 'literal':
      return value.type === condition.value;
    case 'prefix':
      return isString(value) && value.text.startsWith(condition.value);
    case 'suffix':
      return isString(value) && value.text.endsWith(condition.value);
    case 'equals-ignore-case':
      return isString(value) && value.lowerCase === condition.value;
    case 'anything-but-prefix':
      return !(isString(value) && value.text.startsWith(condition.value));
    case 'anything-but-suffix':
      return !(isString(value) && value.text.endsWith(condition.value));
    case 'anything-but-string':
      return !(isString(value) && condition.values.has(value.text));
    case 'anything-but-ignore-case':
      return !(isString(value) && condition.values.has(value.lowerCase));
    case 'anything-but-number':
      return !(value.comparable !== undefined && condition.values.has(value.comparable));
    case 'numeric':
      return value.comparable !== undefined && rangeContains(condition.range, value.comparable);
    case 'cidr': {
      const ip = value.ipAddress;
      return ip !== null && ipInRange(condition.range, ip);
    }
    case 'exists':
      return condition.value;
  }
}
