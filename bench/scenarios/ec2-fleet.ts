/**
 * The EC2 fleet the scenarios use: 1,000 services of 10 instances each (10k instances), each
 * service one RunInstances reservation tagged `service=svc-NNNN`, spread over us-east-1's six
 * zones (a default subnet holds 4,091 addresses), launched through the API over many
 * connections. And the RunInstances request a launch op sends again with a new ClientToken.
 */
import { randomUUID } from 'node:crypto';
import type { RunInstancesRequest } from '@aws-sdk/client-ec2';
import { availabilityZonesOf } from '../../src/services/ec2/regions.js';
import { pump } from '../fill.js';
import { sdkRawRequests } from '../raw-request.js';
import type { RawRequest } from '../scenario.js';

export const SERVICES = 1_000;
export const INSTANCES_PER_SERVICE = 10;
/** Amazon Linux 2023 on x86_64, from localaws's public catalogue. */
export const IMAGE_ID = 'ami-0fff1b9a61dec8a5f';
export const ZONES = availabilityZonesOf('us-east-1').map((z) => z.ZoneName);

const FILL_CONNECTIONS = 16;
const INSTANCE_STATE = /<instanceState>/g;

export function serviceName(service: number): string {
  return `svc-${String(service).padStart(4, '0')}`;
}

/** A launch of `count` t3.micro instances in the nth zone, tagged as the service. */
export function launchInput(service: number, count: number): RunInstancesRequest {
  return {
    ImageId: IMAGE_ID,
    InstanceType: 't3.micro',
    MinCount: count,
    MaxCount: count,
    Placement: { AvailabilityZone: ZONES[service % ZONES.length] },
    TagSpecifications: [
      {
        ResourceType: 'instance',
        Tags: [
          { Key: 'service', Value: serviceName(service) },
          { Key: 'env', Value: service % 2 ? 'prod' : 'staging' },
        ],
      },
    ],
  };
}

/** The instances an EC2 answer (DescribeInstances, RunInstances) shows. */
export function instancesIn(body: Buffer): number {
  return body.toString('latin1').match(INSTANCE_STATE)?.length ?? 0;
}

/** Launches the fleet and checks the first and last services have their instances. */
export async function launchFleet(url: string): Promise<void> {
  const inputs = Array.from({ length: SERVICES }, (_, service) =>
    launchInput(service, INSTANCES_PER_SERVICE),
  );
  const requests = await sdkRawRequests('ec2', 'RunInstances', inputs, url);
  const launched = await pump(url, requests.length, (i) => requests[i] as RawRequest, {
    connections: FILL_CONNECTIONS,
    units: instancesIn,
  });
  if (launched !== SERVICES * INSTANCES_PER_SERVICE) throw new Error(`launched ${launched} instances`);
  const { EC2Client, DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
  const client = new EC2Client({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  for (const service of [0, SERVICES - 1]) {
    const { Reservations = [] } = await client.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:service', Values: [serviceName(service)] }] }),
    );
    const found = Reservations.flatMap((r) => r.Instances ?? []).length;
    if (found !== INSTANCES_PER_SERVICE) throw new Error(`${serviceName(service)} has ${found} instances`);
  }
  client.destroy();
}

/**
 * A captured RunInstances request sent again with a new ClientToken in its form body (a
 * replayed token is an idempotent repeat that launches nothing). The signature no longer
 * covers the body, which localaws does not check outside --strict-auth.
 */
export class LaunchTemplate {
  private readonly head: string;
  private readonly before: string;
  private readonly after: string;

  constructor(request: RawRequest) {
    const bytes = Buffer.from(request.bytes);
    const headEnd = bytes.indexOf('\r\n\r\n');
    this.head = bytes
      .toString('latin1', 0, headEnd)
      .split('\r\n')
      .filter((line) => !/^(content-length|x-amz-content-sha256):/i.test(line))
      .join('\r\n');
    const body = bytes.subarray(headEnd + 4).toString('latin1');
    const token = /(^|&)ClientToken=[^&]*/.exec(body);
    if (!token) throw new Error('the captured RunInstances request has no ClientToken');
    this.before = `${body.slice(0, token.index)}${token[1]}ClientToken=`;
    this.after = body.slice(token.index + token[0].length);
  }

  fresh(): RawRequest {
    const body = `${this.before}${randomUUID()}${this.after}`;
    const head = `${this.head}\r\ncontent-length: ${Buffer.byteLength(body, 'latin1')}\r\n\r\n`;
    return { bytes: Buffer.from(head + body, 'latin1'), bodyless: false };
  }
}
