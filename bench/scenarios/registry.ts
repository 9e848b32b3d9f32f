/** Every scenario `--scenario` can name, in the order a plain run takes them. */
import type { Scenario } from '../scenario.js';
import { dynamodbGet, dynamodbPut, dynamodbQuery, dynamodbQuery1m, dynamodbTransact } from './dynamodb.js';
import { sqsCycle, sqsReceive, sqsReceive1m, sqsSend } from './sqs.js';
import { sts } from './sts.js';

export const SCENARIOS: Record<string, Scenario> = Object.fromEntries(
  [
    sts,
    sqsSend,
    sqsCycle,
    sqsReceive,
    sqsReceive1m,
    dynamodbPut,
    dynamodbGet,
    dynamodbQuery,
    dynamodbQuery1m,
    dynamodbTransact,
  ].map((s) => [s.name, s]),
);
