/**
 * The tokens of DynamoDB's expression grammar, shared by conditions, updates and
 * projections: names ([A-Za-z][A-Za-z0-9_]*), #name and :value placeholders, list indexes
 * ("0" or [1-9][0-9]*), the nine keywords (any case), operators and punctuation. Any other
 * character is a token of its own that no rule accepts, so it surfaces as a syntax error.
 */

export const Tok = {
  Id: 0,
  Name: 1,
  Value: 2,
  Index: 3,
  And: 4,
  Or: 5,
  Not: 6,
  Between: 7,
  In: 8,
  Set: 9,
  Remove: 10,
  Add: 11,
  Delete: 12,
  Eq: 13,
  Ne: 14,
  Lt: 15,
  Le: 16,
  Gt: 17,
  Ge: 18,
  Plus: 19,
  Minus: 20,
  LParen: 21,
  RParen: 22,
  LBracket: 23,
  RBracket: 24,
  Comma: 25,
  Dot: 26,
  Unknown: 27,
  Eof: 28,
} as const;
export type TokenKind = (typeof Tok)[keyof typeof Tok];

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
}

export interface Tokens {
  readonly text: string;
  readonly list: readonly Token[];
  /** For each parenthesis token, the index of its partner; -1 when it has none. */
  readonly partner: Int32Array;
}

const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map([
  ['AND', Tok.And],
  ['OR', Tok.Or],
  ['NOT', Tok.Not],
  ['BETWEEN', Tok.Between],
  ['IN', Tok.In],
  ['SET', Tok.Set],
  ['REMOVE', Tok.Remove],
  ['ADD', Tok.Add],
  ['DELETE', Tok.Delete],
]);
const LONGEST_KEYWORD = 7;

const PUNCTUATION: Readonly<Record<string, TokenKind>> = {
  '=': Tok.Eq,
  '+': Tok.Plus,
  '-': Tok.Minus,
  '(': Tok.LParen,
  ')': Tok.RParen,
  '[': Tok.LBracket,
  ']': Tok.RBracket,
  ',': Tok.Comma,
  '.': Tok.Dot,
};

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isWordChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function wordEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
  return i;
}

function wordKind(text: string, start: number, end: number): TokenKind {
  if (end - start > LONGEST_KEYWORD) return Tok.Id;
  return KEYWORDS.get(text.slice(start, end).toUpperCase()) ?? Tok.Id;
}

function comparatorAt(text: string, i: number): [TokenKind, number] | undefined {
  const c = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  if (c === 60) {
    if (next === 62) return [Tok.Ne, 2];
    return next === 61 ? [Tok.Le, 2] : [Tok.Lt, 1];
  }
  if (c === 62) return next === 61 ? [Tok.Ge, 2] : [Tok.Gt, 1];
  return undefined;
}

/** One token starting at `i` (not whitespace): its kind and end. */
function scanToken(text: string, i: number): [TokenKind, number] {
  const c = text.charCodeAt(i);
  if (isLetter(c)) {
    const end = wordEnd(text, i + 1);
    return [wordKind(text, i, end), end];
  }
  if (c === 35 || c === 58) {
    const end = wordEnd(text, i + 1);
    if (end === i + 1) return [Tok.Unknown, end];
    return [c === 35 ? Tok.Name : Tok.Value, end];
  }
  if (c >= 48 && c <= 57) {
    let end = i + 1;
    if (c !== 48) while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
    return [Tok.Index, end];
  }
  const comparator = comparatorAt(text, i);
  if (comparator) return [comparator[0], i + comparator[1]];
  const punctuation = PUNCTUATION[text[i]!];
  if (punctuation !== undefined) return [punctuation, i + 1];
  const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length;
  return [Tok.Unknown, i + (pair ? 2 : 1)];
}

export function tokenize(text: string): Tokens {
  const list: Token[] = [];
  const opens: number[] = [];
  const pairs: Array<[number, number]> = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const [kind, end] = scanToken(text, i);
    if (kind === Tok.LParen) opens.push(list.length);
    else if (kind === Tok.RParen && opens.length > 0) pairs.push([opens.pop()!, list.length]);
    list.push({ kind, start: i, end });
    i = end;
  }
  list.push({ kind: Tok.Eof, start: text.length, end: text.length });
  const partner = new Int32Array(list.length).fill(-1);
  for (const [open, close] of pairs) {
    partner[open] = close;
    partner[close] = open;
  }
  return { text, list, partner };
}

/** The text a token covers; "<EOF>" for the end. */
export function tokenText(tokens: Tokens, index: number): string {
  const token = tokens.list[index]!;
  return token.kind === Tok.Eof ? '<EOF>' : tokens.text.slice(token.start, token.end);
}
