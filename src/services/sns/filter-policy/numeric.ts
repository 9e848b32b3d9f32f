/**
 * Numbers as SNS filter policies compare them (AWS's event-ruler ComparableNumber): a number from
 * -5e9 to 5e9 is shifted and scaled, in doubles, to an integer keeping about six decimals (the
 * rest truncated), and compared as that integer. So 1.0000001 equals 1, and a number outside the
 * range is never numeric.
 */
const LIMIT = 5e9;
const SCALE = 1e6;
const BOTTOM = 0;
const TOP = Math.trunc(SCALE * (LIMIT + LIMIT));

export const OUT_OF_RANGE = 'Value must be between -5.0E9 and 5.0E9, inclusive';

/** A number a policy cannot use: the message is event-ruler's. */
export class NumberRangeError extends Error {}

/** The comparable form of a number, or undefined outside the range. */
export function comparable(value: number): number | undefined {
  if (!(value >= -LIMIT && value <= LIMIT)) return undefined;
  return Math.trunc(SCALE * (LIMIT + value));
}

export function requireComparable(value: number): number {
  const c = comparable(value);
  if (c === undefined) throw new NumberRangeError(OUT_OF_RANGE);
  return c;
}

/** Bounds are comparable forms; `open` excludes the bound itself. */
export interface NumericRange {
  readonly bottom: number;
  readonly openBottom: boolean;
  readonly top: number;
  readonly openTop: boolean;
}

export function equalTo(value: number): NumericRange {
  const c = requireComparable(value);
  return { bottom: c, openBottom: false, top: c, openTop: false };
}

export function greaterThan(value: number, open: boolean): NumericRange {
  return { bottom: requireComparable(value), openBottom: open, top: TOP, openTop: false };
}

export function lessThan(value: number, open: boolean): NumericRange {
  return { bottom: BOTTOM, openBottom: false, top: requireComparable(value), openTop: open };
}

export function between(bottom: number, openBottom: boolean, top: number, openTop: boolean): NumericRange {
  const low = requireComparable(bottom);
  const high = requireComparable(top);
  if (low >= high) throw new NumberRangeError('Bottom must be less than top');
  return { bottom: low, openBottom, top: high, openTop };
}

export function rangeContains(range: NumericRange, value: number): boolean {
  if (range.openBottom ? value <= range.bottom : value < range.bottom) return false;
  return range.openTop ? value < range.top : value <= range.top;
}
