/**
 * Instance rows: what a Describe call filters on (columns) and what it only shows (the `doc`,
 * read for the instances an answer returns). One scan per call, never a query per row.
 */
import type {
  GroupIdentifier,
  IamInstanceProfile,
  InstanceMetadataOptionsResponse,
} from '@aws-sdk/client-ec2';
import type { Statement } from 'better-sqlite3';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { hasVanished, TERMINATED_VISIBLE_MS, type Transition } from './instance-state.js';
import { dropTags } from './tags.js';

/** The columns of ec2_instances a filter or a state change reads. */
export interface InstanceRow {
  instance_id: string;
  reservation_id: string;
  launch_index: number;
  image_id: string;
  instance_type: string;
  key_name: string | null;
  vpc_id: string;
  subnet_id: string;
  availability_zone: string;
  private_ip: string;
  /** The auto-assigned public address (an Elastic IP lives in ec2_addresses). */
  public_ip: string | null;
  eni_id: string;
  /** Comma-separated security group ids. */
  group_ids: string;
  launched_at: number;
  transition: Transition;
  transition_at: number;
  settles_at: number;
  checks_ok_at: number | null;
  disable_api_termination: number;
  shutdown_behavior: string;
}

/** What an instance shows but nothing filters on. */
export interface InstanceDoc {
  architecture: string;
  platformDetails: string;
  platform?: 'windows';
  virtualizationType: string;
  rootDeviceName: string;
  bootMode?: string;
  groups: GroupIdentifier[];
  iamInstanceProfile?: IamInstanceProfile;
  monitoring: boolean;
  ebsOptimized: boolean;
  sourceDestCheck: boolean;
  enaSupport: boolean;
  disableApiStop: boolean;
  metadataOptions: Omit<InstanceMetadataOptionsResponse, 'State'>;
  cpuOptions: { CoreCount: number; ThreadsPerCore: number };
  tenancy: string;
  placementGroup?: string;
  clientToken: string;
  macAddress: string;
  eniAttachmentId: string;
  eniDescription: string;
  eniDeleteOnTermination: boolean;
  /** When the primary interface was attached: at first launch, unchanged by a restart. */
  eniAttachedAt: number;
  /** Whether the instance gets an auto-assigned public address each time it starts. */
  wantsPublicIp: boolean;
}

export interface NewInstance extends InstanceRow {
  user_data: string | null;
  doc: InstanceDoc;
}

const COLUMNS = `instance_id, reservation_id, launch_index, image_id, instance_type, key_name, vpc_id,
  subnet_id, availability_zone, private_ip, public_ip, eni_id, group_ids, launched_at, transition,
  transition_at, settles_at, checks_ok_at, disable_api_termination, shutdown_behavior`;

export type InstanceColumn = keyof InstanceRow;

/** What every partial row holds: the id, where it pages, and what its state derives from. */
export const KEY_COLUMNS: readonly InstanceColumn[] = [
  'instance_id',
  'reservation_id',
  'launch_index',
  'transition',
  'settles_at',
];

const statements = perDb((db) => ({
  insert: db.prepare(
    `INSERT INTO ec2_instances (account, region, instance_id, reservation_id, launch_index, image_id,
      instance_type, key_name, vpc_id, subnet_id, availability_zone, private_ip, public_ip, eni_id,
      group_ids, launched_at, transition, transition_at, settles_at, checks_ok_at,
      disable_api_termination, shutdown_behavior, user_data, doc)
     VALUES (@account, @region, @instance_id, @reservation_id, @launch_index, @image_id,
      @instance_type, @key_name, @vpc_id, @subnet_id, @availability_zone, @private_ip, @public_ip,
      @eni_id, @group_ids, @launched_at, @transition, @transition_at, @settles_at, @checks_ok_at,
      @disable_api_termination, @shutdown_behavior, @user_data, @doc)`,
  ),
  // in key order, the table's own: a Describe sorts only what it answers
  all: db.prepare<[string, string], InstanceRow>(
    `SELECT ${COLUMNS} FROM ec2_instances WHERE account = ? AND region = ?`,
  ),
  byIds: db.prepare<[string, string, string], InstanceRow>(
    `SELECT ${COLUMNS} FROM ec2_instances WHERE account = ? AND region = ?
      AND instance_id IN (SELECT value FROM json_each(?))`,
  ),
  // DescribeInstances without filters: a page read in the order of the reservation index
  page: db.prepare<
    { account: string; region: string; reservation: string; index: number; vanished: number; limit: number },
    InstanceRow
  >(
    `SELECT ${COLUMNS} FROM ec2_instances WHERE account = @account AND region = @region
      AND (reservation_id, launch_index) > (@reservation, @index)
      AND NOT (transition = 'shutting-down' AND settles_at <= @vanished)
      ORDER BY reservation_id, launch_index LIMIT @limit`,
  ),
  byReservation: db.prepare<[string, string, string], InstanceRow>(
    `SELECT ${COLUMNS} FROM ec2_instances WHERE account = ? AND region = ? AND reservation_id = ? ORDER BY launch_index`,
  ),
  byEni: db.prepare<[string, string, string], InstanceRow>(
    `SELECT ${COLUMNS} FROM ec2_instances WHERE account = ? AND region = ? AND eni_id = ?`,
  ),
  docs: db.prepare<[string, string, string], { instance_id: string; doc: string }>(
    `SELECT instance_id, doc FROM ec2_instances WHERE account = ? AND region = ?
      AND instance_id IN (SELECT value FROM json_each(?))`,
  ),
  userData: db.prepare<[string, string, string], { user_data: string | null }>(
    'SELECT user_data FROM ec2_instances WHERE account = ? AND region = ? AND instance_id = ?',
  ),
  publicIpTaken: db.prepare<[string, string, string], { n: number }>(
    'SELECT 1 AS n FROM ec2_instances WHERE account = ? AND region = ? AND public_ip = ?',
  ),
  transition: db.prepare(
    `UPDATE ec2_instances SET transition = @transition, transition_at = @transition_at,
      settles_at = @settles_at, checks_ok_at = @checks_ok_at, launched_at = @launched_at,
      public_ip = @public_ip WHERE account = @account AND region = @region AND instance_id = @instance_id`,
  ),
  setPublicIp: db.prepare<[string | null, string, string, string]>(
    'UPDATE ec2_instances SET public_ip = ? WHERE account = ? AND region = ? AND instance_id = ?',
  ),
  vanished: db.prepare<[string, string, number], { instance_id: string; eni_id: string }>(
    `SELECT instance_id, eni_id FROM ec2_instances WHERE account = ? AND region = ?
      AND transition = 'shutting-down' AND settles_at <= ?`,
  ),
  remove: db.prepare<[string, string, string]>(
    'DELETE FROM ec2_instances WHERE account = ? AND region = ? AND instance_id = ?',
  ),
}));

export function insertInstance(ctx: RequestContext, instance: NewInstance): void {
  statements(ctx.db).insert.run({
    ...instance,
    account: ctx.accountId,
    region: ctx.region,
    doc: JSON.stringify(instance.doc),
  });
}

/** Every visible instance of the account and region, in no particular order. */
export function allInstances(ctx: RequestContext): InstanceRow[] {
  const now = ctx.now();
  return statements(ctx.db)
    .all.all(ctx.accountId, ctx.region)
    .filter((row) => !hasVanished(row.transition, row.settles_at, now));
}

// a statement per set of columns asked for (a handful: one per mix of filters in use)
const partialScans = perDb((db) => {
  const byColumns = new Map<string, Statement<[string, string], InstanceRow>>();
  return (columns: readonly InstanceColumn[]) => {
    const list = [...new Set([...KEY_COLUMNS, ...columns])].sort().join(', ');
    let statement = byColumns.get(list);
    if (!statement) {
      statement = db.prepare<[string, string], InstanceRow>(
        `SELECT ${list} FROM ec2_instances WHERE account = ? AND region = ?`,
      );
      byColumns.set(list, statement);
    }
    return statement;
  };
});

/**
 * Every visible instance with only these columns (and the KEY_COLUMNS) read: a scan that
 * filters reads what the filters need. The rows are partial: other fields are undefined.
 */
export function allInstancesPartly(ctx: RequestContext, columns: readonly InstanceColumn[]): InstanceRow[] {
  const now = ctx.now();
  return partialScans(ctx.db)(columns)
    .all(ctx.accountId, ctx.region)
    .filter((row) => !hasVanished(row.transition, row.settles_at, now));
}

/**
 * Up to `limit` visible instances in reservation and launch order, after the instance at
 * (reservation, index): what an unfiltered DescribeInstances pages through, read as a page.
 */
export function instancesInOrder(
  ctx: RequestContext,
  after: { reservation: string; index: number },
  limit: number,
): InstanceRow[] {
  return statements(ctx.db).page.all({
    account: ctx.accountId,
    region: ctx.region,
    ...after,
    vanished: ctx.now() - TERMINATED_VISIBLE_MS,
    limit,
  });
}

/** The visible instances among these ids (unknown ones are left out). */
export function instancesById(ctx: RequestContext, ids: readonly string[]): InstanceRow[] {
  const now = ctx.now();
  return statements(ctx.db)
    .byIds.all(ctx.accountId, ctx.region, JSON.stringify(ids))
    .filter((row) => !hasVanished(row.transition, row.settles_at, now));
}

export function instancesOfReservation(ctx: RequestContext, reservationId: string): InstanceRow[] {
  return statements(ctx.db).byReservation.all(ctx.accountId, ctx.region, reservationId);
}

export function instanceByEni(ctx: RequestContext, eniId: string): InstanceRow | undefined {
  const row = statements(ctx.db).byEni.get(ctx.accountId, ctx.region, eniId);
  return row && !hasVanished(row.transition, row.settles_at, ctx.now()) ? row : undefined;
}

/** The docs of these instances, read at once. */
export function docsOf(ctx: RequestContext, ids: readonly string[]): Map<string, InstanceDoc> {
  const out = new Map<string, InstanceDoc>();
  if (ids.length === 0) return out;
  for (const row of statements(ctx.db).docs.all(ctx.accountId, ctx.region, JSON.stringify(ids)))
    out.set(row.instance_id, JSON.parse(row.doc) as InstanceDoc);
  return out;
}

export function docOf(ctx: RequestContext, id: string): InstanceDoc {
  return docsOf(ctx, [id]).get(id) as InstanceDoc;
}

export function userDataOf(ctx: RequestContext, id: string): string | null {
  return statements(ctx.db).userData.get(ctx.accountId, ctx.region, id)?.user_data ?? null;
}

export function publicIpTaken(ctx: RequestContext, ip: string): boolean {
  return statements(ctx.db).publicIpTaken.get(ctx.accountId, ctx.region, ip) !== undefined;
}

/** Records the transition an instance begins (and what it changes on the way). */
export function saveTransition(
  ctx: RequestContext,
  row: Pick<
    InstanceRow,
    | 'instance_id'
    | 'transition'
    | 'transition_at'
    | 'settles_at'
    | 'checks_ok_at'
    | 'launched_at'
    | 'public_ip'
  >,
): void {
  statements(ctx.db).transition.run({
    account: ctx.accountId,
    region: ctx.region,
    instance_id: row.instance_id,
    transition: row.transition,
    transition_at: row.transition_at,
    settles_at: row.settles_at,
    checks_ok_at: row.checks_ok_at,
    launched_at: row.launched_at,
    public_ip: row.public_ip,
  });
}

export function setPublicIp(ctx: RequestContext, id: string, ip: string | null): void {
  statements(ctx.db).setPublicIp.run(ip, ctx.accountId, ctx.region, id);
}

const SETTABLE = [
  'instance_type',
  'group_ids',
  'disable_api_termination',
  'shutdown_behavior',
  'user_data',
  'doc',
] as const;
type Settable = (typeof SETTABLE)[number];

const setters = perDb(
  (db) =>
    Object.fromEntries(
      SETTABLE.map((column) => [
        column,
        db.prepare<[string | number | null, string, string, string]>(
          `UPDATE ec2_instances SET ${column} = ? WHERE account = ? AND region = ? AND instance_id = ?`,
        ),
      ]),
    ) as Record<Settable, Statement<[string | number | null, string, string, string]>>,
);

/** Sets one attribute's column (ModifyInstanceAttribute changes one attribute a call). */
export function setInstanceColumn(
  ctx: RequestContext,
  id: string,
  column: Exclude<Settable, 'doc'>,
  value: string | number | null,
): void {
  setters(ctx.db)[column].run(value, ctx.accountId, ctx.region, id);
}

export function saveDoc(ctx: RequestContext, id: string, doc: InstanceDoc): void {
  setters(ctx.db).doc.run(JSON.stringify(doc), ctx.accountId, ctx.region, id);
}

/** Forgets the instances terminated more than an hour ago, and their tags. */
export function purgeVanished(ctx: RequestContext, vanishedBefore: number): void {
  const s = statements(ctx.db);
  for (const row of s.vanished.all(ctx.accountId, ctx.region, vanishedBefore)) {
    s.remove.run(ctx.accountId, ctx.region, row.instance_id);
    dropTags(ctx, row.instance_id);
    dropTags(ctx, row.eni_id);
  }
}
