/**
 * Topic and subscription ARNs: `arn:<partition>:sns:<region>:<account>:<topic>` and the
 * topic's ARN plus `:<uuid>`. A malformed one is rejected the way SNS rejects it ("An ARN
 * must have at least 6 elements, not N"); a topic of another region is an invalid
 * TopicArn, whoever owns it.
 */
import { partitionOf } from '../sqs/addressing.js';
import type { RequestContext } from '../types.js';
import { invalid } from './errors.js';

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** everything after the account */
  resource: string;
}

export function topicArn(region: string, accountId: string, name: string): string {
  return `arn:${partitionOf(region)}:sns:${region}:${accountId}:${name}`;
}

/** The parts of an ARN, or AWS's error naming `parameter` when it has fewer than 6. */
export function parseArn(arn: string | undefined, parameter: string): ArnParts {
  const parts = (arn ?? '').split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    throw invalid(parameter, `An ARN must have at least 6 elements, not ${parts.length}`);
  }
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}

/** Checks a TopicArn names a topic of the request's region; returns the ARN. */
export function requestTopicArn(
  ctx: RequestContext,
  arn: string | undefined,
  parameter = 'TopicArn',
): string {
  const parts = parseArn(arn, parameter);
  if (parts.region !== ctx.region) throw invalid(parameter);
  return arn as string;
}

/** The topic ARN of a subscription ARN, or AWS's error for a malformed one. */
export function subscriptionTopicArn(arn: string | undefined): string {
  if (arn === undefined || arn === '') throw invalid('SubscriptionArn', 'no value for required parameter');
  const parts = parseArn(arn, 'SubscriptionArn');
  const cut = arn.lastIndexOf(':');
  if (parts.resource.indexOf(':') < 0 || !SUBSCRIPTION_ID.test(arn.slice(cut + 1))) {
    throw invalid('SubscriptionId');
  }
  return arn.slice(0, cut);
}
