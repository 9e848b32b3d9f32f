/**
 * DynamoDB's Integer and Long members (Limit, Segment, capacity units...), which the model
 * types as plain numbers. DynamoDB's JSON reader takes a decimal given for one as its integer
 * part (a Limit of 2.5 is 2), so the handlers of the operations that have such members get
 * whole numbers there, as DynamoDB's do.
 */
import type { Handler } from '../types.js';

const INTEGER_MEMBERS = new Set([
  'Limit',
  'Segment',
  'TotalSegments',
  'ReadCapacityUnits',
  'WriteCapacityUnits',
  'MaxReadRequestUnits',
  'MaxWriteRequestUnits',
  'ReadUnitsPerSecond',
  'WriteUnitsPerSecond',
]);

/** The operations (of DynamoDB and DynamoDB Streams) whose inputs hold such members. */
const WITH_INTEGERS = new Set([
  'Query',
  'Scan',
  'ListTables',
  'ExecuteStatement',
  'CreateTable',
  'UpdateTable',
  'ListStreams',
  'DescribeStream',
  'GetRecords',
]);

/** The members that hold structures with integer members (throughput, index definitions
 * and updates): the only ones walked into, so items and keys are never visited. */
const HOLDERS = new Set([
  'ProvisionedThroughput',
  'OnDemandThroughput',
  'WarmThroughput',
  'GlobalSecondaryIndexes',
  'GlobalSecondaryIndexUpdates',
  'Create',
  'Update',
]);

/** Truncates, in place, every decimal given for an integer member. */
function truncateIntegers(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) truncateIntegers(v);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const name in record) {
    const v = record[name];
    if (typeof v === 'number') {
      if (INTEGER_MEMBERS.has(name) && !Number.isInteger(v)) record[name] = Math.trunc(v);
    } else if (HOLDERS.has(name)) truncateIntegers(v);
  }
}

/** The handlers, with those of operations that take integer members reading them whole. */
export function readingIntegers<H extends Record<string, Handler>>(handlers: H): H {
  const out: Record<string, Handler> = { ...handlers };
  for (const name of WITH_INTEGERS) {
    const handler = handlers[name];
    if (!handler) continue;
    out[name] = (input, ctx) => {
      truncateIntegers(input);
      return handler(input, ctx);
    };
  }
  return out as H;
}
