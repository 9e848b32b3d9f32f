/**
 * A streaming JSON reader that moves through its input exactly as Jackson's ReaderBasedJsonParser
 * does, because SNS reads filter policies with Jackson and reports errors at Jackson's position:
 * after a field name the first character of its value is already consumed, a string value is only
 * read to its closing quote when its text is asked for, a number stops before its terminator.
 * Syntax errors carry Jackson's messages (2.17+, which points at the offending character).
 */
import { describeLocation, LocatedError } from './located-error.js';

export type JsonToken =
  | 'startObject'
  | 'endObject'
  | 'startArray'
  | 'endArray'
  | 'fieldName'
  | 'string'
  | 'number'
  | 'true'
  | 'false'
  | 'null';

type ContextType = 'root' | 'object' | 'array';

interface Context {
  readonly type: ContextType;
  entries: number;
  readonly line: number;
  readonly column: number;
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LCURLY = 0x7b;
const RCURLY = 0x7d;

const MAX_NESTING_DEPTH = 1000;
const MAX_NUMBER_LENGTH = 1000;
const MAX_ERROR_TOKEN_LENGTH = 256;
const VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  '"': '"',
  '/': '/',
  '\\': '\\',
};
// Java's Character.isJavaIdentifierStart / isJavaIdentifierPart, which Jackson uses to name a bad token
const IDENTIFIER_START = /[\p{L}\p{Nl}\p{Sc}\p{Pc}]/u;
const IDENTIFIER_PART = /[\p{L}\p{Nl}\p{Sc}\p{Pc}\p{Nd}\p{Mn}\p{Mc}\p{Cf}]/u;
const TYPE_DESCRIPTION: Readonly<Record<ContextType, string>> = {
  root: 'root',
  object: 'Object',
  array: 'Array',
};
const STRUCTURAL_TEXT: Partial<Record<JsonToken, string>> = {
  startObject: '{',
  endObject: '}',
  startArray: '[',
  endArray: ']',
  true: 'true',
  false: 'false',
  null: 'null',
};

/** Java's isJavaIdentifierPart also counts the "identifier-ignorable" control characters. */
function isIdentifierPart(c: number): boolean {
  if (c <= 0x08 || (c >= 0x0e && c <= 0x1b) || (c >= 0x7f && c <= 0x9f)) return true;
  return IDENTIFIER_PART.test(String.fromCharCode(c));
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Jackson's _getCharDesc. */
function describeChar(c: number): string {
  const ch = String.fromCharCode(c);
  if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return `(CTRL-CHAR, code ${c})`;
  if (c > 255) return `'${ch}' (code ${c} / 0x${c.toString(16)})`;
  return `'${ch}' (code ${c})`;
}

export class JsonReader {
  private readonly src: string;
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly contexts: Context[] = [{ type: 'root', entries: 0, line: 1, column: 0 }];
  private current: JsonToken | undefined;
  private pending: JsonToken | undefined;
  private incompleteString = false;
  private value = '';
  private name = '';
  private tokenLine = 1;
  private tokenColumn = 0;

  constructor(src: string) {
    this.src = src;
  }

  get token(): JsonToken | undefined {
    return this.current;
  }

  /** The name of the field just read. */
  get currentName(): string {
    return this.name;
  }

  /** Jackson's getCurrentLocation(): the position after everything consumed so far. */
  location(): { line: number; column: number } {
    return { line: this.line, column: this.pos - this.lineStart + 1 };
  }

  /** Jackson's getText(): reading a string value to its end if it was not yet. */
  text(): string {
    switch (this.current) {
      case 'string':
        if (this.incompleteString) {
          this.value = this.readQuoted('string value');
          this.incompleteString = false;
        }
        return this.value;
      case 'number':
        return this.value;
      case 'fieldName':
        return this.name;
      case undefined:
        return '';
      default:
        return STRUCTURAL_TEXT[this.current] ?? '';
    }
  }

  /** True once the first root value has been read to its end. */
  get finishedRoot(): boolean {
    return this.contexts.length === 1 && this.current !== undefined && this.current !== 'fieldName';
  }

  nextToken(): JsonToken | undefined {
    if (this.current === 'fieldName') return this.afterName();
    if (this.incompleteString) this.skipString();
    let c = this.skipWhitespace();
    if (c < 0) return this.handleEnd();
    if (c === RBRACKET || c === RCURLY) return this.closeScope(c);
    const context = this.top();
    if (context.entries++ > 0 && context.type !== 'root') c = this.skipComma(c, context);
    const inObject = context.type === 'object';
    if (inObject) {
      this.name =
        c === QUOTE
          ? this.readQuoted('name')
          : this.unexpected(c, 'was expecting double-quote to start field name');
      this.current = 'fieldName';
      c = this.skipColon();
    }
    this.markToken();
    const token = this.startValue(c, inObject);
    if (inObject) {
      this.pending = token;
      return this.current;
    }
    this.current = token;
    return token;
  }

  private top(): Context {
    return this.contexts[this.contexts.length - 1]!;
  }

  private markToken(): void {
    this.tokenLine = this.line;
    this.tokenColumn = this.pos - this.lineStart;
  }

  private afterName(): JsonToken {
    const token = this.pending!;
    this.pending = undefined;
    if (token === 'startArray') this.push('array');
    else if (token === 'startObject') this.push('object');
    this.current = token;
    return token;
  }

  private push(type: ContextType): void {
    const depth = this.contexts.length;
    if (depth > MAX_NESTING_DEPTH) {
      throw new LocatedError(
        `Document nesting depth (${depth}) exceeds the maximum allowed (${MAX_NESTING_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`,
      );
    }
    this.contexts.push({ type, entries: 0, line: this.tokenLine, column: this.tokenColumn });
  }

  private handleEnd(): undefined {
    const context = this.top();
    if (context.type !== 'root') {
      const start = describeLocation(context.line, context.column);
      this.fail(
        `Unexpected end-of-input: expected close marker for ${TYPE_DESCRIPTION[context.type]} (start marker at ${start})`,
      );
    }
    this.current = undefined;
    return undefined;
  }

  private closeScope(c: number): JsonToken {
    const context = this.top();
    this.markToken();
    const closesArray = c === RBRACKET;
    if (context.type !== (closesArray ? 'array' : 'object')) {
      const start = describeLocation(context.line, context.column);
      this.fail(
        `Unexpected close marker '${String.fromCharCode(c)}': expected '${closesArray ? '}' : ']'}' (for ${TYPE_DESCRIPTION[context.type]} starting at ${start})`,
      );
    }
    this.contexts.pop();
    this.current = closesArray ? 'endArray' : 'endObject';
    return this.current;
  }

  private startValue(c: number, inObject: boolean): JsonToken {
    switch (c) {
      case QUOTE:
        this.incompleteString = true;
        return 'string';
      case LBRACKET:
        if (!inObject) this.push('array');
        return 'startArray';
      case LCURLY:
        if (!inObject) this.push('object');
        return 'startObject';
      case RCURLY:
        return this.unexpected(c, 'expected a value');
      case 0x74:
        return this.matchWord('true');
      case 0x66:
        return this.matchWord('false');
      case 0x6e:
        return this.matchWord('null');
      case MINUS:
        return this.readNumber(true);
      default:
        return isDigit(c) ? this.readNumber(false) : this.oddValue(c);
    }
  }

  private newline(): void {
    this.line++;
    this.lineStart = this.pos;
  }

  /** Skips whitespace (counting lines as Jackson does) and returns the next character, consumed; -1 at the end. */
  private skipWhitespace(): number {
    while (this.pos < this.src.length) {
      const c = this.src.charCodeAt(this.pos++);
      if (c > SPACE) {
        if (c === SLASH) {
          this.unexpected(
            c,
            "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
          );
        }
        return c;
      }
      if (c === LF) this.newline();
      else if (c === CR) {
        if (this.src.charCodeAt(this.pos) === LF) this.pos++;
        this.newline();
      } else if (c !== SPACE && c !== TAB) {
        this.fail(
          `Illegal character (${describeChar(c)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`,
        );
      }
    }
    return -1;
  }

  private skipComma(c: number, context: Context): number {
    const entries = `${TYPE_DESCRIPTION[context.type]} entries`;
    if (c !== COMMA) this.unexpected(c, `was expecting comma to separate ${entries}`);
    const next = this.skipWhitespace();
    if (next < 0) this.fail(`Unexpected end-of-input within/between ${entries}`);
    return next;
  }

  private skipColon(): number {
    const entries = `${TYPE_DESCRIPTION[this.top().type]} entries`;
    let c = this.skipWhitespace();
    if (c >= 0 && c !== COLON) this.unexpected(c, 'was expecting a colon to separate field name and value');
    if (c >= 0) c = this.skipWhitespace();
    if (c < 0) this.fail(`Unexpected end-of-input within/between ${entries}`);
    return c;
  }

  /** Reads the rest of a quoted name or string value, whose opening quote is consumed. */
  private readQuoted(what: 'name' | 'string value'): string {
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= this.src.length) {
        this.fail(
          what === 'name'
            ? 'Unexpected end-of-input in field name'
            : 'Unexpected end-of-input: was expecting closing quote for a string value',
        );
      }
      const c = this.src.charCodeAt(this.pos++);
      if (c === QUOTE) return out + this.src.slice(start, this.pos - 1);
      if (c === BACKSLASH) {
        out += this.src.slice(start, this.pos - 1) + this.decodeEscape();
        start = this.pos;
      } else if (c < SPACE) {
        this.fail(
          `Illegal unquoted character (${describeChar(c)}): has to be escaped using backslash to be included in ${what}`,
        );
      }
    }
  }

  private skipString(): void {
    this.readQuoted('string value');
    this.incompleteString = false;
  }

  private decodeEscape(): string {
    const c = this.escapeChar();
    const simple = SIMPLE_ESCAPES[String.fromCharCode(c)];
    if (simple !== undefined) return simple;
    if (c !== 0x75) this.fail(`Unrecognized character escape ${describeChar(c)}`);
    let code = 0;
    for (let i = 0; i < 4; i++) {
      const h = this.escapeChar();
      const digit = Number.parseInt(String.fromCharCode(h), 16);
      if (Number.isNaN(digit)) this.unexpected(h, 'expected a hex-digit for character escape sequence');
      code = (code << 4) | digit;
    }
    return String.fromCharCode(code);
  }

  private escapeChar(): number {
    if (this.pos >= this.src.length) this.fail('Unexpected end-of-input in character escape sequence');
    return this.src.charCodeAt(this.pos++);
  }

  private matchWord(word: 'true' | 'false' | 'null'): JsonToken {
    for (let i = 1; i < word.length; i++) {
      if (this.src[this.pos] !== word[i]) this.invalidToken(word.slice(0, i));
      this.pos++;
    }
    // Jackson only looks for a longer token when the next character is at least '0'
    const next = this.src.charCodeAt(this.pos);
    if (next >= ZERO && isIdentifierPart(next)) this.invalidToken(word);
    return word;
  }

  private invalidToken(matched: string): never {
    let token = matched;
    while (this.pos < this.src.length && isIdentifierPart(this.src.charCodeAt(this.pos))) {
      token += this.src[this.pos++];
      if (token.length >= MAX_ERROR_TOKEN_LENGTH) {
        token += '...';
        break;
      }
    }
    return this.fail(`Unrecognized token '${token}': was expecting ${VALID_VALUES}`);
  }

  private oddValue(c: number): never {
    if (c === 0x4e) {
      this.matchNonStandard('NaN');
    } else if (c === 0x49) {
      this.matchNonStandard('Infinity');
    } else if (c === PLUS) {
      if (this.pos < this.src.length) this.pos++;
      this.numberChar(
        PLUS,
        'JSON spec does not allow numbers to have plus signs: enable `JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS` to allow',
      );
    } else if (IDENTIFIER_START.test(String.fromCharCode(c))) {
      this.invalidToken(String.fromCharCode(c));
    }
    return this.unexpected(c, `expected a valid value ${VALID_VALUES}`);
  }

  private matchNonStandard(word: 'NaN' | 'Infinity'): never {
    for (let i = 1; i < word.length; i++) {
      if (this.src[this.pos] !== word[i]) this.invalidToken(word.slice(0, i));
      this.pos++;
    }
    return this.fail(
      `Non-standard token '${word}': enable \`JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS\` to allow`,
    );
  }

  /** Reads a number whose first character ('-' or a digit) is consumed; stops before its terminator. */
  private readNumber(negative: boolean): JsonToken {
    const start = this.pos - 1;
    const entry = this.pos;
    let p = negative ? this.firstDigit() : this.pos;
    // Jackson's fast path reports a bad fraction or exponent where it stood before reading the
    // number; a number starting with 0 takes its slow path, which reports after the bad character
    const zero = this.src.charCodeAt(p - 1) === ZERO;
    const reported = zero ? -1 : entry;
    if (zero && isDigit(this.src.charCodeAt(p))) {
      this.pos = p;
      this.fail('Invalid numeric value: Leading zeroes not allowed');
    }
    while (isDigit(this.src.charCodeAt(p))) p++;
    if (this.src.charCodeAt(p) === DOT)
      p = this.digitsAfter(p + 1, reported, 'Decimal point not followed by a digit');
    const e = this.src.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      const sign = this.src.charCodeAt(p + 1);
      p = this.digitsAfter(
        sign === PLUS || sign === MINUS ? p + 2 : p + 1,
        reported,
        'Exponent indicator not followed by a digit',
      );
    }
    this.pos = p;
    this.value = this.src.slice(start, p);
    if (this.value.length > MAX_NUMBER_LENGTH) {
      throw new LocatedError(
        `Number value length (${this.value.length}) exceeds the maximum allowed (${MAX_NUMBER_LENGTH}, from \`StreamReadConstraints.getMaxNumberLength()\`)`,
      );
    }
    return 'number';
  }

  /** After a minus sign: consumes the first digit, which must be there. */
  private firstDigit(): number {
    if (this.pos >= this.src.length) this.fail('Unexpected end-of-input in a Number value');
    const first = this.src.charCodeAt(this.pos++);
    if (!isDigit(first))
      this.numberChar(first, 'expected digit (0-9) to follow minus sign, for valid numeric value');
    return this.pos;
  }

  /** Digits that must follow a decimal point or exponent; `reported` is where an error is reported (-1: after the bad character). */
  private digitsAfter(p: number, reported: number, missing: string): number {
    let q = p;
    while (isDigit(this.src.charCodeAt(q))) q++;
    if (q > p) return q;
    if (q >= this.src.length) {
      this.pos = this.src.length;
      this.fail('Unexpected end-of-input in a Number value');
    }
    this.pos = reported < 0 ? q + 1 : reported;
    return this.numberChar(this.src.charCodeAt(q), missing);
  }

  private numberChar(c: number, comment: string): never {
    return this.fail(`Unexpected character (${describeChar(c)}) in numeric value: ${comment}`);
  }

  /** Jackson 2.17+ reports an unexpected character at its own column. */
  private unexpected(c: number, comment: string): never {
    return this.fail(`Unexpected character (${describeChar(c)}): ${comment}`, this.pos - this.lineStart);
  }

  private fail(message: string, column = this.pos - this.lineStart + 1): never {
    throw new LocatedError(message, this.line, column);
  }
}
