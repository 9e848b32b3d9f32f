/**
 * DescribeAccountAttributes: what an account may do in a region. Terraform's AWS provider and
 * other tools read `supported-platforms` and `default-vpc` at start-up.
 */
import type {
  AccountAttribute,
  DescribeAccountAttributesRequest,
  DescribeAccountAttributesResult,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { invalidParameterValue } from './errors.js';
import { storedDefaultVpc } from './vpc-records.js';

/** AWS's order, with the quotas of a new account. */
const ATTRIBUTES: readonly [string, (ctx: RequestContext) => string[]][] = [
  ['vpc-max-security-groups-per-interface', () => ['5']],
  ['max-instances', () => ['20']],
  ['supported-platforms', () => ['VPC']],
  ['default-vpc', (ctx) => [storedDefaultVpc(ctx)?.vpcId ?? 'none']],
  ['max-elastic-ips', () => ['5']],
  ['vpc-max-elastic-ips', () => ['5']],
];

const KNOWN = new Set(ATTRIBUTES.map(([name]) => name));

function DescribeAccountAttributes(
  input: DescribeAccountAttributesRequest,
  ctx: RequestContext,
): DescribeAccountAttributesResult {
  const names: readonly string[] = input.AttributeNames ?? [];
  for (const name of names)
    if (!KNOWN.has(name))
      throw invalidParameterValue(`Value (${name}) for parameter attributeName is invalid.`);
  checkDryRun(input);
  const attributes: AccountAttribute[] = [];
  for (const [name, values] of ATTRIBUTES) {
    if (names.length > 0 && !names.includes(name)) continue;
    attributes.push({
      AttributeName: name,
      AttributeValues: values(ctx).map((v) => ({ AttributeValue: v })),
    });
  }
  return { AccountAttributes: attributes };
}

export const accountAttributeHandlers = { DescribeAccountAttributes };
