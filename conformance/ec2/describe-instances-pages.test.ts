/**
 * DescribeInstances without ids or filters pages straight through the account's instances in
 * reservation order: every page holds each visible instance once, terminated ones while they
 * are visible, none once forgotten, and a page resumes where the last left off even when
 * instances vanished in between. (A server of its own, so the account's instances are known.)
 */
import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  paginateDescribeInstances,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { runInstances, useEC2 } from './setup.js';

const t = useEC2({ ec2BootSeconds: 0, ec2TerminateSeconds: 0 });

const idsOf = (out: DescribeInstancesCommandOutput) =>
  (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? '');

async function pagedIds(pageSize: number): Promise<string[]> {
  const seen: string[] = [];
  for await (const page of paginateDescribeInstances({ client: t.ec2, pageSize }, {})) {
    expect(idsOf(page).length).toBeLessThanOrEqual(pageSize);
    seen.push(...idsOf(page));
  }
  return seen;
}

describe('DescribeInstances without filters, page by page', () => {
  it('holds every visible instance once, in the order of the single page, reservations whole', async () => {
    const launched: string[] = [];
    for (const count of [3, 1, 4, 2, 5, 1, 6])
      launched.push(
        ...(await runInstances(t.ec2, { MinCount: count, MaxCount: count })).map((i) => i.InstanceId ?? ''),
      );
    const all = await t.ec2.send(new DescribeInstancesCommand({}));
    expect(all.NextToken).toBeUndefined();
    expect(idsOf(all).sort()).toEqual([...launched].sort());
    expect(await pagedIds(5)).toEqual(idsOf(all));
    expect(await pagedIds(6)).toEqual(idsOf(all));
    const reservations = all.Reservations ?? [];
    expect(reservations.map((r) => r.Instances?.length).sort()).toEqual([1, 1, 2, 3, 4, 5, 6]);
    for (const reservation of reservations)
      expect(reservation.Instances?.map((i) => i.AmiLaunchIndex)).toEqual(
        reservation.Instances?.map((_, index) => index),
      );
  });

  it('shows terminated instances for their hour, and resumes past ones that vanished', async () => {
    const before = idsOf(await t.ec2.send(new DescribeInstancesCommand({})));
    const first = await t.ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    expect(idsOf(first)).toEqual(before.slice(0, 5));
    // the first page's last instance and the next two terminate, then are forgotten
    const gone = before.slice(4, 7);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: gone }));
    const terminated = await t.ec2.send(new DescribeInstancesCommand({}));
    expect(idsOf(terminated)).toEqual(before);
    t.h.server.advanceClock(3601);
    const rest = await t.ec2.send(
      new DescribeInstancesCommand({ MaxResults: 5, NextToken: first.NextToken }),
    );
    expect(idsOf(rest)).toEqual(before.slice(7, 12));
    expect(await pagedIds(5)).toEqual(before.filter((id) => !gone.includes(id)));
  });
});
