/**
 * Garbage never gets a 5xx: every EC2 operation localaws answers is sent inputs generated from
 * its shapes (a fixed seed, so a failure reproduces), with real ids swapped in often enough to
 * get past the first lookups, through the SDK and again on the wire with parameters dropped,
 * retyped or oddly indexed. Each must answer a success or an EC2 error below 500.
 */
import * as sdk from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/protocol/model.js';
import { ec2 as service } from '../../src/services/ec2/index.js';
import { Sampler } from '../../test/protocol/samples.js';
import { reusableSdkClient } from '../../test/protocol/sdk-harness.js';
import { mutateForm, postMutatedForms, sdkStatus } from '../fuzz.js';
import { ADDABLE, fuzzInput, GARBAGE, type ResourcePool } from './fuzz-inputs.js';
import { amazonLinuxImage, useEC2 } from './setup.js';

const SEEDS = [1, 2, 3];
const MUTATIONS = 3;

const t = useEC2({ ec2BootSeconds: 1, ec2StopSeconds: 1, ec2TerminateSeconds: 1 });
const model = loadModel('ec2');
const operations = Object.keys(service.handlers).sort();
let pool: ResourcePool;

/** One resource of each kind, for the inputs to name. */
async function makePool(ec2: sdk.EC2Client): Promise<ResourcePool> {
  const image = await amazonLinuxImage(ec2);
  const run = await ec2.send(
    new sdk.RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2 }),
  );
  const instances = run.Instances ?? [];
  const vpc = (await ec2.send(new sdk.CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc?.VpcId ?? '';
  const subnet = await ec2.send(new sdk.CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.1.0/24' }));
  const group = await ec2.send(
    new sdk.CreateSecurityGroupCommand({ GroupName: 'fuzz', Description: 'fuzz', VpcId: vpc }),
  );
  const rule = await ec2.send(
    new sdk.AuthorizeSecurityGroupIngressCommand({
      GroupId: group.GroupId,
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      CidrIp: '0.0.0.0/0',
    }),
  );
  const volume = await ec2.send(new sdk.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
  const key = await ec2.send(new sdk.CreateKeyPairCommand({ KeyName: 'fuzz-key' }));
  const template = await ec2.send(
    new sdk.CreateLaunchTemplateCommand({
      LaunchTemplateName: 'fuzz-lt',
      LaunchTemplateData: { ImageId: image },
    }),
  );
  const address = await ec2.send(new sdk.AllocateAddressCommand({ Domain: 'vpc' }));
  const gateway = await ec2.send(new sdk.CreateInternetGatewayCommand({}));
  const snapshot = await ec2.send(new sdk.CreateSnapshotCommand({ VolumeId: volume.VolumeId }));
  t.h.server.advanceClock(5);
  const made = await ec2.send(
    new sdk.CreateImageCommand({ InstanceId: instances[0]?.InstanceId, Name: 'fuzz-image' }),
  );
  const ids = (values: (string | undefined)[]) => values.filter((v): v is string => v !== undefined);
  return {
    i: ids(instances.map((i) => i.InstanceId)),
    eni: ids(instances.map((i) => i.NetworkInterfaces?.[0]?.NetworkInterfaceId)),
    vpc: [vpc],
    subnet: ids([subnet.Subnet?.SubnetId]),
    sg: ids([group.GroupId]),
    sgr: ids((rule.SecurityGroupRules ?? []).map((r) => r.SecurityGroupRuleId)),
    vol: ids([volume.VolumeId]),
    snap: ids([snapshot.SnapshotId]),
    ami: ids([made.ImageId, image]),
    key: ids([key.KeyPairId]),
    keyName: ['fuzz-key'],
    lt: ids([template.LaunchTemplate?.LaunchTemplateId]),
    templateName: ['fuzz-lt'],
    eipalloc: ids([address.AllocationId]),
    publicIp: ids([address.PublicIp]),
    igw: ids([gateway.InternetGateway?.InternetGatewayId]),
  };
}

beforeAll(async () => {
  pool = await makePool(t.ec2);
});

describe('garbage input', () => {
  it('never gets a 5xx from any EC2 operation, through the SDK or on the wire', async () => {
    const wire = reusableSdkClient('ec2', { endpoint: t.h.url });
    const failures: string[] = [];
    let answered = 0;
    for (const seed of SEEDS) {
      for (const [index, operation] of operations.entries()) {
        const sampler = new Sampler(model, { seed: seed * 1000 + index, maxDepth: 3, omitRate: 0.6 });
        const input = fuzzInput(sampler, model, operation, pool);
        const status = await sdkStatus(t.ec2, sdk, operation, input);
        answered += 1;
        if (status >= 500) failures.push(`${operation} seed ${seed}: ${status} for ${JSON.stringify(input)}`);
        const body = (await wire.captureRequest(operation, input)).body.toString();
        const wired = await postMutatedForms(t.h.url, body, MUTATIONS, (b) =>
          mutateForm(b, sampler, GARBAGE, ADDABLE),
        );
        answered += wired.answered;
        for (const failure of wired.failures) failures.push(`${operation} seed ${seed}: ${failure}`);
      }
      t.h.server.advanceClock(30);
    }
    expect(failures).toEqual([]);
    expect(answered).toBe(SEEDS.length * operations.length * (1 + MUTATIONS));
  }, 120_000);
});
