/**
 * Shared setup for the EC2 conformance suites: one server per test file, real SDK v3 EC2
 * clients against it (per account and region), the Amazon Linux 2023 image to launch, instance
 * helpers, short waiter settings and the shape of an EC2 error as the SDK surfaces it.
 */
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  type Instance,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  type Tag,
  type TagSpecification,
} from '@aws-sdk/client-ec2';
import { expect } from 'vitest';
import type { Config } from '../../src/index.js';
import { type Harness, useLocalAws } from '../harness.js';

export const DEFAULT_ACCOUNT = '000000000000';
export const OTHER_ACCOUNT = '111111111111';
/** The account Amazon publishes Amazon Linux images from. */
export const AMAZON_LINUX_OWNER = '137112412989';

/** AWS's instance state codes. */
export const STATE_CODES = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
} as const;
export type StateName = keyof typeof STATE_CODES;

export interface Ec2Harness {
  h: Harness;
  /** the default account's us-east-1 client, built on first use once beforeAll has started the server */
  readonly ec2: EC2Client;
  /** a client with other settings: another account's key, another region */
  client(overrides?: Record<string, unknown>): EC2Client;
}

export function useEC2(options: Partial<Config> = {}): Ec2Harness {
  const h = useLocalAws(options);
  let ec2: EC2Client | undefined;
  return {
    h,
    get ec2() {
      ec2 ??= new EC2Client(h.clientConfig());
      return ec2;
    },
    client: (overrides = {}) => new EC2Client(h.clientConfig(overrides)),
  };
}

/** Credentials whose 12-digit key id picks the account. */
export function accountCredentials(account: string) {
  return { accessKeyId: account, secretAccessKey: 'test' };
}

/** Waiter settings that keep a wait short: polls a second apart, gives up after 20 s. */
export function waitFor(client: EC2Client) {
  return { client, maxWaitTime: 20, minDelay: 1, maxDelay: 1 };
}

let names = 0;
/** A name no other test of the file uses. */
export function uniqueName(label: string): string {
  names += 1;
  return `${label}-${names}-${process.pid}`;
}

export function tagSpec(
  type: TagSpecification['ResourceType'],
  tags: Record<string, string>,
): TagSpecification {
  return { ResourceType: type, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
}

/** Tags as a plain record, for order-independent comparison. */
export function tagRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

const imageCache = new WeakMap<EC2Client, Promise<string>>();

/** The newest Amazon Linux 2023 x86_64 image, found as users find it: owner amazon and a name pattern. */
export function amazonLinuxImage(ec2: EC2Client): Promise<string> {
  let found = imageCache.get(ec2);
  if (!found) {
    found = ec2
      .send(
        new DescribeImagesCommand({
          Owners: ['amazon'],
          Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }],
        }),
      )
      .then(({ Images }) => {
        const newest = [...(Images ?? [])].sort((a, b) =>
          (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''),
        )[0];
        if (!newest?.ImageId) throw new Error('DescribeImages found no Amazon Linux 2023 image');
        return newest.ImageId;
      });
    imageCache.set(ec2, found);
  }
  return found;
}

/** RunInstances of Amazon Linux 2023 on a t3.micro, one instance unless said otherwise. */
export async function runInstances(
  ec2: EC2Client,
  input: Partial<RunInstancesCommandInput> = {},
): Promise<Instance[]> {
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: await amazonLinuxImage(ec2),
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      ...input,
    }),
  );
  return out.Instances ?? [];
}

export async function runInstance(
  ec2: EC2Client,
  input: Partial<RunInstancesCommandInput> = {},
): Promise<Instance & { InstanceId: string }> {
  const [instance] = await runInstances(ec2, input);
  if (!instance?.InstanceId) throw new Error('RunInstances returned no instance');
  return instance as Instance & { InstanceId: string };
}

/** The instance as DescribeInstances shows it now. */
export async function describeInstance(ec2: EC2Client, instanceId: string): Promise<Instance> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  expect(instances.map((i) => i.InstanceId)).toEqual([instanceId]);
  return instances[0] as Instance;
}

export async function stateOf(ec2: EC2Client, instanceId: string): Promise<string | undefined> {
  return (await describeInstance(ec2, instanceId)).State?.Name;
}

export function state(name: StateName) {
  return { Code: STATE_CODES[name], Name: name };
}

/** Every instance DescribeInstances lists for these filters, by id. */
export async function instanceIdsMatching(
  ec2: EC2Client,
  filters: { Name: string; Values: string[] }[],
): Promise<string[]> {
  const out = await ec2.send(new DescribeInstancesCommand({ Filters: filters }));
  return (out.Reservations ?? [])
    .flatMap((r) => r.Instances ?? [])
    .map((i) => i.InstanceId as string)
    .sort();
}

/** What the SDK throws for an EC2 error: `name` is the <Code>, the status in $metadata. */
export interface Ec2ServiceError extends Error {
  $metadata: { httpStatusCode?: number };
}

/**
 * Awaits a call that must fail with the EC2 error code and, when given, the exact message or
 * a pattern for it (HTTP 400 unless said otherwise). Returns the error for further checks.
 */
export async function expectEc2Error(
  call: Promise<unknown>,
  code: string,
  message?: string | RegExp,
  status = 400,
): Promise<Ec2ServiceError> {
  const error = (await call.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  )) as Ec2ServiceError;
  if (typeof message === 'string') expect(`${error.name}: ${error.message}`).toBe(`${code}: ${message}`);
  else expect(error.name).toBe(code);
  if (message instanceof RegExp) expect(error.message).toMatch(message);
  expect(error.$metadata?.httpStatusCode).toBe(status);
  return error;
}

export const DRY_RUN_MESSAGE = 'Request would have succeeded, but DryRun flag is set.';

/** A call made with DryRun that would have succeeded. */
export function expectDryRun(call: Promise<unknown>): Promise<Ec2ServiceError> {
  return expectEc2Error(call, 'DryRunOperation', DRY_RUN_MESSAGE, 412);
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `Invalid id: "x"`, with the `(expecting "i-...")` tail EC2 adds for some kinds of id. */
export function malformedIdMessage(id: string, prefix: string): RegExp {
  return new RegExp(
    `^Invalid id: "${escapeRegExp(id)}"( \\(expecting "${escapeRegExp(prefix)}-\\.\\.\\."\\))?$`,
  );
}

/** The well-formed id pattern of a resource type: its prefix and 17 hex digits. */
export function idPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}-[0-9a-f]{17}$`);
}

/** Is this dotted IPv4 address inside the CIDR block? */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (ipToNumber(ip) & mask) >>> 0 === (ipToNumber(base ?? '') & mask) >>> 0;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => ((n << 8) | Number(octet)) >>> 0, 0);
}
