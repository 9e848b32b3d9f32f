/**
 * DynamoDB numbers: exact decimals of up to 38 significant digits whose magnitude lies
 * between 1E-130 and 9.99...E+125, read the way DynamoDB reads them and written back in
 * its canonical form (plain digits, no exponent, no redundant zeros: "0042.1200" is
 * "42.12", "1E3" is "1000", "-0" is "0"). Arithmetic and comparison are exact (BigInt and
 * digit strings, never floats).
 */
import { validationError } from './validation-error.js';

/** ±digits × 10^exponent. `digits` has no leading or trailing zeros and is '' for zero. */
interface Decimal {
  readonly negative: boolean;
  readonly digits: string;
  readonly exponent: number;
}

const MAX_DIGITS = 38;
const MAX_ADJUSTED_EXPONENT = 125;
const MIN_ADJUSTED_EXPONENT = -130;
const CANNOT_CONVERT = 'The parameter cannot be converted to a numeric value';
const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const TOO_PRECISE = 'Attempting to store more than 38 significant digits in a Number';
// DynamoDB reads an exponent as a 64-bit integer; past that the text is not a number.
const LONG_MAX = '9223372036854775807';
const LONG_MIN_MAGNITUDE = '9223372036854775808';
// Any exponent this large is out of range whatever the digits; clamping keeps Number exact.
const EXPONENT_CLAMP = 1e15;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function readExponent(text: string, start: number): number | undefined {
  let i = start;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 43 || sign === 45) {
    negative = sign === 45;
    i++;
  }
  if (i >= text.length) return undefined;
  let first = i;
  for (; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
  while (first < text.length - 1 && text.charCodeAt(first) === 48) first++;
  const digits = text.slice(first);
  const limit = negative ? LONG_MIN_MAGNITUDE : LONG_MAX;
  if (digits.length > limit.length || (digits.length === limit.length && digits > limit)) return undefined;
  const magnitude = digits.length > 15 ? EXPONENT_CLAMP : Number(digits);
  return negative ? -magnitude : magnitude;
}

/** The decimal a DynamoDB number text denotes, or undefined when it is not a number. */
function parseDecimal(text: string): Decimal | undefined {
  const length = text.length;
  let i = 0;
  let negative = false;
  const sign = text.charCodeAt(0);
  if (sign === 43 || sign === 45) {
    negative = sign === 45;
    i++;
  }
  const intStart = i;
  while (i < length && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (text.charCodeAt(i) === 46) {
    fracStart = ++i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) return undefined;
  let exponent = 0;
  if (i < length) {
    const e = text.charCodeAt(i);
    if (e !== 69 && e !== 101) return undefined;
    const read = readExponent(text, i + 1);
    if (read === undefined) return undefined;
    exponent = read;
  }
  const all = text.slice(intStart, intEnd) + text.slice(fracStart, fracEnd);
  const scaled = exponent - (fracEnd - fracStart);
  let first = 0;
  while (first < all.length && all.charCodeAt(first) === 48) first++;
  // Zero keeps the exponent it was written with: DynamoDB range-checks "0E126" too.
  if (first === all.length) return { negative: false, digits: '', exponent: scaled };
  let last = all.length - 1;
  while (all.charCodeAt(last) === 48) last--;
  return { negative, digits: all.slice(first, last + 1), exponent: scaled + (all.length - 1 - last) };
}

function adjustedExponent(d: Decimal): number {
  return d.digits === '' ? d.exponent : d.exponent + d.digits.length - 1;
}

function checkRange(d: Decimal): void {
  const adjusted = adjustedExponent(d);
  if (adjusted > MAX_ADJUSTED_EXPONENT) throw validationError(OVERFLOW);
  if (adjusted < MIN_ADJUSTED_EXPONENT) throw validationError(UNDERFLOW);
  if (d.digits.length > MAX_DIGITS) throw validationError(TOO_PRECISE);
}

function readNumber(text: string): Decimal {
  const d = parseDecimal(text);
  if (d === undefined) throw validationError(text === '' ? CANNOT_CONVERT : `${CANNOT_CONVERT}: ${text}`);
  checkRange(d);
  return d;
}

function formatDecimal(d: Decimal): string {
  if (d.digits === '') return '0';
  const sign = d.negative ? '-' : '';
  if (d.exponent >= 0) return sign + d.digits + '0'.repeat(d.exponent);
  const point = d.digits.length + d.exponent;
  if (point > 0) return `${sign}${d.digits.slice(0, point)}.${d.digits.slice(point)}`;
  return `${sign}0.${'0'.repeat(-point)}${d.digits}`;
}

/** DynamoDB's canonical text of a number; throws DynamoDB's ValidationException for text
 * that is not a number or is out of range. */
export function normalizeNumber(text: string): string {
  return formatDecimal(readNumber(text));
}

/** A number's canonical text when it is one, else the text itself: a key for set
 * membership that never throws. */
export function numberKey(text: string): string {
  const d = parseDecimal(text);
  return d === undefined ? text : formatDecimal(d);
}

function toBigInt(d: Decimal, exponent: number): bigint {
  if (d.digits === '') return 0n;
  const magnitude = BigInt(d.digits) * 10n ** BigInt(d.exponent - exponent);
  return d.negative ? -magnitude : magnitude;
}

function fromBigInt(value: bigint, exponent: number): Decimal {
  if (value === 0n) return { negative: false, digits: '', exponent: 0 };
  const text = (value < 0n ? -value : value).toString();
  let last = text.length - 1;
  while (text.charCodeAt(last) === 48) last--;
  return {
    negative: value < 0n,
    digits: text.slice(0, last + 1),
    exponent: exponent + text.length - 1 - last,
  };
}

function sum(a: string, b: string, negateB: boolean): string {
  const x = readNumber(a);
  const y = readNumber(b);
  const exponent = Math.min(
    x.digits === '' ? y.exponent : x.exponent,
    y.digits === '' ? x.exponent : y.exponent,
  );
  const right = toBigInt(y, exponent);
  const result = fromBigInt(toBigInt(x, exponent) + (negateB ? -right : right), exponent);
  checkRange(result);
  return formatDecimal(result);
}

/** a + b, exact; throws DynamoDB's ValidationException when the result is not storable. */
export function addNumbers(a: string, b: string): string {
  return sum(a, b, false);
}

/** a - b, exact; throws DynamoDB's ValidationException when the result is not storable. */
export function subtractNumbers(a: string, b: string): string {
  return sum(a, b, true);
}

/** Plain integers of up to 15 digits compare as JS numbers without loss. */
function isSmallInteger(text: string): boolean {
  const length = text.length;
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  if (length === start || length - start > 15) return false;
  if (text.charCodeAt(start) === 48 && length - start > 1) return false;
  for (let i = start; i < length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

function signOf(d: Decimal): number {
  if (d.digits === '') return 0;
  return d.negative ? -1 : 1;
}

function compareMagnitudes(a: Decimal, b: Decimal): number {
  const ea = adjustedExponent(a);
  const eb = adjustedExponent(b);
  if (ea !== eb) return ea < eb ? -1 : 1;
  const length = Math.max(a.digits.length, b.digits.length);
  for (let i = 0; i < length; i++) {
    const x = i < a.digits.length ? a.digits.charCodeAt(i) : 48;
    const y = i < b.digits.length ? b.digits.charCodeAt(i) : 48;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Numeric order of two number texts: negative, zero or positive. Text that is not a
 * number orders as a string after every number, so comparison never throws. */
export function compareNumbers(a: string, b: string): number {
  if (a === b) return 0;
  if (isSmallInteger(a) && isSmallInteger(b)) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (x === undefined || y === undefined) {
    if (x !== undefined) return -1;
    if (y !== undefined) return 1;
    return a < b ? -1 : 1;
  }
  const sx = signOf(x);
  const sy = signOf(y);
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  return sx * compareMagnitudes(x, y);
}

/**
 * The bytes a number costs in an item's size, as DynamoDB measures it: one, plus one per
 * two significant digits on each side of the point (rounded up), plus one if negative.
 */
export function numberByteSize(text: string): number {
  const d = readNumber(text);
  if (d.digits === '') return 1;
  const point = d.digits.length + d.exponent;
  const integerDigits = Math.min(Math.max(point, 0), d.digits.length);
  const fractionDigits = d.digits.length - integerDigits;
  return 1 + Math.ceil(integerDigits / 2) + Math.ceil(fractionDigits / 2) + (d.negative ? 1 : 0);
}
