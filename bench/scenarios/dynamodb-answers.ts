/** What the baseline answers in place of DynamoDB: the documents localaws sends for the scenarios' items. */
import type { FixedResponse } from '../scenario.js';
import { ORDERS_PER_CUSTOMER, orderItem, orderKey } from './dynamodb-tables.js';

function answer(body: unknown): FixedResponse {
  return {
    status: 200,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': '0c1a5e3f-6d2b-4c8e-9f71-2b3c4d5e6f70',
    },
    body: JSON.stringify(body),
  };
}

/** PutItem and TransactWriteItems without ReturnValues. */
export const emptyAnswer = answer({});

export const getAnswer = answer({ Item: orderItem(42, 17) });

/** The first page of `limit` orders of a customer with more. */
export function queryAnswer(limit: number): FixedResponse {
  const Items = Array.from({ length: Math.min(limit, ORDERS_PER_CUSTOMER) }, (_, n) => orderItem(42, n));
  return answer({
    Count: Items.length,
    Items,
    LastEvaluatedKey: orderKey(42, Items.length - 1),
    ScannedCount: Items.length,
  });
}
