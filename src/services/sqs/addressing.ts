/**
 * How queues are named from outside: URLs `${endpoint}/${account}/${name}` (accepted from
 * whichever host the client used: only the last two path segments count, and a bare name
 * means the caller's own account) and ARNs `arn:${partition}:sqs:${region}:${account}:${name}`.
 */

const ACCOUNT_ID = /^\d{12}$/;
const QUERY_OR_FRAGMENT = /[?#]/;

export interface QueueAddress {
  accountId: string;
  name: string;
}

export interface QueueArnParts extends QueueAddress {
  region: string;
}

export function queueUrl(endpoint: string, accountId: string, name: string): string {
  return `${endpoint}/${accountId}/${name}`;
}

/** The partition a region belongs to, as ARNs spell it. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

export function queueArn(region: string, accountId: string, name: string): string {
  return `arn:${partitionOf(region)}:sqs:${region}:${accountId}:${name}`;
}

/** The account and name a QueueUrl names, or undefined when it names no queue at all. */
export function parseQueueUrl(url: string, callerAccount: string): QueueAddress | undefined {
  let end = url.length;
  const cut = url.search(QUERY_OR_FRAGMENT);
  if (cut >= 0) end = cut;
  while (end > 0 && url[end - 1] === '/') end--;
  const nameStart = url.lastIndexOf('/', end - 1) + 1;
  const name = url.slice(nameStart, end);
  if (!name) return undefined;
  if (nameStart === 0) return { accountId: callerAccount, name };
  const accountStart = url.lastIndexOf('/', nameStart - 2) + 1;
  const accountId = url.slice(accountStart, nameStart - 1);
  return ACCOUNT_ID.test(accountId) ? { accountId, name } : undefined;
}

/** The parts of an SQS queue ARN, or undefined when it is not one. */
export function parseQueueArn(arn: string): QueueArnParts | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs') return undefined;
  const [, partition, , region, accountId, name] = parts as [string, string, string, string, string, string];
  if (!partition.startsWith('aws') || !region || !ACCOUNT_ID.test(accountId) || !name) return undefined;
  return { region, accountId, name };
}
