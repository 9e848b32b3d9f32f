/**
 * Scan: the whole table, filters with Count and ScannedCount, Limit and paging, Select COUNT
 * and parallel scans with Segment/TotalSegments (disjoint segments that together cover the
 * table). Behaviour from the API reference (Scan) and the developer guide ("Parallel scan").
 */
import {
  type AttributeValue,
  PutItemCommand,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, expectValidation, startsWith, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const TABLE = uniqueName('scan');
const EMPTY = uniqueName('scan-empty');
const COUNT = 40;

const scan = (input: Omit<ScanCommandInput, 'TableName'> = {}) =>
  t.ddb.send(new ScanCommand({ TableName: TABLE, ...input }));
const ids = (items: Record<string, AttributeValue>[] | undefined) =>
  (items ?? []).map((i) => i.id.S ?? '').sort();
const allIds = Array.from({ length: COUNT }, (_, i) => `id-${String(i).padStart(2, '0')}`).sort();

beforeAll(async () => {
  await createTable(t.ddb, { name: TABLE, attributes: { id: 'S' }, key: ['id'] });
  await createTable(t.ddb, { name: EMPTY, attributes: { id: 'S' }, key: ['id'] });
  for (let i = 0; i < COUNT; i++) {
    await t.ddb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          id: { S: `id-${String(i).padStart(2, '0')}` },
          n: { N: String(i) },
          even: { BOOL: i % 2 === 0 },
        },
      }),
    );
  }
});

describe('Scan', () => {
  it('returns every item with Count and ScannedCount', async () => {
    const out = await scan();
    expect(ids(out.Items)).toEqual(allIds);
    expect(out.Count).toBe(COUNT);
    expect(out.ScannedCount).toBe(COUNT);
    expect(out.LastEvaluatedKey).toBeUndefined();
  });

  it('returns nothing from an empty table', async () => {
    const out = await t.ddb.send(new ScanCommand({ TableName: EMPTY }));
    expect(out.Items).toEqual([]);
    expect(out.Count).toBe(0);
  });

  it('filters after reading: Count is what matched, ScannedCount what was read', async () => {
    const out = await scan({
      FilterExpression: 'n >= :min',
      ExpressionAttributeValues: { ':min': { N: '30' } },
    });
    expect(out.Count).toBe(10);
    expect(out.ScannedCount).toBe(COUNT);
    expect(out.Items?.every((i) => Number(i.n.N) >= 30)).toBe(true);
  });

  it('Select COUNT counts without returning items', async () => {
    const out = await scan({
      Select: 'COUNT',
      FilterExpression: 'even = :t',
      ExpressionAttributeValues: { ':t': { BOOL: true } },
    });
    expect(out.Items).toBeUndefined();
    expect(out.Count).toBe(COUNT / 2);
  });

  it('pages with Limit and ExclusiveStartKey, covering every item once', async () => {
    const seen: string[] = [];
    let key: Record<string, AttributeValue> | undefined;
    let pages = 0;
    do {
      const page = await scan({ Limit: 7, ExclusiveStartKey: key });
      expect(page.ScannedCount).toBeLessThanOrEqual(7);
      seen.push(...ids(page.Items));
      key = page.LastEvaluatedKey;
      if (key) expect(Object.keys(key)).toEqual(['id']);
      pages += 1;
    } while (key && pages < 20);
    expect(seen.sort()).toEqual(allIds);
    expect(pages).toBeGreaterThanOrEqual(6);
  });

  it('splits the table into disjoint parallel segments that together cover it', async () => {
    const segments = await Promise.all(
      [0, 1, 2, 3].map(async (Segment) => {
        const found: string[] = [];
        let key: Record<string, AttributeValue> | undefined;
        do {
          const page = await scan({ Segment, TotalSegments: 4, Limit: 5, ExclusiveStartKey: key });
          found.push(...ids(page.Items));
          key = page.LastEvaluatedKey;
        } while (key);
        return found;
      }),
    );
    const all = segments.flat().sort();
    expect(all).toEqual(allIds);
    expect(new Set(all).size).toBe(COUNT);
  });

  it('requires Segment and TotalSegments together, with Segment below TotalSegments', async () => {
    await expectValidation(
      scan({ TotalSegments: 4 }),
      // captures differ on the word order of the tail ("parameter TotalSegments" / "TotalSegments parameter")
      startsWith('The Segment parameter is required but was not present in the request when '),
    );
    await expectValidation(
      scan({ Segment: 1 }),
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
    await expectValidation(
      scan({ Segment: 4, TotalSegments: 4 }),
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4',
    );
  });
});
