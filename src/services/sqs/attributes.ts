/**
 * Queue attributes: which exist, their defaults, AWS's ranges and messages, and the values
 * as GetQueueAttributes reports them (numbers as plain integers, booleans in lower case,
 * redrive policies as compact JSON). Pure: what needs other queues is in redrive.ts.
 */
import type { AwsError } from '../../errors.js';
import { parseQueueArn } from './addressing.js';
import {
  invalidAttributeName,
  invalidAttributeValue,
  invalidParameterValue,
  invalidValue,
} from './errors.js';

export type AttributeMap = Record<string, string>;

export const MAX_MESSAGE_SIZE = 1_048_576;

/** [min, max] of each integer attribute. */
const INTEGER_RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, MAX_MESSAGE_SIZE],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

const BOOLEANS = new Set(['SqsManagedSseEnabled', 'ContentBasedDeduplication', 'FifoQueue']);
const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication']);
const HIGH_THROUGHPUT = new Set(['DeduplicationScope', 'FifoThroughputLimit']);
const ENUMS: Record<string, string[]> = {
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};
/** Documents and key ids; an empty value removes them. */
const FREE_TEXT = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId']);

/** Attributes GetQueueAttributes computes; they cannot be set. */
const COMPUTED = new Set([
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
]);

/** Every name GetQueueAttributes accepts, besides All. */
export const QUEUE_ATTRIBUTE_NAMES = new Set<string>([
  ...COMPUTED,
  ...Object.keys(INTEGER_RANGES),
  ...BOOLEANS,
  ...HIGH_THROUGHPUT,
  ...FREE_TEXT,
]);

export function defaultAttributes(fifo: boolean): AttributeMap {
  const base: AttributeMap = {
    DelaySeconds: '0',
    MaximumMessageSize: String(MAX_MESSAGE_SIZE),
    MessageRetentionPeriod: '345600',
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: '30',
    SqsManagedSseEnabled: 'true',
  };
  if (!fifo) return base;
  return {
    ...base,
    FifoQueue: 'true',
    ContentBasedDeduplication: 'false',
    DeduplicationScope: 'queue',
    FifoThroughputLimit: 'perQueue',
  };
}

const INTEGER = /^\d{1,10}$/;

/** The normalized value of one requested attribute; throws AWS's error for a bad one. */
function normalizeValue(name: string, value: string, fifo: boolean): string {
  const range = INTEGER_RANGES[name];
  if (range) {
    const n = INTEGER.test(value) ? Number(value) : Number.NaN;
    if (!(n >= range[0] && n <= range[1])) throw invalidAttributeValue(name);
    return String(n);
  }
  if (BOOLEANS.has(name)) {
    const lower = value.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw invalidAttributeValue(name);
    if (name === 'FifoQueue' && fifo && lower === 'false') {
      throw invalidAttributeValue(name, 'Modifying queue type is not supported.');
    }
    return lower;
  }
  const allowed = ENUMS[name];
  if (allowed) {
    if (!allowed.includes(value)) throw invalidAttributeValue(name);
    return value;
  }
  if (value === '' && FREE_TEXT.has(name)) return '';
  if (name === 'Policy') return normalizePolicy(value);
  if (name === 'RedrivePolicy') return JSON.stringify(parseRedrivePolicy(value));
  if (name === 'RedriveAllowPolicy') return JSON.stringify(parseRedriveAllowPolicy(value));
  return value;
}

/** Checks the names a request sets and returns their normalized values. */
export function normalizeAttributes(
  requested: Record<string, string> | undefined,
  fifo: boolean,
): AttributeMap {
  const out: AttributeMap = {};
  if (!requested) return out;
  for (const [name, raw] of Object.entries(requested)) {
    if (!QUEUE_ATTRIBUTE_NAMES.has(name) || COMPUTED.has(name)) {
      throw invalidAttributeName(`Unknown Attribute ${name}.`);
    }
    if (!fifo && HIGH_THROUGHPUT.has(name)) {
      throw invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
    }
    if (!fifo && FIFO_ONLY.has(name)) throw invalidAttributeName(`Unknown Attribute ${name}.`);
    out[name] = normalizeValue(name, String(raw), fifo);
  }
  if (out.SqsManagedSseEnabled === 'true' && out.KmsMasterKeyId) {
    throw invalidAttributeName(
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  }
  return out;
}

/** The attributes after a change: empty values remove, and the two kinds of SSE exclude
 * each other. */
export function applyAttributes(current: AttributeMap, changes: AttributeMap): AttributeMap {
  const next: AttributeMap = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (value === '' && FREE_TEXT.has(name)) delete next[name];
    else next[name] = value;
  }
  if (changes.KmsMasterKeyId) {
    next.SqsManagedSseEnabled = 'false';
    next.KmsDataKeyReusePeriodSeconds ??= '300';
  } else if (changes.SqsManagedSseEnabled === 'true' || changes.KmsMasterKeyId === '') {
    delete next.KmsMasterKeyId;
    delete next.KmsDataKeyReusePeriodSeconds;
  }
  return next;
}

function normalizePolicy(value: string): string {
  let policy: unknown;
  try {
    policy = JSON.parse(value);
  } catch {
    throw invalidAttributeValue('Policy');
  }
  if (!isPlainObject(policy)) throw invalidAttributeValue('Policy');
  return value;
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

/** A RedrivePolicy's target and count, checked with AWS's messages (the target's ARN before any lookup). */
export function parseRedrivePolicy(value: string): RedrivePolicy {
  const doc = parseJsonMap(value);
  if (!doc) {
    throw invalidParameterValue(
      'Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.',
    );
  }
  const bad = (reason: string): AwsError => invalidValue('RedrivePolicy', value, reason);
  if (!('deadLetterTargetArn' in doc)) {
    throw bad('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  }
  if (!('maxReceiveCount' in doc)) {
    throw bad('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  }
  const rawCount = doc.maxReceiveCount;
  const count = typeof rawCount === 'string' && INTEGER.test(rawCount) ? Number(rawCount) : rawCount;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1000) {
    throw bad(
      `Invalid value for maxReceiveCount: ${String(rawCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  const target = doc.deadLetterTargetArn;
  if (typeof target !== 'string' || !parseQueueArn(target))
    throw bad('Invalid value for deadLetterTargetArn.');
  if (Object.keys(doc).length > 2) {
    throw bad('Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].');
  }
  return { deadLetterTargetArn: target, maxReceiveCount: count };
}

const ALLOW_POLICY_FORMAT =
  'Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can\u2019t create the redrive allow policy, as it\u2019s in an unsupported format.';

export function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy {
  const doc = parseJsonMap(value);
  const permission = doc?.redrivePermission;
  const arns = doc?.sourceQueueArns;
  const wellFormed =
    doc &&
    (permission === 'allowAll' || permission === 'denyAll' || permission === 'byQueue') &&
    Object.keys(doc).every((k) => k === 'redrivePermission' || k === 'sourceQueueArns') &&
    (arns === undefined || (Array.isArray(arns) && arns.every((a) => typeof a === 'string')));
  if (!wellFormed) throw invalidParameterValue(ALLOW_POLICY_FORMAT);
  const cannot = (reason: string) =>
    invalidValue('RedriveAllowPolicy', value, `Amazon SQS can't create the redrive allow policy. ${reason}`);
  const sources = arns as string[] | undefined;
  if (permission !== 'byQueue') {
    if (sources !== undefined) {
      throw cannot('To specify one or more source queue ARNs, you must set redrivePermission to byQueue.');
    }
    return { redrivePermission: permission };
  }
  if (!sources?.length) {
    throw cannot(
      'When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.',
    );
  }
  if (sources.length > 10) throw cannot('The maximum number of source queue ARNs you can specify is 10.');
  return { redrivePermission: permission, sourceQueueArns: sources };
}

function parseJsonMap(value: string): Record<string, unknown> | undefined {
  try {
    const doc: unknown = JSON.parse(value);
    return isPlainObject(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The columns the request path reads, derived from the attribute values. */
export function attributeColumns(attributes: AttributeMap) {
  const redrive = attributes.RedrivePolicy
    ? (JSON.parse(attributes.RedrivePolicy) as RedrivePolicy)
    : undefined;
  return {
    visibilityTimeout: Number(attributes.VisibilityTimeout),
    delaySeconds: Number(attributes.DelaySeconds),
    maxMessageSize: Number(attributes.MaximumMessageSize),
    retention: Number(attributes.MessageRetentionPeriod),
    waitTime: Number(attributes.ReceiveMessageWaitTimeSeconds),
    contentDedup: attributes.ContentBasedDeduplication === 'true' ? 1 : 0,
    dedupByGroup: attributes.DeduplicationScope === 'messageGroup' ? 1 : 0,
    dlqArn: redrive?.deadLetterTargetArn ?? null,
    maxReceiveCount: redrive?.maxReceiveCount ?? null,
  };
}
