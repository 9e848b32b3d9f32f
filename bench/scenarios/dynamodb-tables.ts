/**
 * The DynamoDB table the scenarios use: customers' orders under `pk` (the customer) and
 * `sk` (the order), 100 orders a customer, items of about 290 bytes of JSON, filled through the API
 * with BatchWriteItem over many connections.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { pump } from '../fill.js';
import { sdkRawRequest } from '../raw-request.js';
import { RequestTemplate } from '../request-template.js';

export const TABLE = 'bench-orders';
export const ORDERS_PER_CUSTOMER = 100;
type Item = Record<string, AttributeValue>;

const BATCH = 25;
const FILL_CONNECTIONS = 16;
const STATUSES = ['PENDING', 'SHIPPED', 'DELIVERED'];
const EPOCH = Date.UTC(2024, 0, 1);

export function customerKey(customer: number): string {
  return `customer#${String(customer).padStart(7, '0')}`;
}

export function orderKey(customer: number, order: number): Item {
  return { pk: { S: customerKey(customer) }, sk: { S: `order#${String(order).padStart(5, '0')}` } };
}

/** Order `order` of `customer`: the same item every time it is asked for. */
export function orderItem(customer: number, order: number): Item {
  const n = customer * ORDERS_PER_CUSTOMER + order;
  return {
    ...orderKey(customer, order),
    status: { S: STATUSES[n % 3] as string },
    total: { N: String((n % 50_000) / 100 + 5) },
    currency: { S: 'EUR' },
    createdAt: { S: new Date(EPOCH + n * 60_000).toISOString() },
    lines: {
      L: [{ M: { sku: { S: `SKU-${n % 997}` }, qty: { N: String(1 + (n % 4)) }, price: { N: '19.99' } } }],
    },
    tags: { SS: ['web', n % 2 ? 'gift' : 'priority'] },
  };
}

/** A customer's profile item, which the transaction scenario counts orders on. */
function profileItem(customer: number): Item {
  return { pk: { S: customerKey(customer) }, sk: { S: 'profile' }, orderCount: { N: '0' } };
}

/** `count` numbers spread over 0..range-1 (distinct while count <= range), the same ones every run. */
export function spread(count: number, range: number): number[] {
  // 7919 is prime, so coprime with the ranges used (powers of ten)
  return Array.from({ length: count }, (_, k) => (k * 7919) % range);
}

/** Creates the table with `customers` × 100 orders (and each customer's profile, if asked), and checks it. */
export async function createOrdersTable(url: string, customers: number, profiles = false): Promise<void> {
  const sdk = await import('@aws-sdk/client-dynamodb');
  const client = new sdk.DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(
    new sdk.CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    }),
  );
  for (let tries = 0; ; tries++) {
    const { Table } = await client.send(new sdk.DescribeTableCommand({ TableName: TABLE }));
    if (Table?.TableStatus === 'ACTIVE') break;
    if (tries === 100) throw new Error(`table ${TABLE} is still ${Table?.TableStatus}`);
    await sleep(50);
  }
  const items = customers * ORDERS_PER_CUSTOMER;
  await writeItems(url, items, (k) =>
    orderItem(Math.floor(k / ORDERS_PER_CUSTOMER), k % ORDERS_PER_CUSTOMER),
  );
  if (profiles) await writeItems(url, customers, profileItem);
  for (const customer of [0, customers - 1]) {
    const { Count } = await client.send(
      new sdk.QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :order)',
        ExpressionAttributeValues: { ':pk': { S: customerKey(customer) }, ':order': { S: 'order#' } },
        Select: 'COUNT',
      }),
    );
    if (Count !== ORDERS_PER_CUSTOMER)
      throw new Error(`${customerKey(customer)} has ${Count} orders after the fill`);
  }
  client.destroy();
}

/** Writes item(0)..item(count-1) with BatchWriteItem, 25 a request, built as they go out. */
async function writeItems(url: string, count: number, item: (k: number) => Item): Promise<void> {
  const template = new RequestTemplate(
    await sdkRawRequest(
      'dynamodb',
      'BatchWriteItem',
      { RequestItems: { [TABLE]: [{ PutRequest: { Item: item(0) } }] } },
      url,
    ),
  );
  const batch = (i: number) => {
    const keys = Array.from({ length: Math.min(BATCH, count - i * BATCH) }, (_, j) => i * BATCH + j);
    const writes = keys.map((k) => ({ PutRequest: { Item: item(k) } }));
    return template.withBody(JSON.stringify({ RequestItems: { [TABLE]: writes } }));
  };
  await pump(url, Math.ceil(count / BATCH), batch, {
    connections: FILL_CONNECTIONS,
    units: (body) => {
      const { UnprocessedItems } = JSON.parse(body.toString()) as { UnprocessedItems?: object };
      if (UnprocessedItems && Object.keys(UnprocessedItems).length)
        throw new Error('BatchWriteItem left items unprocessed');
      return 1;
    },
  });
}
