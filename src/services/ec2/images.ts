/**
 * Images: the public catalogue every account sees plus the images an account makes
 * (CreateImage from an instance, RegisterImage from snapshots). A made image is `pending`
 * until its available_at, then `available`; a deregistered one stays known for an hour
 * (DeregisterImage again answers InvalidAMIID.Unavailable) and frees its name at once.
 */
import type {
  ArchitectureValues,
  BlockDeviceMapping,
  CreateImageRequest,
  CreateImageResult,
  DeregisterImageRequest,
  DeregisterImageResult,
  DescribeImageAttributeRequest,
  DescribeImagesRequest,
  DescribeImagesResult,
  Image,
  ImageAttribute,
  RegisterImageRequest,
  RegisterImageResult,
  Tag,
  VirtualizationType,
  VolumeType,
} from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { instanceSnapshot } from './compute-references.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterValue, malformedId, missingParameter, notFound } from './errors.js';
import { type FilterFields, filterMatcher } from './filters.js';
import { isWellFormedId, newId } from './ids.js';
import { PUBLIC_IMAGES, PUBLIC_IMAGES_BY_ID } from './image-catalogue.js';
import { pageOf } from './pages.js';
import { dropTags, tagsByResource, tagsBySpecification, writeTags } from './tags.js';
import { createSnapshot, deleteSnapshotsOfImage, requireSnapshot } from './volume-snapshots.js';
import { volumeDetails } from './volumes.js';

/** What RunInstances and CreateImage need of an image. */
export interface ImageInfo {
  ImageId: string;
  Name: string;
  OwnerId: string;
  RootDeviceName: string;
  Architecture: ArchitectureValues;
  Platform?: 'windows';
  PlatformDetails: string;
  UsageOperation: string;
  VirtualizationType: string;
  Hypervisor: string;
  BootMode?: string;
  EnaSupport: boolean;
  /** `v2.0` when instances of the image require IMDSv2 (Amazon Linux 2023). */
  ImdsSupport?: string;
  /** The root volume's figures, from the root device's mapping. */
  RootVolumeSize: number;
  RootVolumeType: string;
  RootSnapshotId?: string;
  RootIops?: number;
  RootThroughput?: number;
  RootEncrypted: boolean;
  BlockDeviceMappings: BlockDeviceMapping[];
}

/** An image is `pending` this long after CreateImage or RegisterImage. */
const IMAGE_PENDING_SECONDS = 3;
const DEREGISTERED_VISIBLE_MS = 3_600_000;

interface ImageRow {
  image_id: string;
  created_at: number;
  available_at: number;
  deregistered_at: number | null;
  data: string;
}

const statements = perDb((db) => ({
  one: db.prepare<[string, string, string], ImageRow>(
    'SELECT image_id, created_at, available_at, deregistered_at, data FROM ec2_images WHERE account = ? AND region = ? AND image_id = ?',
  ),
  all: db.prepare<[string, string], ImageRow>(
    'SELECT image_id, created_at, available_at, deregistered_at, data FROM ec2_images WHERE account = ? AND region = ? AND deregistered_at IS NULL ORDER BY image_id',
  ),
  byName: db.prepare<[string, string, string], { image_id: string }>(
    'SELECT image_id FROM ec2_images WHERE account = ? AND region = ? AND name = ? AND deregistered_at IS NULL',
  ),
  insert: db.prepare<[string, string, string, string, number, number, string]>(
    'INSERT INTO ec2_images (account, region, image_id, name, created_at, available_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  deregister: db.prepare<[number, string, string, string]>(
    'UPDATE ec2_images SET deregistered_at = ? WHERE account = ? AND region = ? AND image_id = ?',
  ),
  forget: db.prepare<[string, string, number]>(
    'DELETE FROM ec2_images WHERE account = ? AND region = ? AND deregistered_at <= ?',
  ),
}));

/** The image as DescribeImages shows it (without tags), or undefined when unknown or gone. */
function imageOf(ctx: RequestContext, imageId: string): Image | undefined {
  const known = PUBLIC_IMAGES_BY_ID.get(imageId);
  if (known) return { ...known, State: 'available' };
  const row = statements(ctx.db).one.get(ctx.accountId, ctx.region, imageId);
  if (!row || (row.deregistered_at !== null && row.deregistered_at + DEREGISTERED_VISIBLE_MS <= ctx.now()))
    return undefined;
  return rowImage(row, ctx.now());
}

function rowImage(row: ImageRow, now: number): Image {
  const state =
    row.deregistered_at !== null ? 'deregistered' : row.available_at <= now ? 'available' : 'pending';
  return {
    ...(JSON.parse(row.data) as Image),
    State: state,
    CreationDate: new Date(row.created_at).toISOString(),
  };
}

function checkImageId(imageId: string): void {
  if (!isWellFormedId('ami', imageId))
    throw ec2Error('InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`);
}

const imageNotFound = (ids: readonly string[]) =>
  ec2Error('InvalidAMIID.NotFound', `The image id '[${ids.join(', ')}]' does not exist`);

/**
 * The image a launch names: a public one or the account's own, available. Malformed and
 * unknown ids get InvalidAMIID.Malformed / NotFound; a pending or deregistered image
 * InvalidAMIID.Unavailable.
 */
export function requireImage(ctx: RequestContext, imageId: string | undefined): ImageInfo {
  if (imageId === undefined || imageId === '') throw missingParameter('ImageId');
  checkImageId(imageId);
  const image = imageOf(ctx, imageId);
  if (!image || image.State === 'deregistered') throw imageNotFound([imageId]);
  if (image.State !== 'available')
    throw ec2Error('InvalidAMIID.Unavailable', `AMI '${imageId}' is ${image.State}, and cannot be run`);
  return imageInfo(image);
}

function imageInfo(image: Image): ImageInfo {
  const root = image.BlockDeviceMappings?.find((m) => m.DeviceName === image.RootDeviceName)?.Ebs;
  return {
    ImageId: image.ImageId as string,
    Name: image.Name ?? '',
    OwnerId: image.OwnerId ?? '',
    RootDeviceName: image.RootDeviceName ?? '/dev/xvda',
    Architecture: (image.Architecture ?? 'x86_64') as ArchitectureValues,
    Platform: (image.Platform as string | undefined) === 'windows' ? 'windows' : undefined,
    PlatformDetails: image.PlatformDetails ?? 'Linux/UNIX',
    UsageOperation: image.UsageOperation ?? 'RunInstances',
    VirtualizationType: image.VirtualizationType ?? 'hvm',
    Hypervisor: image.Hypervisor ?? 'xen',
    BootMode: image.BootMode,
    EnaSupport: image.EnaSupport ?? true,
    ImdsSupport: image.ImdsSupport,
    RootVolumeSize: root?.VolumeSize ?? 8,
    RootVolumeType: root?.VolumeType ?? 'gp2',
    RootSnapshotId: root?.SnapshotId,
    RootIops: root?.Iops,
    RootThroughput: root?.Throughput,
    RootEncrypted: root?.Encrypted ?? false,
    BlockDeviceMappings: image.BlockDeviceMappings ?? [],
  };
}

/** For CreateTags: public images may carry the caller's own tags, as in AWS. */
export function imageExists(ctx: RequestContext, imageId: string): boolean {
  const image = imageOf(ctx, imageId);
  return image !== undefined && image.State !== 'deregistered';
}

const IMAGE_FIELDS: FilterFields<Image> = {
  name: (i) => i.Name,
  'image-id': (i) => i.ImageId,
  'owner-id': (i) => i.OwnerId,
  'owner-alias': (i) => i.ImageOwnerAlias,
  architecture: (i) => i.Architecture,
  state: (i) => i.State,
  'is-public': (i) => i.Public,
  'root-device-type': (i) => i.RootDeviceType,
  'root-device-name': (i) => i.RootDeviceName,
  'virtualization-type': (i) => i.VirtualizationType,
  platform: (i) => i.Platform,
  'platform-details': (i) => i.PlatformDetails,
  'usage-operation': (i) => i.UsageOperation,
  'image-type': (i) => i.ImageType,
  hypervisor: (i) => i.Hypervisor,
  description: (i) => i.Description,
  'ena-support': (i) => i.EnaSupport,
  'sriov-net-support': (i) => i.SriovNetSupport,
  'creation-date': (i) => i.CreationDate,
  'imds-support': (i) => i.ImdsSupport,
  'boot-mode': (i) => i.BootMode,
  'manifest-location': (i) => i.ImageLocation,
  'block-device-mapping.device-name': (i) => mappingValues(i, (m) => m.DeviceName),
  'block-device-mapping.snapshot-id': (i) => mappingValues(i, (m) => m.Ebs?.SnapshotId),
  'block-device-mapping.volume-size': (i) => mappingValues(i, (m) => m.Ebs?.VolumeSize),
  'block-device-mapping.volume-type': (i) => mappingValues(i, (m) => m.Ebs?.VolumeType),
  'block-device-mapping.encrypted': (i) => mappingValues(i, (m) => m.Ebs?.Encrypted),
  'block-device-mapping.delete-on-termination': (i) => mappingValues(i, (m) => m.Ebs?.DeleteOnTermination),
};

function mappingValues(image: Image, read: (m: BlockDeviceMapping) => unknown): string[] {
  return (image.BlockDeviceMappings ?? [])
    .map(read)
    .filter((v) => v !== undefined)
    .map(String);
}

export function DescribeImages(input: DescribeImagesRequest, ctx: RequestContext): DescribeImagesResult {
  for (const id of input.ImageIds ?? []) checkImageId(id);
  const owners = ownerTest(ctx, input.Owners);
  const users = executableTest(ctx, input.ExecutableUsers);
  const matches = filterMatcher(input.Filters, IMAGE_FIELDS);
  checkDryRun(input);
  const now = ctx.now();
  const named = input.ImageIds ?? [];
  let candidates: Image[];
  if (named.length > 0) {
    const found = named.map((id) => imageOf(ctx, id));
    const missing = named.filter((_, i) => found[i] === undefined);
    if (missing.length > 0) throw imageNotFound(missing);
    candidates = [...new Map(found.map((image) => [image?.ImageId, image as Image])).values()];
  } else {
    const own = statements(ctx.db)
      .all.all(ctx.accountId, ctx.region)
      .map((row) => rowImage(row, now));
    const deprecatedCut = input.IncludeDeprecated ? undefined : new Date(now).toISOString();
    const visible = PUBLIC_IMAGES.filter(
      (i) => !deprecatedCut || !i.DeprecationTime || i.DeprecationTime > deprecatedCut,
    );
    candidates = [...own, ...visible.map((i) => ({ ...i, State: 'available' as const }))];
  }
  const tags = tagsByResource(ctx, 'ami');
  const images: Image[] = [];
  for (const image of candidates) {
    const imageTags = tags.get(image.ImageId as string) ?? [];
    if (owners(image) && users(image) && matches(image, imageTags))
      images.push(imageTags.length > 0 ? { ...image, Tags: imageTags } : image);
  }
  images.sort((a, b) => ((a.ImageId as string) < (b.ImageId as string) ? -1 : 1));
  const page = pageOf(images, (i) => i.ImageId as string, input, { min: 5, max: 1000 });
  return { Images: page.items, NextToken: page.nextToken };
}

type ImageTest = (image: Image) => boolean;

/** Owners: account ids, `self`, or the aliases `amazon` and `aws-marketplace`. */
function ownerTest(ctx: RequestContext, owners: readonly string[] | undefined): ImageTest {
  if (!owners || owners.length === 0) return () => true;
  const ids = new Set<string>();
  const aliases = new Set<string>();
  for (const owner of owners) {
    if (owner === 'self') ids.add(ctx.accountId);
    else if (owner === 'amazon' || owner === 'aws-marketplace' || owner === 'aws-backup-vault')
      aliases.add(owner);
    else if (/^\d{12}$/.test(owner)) ids.add(owner);
    else throw ec2Error('InvalidUserID.Malformed', `Invalid user id: "${owner}"`);
  }
  return (image) => ids.has(image.OwnerId ?? '') || aliases.has(image.ImageOwnerAlias ?? '');
}

/** ExecutableUsers: `self` (what the caller may launch), `all` (public), or account ids. */
function executableTest(ctx: RequestContext, users: readonly string[] | undefined): ImageTest {
  if (!users || users.length === 0) return () => true;
  for (const user of users)
    if (user !== 'self' && user !== 'all' && !/^\d{12}$/.test(user))
      throw ec2Error('InvalidUserID.Malformed', `Invalid user id: "${user}"`);
  const self = users.includes('self') || users.includes(ctx.accountId);
  return (image) => image.Public === true || (self && image.OwnerId === ctx.accountId);
}

/** AWS's rule for AMI names: 3 to 128 of letters, digits and ( ) [ ] space . / - ' @ _ */
const NAME_PATTERN = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;

function checkNewName(ctx: RequestContext, name: string | undefined): string {
  if (name === undefined || name === '') throw missingParameter('name');
  if (!NAME_PATTERN.test(name))
    throw ec2Error(
      'InvalidAMIName.Malformed',
      `AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'`,
    );
  const taken = statements(ctx.db).byName.get(ctx.accountId, ctx.region, name);
  if (taken)
    throw ec2Error('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${taken.image_id}`);
  return name;
}

export function CreateImage(input: CreateImageRequest, ctx: RequestContext): CreateImageResult {
  const instanceId = input.InstanceId;
  if (!instanceId) throw missingParameter('instanceId');
  if (!isWellFormedId('i', instanceId)) throw malformedId('InvalidInstanceID.Malformed', instanceId);
  const instance = instanceSnapshot(ctx, instanceId);
  if (!instance) throw notFound('InvalidInstanceID.NotFound', 'instance', instanceId);
  if (instance.State !== 'running' && instance.State !== 'stopped')
    throw ec2Error(
      'IncorrectInstanceState',
      `The instance '${instanceId}' is not in a state from which it can be imaged.`,
    );
  const name = checkNewName(ctx, input.Name);
  const tags = tagsBySpecification(input.TagSpecifications, ['image', 'snapshot']);
  checkDryRun(input);
  const source = imageOf(ctx, instance.ImageId);
  const now = ctx.now();
  const imageId = newId('ami');
  const mappings = snapshotMappings(ctx, instance.BlockDevices, input.BlockDeviceMappings ?? [], {
    imageId,
    now,
    tags: tags.get('snapshot') ?? [],
  });
  const image: Image = {
    ...platformOf(source),
    ImageId: imageId,
    ImageLocation: `${ctx.accountId}/${name}`,
    OwnerId: ctx.accountId,
    Name: name,
    Description: input.Description,
    ImageType: 'machine',
    Public: false,
    Hypervisor: 'xen',
    VirtualizationType: 'hvm',
    RootDeviceType: 'ebs',
    RootDeviceName: instance.RootDeviceName,
    SourceInstanceId: instanceId,
    BlockDeviceMappings: mappings,
  };
  insertImage(ctx, image, now, tags.get('image') ?? []);
  return { ImageId: imageId };
}

/** What a made image keeps of the image its instance was launched from. */
function platformOf(source: Image | undefined): Partial<Image> {
  return {
    Architecture: source?.Architecture ?? 'x86_64',
    Platform: source?.Platform,
    PlatformDetails: source?.PlatformDetails ?? 'Linux/UNIX',
    UsageOperation: source?.UsageOperation ?? 'RunInstances',
    EnaSupport: source?.EnaSupport ?? true,
    SriovNetSupport: source?.SriovNetSupport,
    BootMode: source?.BootMode,
    ImdsSupport: source?.ImdsSupport,
  };
}

/** One snapshot per attached volume, with the request's mappings changing or removing some. */
function snapshotMappings(
  ctx: RequestContext,
  devices: readonly { DeviceName: string; VolumeId: string }[],
  overrides: readonly BlockDeviceMapping[],
  made: { imageId: string; now: number; tags: Tag[] },
): BlockDeviceMapping[] {
  const byDevice = new Map(overrides.map((m) => [m.DeviceName, m]));
  const mappings: BlockDeviceMapping[] = [];
  for (const device of devices) {
    const override = byDevice.get(device.DeviceName);
    if (override?.NoDevice !== undefined) continue;
    const volume = volumeDetails(ctx, device.VolumeId);
    if (!volume) continue;
    const snapshotId = createSnapshot(ctx, {
      volumeId: volume.VolumeId,
      size: volume.Size,
      encrypted: volume.Encrypted,
      description: `Created by CreateImage(${volume.InstanceId}) for ${made.imageId}`,
      imageId: made.imageId,
      tags: made.tags,
    });
    mappings.push({
      DeviceName: device.DeviceName,
      Ebs: {
        DeleteOnTermination: override?.Ebs?.DeleteOnTermination ?? volume.DeleteOnTermination,
        SnapshotId: snapshotId,
        VolumeSize: Math.max(override?.Ebs?.VolumeSize ?? 0, volume.Size),
        VolumeType: override?.Ebs?.VolumeType ?? (volume.VolumeType as VolumeType),
        Encrypted: volume.Encrypted,
        ...(volume.Iops !== undefined && volume.VolumeType !== 'gp2' ? { Iops: volume.Iops } : {}),
        ...(volume.Throughput !== undefined ? { Throughput: volume.Throughput } : {}),
      },
    });
  }
  return mappings;
}

function insertImage(ctx: RequestContext, image: Image, now: number, tags: readonly Tag[]): void {
  const availableAt = now + IMAGE_PENDING_SECONDS * 1000;
  const stored = JSON.stringify(image);
  statements(ctx.db).insert.run(
    ctx.accountId,
    ctx.region,
    image.ImageId as string,
    image.Name as string,
    now,
    availableAt,
    stored,
  );
  if (tags.length > 0) writeTags(ctx, image.ImageId as string, tags);
}

export function RegisterImage(input: RegisterImageRequest, ctx: RequestContext): RegisterImageResult {
  if (input.ImageLocation && !input.BlockDeviceMappings)
    throw invalidParameterValue(
      'Registering instance store-backed AMIs from an ImageLocation is not supported by localaws',
    );
  const name = checkNewName(ctx, input.Name);
  const rootDevice = input.RootDeviceName ?? '/dev/xvda';
  const mappings = (input.BlockDeviceMappings ?? []).map(registeredMapping(ctx));
  if (!mappings.some((m) => m.DeviceName === rootDevice && m.Ebs?.SnapshotId))
    throw invalidParameterValue(`The root device name ${rootDevice} must be mapped to a snapshot`);
  const tags = tagsBySpecification(input.TagSpecifications, ['image']);
  checkDryRun(input);
  const imageId = newId('ami');
  const image: Image = {
    ImageId: imageId,
    ImageLocation: `${ctx.accountId}/${name}`,
    OwnerId: ctx.accountId,
    Name: name,
    Description: input.Description,
    Architecture: input.Architecture ?? 'x86_64',
    ImageType: 'machine',
    Public: false,
    Hypervisor: 'xen',
    VirtualizationType: (input.VirtualizationType ?? 'hvm') as VirtualizationType,
    RootDeviceType: 'ebs',
    RootDeviceName: rootDevice,
    EnaSupport: input.EnaSupport,
    SriovNetSupport: input.SriovNetSupport,
    BootMode: input.BootMode,
    ImdsSupport: input.ImdsSupport,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    BlockDeviceMappings: mappings,
  };
  insertImage(ctx, image, ctx.now(), tags.get('image') ?? []);
  return { ImageId: imageId };
}

function registeredMapping(ctx: RequestContext): (mapping: BlockDeviceMapping) => BlockDeviceMapping {
  return (mapping) => {
    const ebs = mapping.Ebs;
    if (!ebs?.SnapshotId) return mapping;
    const snapshot = requireSnapshot(ctx, ebs.SnapshotId);
    return {
      DeviceName: mapping.DeviceName,
      Ebs: {
        DeleteOnTermination: ebs.DeleteOnTermination ?? true,
        SnapshotId: ebs.SnapshotId,
        VolumeSize: ebs.VolumeSize ?? snapshot.VolumeSize,
        VolumeType: ebs.VolumeType ?? ('gp2' as VolumeType),
        Encrypted: snapshot.Encrypted,
        ...(ebs.Iops !== undefined ? { Iops: ebs.Iops } : {}),
        ...(ebs.Throughput !== undefined ? { Throughput: ebs.Throughput } : {}),
      },
    };
  };
}

export function DeregisterImage(input: DeregisterImageRequest, ctx: RequestContext): DeregisterImageResult {
  const imageId = input.ImageId;
  if (!imageId) throw missingParameter('imageId');
  checkImageId(imageId);
  if (PUBLIC_IMAGES_BY_ID.has(imageId)) throw ec2Error('AuthFailure', `Not authorized for image:${imageId}`);
  const s = statements(ctx.db);
  const now = ctx.now();
  s.forget.run(ctx.accountId, ctx.region, now - DEREGISTERED_VISIBLE_MS);
  const row = s.one.get(ctx.accountId, ctx.region, imageId);
  if (!row) throw imageNotFound([imageId]);
  if (row.deregistered_at !== null)
    throw ec2Error('InvalidAMIID.Unavailable', `The image '${imageId}' is no longer available`);
  checkDryRun(input);
  s.deregister.run(now, ctx.accountId, ctx.region, imageId);
  dropTags(ctx, imageId);
  const deleted = input.DeleteAssociatedSnapshots ? deleteSnapshotsOfImage(ctx, imageId) : [];
  return {
    Return: true,
    DeleteSnapshotResults: input.DeleteAssociatedSnapshots
      ? deleted.map((SnapshotId) => ({ SnapshotId, ReturnCode: 'success' }))
      : undefined,
  };
}

const IMAGE_ATTRIBUTES = new Set([
  'description',
  'kernel',
  'ramdisk',
  'launchPermission',
  'productCodes',
  'blockDeviceMapping',
  'sriovNetSupport',
  'bootMode',
  'tpmSupport',
  'uefiData',
  'lastLaunchedTime',
  'imdsSupport',
  'deregistrationProtection',
]);

export function DescribeImageAttribute(
  input: DescribeImageAttributeRequest,
  ctx: RequestContext,
): ImageAttribute {
  const imageId = input.ImageId;
  if (!imageId) throw missingParameter('imageId');
  checkImageId(imageId);
  const attribute = input.Attribute ?? '';
  if (!IMAGE_ATTRIBUTES.has(attribute))
    throw invalidParameterValue(
      `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`,
    );
  const image = imageOf(ctx, imageId);
  if (!image || image.State === 'deregistered') throw imageNotFound([imageId]);
  checkDryRun(input);
  const out: ImageAttribute = { ImageId: imageId };
  const value = (v: string | undefined) => (v === undefined ? undefined : { Value: v });
  if (attribute === 'description') out.Description = value(image.Description);
  else if (attribute === 'launchPermission') out.LaunchPermissions = image.Public ? [{ Group: 'all' }] : [];
  else if (attribute === 'productCodes') out.ProductCodes = image.ProductCodes ?? [];
  else if (attribute === 'blockDeviceMapping') out.BlockDeviceMappings = image.BlockDeviceMappings ?? [];
  else if (attribute === 'sriovNetSupport') out.SriovNetSupport = value(image.SriovNetSupport);
  else if (attribute === 'bootMode') out.BootMode = value(image.BootMode);
  else if (attribute === 'imdsSupport') out.ImdsSupport = value(image.ImdsSupport);
  else if (attribute === 'deregistrationProtection') out.DeregistrationProtection = { Value: 'disabled' };
  return out;
}
