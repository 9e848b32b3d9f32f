/** What the baseline answers in place of DynamoDB: the documents localaws sends for the scenarios' items. */
import { type FixedResponse, jsonAnswer } from '../scenario.js';
import { ORDERS_PER_CUSTOMER, orderItem, orderKey } from './dynamodb-tables.js';

/** PutItem and TransactWriteItems without ReturnValues. */
export const emptyAnswer = jsonAnswer({});

export const getAnswer = jsonAnswer({ Item: orderItem(42, 17) });

/** The first page of `limit` orders of a customer with more. */
export function queryAnswer(limit: number): FixedResponse {
  const Items = Array.from({ length: Math.min(limit, ORDERS_PER_CUSTOMER) }, (_, n) => orderItem(42, n));
  return jsonAnswer({
    Count: Items.length,
    Items,
    LastEvaluatedKey: orderKey(42, Items.length - 1),
    ScannedCount: Items.length,
  });
}
