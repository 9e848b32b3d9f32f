/**
 * Internet gateways: created detached, attached to at most one VPC (and a VPC to at most one
 * gateway), deletable only once detached. An attachment's state is `available`, as AWS says.
 */
import type {
  AttachInternetGatewayRequest,
  AttachmentStatus,
  CreateInternetGatewayRequest,
  CreateInternetGatewayResult,
  DeleteInternetGatewayRequest,
  DescribeInternetGatewaysRequest,
  DescribeInternetGatewaysResult,
  DetachInternetGatewayRequest,
  InternetGateway,
} from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { vpcHasPublicAddresses } from './compute-references.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterValue, malformedId, missingParameter, notFound } from './errors.js';
import { filterMatcher } from './filters.js';
import { isWellFormedId, newId } from './ids.js';
import { pageOf } from './pages.js';
import { dropTags, tagsByResource, tagsBySpecification, writeTags } from './tags.js';
import { requireVpc } from './vpc-records.js';

interface GatewayRow {
  gatewayId: string;
  vpcId: string | null;
}

type Key = [string, string];
const COLUMNS = 'gateway_id AS gatewayId, vpc_id AS vpcId';

const statements = perDb((db) => ({
  byId: db.prepare<[...Key, string], GatewayRow>(
    `SELECT ${COLUMNS} FROM ec2_internet_gateways WHERE account = ? AND region = ? AND gateway_id = ?`,
  ),
  ofVpc: db.prepare<[...Key, string], GatewayRow>(
    `SELECT ${COLUMNS} FROM ec2_internet_gateways WHERE account = ? AND region = ? AND vpc_id = ?`,
  ),
  all: db.prepare<Key, GatewayRow>(
    `SELECT ${COLUMNS} FROM ec2_internet_gateways WHERE account = ? AND region = ? ORDER BY gateway_id`,
  ),
  insert: db.prepare<[...Key, string, string | null, number]>(
    'INSERT INTO ec2_internet_gateways (account, region, gateway_id, vpc_id, created_at) VALUES (?, ?, ?, ?, ?)',
  ),
  setVpc: db.prepare<[string | null, ...Key, string]>(
    'UPDATE ec2_internet_gateways SET vpc_id = ? WHERE account = ? AND region = ? AND gateway_id = ?',
  ),
  delete: db.prepare<[...Key, string]>(
    'DELETE FROM ec2_internet_gateways WHERE account = ? AND region = ? AND gateway_id = ?',
  ),
}));

export function createGatewayRecord(ctx: RequestContext, vpcId: string | null): string {
  const id = newId('igw');
  statements(ctx.db).insert.run(ctx.accountId, ctx.region, id, vpcId, ctx.now());
  return id;
}

export function gatewayExists(ctx: RequestContext, id: string): boolean {
  return statements(ctx.db).byId.get(ctx.accountId, ctx.region, id) !== undefined;
}

/** The gateway attached to a VPC, if any. */
export function gatewayOfVpc(ctx: RequestContext, vpcId: string): string | undefined {
  return statements(ctx.db).ofVpc.get(ctx.accountId, ctx.region, vpcId)?.gatewayId;
}

function requireGateway(ctx: RequestContext, id: string | undefined): GatewayRow {
  if (!id) throw missingParameter('internetGatewayId');
  if (!isWellFormedId('igw', id)) throw malformedId('InvalidInternetGatewayID.Malformed', id);
  const row = statements(ctx.db).byId.get(ctx.accountId, ctx.region, id);
  if (!row) throw notFound('InvalidInternetGatewayID.NotFound', 'internetGateway', id);
  return row;
}

function describe(ctx: RequestContext, row: GatewayRow, tags: InternetGateway['Tags']): InternetGateway {
  return {
    InternetGatewayId: row.gatewayId,
    OwnerId: ctx.accountId,
    // AWS reports `available`, a value the SDK's AttachmentStatus enum does not list
    Attachments: row.vpcId ? [{ VpcId: row.vpcId, State: 'available' as AttachmentStatus }] : [],
    Tags: tags,
  };
}

export const internetGatewayHandlers = {
  CreateInternetGateway(
    input: CreateInternetGatewayRequest,
    ctx: RequestContext,
  ): CreateInternetGatewayResult {
    const tags =
      tagsBySpecification(input.TagSpecifications, ['internet-gateway']).get('internet-gateway') ?? [];
    checkDryRun(input);
    const id = createGatewayRecord(ctx, null);
    writeTags(ctx, id, tags);
    return { InternetGateway: describe(ctx, { gatewayId: id, vpcId: null }, tags) };
  },

  AttachInternetGateway(input: AttachInternetGatewayRequest, ctx: RequestContext): void {
    const gateway = requireGateway(ctx, input.InternetGatewayId);
    if (!input.VpcId) throw missingParameter('vpcId');
    const vpc = requireVpc(ctx, input.VpcId);
    if (gateway.vpcId)
      throw ec2Error(
        'Resource.AlreadyAssociated',
        `resource ${gateway.gatewayId} is already attached to network ${gateway.vpcId}`,
      );
    if (gatewayOfVpc(ctx, vpc.vpcId))
      throw invalidParameterValue(`Network ${vpc.vpcId} already has an internet gateway attached`);
    checkDryRun(input);
    statements(ctx.db).setVpc.run(vpc.vpcId, ctx.accountId, ctx.region, gateway.gatewayId);
  },

  DetachInternetGateway(input: DetachInternetGatewayRequest, ctx: RequestContext): void {
    const gateway = requireGateway(ctx, input.InternetGatewayId);
    if (!input.VpcId) throw missingParameter('vpcId');
    const vpc = requireVpc(ctx, input.VpcId);
    if (gateway.vpcId !== vpc.vpcId)
      throw ec2Error(
        'Gateway.NotAttached',
        `resource ${gateway.gatewayId} is not attached to network ${vpc.vpcId}`,
      );
    if (vpcHasPublicAddresses(ctx, vpc.vpcId))
      throw ec2Error(
        'DependencyViolation',
        `Network ${vpc.vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
      );
    checkDryRun(input);
    statements(ctx.db).setVpc.run(null, ctx.accountId, ctx.region, gateway.gatewayId);
  },

  DeleteInternetGateway(input: DeleteInternetGatewayRequest, ctx: RequestContext): void {
    const gateway = requireGateway(ctx, input.InternetGatewayId);
    if (gateway.vpcId)
      throw ec2Error(
        'DependencyViolation',
        `The internetGateway '${gateway.gatewayId}' has dependencies and cannot be deleted.`,
      );
    checkDryRun(input);
    statements(ctx.db).delete.run(ctx.accountId, ctx.region, gateway.gatewayId);
    dropTags(ctx, gateway.gatewayId);
  },

  DescribeInternetGateways(
    input: DescribeInternetGatewaysRequest,
    ctx: RequestContext,
  ): DescribeInternetGatewaysResult {
    const ids = input.InternetGatewayIds ?? [];
    for (const id of ids) requireGateway(ctx, id);
    const matches = filterMatcher<GatewayRow>(input.Filters, {
      'attachment.state': (g) => (g.vpcId ? 'available' : undefined),
      'attachment.vpc-id': (g) => g.vpcId ?? undefined,
      'internet-gateway-id': (g) => g.gatewayId,
      'owner-id': () => ctx.accountId,
    });
    checkDryRun(input);
    const tags = tagsByResource(ctx, 'igw');
    const wanted = ids.length > 0 ? new Set(ids) : undefined;
    const rows = statements(ctx.db)
      .all.all(ctx.accountId, ctx.region)
      .filter((g) => (!wanted || wanted.has(g.gatewayId)) && matches(g, tags.get(g.gatewayId) ?? []));
    const page = pageOf(rows, (g) => g.gatewayId, input, { min: 5, max: 1000 });
    return {
      InternetGateways: page.items.map((g) => describe(ctx, g, tags.get(g.gatewayId) ?? [])),
      NextToken: page.nextToken,
    };
  },
};
