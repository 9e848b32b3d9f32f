/**
 * The compute tables: reservations, instances and Elastic IPs. An instance's state is not a
 * column: a row holds the transition it last began (`transition`: pending, stopping or
 * shutting-down) and when that transition settles (`settles_at`, ms); the state is derived
 * against the clock when read (see instance-state.ts); `checks_ok_at` is when the status checks
 * of the last boot pass. What no filter reads sits in `doc` (JSON), read only for the
 * instances an answer returns.
 */
export const COMPUTE_SCHEMA: readonly string[] = [
  `CREATE TABLE ec2_reservations (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  reservation_id TEXT NOT NULL,
  client_token TEXT,
  request_hash TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  PRIMARY KEY (account, region, reservation_id)
) WITHOUT ROWID`,
  'CREATE UNIQUE INDEX ec2_reservations_token ON ec2_reservations (account, region, client_token) WHERE client_token IS NOT NULL',
  `CREATE TABLE ec2_instances (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  reservation_id TEXT NOT NULL,
  launch_index INTEGER NOT NULL,
  image_id TEXT NOT NULL,
  instance_type TEXT NOT NULL,
  key_name TEXT,
  vpc_id TEXT NOT NULL,
  subnet_id TEXT NOT NULL,
  availability_zone TEXT NOT NULL,
  private_ip TEXT NOT NULL,
  public_ip TEXT,
  eni_id TEXT NOT NULL,
  group_ids TEXT NOT NULL,
  launched_at INTEGER NOT NULL,
  transition TEXT NOT NULL,
  transition_at INTEGER NOT NULL,
  settles_at INTEGER NOT NULL,
  checks_ok_at INTEGER,
  disable_api_termination INTEGER NOT NULL,
  shutdown_behavior TEXT NOT NULL,
  user_data TEXT,
  doc TEXT NOT NULL,
  PRIMARY KEY (account, region, instance_id)
) WITHOUT ROWID`,
  'CREATE INDEX ec2_instances_reservation ON ec2_instances (account, region, reservation_id, launch_index)',
  'CREATE INDEX ec2_instances_public_ip ON ec2_instances (account, region, public_ip) WHERE public_ip IS NOT NULL',
  // finds the terminated instances to forget without reading the live ones
  "CREATE INDEX ec2_instances_ending ON ec2_instances (account, region, settles_at) WHERE transition = 'shutting-down'",
  `CREATE TABLE ec2_addresses (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  allocation_id TEXT NOT NULL,
  public_ip TEXT NOT NULL,
  allocated_at INTEGER NOT NULL,
  association_id TEXT,
  instance_id TEXT,
  eni_id TEXT,
  private_ip TEXT,
  PRIMARY KEY (account, region, allocation_id)
) WITHOUT ROWID`,
  'CREATE UNIQUE INDEX ec2_addresses_ip ON ec2_addresses (account, region, public_ip)',
];
