/**
 * DynamoDB at concurrency 16 (issue 4), against dynalite where it has the operation: PutItem,
 * GetItem, Query for a page of 25 and a two-item TransactWriteItems, on a table of 10k
 * items (100 customers × 100 orders); the Query again on 1M items (10k customers).
 * Keys rotate over a fixed set, the same for both drivers.
 */
import { randomUUID } from 'node:crypto';
import { sdkRawRequest, sdkRawRequests } from '../raw-request.js';
import { RequestTemplate } from '../request-template.js';
import type { RawCycle, RawRequest, Scenario, SdkClientConfig } from '../scenario.js';
import { emptyAnswer, getAnswer, queryAnswer } from './dynamodb-answers.js';
import {
  createOrdersTable,
  customerKey,
  ORDERS_PER_CUSTOMER,
  orderItem,
  orderKey,
  spread,
  TABLE,
} from './dynamodb-tables.js';

const CONCURRENCY = 16;
const CUSTOMERS = 100;
const PAGE = 25;
const probe = (url: string) => sdkRawRequest('dynamodb', 'ListTables', {}, url);
const COUNT = /"Count":(\d+)/;

/** What the scenarios look at in an answer. */
interface Answer {
  Item?: unknown;
  Count?: number;
}

/**
 * A scenario whose op is one DynamoDB operation on inputs that rotate: the SDK driver calls
 * it with input(0), input(1)...; the raw driver replays them pre-built, connection i from
 * input(i) on.
 */
function rotating(operation: string, inputs: unknown[]) {
  return {
    async sdkOperation(config: SdkClientConfig): Promise<() => Promise<Answer>> {
      const sdk = await import('@aws-sdk/client-dynamodb');
      const client = new sdk.DynamoDBClient(config);
      const Command = (sdk as unknown as Record<string, new (input: unknown) => never>)[
        `${operation}Command`
      ];
      if (!Command) throw new Error(`no ${operation}Command`);
      const commands = inputs.map((input) => new Command(input));
      let next = 0;
      return () => client.send(commands[next++ % commands.length] as never) as Promise<Answer>;
    },
    rawRequests: (url: string) => sdkRawRequests('dynamodb', operation, inputs, url),
  };
}

/** The raw counterpart: the requests in turn, connection i from request i on, each answer read by `units`. */
function rotation(units: (body: Buffer) => number) {
  return (requests: RawRequest[], connection: number): RawCycle => {
    let next = connection;
    return { first: () => requests[next++ % requests.length] as RawRequest, next: units };
  };
}

const putInputs = spread(128, CUSTOMERS).map((customer, k) => ({
  TableName: TABLE,
  Item: orderItem(customer, ORDERS_PER_CUSTOMER + k),
}));

export const dynamodbPut: Scenario = {
  name: 'dynamodb-put',
  title: 'DynamoDB PutItem (awsJson1_0), 290-byte items into a table of 10k, 128 keys in turn',
  concurrency: CONCURRENCY,
  probe,
  setup: (url) => createOrdersTable(url, CUSTOMERS),
  ...rotating('PutItem', putInputs),
  baselineResponse: emptyAnswer,
};

const getInputs = spread(256, CUSTOMERS * ORDERS_PER_CUSTOMER).map((k) => ({
  TableName: TABLE,
  Key: orderKey(Math.floor(k / ORDERS_PER_CUSTOMER), k % ORDERS_PER_CUSTOMER),
}));
const get = rotating('GetItem', getInputs);

export const dynamodbGet: Scenario = {
  name: 'dynamodb-get',
  title: 'DynamoDB GetItem, 256 keys in turn of a table of 10k',
  concurrency: CONCURRENCY,
  probe,
  setup: (url) => createOrdersTable(url, CUSTOMERS),
  async sdkOperation(config) {
    const call = await get.sdkOperation(config);
    return async () => {
      if (!(await call()).Item) throw new Error('GetItem found no item');
    };
  },
  rawRequests: get.rawRequests,
  rawCycle: rotation((body) => {
    if (!body.includes('"Item"')) throw new Error('GetItem found no item');
    return 1;
  }),
  baselineResponse: getAnswer,
};

/** Query for the first page of 25 orders of customers in turn, on a table of `customers` × 100 items. */
function queryScenario(name: string, customers: number, extra: Partial<Scenario>): Scenario {
  const inputs = spread(Math.min(customers, 500), customers).map((customer) => ({
    TableName: TABLE,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: customerKey(customer) } },
    Limit: PAGE,
  }));
  const query = rotating('Query', inputs);
  return {
    name,
    title: `DynamoDB Query, a page of ${PAGE} of one customer's 100 orders, table of ${customers * ORDERS_PER_CUSTOMER} items`,
    concurrency: CONCURRENCY,
    unit: 'items',
    probe,
    setup: (url) => createOrdersTable(url, customers),
    async sdkOperation(config) {
      const call = await query.sdkOperation(config);
      return async () => (await call()).Count;
    },
    rawRequests: query.rawRequests,
    rawCycle: rotation((body) => Number(COUNT.exec(body.toString())?.[1] ?? 0)),
    baselineResponse: queryAnswer(PAGE),
    ...extra,
  };
}

export const dynamodbQuery = queryScenario('dynamodb-query', CUSTOMERS, {});
export const dynamodbQuery1m = queryScenario('dynamodb-query-1m', 10_000, {
  optIn: true,
  scaleOf: 'dynamodb-query',
});

/** A new order and its customer's order count, together; the count only if the customer exists. */
const transactInputs = spread(128, CUSTOMERS).map((customer, k) => ({
  TransactItems: [
    { Put: { TableName: TABLE, Item: orderItem(customer, 2 * ORDERS_PER_CUSTOMER + k) } },
    {
      Update: {
        TableName: TABLE,
        Key: { pk: { S: customerKey(customer) }, sk: { S: 'profile' } },
        UpdateExpression: 'ADD orderCount :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      },
    },
  ],
}));

/**
 * The SDK gives every call a new ClientRequestToken; a replayed request would repeat its
 * token, and DynamoDB answers a repeat without writing anything. So each raw op gets a
 * fresh one, the captured body otherwise kept.
 */
function freshTokens(requests: RawRequest[], connection: number): RawCycle {
  const templates = requests.map((request) => new RequestTemplate(request));
  let next = connection;
  return {
    first() {
      const template = templates[next++ % templates.length] as RequestTemplate;
      return template.withBody(
        JSON.stringify({ ...(template.json as object), ClientRequestToken: randomUUID() }),
      );
    },
    next: () => 1,
  };
}

export const dynamodbTransact: Scenario = {
  name: 'dynamodb-transact',
  title: 'DynamoDB TransactWriteItems: put an order, add to its customer count under a condition',
  concurrency: CONCURRENCY,
  probe,
  setup: (url) => createOrdersTable(url, CUSTOMERS, true),
  ...rotating('TransactWriteItems', transactInputs),
  rawCycle: freshTokens,
  baselineResponse: emptyAnswer,
};
