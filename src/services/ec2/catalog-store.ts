/**
 * The catalog tables: images users make (the public catalogue lives in code), their
 * snapshots, key pairs, EBS volumes and launch templates with their versions. Every row is
 * keyed by account and region first. Time-driven states are stored as the times they end
 * (an image is `pending` until available_at, a volume `creating` until available_at, an
 * attachment `attaching` until attached_at, `detaching` until detached_at) and derived on read.
 */
export const CATALOG_SCHEMA: readonly string[] = [
  `CREATE TABLE ec2_images (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    image_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    available_at INTEGER NOT NULL,
    -- a deregistered image answers InvalidAMIID.Unavailable for a while, and frees its name
    deregistered_at INTEGER,
    -- the Image as DescribeImages reports it, less State, CreationDate and tags
    data TEXT NOT NULL,
    PRIMARY KEY (account, region, image_id)
  ) WITHOUT ROWID`,
  'CREATE INDEX ec2_images_name ON ec2_images (account, region, name) WHERE deregistered_at IS NULL',
  `CREATE TABLE ec2_snapshots (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    snapshot_id TEXT NOT NULL,
    volume_id TEXT NOT NULL,
    volume_size INTEGER NOT NULL,
    image_id TEXT,
    description TEXT NOT NULL,
    encrypted INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    completed_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, snapshot_id)
  ) WITHOUT ROWID`,
  `CREATE TABLE ec2_key_pairs (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    key_name TEXT NOT NULL,
    key_pair_id TEXT NOT NULL,
    key_type TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, key_name),
    UNIQUE (account, region, key_pair_id)
  ) WITHOUT ROWID`,
  `CREATE TABLE ec2_volumes (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    volume_id TEXT NOT NULL,
    availability_zone TEXT NOT NULL,
    size INTEGER NOT NULL,
    volume_type TEXT NOT NULL,
    iops INTEGER,
    throughput INTEGER,
    encrypted INTEGER NOT NULL,
    kms_key_id TEXT,
    snapshot_id TEXT,
    multi_attach INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    available_at INTEGER NOT NULL,
    instance_id TEXT,
    device TEXT,
    attach_time INTEGER,
    attached_at INTEGER,
    detached_at INTEGER,
    delete_on_termination INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, region, volume_id)
  ) WITHOUT ROWID`,
  'CREATE INDEX ec2_volumes_instance ON ec2_volumes (account, region, instance_id, device)',
  `CREATE TABLE ec2_launch_templates (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    template_id TEXT NOT NULL,
    name TEXT NOT NULL,
    default_version INTEGER NOT NULL,
    latest_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (account, region, template_id),
    UNIQUE (account, region, name)
  ) WITHOUT ROWID`,
  `CREATE TABLE ec2_launch_template_versions (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    template_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    description TEXT,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (account, region, template_id, version)
  ) WITHOUT ROWID`,
];
