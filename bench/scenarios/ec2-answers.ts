/**
 * What the baseline answers in place of EC2: the documents localaws writes (through its own
 * ec2Query serializer) for the scenarios' instances, so they match in shape and size.
 */
import type { Instance, Reservation } from '@aws-sdk/client-ec2';
import { ec2QueryCodec } from '../../src/protocol/ec2-query.js';
import { loadModel } from '../../src/protocol/model.js';
import type { InstanceDoc, InstanceRow } from '../../src/services/ec2/instance-records.js';
import { instanceView } from '../../src/services/ec2/instance-view.js';
import { BASELINE_REQUEST_ID, type FixedResponse } from '../scenario.js';
import { IMAGE_ID, serviceName, ZONES } from './ec2-fleet.js';

const LAUNCHED = Date.UTC(2024, 0, 1);
const hex17 = (n: number) => n.toString(16).padStart(17, '0');

function instance(service: number, index: number, launching: boolean): Instance {
  const n = service * 10 + index;
  const ip = `172.31.${Math.floor(n / 250) % 256}.${4 + (n % 250)}`;
  const row: InstanceRow = {
    instance_id: `i-${hex17(n)}`,
    reservation_id: `r-${hex17(service)}`,
    launch_index: index,
    image_id: IMAGE_ID,
    instance_type: 't3.micro',
    key_name: null,
    vpc_id: `vpc-${hex17(1)}`,
    subnet_id: `subnet-${hex17(service % ZONES.length)}`,
    availability_zone: ZONES[service % ZONES.length] as string,
    private_ip: ip,
    public_ip: `54.${n % 256}.${Math.floor(n / 256) % 256}.17`,
    eni_id: `eni-${hex17(n)}`,
    group_ids: `sg-${hex17(1)}`,
    launched_at: LAUNCHED,
    transition: 'pending',
    transition_at: LAUNCHED,
    settles_at: LAUNCHED,
    checks_ok_at: LAUNCHED,
    disable_api_termination: 0,
    shutdown_behavior: 'stop',
  };
  const doc: InstanceDoc = {
    architecture: 'x86_64',
    platformDetails: 'Linux/UNIX',
    virtualizationType: 'hvm',
    rootDeviceName: '/dev/xvda',
    bootMode: 'uefi-preferred',
    groups: [{ GroupId: `sg-${hex17(1)}`, GroupName: 'default' }],
    monitoring: false,
    ebsOptimized: false,
    sourceDestCheck: true,
    enaSupport: true,
    disableApiStop: false,
    metadataOptions: {
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'disabled',
    },
    cpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
    tenancy: 'default',
    clientToken: '5fea7756-0ea4-451a-a703-a558b9330000',
    macAddress: '0e:12:34:56:78:9a',
    eniAttachmentId: `eni-attach-${hex17(n)}`,
    eniDescription: '',
    eniDeleteOnTermination: true,
    eniAttachedAt: LAUNCHED,
    wantsPublicIp: true,
  };
  const tags = [
    { Key: 'env', Value: service % 2 ? 'prod' : 'staging' },
    { Key: 'service', Value: serviceName(service) },
  ];
  const volumes = [
    {
      DeviceName: '/dev/xvda',
      VolumeId: `vol-${hex17(n)}`,
      Status: 'attached',
      AttachTime: new Date(LAUNCHED),
      DeleteOnTermination: true,
    },
  ];
  return instanceView(
    row,
    doc,
    { tags, volumes, launching },
    { accountId: '000000000000', region: 'us-east-1', now: LAUNCHED + 60_000 },
  );
}

function reservation(service: number, count: number, launching: boolean): Reservation {
  return {
    ReservationId: `r-${hex17(service)}`,
    OwnerId: '000000000000',
    Groups: [],
    Instances: Array.from({ length: count }, (_, i) => instance(service, i, launching)),
  };
}

function answer(operation: string, output: Record<string, unknown>): FixedResponse {
  const written = ec2QueryCodec.serializeOutput(loadModel('ec2'), operation, output, {
    requestId: BASELINE_REQUEST_ID,
  });
  return {
    status: written.status,
    headers: written.headers as Record<string, string>,
    body: String(written.body),
  };
}

/** One service's reservation of `count` running instances. */
export function describeAnswer(count: number): FixedResponse {
  return answer('DescribeInstances', { Reservations: [reservation(42, count, false)] });
}

/** A launch of one instance, as RunInstances answers it. */
export function runAnswer(): FixedResponse {
  return answer('RunInstances', reservation(42, 1, true) as Record<string, unknown>);
}
