/** Every scenario `--scenario` can name, in the order a plain run takes them. */
import type { Scenario } from '../scenario.js';
import { dynamodbGet, dynamodbPut, dynamodbQuery, dynamodbQuery1m, dynamodbTransact } from './dynamodb.js';
import { ec2Describe, ec2Run } from './ec2.js';
import { s3Get, s3Get1g, s3List, s3List100k, s3Put } from './s3.js';
import { snsFanout } from './sns.js';
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
    s3Put,
    s3Get,
    s3Get1g,
    s3List,
    s3List100k,
    snsFanout,
    ec2Describe,
    ec2Run,
  ].map((s) => [s.name, s]),
);
