/** DescribeLimits and DescribeEndpoints: the account-level answers SDKs and tools ask for. */
import type { DescribeEndpointsResponse, DescribeLimitsOutput } from '@aws-sdk/client-dynamodb';
import type { RequestContext } from '../types.js';

const SCHEME = /^https?:\/\//;

/** DynamoDB's default quotas per account and region. */
function describeLimits(): DescribeLimitsOutput {
  return {
    AccountMaxReadCapacityUnits: 80000,
    AccountMaxWriteCapacityUnits: 80000,
    TableMaxReadCapacityUnits: 40000,
    TableMaxWriteCapacityUnits: 40000,
  };
}

/** The endpoint the client reached, so endpoint discovery keeps talking to this server. */
function describeEndpoints(_input: unknown, ctx: RequestContext): DescribeEndpointsResponse {
  return { Endpoints: [{ Address: ctx.endpoint.replace(SCHEME, ''), CachePeriodInMinutes: 1440 }] };
}

export const accountHandlers = {
  DescribeLimits: describeLimits,
  DescribeEndpoints: describeEndpoints,
};
