/**
 * GetConsoleOutput: the serial console log of the instance's last boot (kernel, cloud-init, its
 * network and SSH host key fingerprints), written from what localaws knows of it, base64
 * encoded as EC2 answers. Nothing has been written before the first boot completes; a stop
 * adds the shutdown's lines.
 */
import { createHash } from 'node:crypto';
import type { GetConsoleOutputRequest, GetConsoleOutputResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { privateDnsName } from './instance-dns.js';
import { requireInstance } from './instance-lookup.js';
import { docOf, type InstanceDoc, type InstanceRow } from './instance-records.js';
import { currentState } from './instance-view.js';

export function GetConsoleOutput(
  input: GetConsoleOutputRequest,
  ctx: RequestContext,
): GetConsoleOutputResult {
  const row = requireInstance(ctx, input.InstanceId);
  checkDryRun(input);
  const now = ctx.now();
  const state = currentState(row, now);
  const doc = docOf(ctx, row.instance_id);
  const bootedAt = row.transition === 'pending' ? row.settles_at : row.transition_at;
  if (state === 'pending' && row.launched_at === doc.eniAttachedAt)
    return { InstanceId: row.instance_id, Timestamp: new Date(now) };
  const lines = doc.platform === 'windows' ? windowsBootLog(row, doc) : bootLog(row, doc, ctx.region);
  if (row.transition !== 'pending') lines.push(...shutdownLog(row));
  return {
    InstanceId: row.instance_id,
    Timestamp: new Date(Math.min(bootedAt, now)),
    Output: Buffer.from(`${lines.join('\r\n')}\r\n`).toString('base64'),
  };
}

function bootLog(row: InstanceRow, doc: InstanceDoc, region: string): string[] {
  const host = privateDnsName(row.private_ip, region).split('.')[0] as string;
  const kernel = doc.architecture === 'arm64' ? '6.1.0-aarch64' : '6.1.0-x86_64';
  const started = new Date(row.launched_at).toUTCString();
  const root = `root@${host}`;
  return [
    `[    0.000000] Linux version ${kernel} (mockbuild@localaws) (gcc 11.4.1) #1 SMP`,
    `[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz root=${doc.rootDeviceName} console=tty0 console=ttyS0,115200n8 nvme_core.io_timeout=4294967295`,
    `[    0.000000] DMI: Amazon EC2 ${row.instance_type}, BIOS 1.0 10/16/2017`,
    '[    0.512000] Hypervisor detected: KVM',
    '[    1.204000] ena: Elastic Network Adapter (ENA) v2.8.0',
    `[    1.318000] ena 0000:00:05.0 eth0: Elastic Network Adapter (ENA) found at mem febf4000, mac addr ${doc.macAddress}`,
    `Cloud-init v. 22.2.2 running 'init' at ${started}. Up 4.87 seconds.`,
    'ci-info: ++++++++++++++++++++++++++++++++++Net device info++++++++++++++++++++++++++++++++++',
    'ci-info: | Device |  Up  |     Address     | Scope  |     Hw-Address    |',
    `ci-info: |  eth0  | True | ${row.private_ip.padEnd(15)} | global | ${doc.macAddress} |`,
    'ci-info: |   lo   | True |    127.0.0.1    |  host  |         .         |',
    `Cloud-init v. 22.2.2 running 'modules:config' at ${started}. Up 7.12 seconds.`,
    '-----BEGIN SSH HOST KEY FINGERPRINTS-----',
    `256 SHA256:${fingerprint(row.instance_id, 'ecdsa')} ${root} (ECDSA)`,
    `256 SHA256:${fingerprint(row.instance_id, 'ed25519')} ${root} (ED25519)`,
    '-----END SSH HOST KEY FINGERPRINTS-----',
    `Cloud-init v. 22.2.2 finished at ${started}. Datasource DataSourceEc2Local.  Up 9.43 seconds`,
    '',
    `Kernel ${kernel} on an ${doc.architecture}`,
    '',
    `${host} login:`,
  ];
}

/** EC2Launch v2's lines, as a Windows instance writes them to its console. */
function windowsBootLog(row: InstanceRow, doc: InstanceDoc): string[] {
  const at = (offsetSeconds: number) =>
    `${new Date(row.launched_at + offsetSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/')}Z`;
  return [
    `${at(20)}: EC2LaunchV2: Instance type: ${row.instance_type}`,
    `${at(21)}: EC2LaunchV2: Network interface ${doc.macAddress} IPv4 address: ${row.private_ip}`,
    `${at(25)}: EC2LaunchV2: RDPCERTIFICATE-SUBJECTNAME: EC2AMAZ-${row.instance_id.slice(2, 9).toUpperCase()}`,
    `${at(25)}: EC2LaunchV2: RDPCERTIFICATE-THUMBPRINT: ${fingerprint(row.instance_id, 'rdp').slice(0, 40)}`,
    `${at(31)}: Windows is Ready to use`,
  ];
}

function shutdownLog(row: InstanceRow): string[] {
  const at = new Date(row.transition_at).toUTCString();
  return [
    `[  OK  ] Stopped target Multi-User System (${at}).`,
    '[  OK  ] Stopped OpenSSH server daemon.',
    '[  OK  ] Reached target System Power Off.',
    '[ 4210.118000] reboot: Power down',
  ];
}

/** Stable per instance, as a host key's fingerprint is for the life of its disk. */
function fingerprint(instanceId: string, kind: string): string {
  return createHash('sha256').update(`${instanceId}/${kind}`).digest('base64').replace(/=+$/, '');
}
