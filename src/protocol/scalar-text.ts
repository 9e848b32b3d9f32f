/**
 * Scalar values as the XML and query protocols carry them in text: XML escaping, timestamps
 * in the three Smithy formats, numbers (with NaN and the infinities), booleans and base64.
 * The parsers return undefined for text that is not a value of the type, so each protocol
 * raises its own error code.
 */
import type { Traits } from './model.js';

export type TimestampFormat = NonNullable<Traits['timestampFormat']>;

/** Replacements for the ASCII characters text content cannot hold as they are. */
const TEXT_ESCAPES: (string | undefined)[] = [];
/** Attribute values also lose tabs and newlines to attribute-value normalisation. */
const ATTRIBUTE_ESCAPES: (string | undefined)[] = [];
for (let c = 0; c < 0x20; c++) {
  // XML 1.0 cannot hold most control characters even as references; the SDKs' lenient parsers
  // read the references back, so they are written rather than lost.
  const ref = `&#x${c.toString(16).toUpperCase()};`;
  ATTRIBUTE_ESCAPES[c] = ref;
  // a raw CR would be normalised away by the reader: AWS writes it as &#xD;
  if (c !== 0x09 && c !== 0x0a) TEXT_ESCAPES[c] = ref;
}
for (const [ch, ref] of [
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&apos;'],
] as const) {
  TEXT_ESCAPES[ch.charCodeAt(0)] = ref;
  ATTRIBUTE_ESCAPES[ch.charCodeAt(0)] = ref;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: XML escaping exists to find them
const TEXT_SPECIALS = /[\u0000-\u0008\u000B-\u001F&<>"']/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: XML escaping exists to find them
const ATTRIBUTE_SPECIALS = /[\u0000-\u001F&<>"']/g;
/** Which ASCII characters each table replaces, for the loop over a short string. */
const specialsOf = (table: (string | undefined)[]) =>
  Uint8Array.from({ length: 0x80 }, (_, c) => (table[c] === undefined ? 0 : 1));
const TEXT_SPECIAL = specialsOf(TEXT_ESCAPES);
const ATTRIBUTE_SPECIAL = specialsOf(ATTRIBUTE_ESCAPES);
/** Longer strings are escaped by one regex pass, which builds a flat string: appending pieces
 * in a loop builds a deep rope that costs more to flatten later than the loop saves (a JSON
 * message body is full of quotes). Short ones (keys, ETags) are quicker by the loop. */
const SHORT = 64;

const isSpecial = (special: Uint8Array, c: number) => c < 0x80 && special[c] === 1;

function escapeWith(specials: RegExp, special: Uint8Array, table: (string | undefined)[], s: string): string {
  if (s.length > SHORT) {
    specials.lastIndex = 0;
    return specials.test(s) ? s.replace(specials, (c) => table[c.charCodeAt(0)] as string) : s;
  }
  let at = 0;
  while (at < s.length && !isSpecial(special, s.charCodeAt(at))) at++;
  if (at === s.length) return s;
  let out = s.slice(0, at);
  let from = at;
  for (; at < s.length; at++) {
    const c = s.charCodeAt(at);
    if (!isSpecial(special, c)) continue;
    out += s.slice(from, at) + (table[c] as string);
    from = at + 1;
  }
  return out + s.slice(from);
}

/** Text content of an element. */
export const escapeXmlText = (s: string): string => escapeWith(TEXT_SPECIALS, TEXT_SPECIAL, TEXT_ESCAPES, s);
/** A double- or single-quoted attribute value. */
export const escapeXmlAttribute = (s: string): string =>
  escapeWith(ATTRIBUTE_SPECIALS, ATTRIBUTE_SPECIAL, ATTRIBUTE_ESCAPES, s);

const ISO_8601 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;
const EPOCH_SECONDS = /^-?\d+(?:\.\d+)?$/;
const HTTP_DATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** A timestamp as AWS writes it: date-time with milliseconds unless the model says otherwise. */
export function formatTimestamp(value: unknown, format: TimestampFormat = 'date-time'): string {
  // numbers and strings are what `new Date` takes: epoch milliseconds or a date string
  const date = value instanceof Date ? value : new Date(value as number | string);
  switch (format) {
    case 'http-date':
      return date.toUTCString();
    case 'epoch-seconds':
      return String(date.getTime() / 1000);
    default:
      return isoTimestamp(date);
  }
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
/** The day of the last timestamp written, and its `YYYY-MM-DDT`: listings write many of one day. */
let cachedDay = Number.NaN;
let cachedDayText = '';

/** What `Date.toISOString()` gives, at a fifth of its cost. */
function isoTimestamp(date: Date): string {
  const ms = date.getTime();
  // an invalid date throws as toISOString does
  if (!Number.isFinite(ms)) return date.toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    const iso = new Date(day * DAY_MS).toISOString();
    cachedDayText = iso.slice(0, iso.length - 'HH:MM:SS.mmmZ'.length);
    cachedDay = day;
  }
  let rest = ms - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  const pad = millis < 10 ? '00' : millis < 100 ? '0' : '';
  return `${cachedDayText}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${pad}${millis}Z`;
}

/** A timestamp in any of the three formats (clients differ in what they send), or undefined. */
export function parseTimestamp(text: string): Date | undefined {
  let ms: number;
  if (ISO_8601.test(text) || HTTP_DATE.test(text)) ms = Date.parse(text);
  else if (EPOCH_SECONDS.test(text)) ms = Math.round(Number(text) * 1000);
  else return undefined;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function formatNumber(value: unknown): string {
  if (typeof value !== 'number' || Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

export function parseNumber(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

export function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

export function formatBase64(value: unknown): string {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  const bytes = value as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function parseBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const buf = Buffer.from(text, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
