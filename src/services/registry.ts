/**
 * The services localaws knows: every one the router can name (so a request to a service
 * without handlers yet gets an error naming the operation), and the handler tables of the
 * ones implemented.
 */
import { dynamodb } from './dynamodb/index.js';
import { dynamodbstreams } from './dynamodb/streams-service.js';
import { s3 } from './s3/index.js';
import { sns } from './sns/index.js';
import { sqs } from './sqs/index.js';
import { sts } from './sts/index.js';
import type { ServiceDefinition } from './types.js';

/** Model ids of every routable service: their SigV4 signing names too, but for dynamodbstreams,
 * which is signed as dynamodb and reached by its X-Amz-Target. */
export const KNOWN_SERVICES = [
  's3',
  'dynamodb',
  'dynamodbstreams',
  'sqs',
  'sns',
  'ec2',
  'lambda',
  'sts',
] as const;

export const IMPLEMENTED: Record<string, ServiceDefinition> = {
  dynamodb,
  dynamodbstreams,
  s3,
  sns,
  sqs,
  sts,
};

/** awsJson services by the prefix of their X-Amz-Target header (see each model's targetPrefix). */
export const TARGET_PREFIXES: Record<string, string> = {
  DynamoDB_20120810: 'dynamodb',
  DynamoDBStreams_20120810: 'dynamodbstreams',
  AmazonSQS: 'sqs',
};

/** Services that speak a query protocol, in the order an unsigned `Action=` is looked up. */
export const QUERY_SERVICES = ['sts', 'sns', 'sqs', 'ec2'] as const;
