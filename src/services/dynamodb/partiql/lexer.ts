/**
 * PartiQL tokens as DynamoDB reads them: words (keywords are case-insensitive words),
 * "quoted identifiers", 'strings' (a doubled quote escapes one), numbers, ? parameters and
 * punctuation, including the << >> of set literals.
 */
import { AwsError } from '../../../errors.js';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  at: number;
}

const PUNCT = [
  '<<',
  '>>',
  '<>',
  '!=',
  '<=',
  '>=',
  '=',
  '<',
  '>',
  ',',
  '.',
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  ':',
  '*',
  '+',
  '-',
  ';',
];
const WORD_START = /[A-Za-z_]/;
const WORD = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;

export function malformed(detail?: string): AwsError {
  return new AwsError(
    'ValidationException',
    `Statement wasn't well formed, can't be processed${detail ? `: ${detail}` : ''}`,
    400,
  );
}

/** The end of a quoted run starting at `start` (the opening quote); a doubled quote escapes. */
function quoted(text: string, start: number, quote: string): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    const next = text.indexOf(quote, i);
    if (next < 0) throw malformed();
    value += text.slice(i, next);
    if (text[next + 1] === quote) {
      value += quote;
      i = next + 2;
    } else {
      return { value, end: next + 1 };
    }
  }
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '"' || c === "'") {
      const q = quoted(text, i, c);
      out.push({ kind: c === '"' ? 'quoted' : 'string', text: q.value, at: i });
      i = q.end;
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < text.length && WORD.test(text[end] as string)) end++;
      out.push({ kind: 'word', text: text.slice(i, end), at: i });
      i = end;
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(text[i + 1] ?? ''))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text) as RegExpExecArray;
      out.push({ kind: 'number', text: m[0], at: i });
      i += m[0].length;
    } else if (c === '?') {
      out.push({ kind: 'param', text: c, at: i });
      i++;
    } else {
      const p = PUNCT.find((s) => text.startsWith(s, i));
      if (!p) throw malformed(`Unexpected character: ${c}`);
      out.push({ kind: 'punct', text: p, at: i });
      i += p.length;
    }
  }
  out.push({ kind: 'eof', text: '', at: text.length });
  return out;
}
