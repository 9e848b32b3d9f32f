import { describe, expect, it } from 'vitest';
import { JsonReader, type JsonToken } from '../../../src/services/sns/filter-policy/json-reader.js';
import { LocatedError } from '../../../src/services/sns/filter-policy/located-error.js';

function readAll(json: string): void {
  const reader = new JsonReader(json);
  for (
    let token = reader.nextToken();
    token !== undefined && !reader.finishedRoot;
    token = reader.nextToken()
  ) {
    if (token === 'string') reader.text();
  }
}

function syntaxError(json: string): string {
  try {
    readAll(json);
  } catch (error) {
    if (error instanceof LocatedError) return error.jacksonMessage;
    throw error;
  }
  throw new Error(`read ${json} without error`);
}

const at = (line: number, column: number) =>
  `\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${line}, column: ${column}]`;
const VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

describe('JsonReader positions (Jackson ReaderBasedJsonParser)', () => {
  it('consumes the first character of a value with its field name', () => {
    const reader = new JsonReader('{"a":"xyz","b":12,"c":[true]}');
    const seen: [JsonToken | undefined, number][] = [];
    for (let t = reader.nextToken(); t !== undefined && !reader.finishedRoot; t = reader.nextToken()) {
      seen.push([t, reader.location().column]);
    }
    expect(seen).toEqual([
      ['startObject', 2],
      ['fieldName', 7], // after the opening quote of "xyz"
      ['string', 7], // the string is not read until asked for
      ['fieldName', 18], // skipping "xyz" unread, then b's number up to its terminator
      ['number', 18],
      ['fieldName', 24], // after c's '['
      ['startArray', 24],
      ['true', 28],
      ['endArray', 29],
    ]);
  });

  it('reads a string to its end when its text is asked for, decoding escapes', () => {
    const reader = new JsonReader('["a\\u00e9\\n\\"b"]');
    reader.nextToken();
    reader.nextToken();
    expect(reader.location().column).toBe(3);
    expect(reader.text()).toBe('aé\n"b');
    expect(reader.location().column).toBe(16);
  });

  it('counts lines on LF, CR and CRLF', () => {
    expect(syntaxError('{\n"a":\r\n[\r#]}')).toBe(
      `Unexpected character ('#' (code 35)): expected a valid value ${VALUES}${at(4, 1)}`,
    );
  });
});

describe('JsonReader syntax errors (Jackson 2.17 messages)', () => {
  const cases: [string, string][] = [
    [
      '{invalidjson}',
      `Unexpected character ('i' (code 105)): was expecting double-quote to start field name${at(1, 2)}`,
    ],
    ['{"a":[1,]}', `Unexpected character (']' (code 93)): expected a valid value ${VALUES}${at(1, 9)}`],
    ['{"a":}', `Unexpected character ('}' (code 125)): expected a value${at(1, 6)}`],
    [
      '{"a" ["x"]}',
      `Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value${at(1, 6)}`,
    ],
    [
      '{"a":["x" "y"]}',
      `Unexpected character ('"' (code 34)): was expecting comma to separate Array entries${at(1, 11)}`,
    ],
    [
      '{"a":["x"] "b"}',
      `Unexpected character ('"' (code 34)): was expecting comma to separate Object entries${at(1, 12)}`,
    ],
    [
      '{"a":["x"],}',
      `Unexpected character ('}' (code 125)): was expecting double-quote to start field name${at(1, 12)}`,
    ],
    [
      '{"a":["x"]',
      `Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: 1, column: 1])${at(1, 11)}`,
    ],
    [
      '{"a":[}',
      `Unexpected close marker '}': expected ']' (for Array starting at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: 1, column: 6])${at(1, 8)}`,
    ],
    ['{"a":["x', `Unexpected end-of-input: was expecting closing quote for a string value${at(1, 9)}`],
    ['{"a', `Unexpected end-of-input in field name${at(1, 4)}`],
    ['{"a"', `Unexpected end-of-input within/between Object entries${at(1, 5)}`],
    ['{"a":[tru]}', `Unrecognized token 'tru': was expecting ${VALUES}${at(1, 10)}`],
    ['{"a":[truex]}', `Unrecognized token 'truex': was expecting ${VALUES}${at(1, 12)}`],
    ['{"a":[abc]}', `Unrecognized token 'abc': was expecting ${VALUES}${at(1, 10)}`],
    ['{"a":[01]}', `Invalid numeric value: Leading zeroes not allowed${at(1, 8)}`],
    [
      '{"a":[-x]}',
      `Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value${at(1, 9)}`,
    ],
    [
      '{"a":[12.]}',
      `Unexpected character (']' (code 93)) in numeric value: Decimal point not followed by a digit${at(1, 8)}`,
    ],
    [
      '{"a":[1e+]}',
      `Unexpected character (']' (code 93)) in numeric value: Exponent indicator not followed by a digit${at(1, 8)}`,
    ],
    [
      '{"a":[NaN]}',
      `Non-standard token 'NaN': enable \`JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS\` to allow${at(1, 10)}`,
    ],
    [
      '{"a":["\u0001"]}',
      `Illegal unquoted character ((CTRL-CHAR, code 1)): has to be escaped using backslash to be included in string value${at(1, 9)}`,
    ],
    ['{"a":["\\q"]}', `Unrecognized character escape 'q' (code 113)${at(1, 10)}`],
    [
      '{"a":["\\u12g4"]}',
      `Unexpected character ('g' (code 103)): expected a hex-digit for character escape sequence${at(1, 12)}`,
    ],
    [
      '{"a":[/*x*/]}',
      `Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)${at(1, 7)}`,
    ],
    [
      '{"a":\u0001[]}',
      `Illegal character ((CTRL-CHAR, code 1)): only regular white space (\\r, \\n, \\t) is allowed between tokens${at(1, 7)}`,
    ],
    ['{"a":[\u00e9]}', `Unrecognized token 'é': was expecting ${VALUES}${at(1, 8)}`],
    [
      '{"a":[\u2603]}',
      `Unexpected character ('\u2603' (code 9731 / 0x2603)): expected a valid value ${VALUES}${at(1, 7)}`,
    ],
  ];

  it.each(cases)('%j', (json, message) => {
    expect(syntaxError(json)).toBe(message);
  });

  it('refuses nesting deeper than 1000 (StreamReadConstraints)', () => {
    expect(syntaxError('['.repeat(1001))).toBe(
      'Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)',
    );
    expect(() => readAll(`${'['.repeat(1000)}${']'.repeat(1000)}`)).not.toThrow();
  });

  it('refuses a number longer than 1000 characters (StreamReadConstraints)', () => {
    expect(syntaxError(`[${'1'.repeat(1001)}]`)).toBe(
      'Number value length (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)',
    );
  });
});
