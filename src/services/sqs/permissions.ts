/**
 * AddPermission and RemovePermission: statements of the queue's Policy attribute, labelled
 * by Sid, in the form AWS writes them. Stored only: localaws does not enforce policies.
 */
import type { AddPermissionRequest, RemovePermissionRequest } from '@aws-sdk/client-sqs';
import type { RequestContext } from '../types.js';
import { partitionOf, queueArn } from './addressing.js';
import type { AttributeMap } from './attributes.js';
import { invalidValue, missingParameter } from './errors.js';
import { saveAttributes } from './queue-attributes.js';
import { type Queue, requireQueue } from './queue-lookup.js';

interface Statement {
  Sid: string;
  [key: string]: unknown;
}

interface Policy {
  Version: string;
  Id: string;
  Statement: Statement[];
}

function policyOf(queue: Queue, attributes: AttributeMap): Policy {
  const arn = queueArn(queue.region, queue.accountId, queue.name);
  const policy = attributes.Policy ? (JSON.parse(attributes.Policy) as Partial<Policy>) : {};
  return {
    Version: policy.Version ?? '2008-10-17',
    Id: policy.Id ?? `${arn}/SQSDefaultPolicy`,
    ...policy,
    Statement: Array.isArray(policy.Statement) ? policy.Statement : [],
  };
}

/** The actions a queue policy statement may grant (AWS's list for AddPermission). */
const ACTIONS = new Set([
  '*',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
  'ListQueueTags',
  'StartMessageMoveTask',
  'CancelMessageMoveTask',
  'ListMessageMoveTasks',
]);

function checkActions(actions: string[]): void {
  for (const action of actions) {
    if (!ACTIONS.has(action)) {
      throw invalidValue(
        'ActionName',
        `SQS:${action}`,
        'Please refer to the appropriate WSDL for a list of valid actions. ',
      );
    }
  }
}

export function addPermission(input: AddPermissionRequest, ctx: RequestContext): void {
  const queue = requireQueue(ctx, input.QueueUrl);
  if (!input.Label) throw missingParameter('Label');
  if (!input.AWSAccountIds?.length) throw missingParameter('AWSAccountId');
  if (!input.Actions?.length) throw missingParameter('ActionName');
  checkActions(input.Actions);
  const attributes = JSON.parse(queue.attributes) as AttributeMap;
  const policy = policyOf(queue, attributes);
  if (policy.Statement.some((s) => s.Sid === input.Label)) {
    throw invalidValue('Label', input.Label, 'Already exists.');
  }
  const partition = partitionOf(queue.region);
  const principals = input.AWSAccountIds.map((id) => `arn:${partition}:iam::${id}:root`);
  const actions = input.Actions.map((a) => `SQS:${a}`);
  policy.Statement.push({
    Sid: input.Label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: actions.length === 1 ? actions[0] : actions,
    Resource: queueArn(queue.region, queue.accountId, queue.name),
  });
  saveAttributes(ctx.db, queue, { ...attributes, Policy: JSON.stringify(policy) }, ctx.now());
}

export function removePermission(input: RemovePermissionRequest, ctx: RequestContext): void {
  const queue = requireQueue(ctx, input.QueueUrl);
  if (!input.Label) throw missingParameter('Label');
  const attributes = JSON.parse(queue.attributes) as AttributeMap;
  const policy = policyOf(queue, attributes);
  const kept = policy.Statement.filter((s) => s.Sid !== input.Label);
  if (kept.length === policy.Statement.length) {
    throw invalidValue('Label', input.Label, "can't find label.");
  }
  const next = { ...attributes };
  if (kept.length > 0) next.Policy = JSON.stringify({ ...policy, Statement: kept });
  else delete next.Policy;
  saveAttributes(ctx.db, queue, next, ctx.now());
}
