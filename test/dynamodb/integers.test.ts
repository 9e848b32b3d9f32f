import { describe, expect, it } from 'vitest';
import { readingIntegers } from '../../src/services/dynamodb/integers.js';
import type { Handler, RequestContext } from '../../src/services/types.js';

const ctx = {} as RequestContext;
const echo: Handler = (input) => input;

describe('readingIntegers', () => {
  it('reads the Integer and Long members of a table definition as their integer part, at any depth', () => {
    const { CreateTable } = readingIntegers({ CreateTable: echo });
    const out = CreateTable(
      {
        TableName: 't',
        ProvisionedThroughput: { ReadCapacityUnits: 5.9, WriteCapacityUnits: 1.2 },
        GlobalSecondaryIndexes: [
          { IndexName: 'g', ProvisionedThroughput: { ReadCapacityUnits: 2.5, WriteCapacityUnits: 3 } },
        ],
        OnDemandThroughput: { MaxReadRequestUnits: 10.5 },
      },
      ctx,
    );
    expect(out).toEqual({
      TableName: 't',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 1 },
      GlobalSecondaryIndexes: [
        { IndexName: 'g', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } },
      ],
      OnDemandThroughput: { MaxReadRequestUnits: 10 },
    });
  });

  it('truncates towards zero and leaves whole numbers, other members and items alone', () => {
    const { Scan } = readingIntegers({ Scan: echo });
    const input = {
      Limit: -1.5,
      Segment: 0,
      TotalSegments: 4,
      ExclusiveStartKey: { Limit: { N: '2.5' } },
      ExpressionAttributeValues: { ':v': { N: '1.5' } },
    };
    expect(Scan(input, ctx)).toEqual({ ...input, Limit: -1 });
  });

  it('wraps only the operations that have such members', () => {
    const handlers = { PutItem: echo, Query: echo };
    const wrapped = readingIntegers(handlers);
    expect(wrapped.PutItem).toBe(echo);
    expect(wrapped.Query).not.toBe(echo);
    expect(wrapped.Query({ Limit: 2.5 }, ctx)).toEqual({ Limit: 2 });
  });
});
