/**
 * EBS snapshots: made by CreateImage (one per volume of the instance) or CreateSnapshot,
 * `pending` until completed_at, then `completed`. A snapshot an image uses cannot be deleted
 * until the image is deregistered.
 */
import type {
  CreateSnapshotRequest,
  DeleteSnapshotRequest,
  DescribeSnapshotsRequest,
  DescribeSnapshotsResult,
  Snapshot,
  Tag,
} from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, missingParameter } from './errors.js';
import { type FilterFields, filterMatcher } from './filters.js';
import { isWellFormedId, newId } from './ids.js';
import { pageOf } from './pages.js';
import { dropTags, tagsByResource, tagsBySpecification, writeTags } from './tags.js';
import { requireVolume } from './volumes.js';

/** A snapshot is `pending` this long. */
const PENDING_SECONDS = 2;

interface SnapshotRow {
  snapshot_id: string;
  volume_id: string;
  volume_size: number;
  image_id: string | null;
  description: string;
  encrypted: number;
  created_at: number;
  completed_at: number;
}

const COLUMNS =
  'snapshot_id, volume_id, volume_size, image_id, description, encrypted, created_at, completed_at';

const statements = perDb((db) => ({
  one: db.prepare<[string, string, string], SnapshotRow>(
    `SELECT ${COLUMNS} FROM ec2_snapshots WHERE account = ? AND region = ? AND snapshot_id = ?`,
  ),
  all: db.prepare<[string, string], SnapshotRow>(
    `SELECT ${COLUMNS} FROM ec2_snapshots WHERE account = ? AND region = ? ORDER BY snapshot_id`,
  ),
  insert: db.prepare<[string, string, string, string, number, string | null, string, number, number, number]>(
    `INSERT INTO ec2_snapshots (account, region, snapshot_id, volume_id, volume_size, image_id, description,
      encrypted, created_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  remove: db.prepare<[string, string, string]>(
    'DELETE FROM ec2_snapshots WHERE account = ? AND region = ? AND snapshot_id = ?',
  ),
  ofImage: db.prepare<[string, string, string], { snapshot_id: string }>(
    'DELETE FROM ec2_snapshots WHERE account = ? AND region = ? AND image_id = ? RETURNING snapshot_id',
  ),
  usedBy: db.prepare<[string, string, string], { image_id: string }>(
    `SELECT image_id FROM ec2_images WHERE account = ? AND region = ? AND deregistered_at IS NULL
      AND instr(data, ?) > 0`,
  ),
}));

export interface SnapshotInfo {
  SnapshotId: string;
  VolumeSize: number;
  Encrypted: boolean;
}

export function createSnapshot(
  ctx: RequestContext,
  made: {
    volumeId: string;
    size: number;
    encrypted: boolean;
    description: string;
    imageId?: string;
    tags: readonly Tag[];
  },
): string {
  const now = ctx.now();
  const snapshotId = newId('snap');
  statements(ctx.db).insert.run(
    ctx.accountId,
    ctx.region,
    snapshotId,
    made.volumeId,
    made.size,
    made.imageId ?? null,
    made.description,
    made.encrypted ? 1 : 0,
    now,
    now + PENDING_SECONDS * 1000,
  );
  if (made.tags.length > 0) writeTags(ctx, snapshotId, made.tags);
  return snapshotId;
}

function checkSnapshotId(snapshotId: string): void {
  if (!isWellFormedId('snap', snapshotId))
    throw ec2Error('InvalidSnapshotID.Malformed', `Invalid id: "${snapshotId}" (expecting "snap-...")`);
}

export const snapshotNotFound = (snapshotId: string) =>
  ec2Error('InvalidSnapshot.NotFound', `The snapshot '${snapshotId}' does not exist.`);

export function requireSnapshot(ctx: RequestContext, snapshotId: string): SnapshotInfo {
  checkSnapshotId(snapshotId);
  const row = statements(ctx.db).one.get(ctx.accountId, ctx.region, snapshotId);
  if (!row) throw snapshotNotFound(snapshotId);
  return { SnapshotId: row.snapshot_id, VolumeSize: row.volume_size, Encrypted: row.encrypted === 1 };
}

export function snapshotExists(ctx: RequestContext, snapshotId: string): boolean {
  return statements(ctx.db).one.get(ctx.accountId, ctx.region, snapshotId) !== undefined;
}

/** DeregisterImage's DeleteAssociatedSnapshots: the ids deleted. */
export function deleteSnapshotsOfImage(ctx: RequestContext, imageId: string): string[] {
  const ids = statements(ctx.db)
    .ofImage.all(ctx.accountId, ctx.region, imageId)
    .map((row) => row.snapshot_id);
  for (const id of ids) dropTags(ctx, id);
  return ids;
}

function describeSnapshot(ctx: RequestContext, row: SnapshotRow, now: number): Snapshot {
  const completed = row.completed_at <= now;
  return {
    SnapshotId: row.snapshot_id,
    VolumeId: row.volume_id,
    VolumeSize: row.volume_size,
    Description: row.description,
    Encrypted: row.encrypted === 1,
    OwnerId: ctx.accountId,
    StartTime: new Date(row.created_at),
    State: completed ? 'completed' : 'pending',
    Progress: completed ? '100%' : '0%',
    StorageTier: 'standard',
    CompletionTime: completed ? new Date(row.completed_at) : undefined,
  };
}

export function CreateSnapshot(input: CreateSnapshotRequest, ctx: RequestContext): Snapshot {
  const volume = requireVolume(ctx, input.VolumeId);
  const tags = tagsBySpecification(input.TagSpecifications, ['snapshot']).get('snapshot') ?? [];
  checkDryRun(input);
  const snapshotId = createSnapshot(ctx, {
    volumeId: volume.volume_id,
    size: volume.size,
    encrypted: volume.encrypted === 1,
    description: input.Description ?? '',
    tags,
  });
  const row = statements(ctx.db).one.get(ctx.accountId, ctx.region, snapshotId) as SnapshotRow;
  return { ...describeSnapshot(ctx, row, ctx.now()), Tags: tags.length > 0 ? [...tags] : undefined };
}

const SNAPSHOT_FIELDS: FilterFields<Snapshot> = {
  'snapshot-id': (s) => s.SnapshotId,
  'volume-id': (s) => s.VolumeId,
  'volume-size': (s) => s.VolumeSize,
  status: (s) => s.State,
  description: (s) => s.Description,
  encrypted: (s) => s.Encrypted,
  'owner-id': (s) => s.OwnerId,
  progress: (s) => s.Progress,
  'start-time': (s) => s.StartTime?.toISOString(),
  'storage-tier': (s) => s.StorageTier,
};

export function DescribeSnapshots(
  input: DescribeSnapshotsRequest,
  ctx: RequestContext,
): DescribeSnapshotsResult {
  const named = input.SnapshotIds ?? [];
  for (const id of named) checkSnapshotId(id);
  const matches = filterMatcher(input.Filters, SNAPSHOT_FIELDS);
  checkDryRun(input);
  const owners = input.OwnerIds ?? [];
  if (owners.length > 0 && !owners.some((o) => o === 'self' || o === ctx.accountId)) return { Snapshots: [] };
  const s = statements(ctx.db);
  let rows: SnapshotRow[];
  if (named.length > 0) {
    const found = [...new Set(named)].map((id) => s.one.get(ctx.accountId, ctx.region, id));
    const missing = named.find((_, i) => found[i] === undefined);
    if (missing) throw snapshotNotFound(missing);
    rows = (found as SnapshotRow[]).sort((a, b) => (a.snapshot_id < b.snapshot_id ? -1 : 1));
  } else rows = s.all.all(ctx.accountId, ctx.region);
  const now = ctx.now();
  const tags = tagsByResource(ctx, 'snap');
  const snapshots: Snapshot[] = [];
  for (const row of rows) {
    const snapshot = describeSnapshot(ctx, row, now);
    const snapshotTags = tags.get(row.snapshot_id) ?? [];
    if (!matches(snapshot, snapshotTags)) continue;
    if (snapshotTags.length > 0) snapshot.Tags = snapshotTags;
    snapshots.push(snapshot);
  }
  const page = pageOf(snapshots, (x) => x.SnapshotId as string, input, { min: 5, max: 1000 });
  return { Snapshots: page.items, NextToken: page.nextToken };
}

export function DeleteSnapshot(input: DeleteSnapshotRequest, ctx: RequestContext): void {
  const snapshotId = input.SnapshotId;
  if (!snapshotId) throw missingParameter('snapshotId');
  requireSnapshot(ctx, snapshotId);
  const s = statements(ctx.db);
  const user = s.usedBy.get(ctx.accountId, ctx.region, `"${snapshotId}"`);
  if (user)
    throw ec2Error(
      'InvalidSnapshot.InUse',
      `The snapshot ${snapshotId} is currently in use by ${user.image_id}`,
    );
  checkDryRun(input);
  s.remove.run(ctx.accountId, ctx.region, snapshotId);
  dropTags(ctx, snapshotId);
}
