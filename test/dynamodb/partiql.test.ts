import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/errors.js';
import { parseStatement } from '../../src/services/dynamodb/partiql/parser.js';
import { ExpressionWriter } from '../../src/services/dynamodb/partiql/translate.js';

function whereText(statement: string, params = []) {
  const { statement: s } = parseStatement(statement);
  if (s.kind !== 'select' || !s.where) throw new Error('no WHERE');
  const w = new ExpressionWriter(params);
  return { text: w.condition(s.where), names: w.names, values: w.values };
}

describe('PartiQL parsing', () => {
  it('reads the statements of the developer guide', () => {
    expect(parseStatement('SELECT * FROM "Music" WHERE Artist = ? AND SongTitle = ?').parameterCount).toBe(2);
    const update = parseStatement(
      `UPDATE Music SET AwardsWon = 1 REMOVE Genre WHERE Artist = 'Acme' RETURNING MODIFIED NEW *`,
    );
    expect(update.statement).toMatchObject({
      kind: 'update',
      returning: 'MODIFIED NEW',
      source: { table: 'Music' },
    });
    const insert = parseStatement(
      `INSERT INTO "Music" VALUE {'Artist': 'a', 'Tags': <<'x'>>, 'L': [1, -2.5, true, null]}`,
    );
    expect(insert.statement.kind).toBe('insert');
    const index = parseStatement(`SELECT a.b[2].c FROM "t"."i" WHERE x IS NOT MISSING ORDER BY k DESC`);
    expect(index.statement).toMatchObject({
      kind: 'select',
      source: { table: 't', index: 'i' },
      projection: [{ kind: 'path', segments: ['a', 'b', 2, 'c'] }],
      descending: true,
    });
  });

  it('writes WHERE clauses as expressions with placeholders and only the parentheses they need', () => {
    const a = whereText(`SELECT * FROM t WHERE (a = 1 OR b = 2) AND NOT (c < 'x' AND d IS MISSING)`);
    expect(a.text).toBe('(#n0 = :v0 OR #n1 = :v1) AND NOT (#n2 < :v2 AND attribute_not_exists(#n3))');
    expect(a.names).toEqual({ '#n0': 'a', '#n1': 'b', '#n2': 'c', '#n3': 'd' });
    expect(a.values).toEqual({ ':v0': { N: '1' }, ':v1': { N: '2' }, ':v2': { S: 'x' } });
    const b = whereText(`SELECT * FROM t WHERE ((a = 1))`);
    expect(b.text).toBe('#n0 = :v0');
    const c = whereText(`SELECT * FROM t WHERE x IS NULL AND y IN [1, 2]`);
    expect(c.text).toBe('(attribute_not_exists(#n0) OR attribute_type(#n0, :v0)) AND #n1 IN (:v1, :v2)');
  });

  it('answers malformed statements only with a ValidationException', () => {
    const pieces = [
      'SELECT',
      '*',
      'FROM',
      '"t"',
      'WHERE',
      'a',
      '=',
      "'x'",
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      '<<',
      '>>',
      ',',
      '.',
      '?',
      'AND',
      'OR',
      'NOT',
      'IS',
      'MISSING',
      'UPDATE',
      'SET',
      'REMOVE',
      'INSERT',
      'INTO',
      'VALUE',
      'DELETE',
      'RETURNING',
      '1',
      ':',
      "'",
      '"',
      '!',
      'EXISTS',
    ];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 5000; i++) {
      const n = 1 + Math.floor(rand() * 12);
      const text = Array.from({ length: n }, () => pieces[Math.floor(rand() * pieces.length)]).join(' ');
      try {
        parseStatement(text);
      } catch (err) {
        expect(err).toBeInstanceOf(AwsError);
        expect((err as AwsError).code).toBe('ValidationException');
      }
    }
  });
});

describe('PartiQL nesting', () => {
  it('refuses absurdly deep nesting with a ValidationException, not a stack overflow', () => {
    const deep = `SELECT * FROM t WHERE ${'('.repeat(5000)}a = 1${')'.repeat(5000)}`;
    expect(() => parseStatement(deep)).toThrow(AwsError);
    const list = `INSERT INTO t VALUE ${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(() => parseStatement(list)).toThrow(AwsError);
  });
});
