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
  allInstancesPartly,
  docsOf,
  type InstanceColumn,
  type InstanceDoc,
  type InstanceRow,
  instancesById,
  instancesInOrder,
} from './instance-records.js';
import { STATE_CODES } from './instance-state.js';
import { currentState, instanceView, publicIpOf } from './instance-view.js';
import { encodeToken, pageOf, pageWindow } from './pages.js';
import { resourcesTagged, tagsByResource, tagsOf, tagsOfResources } from './tags.js';
import { volumesOfInstances } from './volumes.js';

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

const PRIVATE_IP: readonly InstanceColumn[] = ['private_ip'];
const PUBLIC_IP: readonly InstanceColumn[] = ['public_ip'];

/**
 * The columns each row filter reads besides the KEY_COLUMNS, so a scan reads no more than the
 * filters in use need. A filter missing here is read from whole rows.
 */
const FILTER_COLUMNS: Record<string, readonly InstanceColumn[]> = {
  'instance-id': [],
  'instance-type': ['instance_type'],
  'instance-state-name': [],
  'instance-state-code': [],
  'image-id': ['image_id'],
  'key-name': ['key_name'],
  'availability-zone': ['availability_zone'],
  'vpc-id': ['vpc_id'],
  'subnet-id': ['subnet_id'],
  'private-ip-address': PRIVATE_IP,
  'private-dns-name': PRIVATE_IP,
  'ip-address': PUBLIC_IP,
  'dns-name': PUBLIC_IP,
  'reservation-id': [],
  'owner-id': [],
  'ami-launch-index': [],
  'launch-index': [],
  'launch-time': ['launched_at'],
  'instance-lifecycle': [],
  'root-device-type': [],
  hypervisor: [],
  'instance.group-id': ['group_ids'],
  'group-id': ['group_ids'],
  'network-interface.network-interface-id': ['eni_id'],
  'network-interface.subnet-id': ['subnet_id'],
  'network-interface.vpc-id': ['vpc_id'],
  'network-interface.group-id': ['group_ids'],
  'network-interface.addresses.private-ip-address': PRIVATE_IP,
  'network-interface.private-ip-address': PRIVATE_IP,
  'network-interface.private-dns-name': PRIVATE_IP,
  'network-interface.addresses.primary': [],
  'network-interface.status': [],
  'network-interface.attachment.status': [],
  'network-interface.attachment.device-index': [],
  'network-interface.owner-id': [],
  'network-interface.association.public-ip': PUBLIC_IP,
  'network-interface.addresses.association.public-ip': PUBLIC_IP,
  'association.public-ip': PUBLIC_IP,
  'state-reason-code': [],
  'disable-api-termination': ['disable_api_termination'],
  'instance-initiated-shutdown-behavior': ['shutdown_behavior'],
};

/** The columns these filters read, or undefined when one of them needs whole rows. */
function columnsFor(filters: readonly Filter[]): InstanceColumn[] | undefined {
  const columns: InstanceColumn[] = [];
  for (const { Name: name = '' } of filters) {
    if (Object.hasOwn(DOC_FIELDS, name)) continue;
    if (!Object.hasOwn(FILTER_COLUMNS, name)) return undefined;
    columns.push(...(FILTER_COLUMNS[name] as readonly InstanceColumn[]));
  }
  return columns;
}

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
  const elasticIps = elasticIpsByInstance(ctx);
  if (!namedRows && !input.Filters?.length) return unfilteredPage(ctx, input, elasticIps);
  const now = ctx.now();
  const { rows, tags, partial } = candidates(ctx, namedRows, input.Filters);
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
  const page = pageOf(chosen, pageKey, input, PAGE_LIMITS);
  const shown = partial ? wholeRows(ctx, page.items) : page.items;
  return answer(ctx, shown, page.nextToken, { tags, elasticIps });
}

const PAGE_LIMITS = { min: 5, max: 1000 };

/** Without ids or filters, the page is read straight from the reservation index: it costs the page, not the fleet. */
function unfilteredPage(
  ctx: RequestContext,
  input: DescribeInstancesRequest,
  elasticIps: Map<string, string>,
): DescribeInstancesResult {
  const { size, after } = pageWindow(input, PAGE_LIMITS);
  const rows = instancesInOrder(ctx, positionAfter(after), size + 1);
  const page = rows.slice(0, size);
  const last = page.at(-1);
  const nextToken = rows.length > size && last ? encodeToken(pageKey(last)) : undefined;
  return answer(ctx, page, nextToken, { elasticIps });
}

/** Where a page key (reservation, NUL, launch index) says to resume. */
function positionAfter(key: string | undefined): { reservation: string; index: number } {
  const [reservation = '', index = ''] = (key ?? '').split('\u0000');
  return { reservation, index: /^[0-9]{1,6}$/.test(index) ? Number(index) : -1 };
}

/** The page's instances shown (with tags read now, unless the filters read them) and grouped. */
function answer(
  ctx: RequestContext,
  rows: InstanceRow[],
  nextToken: string | undefined,
  known: { tags?: Map<string, Tag[]>; elasticIps: Map<string, string> },
): DescribeInstancesResult {
  const tags =
    known.tags ??
    tagsOfResources(
      ctx,
      rows.map((r) => r.instance_id),
    );
  const instances = showInstances(ctx, rows, { tags, elasticIps: known.elasticIps });
  return { Reservations: groupByReservation(ctx, rows, instances), NextToken: nextToken };
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
): { rows: InstanceRow[]; tags?: Map<string, Tag[]>; partial?: boolean } {
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
  // no filter reads tags: only the answer's instances need theirs, read once the page is known;
  // the scan reads only what the filters test, the page's rows are read whole afterwards
  if (tagFilters.length === 0) {
    const columns = columnsFor(filters ?? []);
    return columns ? { rows: allInstancesPartly(ctx, columns), partial: true } : { rows: allInstances(ctx) };
  }
  const tags = tagsByResource(ctx, 'i');
  // an instance without matching tags cannot match: read only those that have them
  const tagged = filterMatcher<undefined>(tagFilters, {});
  const ids: string[] = [];
  for (const [id, instanceTags] of tags) if (tagged(undefined, instanceTags)) ids.push(id);
  return { rows: instancesById(ctx, ids), tags };
}

/** The page's rows read whole, in the page's order. */
function wholeRows(ctx: RequestContext, partial: readonly InstanceRow[]): InstanceRow[] {
  const byId = new Map(
    instancesById(
      ctx,
      partial.map((r) => r.instance_id),
    ).map((row) => [row.instance_id, row]),
  );
  return partial.map((row) => byId.get(row.instance_id) as InstanceRow);
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
  const volumes = volumesOfInstances(
    ctx,
    rows.map((r) => r.instance_id),
  );
  const view = { accountId: ctx.accountId, region: ctx.region, now: ctx.now() };
  return rows.map((row) =>
    instanceView(
      row,
      docs.get(row.instance_id) as InstanceDoc,
      {
        tags: tagsOfInstance(row.instance_id),
        volumes: volumes.get(row.instance_id) ?? [],
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
