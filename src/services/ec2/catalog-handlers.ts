/** The catalog part's operations (images, key pairs, instance types, volumes, snapshots, launch
 * templates) and the kinds of resource it lets CreateTags and DescribeTags reach. */
import type { Handler } from '../types.js';
import { ec2Error } from './errors.js';
import {
  CreateImage,
  DeregisterImage,
  DescribeImageAttribute,
  DescribeImages,
  imageExists,
  RegisterImage,
} from './images.js';
import { DescribeInstanceTypeOfferings, DescribeInstanceTypes } from './instance-types.js';
import { CreateKeyPair, DeleteKeyPair, DescribeKeyPairs, ImportKeyPair, keyPairExists } from './key-pairs.js';
import {
  CreateLaunchTemplateVersion,
  DeleteLaunchTemplateVersions,
  DescribeLaunchTemplateVersions,
} from './launch-template-versions.js';
import {
  CreateLaunchTemplate,
  DeleteLaunchTemplate,
  DescribeLaunchTemplates,
  launchTemplateExists,
  ModifyLaunchTemplate,
  templateNotFoundById,
} from './launch-templates.js';
import type { ResourceKinds } from './tags.js';
import { AttachVolume, DetachVolume } from './volume-attachments.js';
import {
  CreateSnapshot,
  DeleteSnapshot,
  DescribeSnapshots,
  snapshotExists,
  snapshotNotFound,
} from './volume-snapshots.js';
import {
  CreateVolume,
  DeleteVolume,
  DescribeVolumes,
  ModifyVolume,
  volumeNotFound,
  volumeRow,
} from './volumes.js';

export const catalogHandlers: Record<string, Handler> = {
  DescribeImages,
  CreateImage,
  RegisterImage,
  DeregisterImage,
  DescribeImageAttribute,
  CreateKeyPair,
  ImportKeyPair,
  DescribeKeyPairs,
  DeleteKeyPair,
  DescribeInstanceTypes,
  DescribeInstanceTypeOfferings,
  CreateVolume,
  DescribeVolumes,
  DeleteVolume,
  ModifyVolume,
  AttachVolume,
  DetachVolume,
  CreateSnapshot,
  DescribeSnapshots,
  DeleteSnapshot,
  CreateLaunchTemplate,
  CreateLaunchTemplateVersion,
  ModifyLaunchTemplate,
  DescribeLaunchTemplates,
  DescribeLaunchTemplateVersions,
  DeleteLaunchTemplate,
  DeleteLaunchTemplateVersions,
};

/** Catalog operations that only read (they skip the per-request transaction). */
export const CATALOG_READ_ONLY: readonly string[] = [
  'DescribeImages',
  'DescribeImageAttribute',
  'DescribeKeyPairs',
  'DescribeInstanceTypes',
  'DescribeInstanceTypeOfferings',
  'DescribeVolumes',
  'DescribeSnapshots',
  'DescribeLaunchTemplates',
  'DescribeLaunchTemplateVersions',
];

export const CATALOG_KINDS: ResourceKinds = {
  ami: {
    type: 'image',
    exists: imageExists,
    notFound: (id) => ec2Error('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`),
  },
  key: {
    type: 'key-pair',
    exists: keyPairExists,
    notFound: (id) => ec2Error('InvalidKeyPair.NotFound', `The key pair '${id}' does not exist`),
  },
  vol: {
    type: 'volume',
    exists: (ctx, id) => volumeRow(ctx, id) !== undefined,
    notFound: volumeNotFound,
  },
  snap: {
    type: 'snapshot',
    exists: snapshotExists,
    notFound: snapshotNotFound,
  },
  lt: {
    type: 'launch-template',
    exists: launchTemplateExists,
    notFound: templateNotFoundById,
  },
};
