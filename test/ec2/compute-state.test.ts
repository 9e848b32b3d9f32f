import { describe, expect, it } from 'vitest';
import { privateDnsName, publicDnsName } from '../../src/services/ec2/instance-dns.js';
import {
  hasVanished,
  STATE_CODES,
  stateAt,
  stateOf,
  TERMINATED_VISIBLE_MS,
  userInitiatedReason,
} from '../../src/services/ec2/instance-state.js';

describe('instance state derived from the clock', () => {
  it('is the transition until it settles, then where it leads', () => {
    expect(stateAt('pending', 5000, 4999)).toBe('pending');
    expect(stateAt('pending', 5000, 5000)).toBe('running');
    expect(stateAt('stopping', 5000, 1)).toBe('stopping');
    expect(stateAt('stopping', 5000, 9000)).toBe('stopped');
    expect(stateAt('shutting-down', 5000, 4000)).toBe('shutting-down');
    expect(stateAt('shutting-down', 5000, 6000)).toBe('terminated');
  });

  it('a transition of zero seconds has settled when it is read', () => {
    expect(stateAt('pending', 1000, 1000)).toBe('running');
  });

  it('a terminated instance vanishes an hour after it terminated, and only it', () => {
    expect(hasVanished('shutting-down', 5000, 5000 + TERMINATED_VISIBLE_MS - 1)).toBe(false);
    expect(hasVanished('shutting-down', 5000, 5000 + TERMINATED_VISIBLE_MS)).toBe(true);
    expect(hasVanished('stopping', 5000, 5000 + 10 * TERMINATED_VISIBLE_MS)).toBe(false);
  });

  it("carries AWS's state codes", () => {
    expect(STATE_CODES).toEqual({
      pending: 0,
      running: 16,
      'shutting-down': 32,
      terminated: 48,
      stopping: 64,
      stopped: 80,
    });
    expect(stateOf('stopped')).toEqual({ Code: 80, Name: 'stopped' });
  });

  it('says when the user asked, in GMT', () => {
    expect(userInitiatedReason(Date.UTC(2024, 4, 1, 12, 3, 9, 450))).toBe(
      'User initiated (2024-05-01 12:03:09 GMT)',
    );
  });
});

describe('instance DNS names', () => {
  it('uses the historical domains in us-east-1', () => {
    expect(privateDnsName('10.0.0.12', 'us-east-1')).toBe('ip-10-0-0-12.ec2.internal');
    expect(publicDnsName('54.1.2.3', 'us-east-1')).toBe('ec2-54-1-2-3.compute-1.amazonaws.com');
  });

  it('names the region elsewhere', () => {
    expect(privateDnsName('172.31.16.5', 'eu-west-1')).toBe('ip-172-31-16-5.eu-west-1.compute.internal');
    expect(publicDnsName('3.250.1.9', 'eu-west-1')).toBe('ec2-3-250-1-9.eu-west-1.compute.amazonaws.com');
  });
});
