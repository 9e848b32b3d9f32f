/**
 * Malformed input of any kind must end in a ValidationException, never another error:
 * random strings, mutations of valid expressions, hostile nesting, and evaluation of
 * whatever parses against random items.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/errors.js';
import {
  applyUpdate,
  ExpressionScope,
  evaluate,
  type Item,
  type KeySchema,
  matchesRange,
  project,
} from '../../../src/services/dynamodb/expressions/index.js';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = { '#a': 'a', '#b': 'b', '#l': 'l', '#m': 'm', '#dot': 'x.y', '#n': 'n' };
const VALUES: Record<string, AttributeValue> = {
  ':s': { S: 'ab' },
  ':n': { N: '2' },
  ':big': { N: '9.9e125' },
  ':b': { B: new Uint8Array([1, 2]) },
  ':ss': { SS: ['ab', 'cd'] },
  ':ns': { NS: ['1', '2'] },
  ':bs': { BS: [new Uint8Array([1])] },
  ':l': { L: [{ S: 'ab' }, { N: '1' }] },
  ':m': { M: { a: { N: '1' } } },
  ':t': { BOOL: true },
  ':null': { NULL: true },
  ':type': { S: 'N' },
  ':empty': { S: '' },
};

const CONDITIONS = [
  'a = :s AND (b < :n OR NOT attribute_exists(#m.c))',
  'begins_with(#l[0], :s) AND contains(a, :s) AND size(#m) > :n',
  'n BETWEEN :n AND :big AND a IN (:s, :n, :b)',
  'attribute_type(#dot, :type) OR l[1].x <> :l',
  '((a = :s) OR (b = :n)) AND NOT (size(l) >= :n)',
];
const UPDATES = [
  'SET a = :s, n = if_not_exists(n, :n) + :n REMOVE l[0], #m.c ADD s :ss DELETE ns :ns',
  'SET l = list_append(if_not_exists(l, :l), :l), #m.d = #m.c - :n',
  'SET l[3] = :t, l[0] = :null, b = (n + :n) REMOVE #dot',
  'ADD n :n, ss :ss DELETE bs :bs SET m.x = :m',
];
const PROJECTIONS = ['a, b, #m.c, l[1]', '#dot, l[0].x, m', 'n'];
const KEY_CONDITIONS = [
  'a = :s AND b BETWEEN :n AND :big',
  'a = :s AND begins_with(b, :s)',
  ':s = a AND :n < b',
];
const KEY: KeySchema = { hash: 'a', range: 'b' };

const FRAGMENTS = [
  ' ',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  '=',
  '<',
  '>',
  '<>',
  '<=',
  '>=',
  '+',
  '-',
  '#',
  ':',
  '"',
  '_',
  '0',
  '1',
  '9',
  '2147483648',
  'a',
  'b',
  'l',
  'm',
  'n',
  '#a',
  '#m',
  '#dot',
  '#missing',
  ':s',
  ':n',
  ':l',
  ':missing',
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
  'size',
  'contains',
  'begins_with',
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'if_not_exists',
  'list_append',
  'comment',
  'ü',
  '\u{1F600}',
  '\uD800',
  '\t',
];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

function randomText(next: () => number): string {
  const length = Math.floor(next() * 24);
  let text = '';
  for (let i = 0; i < length; i++) text += pick(next, FRAGMENTS);
  return text;
}

function mutate(next: () => number, text: string): string {
  let result = text;
  const edits = 1 + Math.floor(next() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (result.length + 1));
    const choice = next();
    if (choice < 0.3) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(next() * 4));
    else if (choice < 0.6) result = result.slice(0, at) + pick(next, FRAGMENTS) + result.slice(at);
    else if (choice < 0.8) result = result.slice(0, at);
    else result = result.slice(0, at) + result.slice(at, at + 6) + result.slice(at);
  }
  return result;
}

function randomValue(next: () => number, depth: number): AttributeValue {
  const kind = Math.floor(next() * (depth > 2 ? 6 : 8));
  switch (kind) {
    case 0:
      return { S: pick(next, ['', 'ab', 'abc', 'x']) };
    case 1:
      return { N: pick(next, ['0', '2', '-1.5', '1e125', '99999999999999999999999999999999999999']) };
    case 2:
      return { B: new Uint8Array([1, 2, 3].slice(0, Math.floor(next() * 4))) };
    case 3:
      return pick<AttributeValue>(next, [{ SS: ['ab'] }, { NS: ['1', '3'] }, { BS: [new Uint8Array([1])] }]);
    case 4:
      return { BOOL: next() < 0.5 };
    case 5:
      return { NULL: true };
    case 6:
      return { L: Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1)) };
    default:
      return { M: randomItem(next, depth + 1) };
  }
}

function randomItem(next: () => number, depth = 0): Item {
  const item: Item = {};
  for (const name of ['a', 'b', 'c', 'l', 'm', 'n', 'x.y', 'ss', 'ns', 'bs']) {
    if (next() < 0.6) item[name] = randomValue(next, depth);
  }
  return item;
}

/** Runs an action that may reject its input: only a ValidationException is acceptable. */
function onlyValidationErrors(input: string, action: () => void): boolean {
  try {
    action();
    return true;
  } catch (error) {
    if (
      !(error instanceof AwsError) ||
      error.code !== 'ValidationException' ||
      error.status !== 400 ||
      error.message === ''
    ) {
      throw new Error(`${JSON.stringify(input)} threw ${String(error)}`);
    }
    return false;
  }
}

function exercise(next: () => number, kind: number, text: string): void {
  const scope = new ExpressionScope(NAMES, VALUES);
  const items = [randomItem(next), randomItem(next), {}];
  if (kind === 0) {
    let condition: ReturnType<ExpressionScope['condition']> | undefined;
    if (onlyValidationErrors(text, () => (condition = scope.condition(text, 'FilterExpression')))) {
      for (const item of items) expect(typeof evaluate(condition!, item)).toBe('boolean');
    }
  } else if (kind === 1) {
    let update: ReturnType<ExpressionScope['update']> | undefined;
    if (onlyValidationErrors(text, () => (update = scope.update(text)))) {
      for (const item of items) {
        onlyValidationErrors(text, () => {
          const result = applyUpdate(update!, item);
          project(item, result.changedPaths);
          project(result.item, result.changedPaths);
        });
      }
    }
  } else if (kind === 2) {
    let projection: ReturnType<ExpressionScope['projection']> | undefined;
    if (onlyValidationErrors(text, () => (projection = scope.projection(text)))) {
      for (const item of items) expect(typeof project(item, projection!)).toBe('object');
    }
  } else {
    let keyCondition: ReturnType<ExpressionScope['keyCondition']> | undefined;
    if (onlyValidationErrors(text, () => (keyCondition = scope.keyCondition(text, KEY)))) {
      for (const item of items)
        if (item.b) expect(typeof matchesRange(keyCondition!.range, item.b)).toBe('boolean');
    }
  }
}

describe('fuzzing', () => {
  it('the valid corpus parses and evaluates', () => {
    const next = random(1);
    for (const text of CONDITIONS) exercise(next, 0, text);
    for (const text of UPDATES) exercise(next, 1, text);
    for (const text of PROJECTIONS) exercise(next, 2, text);
    for (const text of KEY_CONDITIONS) exercise(next, 3, text);
    const scope = new ExpressionScope(NAMES, VALUES);
    expect(() => {
      for (const text of CONDITIONS) scope.condition(text);
    }).not.toThrow();
    expect(() => {
      for (const text of UPDATES) scope.update(text);
    }).not.toThrow();
  });

  it('random strings only ever produce ValidationExceptions', () => {
    const next = random(2);
    for (let i = 0; i < 4000; i++) exercise(next, i % 4, randomText(next));
  });

  it('mutations of valid expressions only ever produce ValidationExceptions', () => {
    const next = random(3);
    const corpora = [CONDITIONS, UPDATES, PROJECTIONS, KEY_CONDITIONS];
    let parsed = 0;
    for (let i = 0; i < 8000; i++) {
      const kind = i % 4;
      const text = mutate(next, pick(next, corpora[kind]!));
      const scope = new ExpressionScope(NAMES, VALUES);
      if (kind === 0 && onlyValidationErrors(text, () => scope.condition(text))) parsed++;
      exercise(next, kind, text);
    }
    // The mutations must leave some expressions valid, or evaluation goes untested.
    expect(parsed).toBeGreaterThan(25);
  });

  it('hostile nesting and sizes are refused cleanly', () => {
    const cases = [
      `${'('.repeat(2040)}a = :s${')'.repeat(2040)}`,
      `${'('.repeat(4000)}a = :s`,
      `${'('.repeat(600)}a = :s${')'.repeat(600)}`,
      `${'NOT '.repeat(1000)}a = :s`,
      `${'NOT ('.repeat(680)}a = :s${')'.repeat(680)}`,
      `${'size('.repeat(680)}a${')'.repeat(680)} > :n`,
      `a${'.b'.repeat(2000)} = :s`,
      `a${'[0]'.repeat(1000)} = :s`,
      `a = :s${' AND a = :s'.repeat(300)}`,
      `${'a = :s OR '.repeat(300)}a = :s`,
    ];
    for (const text of cases) {
      const scope = new ExpressionScope(NAMES, VALUES);
      expect(onlyValidationErrors(text, () => scope.condition(text))).toBe(false);
    }
    const update = `SET a = ${'if_not_exists(a, '.repeat(240)}:s${')'.repeat(240)}`;
    expect(onlyValidationErrors(update, () => new ExpressionScope(NAMES, VALUES).update(update))).toBe(false);
    const sums = `SET a = ${'('.repeat(2000)}a + :n${')'.repeat(2000)}`;
    expect(onlyValidationErrors(sums, () => new ExpressionScope(NAMES, VALUES).update(sums))).toBe(false);
  });
});
