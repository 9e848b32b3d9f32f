import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { buildTable, type TableMeta } from '../../src/services/dynamodb/catalog.js';
import {
  checkItemKeys,
  checkKey,
  checkValue,
  isTopLevelProblem,
} from '../../src/services/dynamodb/validation.js';

const meta: TableMeta = {
  name: 'orders',
  tableId: 'id',
  createdAt: 0,
  attributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'email', AttributeType: 'S' },
  ],
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  billingMode: 'PAY_PER_REQUEST',
  throughput: { read: 0, write: 0, decreasesToday: 0 },
  gsis: [
    {
      no: 1,
      name: 'by-email',
      keySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
      projection: { ProjectionType: 'ALL' },
    },
  ],
  lsis: [],
  nextIndexNo: 2,
  deletionProtection: false,
};
const table = buildTable(1, '000000000000', 'us-east-1', meta);

const messageOf = (f: () => void) => {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
};

describe('attribute values', () => {
  it('normalises numbers in place, nested ones and set members too', () => {
    const n: AttributeValue = { N: '-1.25E-3' };
    checkValue(n);
    expect(n).toEqual({ N: '-0.00125' });
    const v: AttributeValue = { M: { a: { N: '1.0' }, s: { NS: ['2.50', '3'] } } };
    checkValue(v);
    expect(v).toEqual({ M: { a: { N: '1' }, s: { NS: ['2.5', '3'] } } });
  });

  it('answers each malformed value with its message', () => {
    expect(messageOf(() => checkValue({} as AttributeValue))).toBe(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
    expect(messageOf(() => checkValue({ S: 'a', BOOL: true } as unknown as AttributeValue))).toBe(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
    expect(messageOf(() => checkValue({ SS: [] }))).toBe(
      'One or more parameter values were invalid: An string set  may not be empty',
    );
    expect(messageOf(() => checkValue({ NS: ['1', '1.0'] }))).toBe('Input collection contains duplicates');
    expect(messageOf(() => checkValue({ SS: ['a', 'a'] }))).toBe(
      'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
    );
    expect(messageOf(() => checkValue({ N: '1e126' }))).toBe(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
    expect(messageOf(() => checkValue({ NULL: false }))).toBe(
      'One or more parameter values were invalid: Null attribute value types must have the value of true',
    );
  });

  it('limits nesting to 32 levels', () => {
    let deep: AttributeValue = { S: 'x' };
    for (let i = 0; i < 32; i++) deep = { L: [deep] };
    expect(messageOf(() => checkValue(deep))).toBe('Nesting Levels have exceeded supported limits');
  });
});

describe('keys', () => {
  it('names the missing or mistyped key attribute of an item', () => {
    expect(messageOf(() => checkItemKeys(table, { pk: { S: 'a' } }))).toBe(
      'One or more parameter values were invalid: Missing the key sk in the item',
    );
    expect(messageOf(() => checkItemKeys(table, { pk: { S: 'a' }, sk: { S: '1' } }))).toBe(
      'One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S',
    );
    expect(messageOf(() => checkItemKeys(table, { pk: { S: 'a' }, sk: { N: '1' }, email: { N: '2' } }))).toBe(
      'One or more parameter values were invalid: Type mismatch for Index Key email Expected: S Actual: N IndexName: by-email',
    );
  });

  it('refuses a Key with other or missing attributes, and empty key strings up front', () => {
    const mismatch = 'The provided key element does not match the schema';
    expect(messageOf(() => checkKey(table, { pk: { S: 'a' } }))).toBe(mismatch);
    expect(messageOf(() => checkKey(table, { pk: { S: 'a' }, sk: { N: '1' }, x: { S: 'b' } }))).toBe(
      mismatch,
    );
    const empty = messageOf(() => checkKey(table, { pk: { S: '' }, sk: { N: '1' } }));
    expect(empty).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
    let thrown: unknown;
    try {
      checkKey(table, { pk: { S: '' }, sk: { N: '1' } });
    } catch (err) {
      thrown = err;
    }
    expect(isTopLevelProblem(thrown)).toBe(true);
  });
});
