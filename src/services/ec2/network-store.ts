/**
 * The networking tables: VPCs, subnets (with the private addresses handed out in each),
 * security groups and their rules, internet gateways. Every row is keyed by account and
 * region first; flags are SQLite integers (0 or 1), CIDRs are kept as text.
 */
export const NETWORK_SCHEMA: readonly string[] = [
  // Marks that an account+region's default network was made, so a deleted default VPC stays deleted.
  `CREATE TABLE ec2_default_networks (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  PRIMARY KEY (account, region)
) WITHOUT ROWID`,
  `CREATE TABLE ec2_vpcs (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  vpc_id TEXT NOT NULL,
  cidr TEXT NOT NULL,
  is_default INTEGER NOT NULL,
  instance_tenancy TEXT NOT NULL,
  dns_support INTEGER NOT NULL,
  dns_hostnames INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account, region, vpc_id)
) WITHOUT ROWID`,
  `CREATE TABLE ec2_subnets (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  subnet_id TEXT NOT NULL,
  vpc_id TEXT NOT NULL,
  cidr TEXT NOT NULL,
  zone_name TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  default_for_az INTEGER NOT NULL,
  map_public_ip INTEGER NOT NULL,
  used_addresses INTEGER NOT NULL DEFAULT 0,
  next_offset INTEGER NOT NULL DEFAULT 4,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account, region, subnet_id)
) WITHOUT ROWID`,
  'CREATE INDEX ec2_subnets_by_vpc ON ec2_subnets (account, region, vpc_id)',
  `CREATE TABLE ec2_subnet_addresses (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  subnet_id TEXT NOT NULL,
  address_offset INTEGER NOT NULL,
  PRIMARY KEY (account, region, subnet_id, address_offset)
) WITHOUT ROWID`,
  `CREATE TABLE ec2_security_groups (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  group_id TEXT NOT NULL,
  vpc_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account, region, group_id)
) WITHOUT ROWID`,
  'CREATE UNIQUE INDEX ec2_security_groups_by_name ON ec2_security_groups (account, region, vpc_id, name)',
  `CREATE TABLE ec2_security_group_rules (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  is_egress INTEGER NOT NULL,
  ip_protocol TEXT NOT NULL,
  from_port INTEGER NOT NULL,
  to_port INTEGER NOT NULL,
  cidr_ipv4 TEXT,
  cidr_ipv6 TEXT,
  prefix_list_id TEXT,
  referenced_group_id TEXT,
  referenced_user_id TEXT,
  description TEXT,
  seq INTEGER NOT NULL,
  PRIMARY KEY (account, region, rule_id)
) WITHOUT ROWID`,
  'CREATE INDEX ec2_security_group_rules_by_group ON ec2_security_group_rules (account, region, group_id, seq)',
  'CREATE INDEX ec2_security_group_rules_by_reference ON ec2_security_group_rules (account, region, referenced_group_id)',
  `CREATE TABLE ec2_internet_gateways (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  gateway_id TEXT NOT NULL,
  vpc_id TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account, region, gateway_id)
) WITHOUT ROWID`,
  'CREATE INDEX ec2_internet_gateways_by_vpc ON ec2_internet_gateways (account, region, vpc_id)',
];
