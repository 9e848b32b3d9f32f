/**
 * EC2 at concurrency 16 (issue 7): DescribeInstances with a tag filter that picks one
 * service's 10 instances out of a fleet of 10k, services in turn; RunInstances of one tagged
 * instance, zones in turn, each with a new ClientToken as the SDK gives every call.
 */
import { sdkRawRequest, sdkRawRequests } from '../raw-request.js';
import type { RawCycle, RawRequest, Scenario, SdkClientConfig } from '../scenario.js';
import { spread } from './dynamodb-tables.js';
import { describeAnswer, runAnswer } from './ec2-answers.js';
import {
  INSTANCES_PER_SERVICE,
  instancesIn,
  LaunchTemplate,
  launchFleet,
  launchInput,
  SERVICES,
  serviceName,
  ZONES,
} from './ec2-fleet.js';

const CONCURRENCY = 16;
const probe = (url: string) => sdkRawRequest('ec2', 'DescribeRegions', {}, url);

async function ec2Client(config: SdkClientConfig) {
  const sdk = await import('@aws-sdk/client-ec2');
  return { sdk, client: new sdk.EC2Client(config) };
}

const describeInputs = spread(64, SERVICES).map((service) => ({
  Filters: [{ Name: 'tag:service', Values: [serviceName(service)] }],
}));

function checkedInstances(body: Buffer): number {
  const count = instancesIn(body);
  if (count !== INSTANCES_PER_SERVICE) throw new Error(`DescribeInstances found ${count} instances`);
  return count;
}

export const ec2Describe: Scenario = {
  name: 'ec2-describe',
  title: `EC2 DescribeInstances (ec2Query), tag:service picks ${INSTANCES_PER_SERVICE} of ${SERVICES * INSTANCES_PER_SERVICE} instances`,
  concurrency: CONCURRENCY,
  unit: 'instances',
  probe,
  setup: launchFleet,
  async sdkOperation(config) {
    const { sdk, client } = await ec2Client(config);
    const commands = describeInputs.map((input) => new sdk.DescribeInstancesCommand(input));
    let next = 0;
    return async () => {
      const command = commands[next++ % commands.length] as (typeof commands)[number];
      const { Reservations = [] } = await client.send(command);
      const count = Reservations.flatMap((r) => r.Instances ?? []).length;
      if (count !== INSTANCES_PER_SERVICE) throw new Error(`DescribeInstances found ${count} instances`);
      return count;
    };
  },
  rawRequests: (url) => sdkRawRequests('ec2', 'DescribeInstances', describeInputs, url),
  rawCycle(requests: RawRequest[], connection: number): RawCycle {
    let next = connection;
    return { first: () => requests[next++ % requests.length] as RawRequest, next: checkedInstances };
  },
  get baselineResponse() {
    return describeAnswer(INSTANCES_PER_SERVICE);
  },
};

export const ec2Run: Scenario = {
  name: 'ec2-run',
  title: 'EC2 RunInstances of one tagged t3.micro, zones in turn, a new ClientToken each',
  concurrency: CONCURRENCY,
  probe,
  async sdkOperation(config) {
    const { sdk, client } = await ec2Client(config);
    let next = 0;
    return () => client.send(new sdk.RunInstancesCommand(launchInput(next++ % ZONES.length, 1)));
  },
  rawRequests: (url) =>
    sdkRawRequests(
      'ec2',
      'RunInstances',
      ZONES.map((_, zone) => launchInput(zone, 1)),
      url,
    ),
  rawCycle(requests: RawRequest[], connection: number): RawCycle {
    const templates = requests.map((r) => new LaunchTemplate(r));
    let next = connection;
    return {
      first: () => (templates[next++ % templates.length] as LaunchTemplate).fresh(),
      next(body) {
        if (instancesIn(body) !== 1) throw new Error('RunInstances launched no instance');
        return 1;
      },
    };
  },
  get baselineResponse() {
    return runAnswer();
  },
};
