import { describe, expect, it } from 'vitest';
import type { InstanceDoc, InstanceRow } from '../../src/services/ec2/instance-records.js';
import { checksStatus } from '../../src/services/ec2/instance-status.js';
import { instanceView, publicIpOf } from '../../src/services/ec2/instance-view.js';

const LAUNCH = Date.UTC(2024, 0, 2, 3, 4, 5);

const row: InstanceRow = {
  instance_id: 'i-0123456789abcdef0',
  reservation_id: 'r-0123456789abcdef0',
  launch_index: 0,
  image_id: 'ami-0123456789abcdef0',
  instance_type: 't3.micro',
  key_name: 'deploy',
  vpc_id: 'vpc-0123456789abcdef0',
  subnet_id: 'subnet-0123456789abcdef0',
  availability_zone: 'eu-west-1a',
  private_ip: '172.31.0.10',
  public_ip: '54.1.2.3',
  eni_id: 'eni-0123456789abcdef0',
  group_ids: 'sg-0123456789abcdef0',
  launched_at: LAUNCH,
  transition: 'pending',
  transition_at: LAUNCH,
  settles_at: LAUNCH + 5000,
  checks_ok_at: LAUNCH + 15000,
  disable_api_termination: 0,
  shutdown_behavior: 'stop',
};

const doc: InstanceDoc = {
  architecture: 'x86_64',
  platformDetails: 'Linux/UNIX',
  virtualizationType: 'hvm',
  rootDeviceName: '/dev/xvda',
  groups: [{ GroupId: 'sg-0123456789abcdef0', GroupName: 'default' }],
  monitoring: false,
  ebsOptimized: false,
  sourceDestCheck: true,
  enaSupport: true,
  disableApiStop: false,
  metadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
  cpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
  tenancy: 'default',
  clientToken: 'token',
  macAddress: '0e:01:02:03:04:05',
  eniAttachmentId: 'eni-attach-0123456789abcdef0',
  eniDescription: '',
  eniDeleteOnTermination: true,
  eniAttachedAt: LAUNCH,
  wantsPublicIp: true,
};

const extras = { tags: [{ Key: 'Name', Value: 'web' }], volumes: [] };
const view = (now: number) => ({ accountId: '000000000000', region: 'eu-west-1', now });

describe('an instance as Describe shows it', () => {
  it('is pending with its reason until it boots, then running without one', () => {
    const pending = instanceView(row, doc, extras, view(LAUNCH + 1000));
    expect(pending.State).toEqual({ Code: 0, Name: 'pending' });
    expect(pending.StateReason).toEqual({ Code: 'pending', Message: 'pending' });
    const running = instanceView(row, doc, extras, view(LAUNCH + 5000));
    expect(running.State).toEqual({ Code: 16, Name: 'running' });
    expect(running.StateReason).toBeUndefined();
    expect(running.StateTransitionReason).toBe('');
    expect(running.PrivateDnsName).toBe('ip-172-31-0-10.eu-west-1.compute.internal');
    expect(running.PublicDnsName).toBe('ec2-54-1-2-3.eu-west-1.compute.amazonaws.com');
    expect(running.NetworkInterfaces?.[0]?.Association).toEqual({
      IpOwnerId: 'amazon',
      PublicDnsName: 'ec2-54-1-2-3.eu-west-1.compute.amazonaws.com',
      PublicIp: '54.1.2.3',
    });
    expect(running.Tags).toEqual([{ Key: 'Name', Value: 'web' }]);
  });

  it('as RunInstances answers, pending and without a public address even with no boot time', () => {
    const zeroBoot = { ...row, settles_at: LAUNCH };
    const launched = instanceView(zeroBoot, doc, { ...extras, launching: true }, view(LAUNCH));
    expect(launched.State?.Name).toBe('pending');
    expect(launched.PublicIpAddress).toBeUndefined();
    expect(launched.PublicDnsName).toBe('');
  });

  it('stopped by the user: the reason, and no public address', () => {
    const stopAt = LAUNCH + 60_000;
    const stopped = {
      ...row,
      transition: 'stopping' as const,
      transition_at: stopAt,
      settles_at: stopAt + 5000,
      public_ip: null,
    };
    const shown = instanceView(stopped, doc, extras, view(stopAt + 6000));
    expect(shown.State).toEqual({ Code: 80, Name: 'stopped' });
    expect(shown.StateTransitionReason).toBe('User initiated (2024-01-02 03:05:05 GMT)');
    expect(shown.StateReason?.Code).toBe('Client.UserInitiatedShutdown');
    expect(shown.PublicIpAddress).toBeUndefined();
    expect(shown.PrivateIpAddress).toBe('172.31.0.10');
  });

  it('terminated: no network interface, no addresses', () => {
    const ended = { ...row, transition: 'shutting-down' as const, transition_at: LAUNCH, settles_at: LAUNCH };
    const shown = instanceView(ended, doc, extras, view(LAUNCH + 1));
    expect(shown.State?.Name).toBe('terminated');
    expect(shown.NetworkInterfaces).toEqual([]);
    expect(shown.PrivateIpAddress).toBeUndefined();
    expect(shown.PrivateDnsName).toBe('');
  });

  it('an Elastic IP takes the place of the auto-assigned address, even while stopped', () => {
    expect(publicIpOf(row, 'running', '3.3.3.3')).toBe('3.3.3.3');
    expect(publicIpOf(row, 'stopped', '3.3.3.3')).toBe('3.3.3.3');
    expect(publicIpOf(row, 'stopped')).toBeUndefined();
    expect(publicIpOf(row, 'shutting-down', '3.3.3.3')).toBeUndefined();
  });
});

describe('status checks', () => {
  it('initialize after the boot, then pass; other states are not applicable', () => {
    expect(checksStatus(row, 'pending', LAUNCH)).toBe('not-applicable');
    expect(checksStatus(row, 'running', LAUNCH + 5000)).toBe('initializing');
    expect(checksStatus(row, 'running', LAUNCH + 15000)).toBe('ok');
    expect(checksStatus(row, 'stopped', LAUNCH + 15000)).toBe('not-applicable');
  });
});
