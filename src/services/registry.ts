/**
 * The services localaws knows: every one the router can name (so a request to a service
 * without handlers yet gets an error naming the operation), and how to load the ones
 * implemented. Services load on first use (see Runtime.service): start-up imports none.
 */
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

export const IMPLEMENTED: Record<string, () => Promise<ServiceDefinition>> = {
  dynamodb: () => import('./dynamodb/index.js').then((m) => m.dynamodb),
  dynamodbstreams: () => import('./dynamodb/streams-service.js').then((m) => m.dynamodbstreams),
  ec2: () => import('./ec2/index.js').then((m) => m.ec2),
  s3: () => import('./s3/index.js').then((m) => m.s3),
  sns: () => import('./sns/index.js').then((m) => m.sns),
  sqs: () => import('./sqs/index.js').then((m) => m.sqs),
  sts: () => import('./sts/index.js').then((m) => m.sts),
};

/** Services whose tables another needs: streams read DynamoDB's, SNS delivers into SQS's. */
export const REQUIRES: Record<string, readonly string[]> = {
  dynamodbstreams: ['dynamodb'],
  sns: ['sqs'],
};

/** awsJson services by the prefix of their X-Amz-Target header (see each model's targetPrefix). */
export const TARGET_PREFIXES: Record<string, string> = {
  DynamoDB_20120810: 'dynamodb',
  DynamoDBStreams_20120810: 'dynamodbstreams',
  AmazonSQS: 'sqs',
};

/** Services that speak a query protocol, in the order an unsigned `Action=` is looked up. */
export const QUERY_SERVICES = ['sts', 'sns', 'sqs', 'ec2'] as const;
