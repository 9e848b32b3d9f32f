/**
 * A bucket's notification configuration as S3 checks and applies it: each topic, queue and
 * Lambda configuration needs an ARN of its service in the bucket's region, event types S3
 * knows, and at most one `prefix` and one `suffix` filter rule (names in any case, stored as
 * `Prefix`/`Suffix`); no two configurations may both take one event of one key (their event
 * types, prefixes and suffixes all overlapping). A configuration without an Id gets one.
 * Filter values are matched against the key as records spell it (URL-encoded), as S3's
 * documentation asks them to be written.
 */
import { randomUUID } from 'node:crypto';
import type { FilterRule, NotificationConfiguration } from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import { invalidArgument, malformedXml } from './errors.js';

export type DestinationKind = 'topic' | 'queue' | 'lambda';

/** One configuration, compiled for matching events. */
export interface NotificationRule {
  id: string;
  kind: DestinationKind;
  arn: string;
  /** without the `s3:` prefix, e.g. ObjectCreated:* */
  events: string[];
  prefix: string;
  suffix: string;
  /** whether the configuration has filter rules at all */
  filtered: boolean;
}

interface DestinationList {
  list: 'TopicConfigurations' | 'QueueConfigurations' | 'LambdaFunctionConfigurations';
  kind: DestinationKind;
  arnMember: 'TopicArn' | 'QueueArn' | 'LambdaFunctionArn';
  service: string;
  /** how an error names the ARN: its XML element */
  argument: string;
}

const LISTS: readonly DestinationList[] = [
  { list: 'TopicConfigurations', kind: 'topic', arnMember: 'TopicArn', service: 'sns', argument: 'Topic' },
  { list: 'QueueConfigurations', kind: 'queue', arnMember: 'QueueArn', service: 'sqs', argument: 'Queue' },
  {
    list: 'LambdaFunctionConfigurations',
    kind: 'lambda',
    arnMember: 'LambdaFunctionArn',
    service: 'lambda',
    argument: 'CloudFunction',
  },
];

/** Every event type a configuration may name (S3's Event enumeration). */
const EVENT_TYPES = new Set([
  's3:IntelligentTiering',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:ObjectAcl:Put',
  's3:ObjectAnnotation:*',
  's3:ObjectAnnotation:Delete',
  's3:ObjectAnnotation:Put',
  's3:ObjectCreated:*',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Put',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ObjectRestore:Post',
  's3:ObjectRetention:Put',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Delete',
  's3:ObjectTagging:Put',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationNotTracked',
  's3:Replication:OperationReplicatedAfterThreshold',
]);

const MAX_FILTER_VALUE_BYTES = 1024;
const EVENT_PREFIX = 's3:';

interface DestinationConfiguration {
  Id?: string;
  Events?: string[];
  Filter?: { Key?: { FilterRules?: FilterRule[] } };
  [arn: string]: unknown;
}

/** The configuration as S3 stores it (Ids given, filter names capitalised) and its rules. */
export function checkNotificationConfiguration(
  given: NotificationConfiguration,
  region: string,
): { config: NotificationConfiguration; rules: NotificationRule[] } {
  const config: Record<string, unknown> = {};
  for (const spec of LISTS) {
    const items = given[spec.list] as DestinationConfiguration[] | undefined;
    if (items?.length) config[spec.list] = items.map((item) => checkDestination(item, spec, region));
  }
  if (given.EventBridgeConfiguration) config.EventBridgeConfiguration = given.EventBridgeConfiguration;
  const rules = rulesOf(config);
  checkUniqueIds(rules);
  checkOverlaps(rules);
  return { config, rules };
}

function checkDestination(
  item: DestinationConfiguration,
  spec: DestinationList,
  region: string,
): DestinationConfiguration {
  const arn = item[spec.arnMember];
  if (typeof arn !== 'string' || !item.Events?.length) throw malformedXml();
  checkArn(arn, spec, region);
  for (const event of item.Events) {
    if (!EVENT_TYPES.has(event)) throw invalidArgument('The event is not supported for notifications');
  }
  const out: DestinationConfiguration = {
    Id: item.Id || newId(),
    [spec.arnMember]: arn,
    Events: item.Events,
  };
  if (item.Filter)
    out.Filter = { Key: { FilterRules: checkFilterRules(item.Filter.Key?.FilterRules ?? []) } };
  return out;
}

/** What S3 gives a configuration without an Id: a UUID, base64-encoded. */
function newId(): string {
  return Buffer.from(randomUUID()).toString('base64');
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, in the bucket's region. */
function checkArn(arn: string, spec: DestinationList, region: string): void {
  const parts = arn.split(':');
  const parsed =
    parts.length >= 6 &&
    parts[0] === 'arn' &&
    parts[1]?.startsWith('aws') &&
    parts[2] === spec.service &&
    parts[3] !== '' &&
    parts[4] !== '' &&
    parts.slice(5).join(':') !== '';
  if (!parsed) throw invalidArgument('The ARN could not be parsed', spec.argument, arn);
  if (parts[3] !== region) {
    throw invalidArgument(
      'The notification destination service region is not valid for the bucket location constraint',
    );
  }
}

function checkFilterRules(rules: FilterRule[]): FilterRule[] {
  const seen = new Set<string>();
  return rules.map(({ Name: name = '', Value: value = '' }) => {
    const lower = name.toLowerCase();
    if (lower !== 'prefix' && lower !== 'suffix') {
      throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', name);
    }
    if (seen.has(lower)) {
      throw invalidArgument(
        `Cannot specify more than one ${lower} rule in a filter.`,
        'FilterRule.Name',
        name,
      );
    }
    seen.add(lower);
    if (Buffer.byteLength(value) > MAX_FILTER_VALUE_BYTES) {
      throw invalidArgument(
        'Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation',
        'FilterRule.Value',
        value,
      );
    }
    return { Name: (lower === 'prefix' ? 'Prefix' : 'Suffix') as never, Value: value };
  });
}

/** The rules of a configuration as stored (checked already). */
export function rulesOf(config: NotificationConfiguration): NotificationRule[] {
  const rules: NotificationRule[] = [];
  for (const spec of LISTS) {
    for (const item of (config[spec.list] ?? []) as unknown as DestinationConfiguration[]) {
      const filterRules = item.Filter?.Key?.FilterRules ?? [];
      const ruleValue = (name: string) =>
        filterRules.find((r) => r.Name?.toLowerCase() === name)?.Value ?? '';
      rules.push({
        id: item.Id as string,
        kind: spec.kind,
        arn: item[spec.arnMember] as string,
        events: (item.Events ?? []).map((e) => e.slice(EVENT_PREFIX.length)),
        prefix: ruleValue('prefix'),
        suffix: ruleValue('suffix'),
        filtered: filterRules.length > 0,
      });
    }
  }
  return rules;
}

function checkUniqueIds(rules: NotificationRule[]): void {
  const ids = new Set<string>();
  for (const { id } of rules) {
    if (ids.has(id)) throw invalidArgument('Same ID used for multiple configurations. IDs must be unique.');
    ids.add(id);
  }
}

/** Whether a configured event type (`ObjectCreated:*`, `ObjectCreated:Put`) takes an event. */
export function eventCovers(pattern: string, event: string): boolean {
  return pattern === event || (pattern.endsWith(':*') && event.startsWith(pattern.slice(0, -1)));
}

function shareEventType(a: NotificationRule, b: NotificationRule): boolean {
  return a.events.some((x) => b.events.some((y) => eventCovers(x, y) || eventCovers(y, x)));
}

function overlap(a: NotificationRule, b: NotificationRule): boolean {
  return (
    shareEventType(a, b) &&
    (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix)) &&
    (a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix))
  );
}

function checkOverlaps(rules: NotificationRule[]): void {
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i] as NotificationRule;
      const b = rules[j] as NotificationRule;
      if (!overlap(a, b)) continue;
      if (!a.filtered && !b.filtered) {
        throw invalidArgument(
          'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
        );
      }
      throw invalidArgument(
        'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.',
      );
    }
  }
}

/** Whether an event (`ObjectCreated:Put`) of a key (as records spell it) goes to a rule's destination. */
export function ruleMatches(rule: NotificationRule, eventName: string, encodedKey: string): boolean {
  return (
    rule.events.some((pattern) => eventCovers(pattern, eventName)) &&
    encodedKey.startsWith(rule.prefix) &&
    encodedKey.endsWith(rule.suffix)
  );
}

/** The error S3 gives for destinations it could not validate, numbering each with why. */
export function unvalidatedDestinations(failures: { arn: string; reason: string }[]): AwsError {
  const fields: Record<string, string> = {};
  failures.forEach(({ arn, reason }, i) => {
    fields[`ArgumentName${i + 1}`] = arn;
    fields[`ArgumentValue${i + 1}`] = reason;
  });
  return new AwsError('InvalidArgument', 'Unable to validate the following destination configurations', 400, {
    fields,
  });
}
