/**
 * DescribeInstances: one read of the account's instances and one of their tags, filters
 * tested on the row (the doc is read only when a filter needs it), then the page's instances
 * shown and grouped into their reservations.
 */
import type {
  DescribeInstancesRequest,
  DescribeInstancesResult,
  Filter,
  Instance,
  InstanceStateName,
  Reservation,
  Tag,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { elasticIpsByInstance } from './addresses.js';
import { checkDryRun } from './dry-run.js';
import { invalidParameterCombination } from './errors.js';
import { type FilterFields, filterMatcher } from './filters.js';
import { privateDnsName, publicDnsName } from './instance-dns.js';
import { requireInstances } from './instance-lookup.js';
import {
  allInstances,
  docsOf,
  type InstanceDoc,
  type InstanceRow,
  instancesById,
} from './instance-records.js';
import { STATE_CODES } from './instance-state.js';
import { currentState, instanceView, publicIpOf } from './instance-view.js';
import { pageOf } from './pages.js';
import { resourcesTagged, tagsByResource, tagsOf, tagsOfResources } from './tags.js';
import { volumesOfInstance } from './volumes.js';

/** A row as the filters see it: its derived state, public address and (when needed) doc. */
interface Candidate {
  row: InstanceRow;
  state: InstanceStateName;
  publicIp: string | undefined;
  doc?: InstanceDoc;
  region: string;
  accountId: string;
}

const groupIds = (c: Candidate) => (c.state === 'terminated' ? [] : c.row.group_ids.split(','));
const groupNames = (c: Candidate) => c.doc?.groups.map((g) => g.GroupName ?? '') ?? [];
const inNetwork = <T>(c: Candidate, value: T) => (c.state === 'terminated' ? undefined : value);

const ROW_FIELDS: FilterFields<Candidate> = {
  'instance-id': (c) => c.row.instance_id,
  'instance-type': (c) => c.row.instance_type,
  'instance-state-name': (c) => c.state,
  'instance-state-code': (c) => STATE_CODES[c.state],
  'image-id': (c) => c.row.image_id,
  'key-name': (c) => c.row.key_name ?? undefined,
  'availability-zone': (c) => c.row.availability_zone,
  'vpc-id': (c) => inNetwork(c, c.row.vpc_id),
  'subnet-id': (c) => inNetwork(c, c.row.subnet_id),
  'private-ip-address': (c) => inNetwork(c, c.row.private_ip),
  'private-dns-name': (c) => inNetwork(c, privateDnsName(c.row.private_ip, c.region)),
  'ip-address': (c) => c.publicIp,
  'dns-name': (c) => (c.publicIp ? publicDnsName(c.publicIp, c.region) : undefined),
  'reservation-id': (c) => c.row.reservation_id,
  'owner-id': (c) => c.accountId,
  'ami-launch-index': (c) => c.row.launch_index,
  'launch-index': (c) => c.row.launch_index,
  'launch-time': (c) => new Date(c.row.launched_at).toISOString(),
  // on-demand instances have no lifecycle: only spot or scheduled ones would match
  'instance-lifecycle': () => undefined,
  'root-device-type': () => 'ebs',
  hypervisor: () => 'xen',
  'instance.group-id': groupIds,
  'group-id': groupIds,
  'network-interface.network-interface-id': (c) => inNetwork(c, c.row.eni_id),
  'network-interface.subnet-id': (c) => inNetwork(c, c.row.subnet_id),
  'network-interface.vpc-id': (c) => inNetwork(c, c.row.vpc_id),
  'network-interface.group-id': groupIds,
  'network-interface.addresses.private-ip-address': (c) => inNetwork(c, c.row.private_ip),
  'network-interface.private-ip-address': (c) => inNetwork(c, c.row.private_ip),
  'network-interface.private-dns-name': (c) => inNetwork(c, privateDnsName(c.row.private_ip, c.region)),
  'network-interface.addresses.primary': (c) => inNetwork(c, 'true'),
  'network-interface.status': (c) => inNetwork(c, 'in-use'),
  'network-interface.attachment.status': (c) => inNetwork(c, 'attached'),
  'network-interface.attachment.device-index': (c) => inNetwork(c, 0),
  'network-interface.owner-id': (c) => inNetwork(c, c.accountId),
  'network-interface.association.public-ip': (c) => c.publicIp,
  'network-interface.addresses.association.public-ip': (c) => c.publicIp,
  'association.public-ip': (c) => c.publicIp,
  'state-reason-code': (c) => stateReasonCode(c),
  'disable-api-termination': (c) => (c.row.disable_api_termination ? 'true' : 'false'),
  'instance-initiated-shutdown-behavior': (c) => c.row.shutdown_behavior,
};

/** Filters that read the doc: when one is present, the docs of every instance are read at once. */
const DOC_FIELDS: FilterFields<Candidate> = {
  'instance.group-name': groupNames,
  'group-name': groupNames,
  'network-interface.group-name': groupNames,
  'network-interface.mac-address': (c) => inNetwork(c, c.doc?.macAddress),
  'network-interface.description': (c) => inNetwork(c, c.doc?.eniDescription),
  'network-interface.attachment.attachment-id': (c) => inNetwork(c, c.doc?.eniAttachmentId),
  'network-interface.attachment.delete-on-termination': (c) =>
    inNetwork(c, String(c.doc?.eniDeleteOnTermination)),
  'network-interface.source-dest-check': (c) => inNetwork(c, String(c.doc?.sourceDestCheck)),
  'source-dest-check': (c) => String(c.doc?.sourceDestCheck),
  architecture: (c) => c.doc?.architecture,
  'root-device-name': (c) => c.doc?.rootDeviceName,
  'virtualization-type': (c) => c.doc?.virtualizationType,
  'platform-details': (c) => c.doc?.platformDetails,
  platform: (c) => c.doc?.platform,
  'usage-operation': () => 'RunInstances',
  tenancy: (c) => c.doc?.tenancy,
  'placement-group-name': (c) => c.doc?.placementGroup,
  'monitoring-state': (c) => (c.doc?.monitoring ? 'enabled' : 'disabled'),
  'iam-instance-profile.arn': (c) => c.doc?.iamInstanceProfile?.Arn,
  'iam-instance-profile.id': (c) => c.doc?.iamInstanceProfile?.Id,
  'client-token': (c) => c.doc?.clientToken,
  'ebs-optimized': (c) => String(c.doc?.ebsOptimized),
  'ena-support': (c) => String(c.doc?.enaSupport),
  'metadata-options.http-tokens': (c) => c.doc?.metadataOptions.HttpTokens,
  'metadata-options.http-put-response-hop-limit': (c) => c.doc?.metadataOptions.HttpPutResponseHopLimit,
  'metadata-options.http-endpoint': (c) => c.doc?.metadataOptions.HttpEndpoint,
  'metadata-options.instance-metadata-tags': (c) => c.doc?.metadataOptions.InstanceMetadataTags,
  'cpu-options.core-count': (c) => c.doc?.cpuOptions.CoreCount,
  'cpu-options.threads-per-core': (c) => c.doc?.cpuOptions.ThreadsPerCore,
};

const FIELDS: FilterFields<Candidate> = { ...ROW_FIELDS, ...DOC_FIELDS };

function stateReasonCode(c: Candidate): string | undefined {
  if (c.row.transition !== 'pending') return 'Client.UserInitiatedShutdown';
  return c.state === 'pending' ? 'pending' : undefined;
}

function needsDocs(filters: readonly Filter[] | undefined): boolean {
  return (filters ?? []).some((f) => f.Name !== undefined && Object.hasOwn(DOC_FIELDS, f.Name));
}

export function DescribeInstances(
  input: DescribeInstancesRequest,
  ctx: RequestContext,
): DescribeInstancesResult {
  const named = input.InstanceIds?.length ? input.InstanceIds : undefined;
  if (named && input.MaxResults !== undefined)
    throw invalidParameterCombination(
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  const matches = filterMatcher(input.Filters, FIELDS);
  const namedRows = named ? requireInstances(ctx, named) : undefined;
  checkDryRun(input);
  const now = ctx.now();
  const elasticIps = elasticIpsByInstance(ctx);
  const { rows, tags } = candidates(ctx, namedRows, input.Filters);
  const docs = needsDocs(input.Filters)
    ? docsOf(
        ctx,
        rows.map((r) => r.instance_id),
      )
    : undefined;
  const chosen: InstanceRow[] = [];
  for (const row of rows) {
    const state = currentState(row, now);
    const candidate: Candidate = {
      row,
      state,
      publicIp: publicIpOf(row, state, elasticIps.get(row.instance_id)),
      doc: docs?.get(row.instance_id),
      region: ctx.region,
      accountId: ctx.accountId,
    };
    if (matches(candidate, tags?.get(row.instance_id) ?? [])) chosen.push(candidate.row);
  }
  chosen.sort(inPageOrder);
  const page = pageOf(chosen, pageKey, input, { min: 5, max: 1000 });
  const pageTags =
    tags ??
    tagsOfResources(
      ctx,
      page.items.map((r) => r.instance_id),
    );
  const instances = showInstances(ctx, page.items, { tags: pageTags, elasticIps });
  return { Reservations: groupByReservation(ctx, page.items, instances), NextToken: page.nextToken };
}

/**
 * The rows the filters are tested on, with their tags, read as narrowly as the request allows:
 * the named instances; those an exact `tag:KEY` filter finds through the tag index (the usual
 * query over a big fleet costs its answer, not the fleet); those with tags matching the other
 * tag filters; else every instance (and no tags yet).
 */
function candidates(
  ctx: RequestContext,
  named: InstanceRow[] | undefined,
  filters: readonly Filter[] | undefined,
): { rows: InstanceRow[]; tags?: Map<string, Tag[]> } {
  if (named)
    return {
      rows: named,
      tags: tagsOfResources(
        ctx,
        named.map((r) => r.instance_id),
      ),
    };
  const exact = (filters ?? []).filter(isExactTagFilter);
  if (exact.length > 0) {
    const ids = exact
      .map((f) => resourcesTagged(ctx, 'i', (f.Name as string).slice(4), f.Values ?? []))
      .reduce((kept, found) => {
        const seen = new Set(found);
        return kept.filter((id) => seen.has(id));
      });
    return { rows: instancesById(ctx, ids), tags: tagsOfResources(ctx, ids) };
  }
  const tagFilters = (filters ?? []).filter((f) => isTagFilter(f.Name));
  // no filter reads tags: only the answer's instances need theirs, read once the page is known
  if (tagFilters.length === 0) return { rows: allInstances(ctx) };
  const tags = tagsByResource(ctx, 'i');
  // an instance without matching tags cannot match: read only those that have them
  const tagged = filterMatcher<undefined>(tagFilters, {});
  const ids: string[] = [];
  for (const [id, instanceTags] of tags) if (tagged(undefined, instanceTags)) ids.push(id);
  return { rows: instancesById(ctx, ids), tags };
}

const isTagFilter = (name: string | undefined) =>
  name !== undefined && (name.startsWith('tag:') || name === 'tag-key' || name === 'tag-value');

const WILDCARD = /[*?]/;

/** `tag:KEY` with plain values: what the tag index answers. */
function isExactTagFilter(filter: Filter): boolean {
  return (
    filter.Name?.startsWith('tag:') === true &&
    (filter.Values?.length ?? 0) > 0 &&
    !filter.Values?.some((v) => WILDCARD.test(v))
  );
}

function pageKey(row: InstanceRow): string {
  return `${row.reservation_id}\u0000${String(row.launch_index).padStart(6, '0')}`;
}

/** The order of pageKey, without building keys. */
function inPageOrder(a: InstanceRow, b: InstanceRow): number {
  if (a.reservation_id !== b.reservation_id) return a.reservation_id < b.reservation_id ? -1 : 1;
  return a.launch_index - b.launch_index;
}

/** Shows these instances, reading their docs at once; tags a Describe call has read already are
 * passed in, a few instances read their own. */
export function showInstances(
  ctx: RequestContext,
  rows: readonly InstanceRow[],
  known: { tags?: Map<string, Tag[]>; elasticIps?: Map<string, string>; launching?: boolean } = {},
): Instance[] {
  const docs = docsOf(
    ctx,
    rows.map((r) => r.instance_id),
  );
  const tagsOfInstance = known.tags
    ? (id: string) => known.tags?.get(id) ?? []
    : (id: string) => tagsOf(ctx, id);
  const elasticIps = known.elasticIps ?? elasticIpsByInstance(ctx);
  const view = { accountId: ctx.accountId, region: ctx.region, now: ctx.now() };
  return rows.map((row) =>
    instanceView(
      row,
      docs.get(row.instance_id) as InstanceDoc,
      {
        tags: tagsOfInstance(row.instance_id),
        volumes: volumesOfInstance(ctx, row.instance_id),
        elasticIp: elasticIps.get(row.instance_id),
        launching: known.launching,
      },
      view,
    ),
  );
}

/** Consecutive instances of one reservation share its entry (the page is ordered so they are). */
function groupByReservation(
  ctx: RequestContext,
  rows: readonly InstanceRow[],
  instances: Instance[],
): Reservation[] {
  const out: Reservation[] = [];
  let current: Reservation | undefined;
  rows.forEach((row, i) => {
    if (current?.ReservationId !== row.reservation_id) {
      current = { ReservationId: row.reservation_id, OwnerId: ctx.accountId, Groups: [], Instances: [] };
      out.push(current);
    }
    current.Instances?.push(instances[i] as Instance);
  });
  return out;
}
