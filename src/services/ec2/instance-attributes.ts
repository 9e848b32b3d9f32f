/**
 * DescribeInstanceAttribute and ModifyInstanceAttribute: one attribute a call. The type, user
 * data and what changes the hardware (EBS optimization, ENA, SR-IOV) change only while the
 * instance is stopped, as in EC2.
 */
import type {
  DescribeInstanceAttributeRequest,
  InstanceAttribute,
  ModifyInstanceAttributeRequest,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.js';
import { requireInstance } from './instance-lookup.js';
import {
  docOf,
  type InstanceDoc,
  type InstanceRow,
  saveDoc,
  setInstanceColumn,
  userDataOf,
} from './instance-records.js';
import { instanceTypeInfo } from './instance-types.js';
import { blockDevice, currentState } from './instance-view.js';
import { resolveSecurityGroups } from './network-lookup.js';
import { setDeleteOnTermination } from './volume-attachments.js';
import { volumesOfInstance } from './volumes.js';

type Describer = (
  row: InstanceRow,
  doc: InstanceDoc,
  ctx: RequestContext,
) => Omit<InstanceAttribute, 'InstanceId'>;

const DESCRIBERS: Record<string, Describer> = {
  instanceType: (row) => ({ InstanceType: { Value: row.instance_type } }),
  kernel: () => ({ KernelId: {} }),
  ramdisk: () => ({ RamdiskId: {} }),
  userData: (row, _doc, ctx) => {
    const data = userDataOf(ctx, row.instance_id);
    return { UserData: data === null ? {} : { Value: data } };
  },
  disableApiTermination: (row) => ({ DisableApiTermination: { Value: row.disable_api_termination === 1 } }),
  disableApiStop: (_row, doc) => ({ DisableApiStop: { Value: doc.disableApiStop } }),
  instanceInitiatedShutdownBehavior: (row) => ({
    InstanceInitiatedShutdownBehavior: { Value: row.shutdown_behavior },
  }),
  rootDeviceName: (_row, doc) => ({ RootDeviceName: { Value: doc.rootDeviceName } }),
  blockDeviceMapping: (row, _doc, ctx) => ({
    BlockDeviceMappings: volumesOfInstance(ctx, row.instance_id).map(blockDevice),
  }),
  productCodes: () => ({ ProductCodes: [] }),
  sourceDestCheck: (_row, doc) => ({ SourceDestCheck: { Value: doc.sourceDestCheck } }),
  groupSet: (_row, doc) => ({ Groups: doc.groups }),
  ebsOptimized: (_row, doc) => ({ EbsOptimized: { Value: doc.ebsOptimized } }),
  sriovNetSupport: () => ({ SriovNetSupport: {} }),
  enaSupport: (_row, doc) => ({ EnaSupport: { Value: doc.enaSupport } }),
  enclaveOptions: () => ({ EnclaveOptions: { Enabled: false } }),
};

export function DescribeInstanceAttribute(
  input: DescribeInstanceAttributeRequest,
  ctx: RequestContext,
): InstanceAttribute {
  const row = requireInstance(ctx, input.InstanceId);
  const attribute = input.Attribute;
  if (attribute === undefined) throw missingParameter('attribute');
  const describe = Object.hasOwn(DESCRIBERS, attribute) ? DESCRIBERS[attribute] : undefined;
  if (!describe)
    throw invalidParameterValue(
      `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`,
    );
  checkDryRun(input);
  return { InstanceId: row.instance_id, ...describe(row, docOf(ctx, row.instance_id), ctx) };
}

/** An attribute change: the attribute's name and the value asked for. */
type Change = [name: string, value: string | boolean | string[] | Uint8Array];

export function ModifyInstanceAttribute(input: ModifyInstanceAttributeRequest, ctx: RequestContext): void {
  const row = requireInstance(ctx, input.InstanceId);
  const [name, value] = requestedChange(input);
  const state = currentState(row, ctx.now());
  if (state === 'terminated' || state === 'shutting-down')
    throw ec2Error(
      'IncorrectInstanceState',
      `The instance '${row.instance_id}' is not in a state from which it can be modified.`,
    );
  if (WHILE_STOPPED.has(name) && state !== 'stopped')
    throw ec2Error(
      'IncorrectInstanceState',
      `The instance '${row.instance_id}' is not in the 'stopped' state.`,
    );
  const apply = APPLIERS[name];
  if (!apply)
    throw invalidParameterValue(`Value (${name}) for parameter attribute is invalid. Unknown attribute.`);
  apply(ctx, row, value, input);
}

const WHILE_STOPPED = new Set([
  'instanceType',
  'userData',
  'ebsOptimized',
  'enaSupport',
  'sriovNetSupport',
  'kernel',
  'ramdisk',
]);

/** The one attribute the call changes, from its typed field or the older Attribute/Value pair. */
function requestedChange(input: ModifyInstanceAttributeRequest): Change {
  const changes: Change[] = [];
  const add = (name: string, value: Change[1] | undefined) => {
    if (value !== undefined) changes.push([name, value]);
  };
  add('instanceType', input.InstanceType?.Value);
  add('userData', input.UserData?.Value);
  add('disableApiTermination', input.DisableApiTermination?.Value);
  add('disableApiStop', input.DisableApiStop?.Value);
  add('instanceInitiatedShutdownBehavior', input.InstanceInitiatedShutdownBehavior?.Value);
  add('sourceDestCheck', input.SourceDestCheck?.Value);
  add('ebsOptimized', input.EbsOptimized?.Value);
  add('enaSupport', input.EnaSupport?.Value);
  add('sriovNetSupport', input.SriovNetSupport?.Value);
  add('kernel', input.Kernel?.Value);
  add('ramdisk', input.Ramdisk?.Value);
  if (input.Groups?.length) add('groupSet', input.Groups);
  if (input.BlockDeviceMappings?.length) add('blockDeviceMapping', 'mappings');
  if (input.Attribute !== undefined) {
    if (input.Value === undefined) throw missingParameter('value');
    add(input.Attribute, input.Value);
  }
  if (changes.length === 0) throw invalidParameterCombination('No attributes specified.');
  if (changes.length > 1)
    throw invalidParameterCombination(
      `Fields for multiple attribute types specified: ${changes.map(([n]) => n).join(', ')}`,
    );
  return changes[0] as Change;
}

type Applier = (
  ctx: RequestContext,
  row: InstanceRow,
  value: Change[1],
  input: ModifyInstanceAttributeRequest,
) => void;

const flag = (value: Change[1]) => value === true || value === 'true';

/** A doc field set to a boolean. */
const docFlag =
  (field: 'disableApiStop' | 'sourceDestCheck' | 'ebsOptimized' | 'enaSupport'): Applier =>
  (ctx, row, value, input) => {
    const doc = docOf(ctx, row.instance_id);
    checkDryRun(input);
    saveDoc(ctx, row.instance_id, { ...doc, [field]: flag(value) });
  };

/** Every image localaws runs is HVM: there is no kernel or RAM disk to choose. */
function hvmOnly(name: string): Applier {
  return () => {
    throw invalidParameterValue(`The instance is HVM: it has no ${name} to change`);
  };
}

const APPLIERS: Record<string, Applier> = {
  instanceType(ctx, row, value, input) {
    const type = String(value);
    const figures = instanceTypeInfo(type);
    if (!figures) throw invalidParameterValue(`Invalid value '${type}' for InstanceType.`);
    const architecture = docOf(ctx, row.instance_id).architecture;
    if (!figures.Architectures.includes(architecture))
      throw invalidParameterValue(
        `The architecture '${figures.Architectures.join(',')}' of the specified instance type does not match the architecture '${architecture}' of the instance.`,
      );
    checkDryRun(input);
    setInstanceColumn(ctx, row.instance_id, 'instance_type', type);
  },
  userData(ctx, row, value, input) {
    checkDryRun(input);
    const data = typeof value === 'string' ? Buffer.from(value) : Buffer.from(value as Uint8Array);
    setInstanceColumn(ctx, row.instance_id, 'user_data', data.length === 0 ? null : data.toString('base64'));
  },
  disableApiTermination(ctx, row, value, input) {
    checkDryRun(input);
    setInstanceColumn(ctx, row.instance_id, 'disable_api_termination', flag(value) ? 1 : 0);
  },
  instanceInitiatedShutdownBehavior(ctx, row, value, input) {
    if (value !== 'stop' && value !== 'terminate')
      throw invalidParameterValue(
        `Value (${String(value)}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are: stop, terminate.`,
      );
    checkDryRun(input);
    setInstanceColumn(ctx, row.instance_id, 'shutdown_behavior', value);
  },
  groupSet(ctx, row, value, input) {
    const groups = resolveSecurityGroups(ctx, row.vpc_id, value as string[]);
    checkDryRun(input);
    setInstanceColumn(ctx, row.instance_id, 'group_ids', groups.map((g) => g.GroupId).join(','));
    saveDoc(ctx, row.instance_id, { ...docOf(ctx, row.instance_id), groups });
  },
  disableApiStop: docFlag('disableApiStop'),
  sourceDestCheck: docFlag('sourceDestCheck'),
  ebsOptimized: docFlag('ebsOptimized'),
  enaSupport: docFlag('enaSupport'),
  sriovNetSupport(_ctx, _row, _value, input) {
    checkDryRun(input);
  },
  kernel: hvmOnly('kernel'),
  ramdisk: hvmOnly('ramdisk'),
  blockDeviceMapping(ctx, row, _value, input) {
    const attached = new Map(volumesOfInstance(ctx, row.instance_id).map((v) => [v.DeviceName, v.VolumeId]));
    const changes: [volumeId: string, deleteOnTermination: boolean][] = [];
    for (const mapping of input.BlockDeviceMappings ?? []) {
      const device = mapping.DeviceName;
      if (!device) throw missingParameter('BlockDeviceMapping.DeviceName');
      const volumeId = attached.get(device);
      if (!volumeId)
        throw ec2Error('InvalidInstanceAttributeValue', `No device is currently mapped at ${device}`);
      const asked = mapping.Ebs?.VolumeId;
      if (asked !== undefined && asked !== volumeId)
        throw invalidParameterValue(
          `Volume ${asked} is not attached to instance ${row.instance_id} at ${device}`,
        );
      const flag = mapping.Ebs?.DeleteOnTermination;
      if (flag !== undefined) changes.push([volumeId, flag]);
    }
    checkDryRun(input);
    for (const [volumeId, flag] of changes) setDeleteOnTermination(ctx, volumeId, flag);
  },
};
