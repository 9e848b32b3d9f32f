/** The compute part of EC2: instances, their state machine and Elastic IPs. */
import type { Handler, RequestContext } from '../types.js';
import {
  AllocateAddress,
  AssociateAddress,
  addressExists,
  DescribeAddresses,
  DisassociateAddress,
  ReleaseAddress,
} from './addresses.js';
import { instanceExists } from './compute-references.js';
import { GetConsoleOutput } from './console-output.js';
import { notFound } from './errors.js';
import { DescribeInstanceAttribute, ModifyInstanceAttribute } from './instance-attributes.js';
import { RebootInstances, StartInstances, StopInstances, TerminateInstances } from './instance-lifecycle.js';
import { instancesNotFound } from './instance-lookup.js';
import { instanceByEni } from './instance-records.js';
import { DescribeInstanceStatus } from './instance-status.js';
import { DescribeInstances } from './instances.js';
import { RunInstances } from './run-instances.js';
import type { ResourceKinds } from './tags.js';

export const computeHandlers: Record<string, Handler> = {
  RunInstances,
  DescribeInstances,
  StartInstances,
  StopInstances,
  RebootInstances,
  TerminateInstances,
  DescribeInstanceStatus,
  DescribeInstanceAttribute,
  ModifyInstanceAttribute,
  GetConsoleOutput,
  AllocateAddress,
  AssociateAddress,
  DisassociateAddress,
  ReleaseAddress,
  DescribeAddresses,
};

/** Operations that only read (they skip the per-request transaction). */
export const COMPUTE_READ_ONLY = [
  'DescribeInstances',
  'DescribeInstanceStatus',
  'DescribeInstanceAttribute',
  'GetConsoleOutput',
  'DescribeAddresses',
] as const;

export const COMPUTE_KINDS: ResourceKinds = {
  i: {
    type: 'instance',
    exists: instanceExists,
    notFound: (id) => instancesNotFound([id]),
  },
  eipalloc: {
    type: 'elastic-ip',
    exists: addressExists,
    notFound: (id) => notFound('InvalidAllocationID.NotFound', 'allocation', id),
  },
  eni: {
    type: 'network-interface',
    exists: (ctx: RequestContext, id: string) => instanceByEni(ctx, id) !== undefined,
    notFound: (id) => notFound('InvalidNetworkInterfaceID.NotFound', 'networkInterface', id),
  },
};
