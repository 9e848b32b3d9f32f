/**
 * Key pairs: CreateKeyPair (real key material, generated here and never kept), ImportKeyPair,
 * DescribeKeyPairs, DeleteKeyPair; and the lookup RunInstances uses. Names are unique per
 * account and region; tags hang off the key pair id (`key-...`).
 */
import type {
  CreateKeyPairRequest,
  DeleteKeyPairRequest,
  DeleteKeyPairResult,
  DescribeKeyPairsRequest,
  DescribeKeyPairsResult,
  ImportKeyPairRequest,
  ImportKeyPairResult,
  KeyPair,
  KeyPairInfo,
} from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterValue, missingParameter } from './errors.js';
import { type FilterFields, filterMatcher } from './filters.js';
import { isWellFormedId, newId } from './ids.js';
import { generateKey, importPublicKey, type KeyType } from './key-pair-material.js';
import { dropTags, tagsByResource, tagsBySpecification, writeTags } from './tags.js';

interface KeyPairRow {
  key_name: string;
  key_pair_id: string;
  key_type: KeyType;
  fingerprint: string;
  public_key: string;
  created_at: number;
}

const COLUMNS = 'key_name, key_pair_id, key_type, fingerprint, public_key, created_at';

const statements = perDb((db) => ({
  byName: db.prepare<[string, string, string], KeyPairRow>(
    `SELECT ${COLUMNS} FROM ec2_key_pairs WHERE account = ? AND region = ? AND key_name = ?`,
  ),
  byId: db.prepare<[string, string, string], KeyPairRow>(
    `SELECT ${COLUMNS} FROM ec2_key_pairs WHERE account = ? AND region = ? AND key_pair_id = ?`,
  ),
  all: db.prepare<[string, string], KeyPairRow>(
    `SELECT ${COLUMNS} FROM ec2_key_pairs WHERE account = ? AND region = ? ORDER BY key_name`,
  ),
  insert: db.prepare<[string, string, string, string, string, string, string, number]>(
    `INSERT INTO ec2_key_pairs (account, region, key_name, key_pair_id, key_type, fingerprint, public_key, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  remove: db.prepare<[string, string, string]>(
    'DELETE FROM ec2_key_pairs WHERE account = ? AND region = ? AND key_pair_id = ?',
  ),
}));

const keyNameNotFound = (name: string) =>
  ec2Error('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`);

/** The key pair RunInstances names, or InvalidKeyPair.NotFound. */
export function requireKeyPair(ctx: RequestContext, name: string): { KeyName: string; KeyPairId: string } {
  const row = statements(ctx.db).byName.get(ctx.accountId, ctx.region, name);
  if (!row) throw keyNameNotFound(name);
  return { KeyName: row.key_name, KeyPairId: row.key_pair_id };
}

export function keyPairExists(ctx: RequestContext, keyPairId: string): boolean {
  return statements(ctx.db).byId.get(ctx.accountId, ctx.region, keyPairId) !== undefined;
}

function checkNewName(ctx: RequestContext, name: string | undefined): string {
  if (name === undefined || name === '') throw missingParameter('KeyName');
  if (name.length > 255)
    throw invalidParameterValue(
      `Value (${name}) for parameter keyName is invalid. Length exceeds maximum of 255.`,
    );
  if (/[^\x20-\x7e]/.test(name))
    throw invalidParameterValue(
      `Value (${name}) for parameter keyName is invalid. Character sets beyond ASCII are not supported.`,
    );
  if (statements(ctx.db).byName.get(ctx.accountId, ctx.region, name))
    throw ec2Error('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);
  return name;
}

function store(
  ctx: RequestContext,
  name: string,
  key: { type: KeyType; fingerprint: string; publicKey: string },
  tags: ReturnType<typeof tagsBySpecification>,
): string {
  const keyPairId = newId('key');
  statements(ctx.db).insert.run(
    ctx.accountId,
    ctx.region,
    name,
    keyPairId,
    key.type,
    key.fingerprint,
    key.publicKey,
    ctx.now(),
  );
  const keyTags = tags.get('key-pair') ?? [];
  if (keyTags.length > 0) writeTags(ctx, keyPairId, keyTags);
  return keyPairId;
}

export function CreateKeyPair(input: CreateKeyPairRequest, ctx: RequestContext): KeyPair {
  const name = checkNewName(ctx, input.KeyName);
  const type = input.KeyType ?? 'rsa';
  if (type !== 'rsa' && type !== 'ed25519')
    throw invalidParameterValue(
      `Value (${type}) for parameter keyType is invalid. Valid values are: rsa, ed25519.`,
    );
  const format = input.KeyFormat ?? 'pem';
  if (format !== 'pem' && format !== 'ppk')
    throw invalidParameterValue(
      `Value (${format}) for parameter keyFormat is invalid. Valid values are: pem, ppk.`,
    );
  if (format === 'ppk' && type === 'ed25519')
    throw invalidParameterValue(
      'localaws writes ppk key material for rsa key pairs only; use KeyFormat pem for ed25519.',
    );
  const tags = tagsBySpecification(input.TagSpecifications, ['key-pair']);
  checkDryRun(input);
  const key = generateKey(type, format, name);
  const keyPairId = store(
    ctx,
    name,
    { type, fingerprint: key.fingerprint, publicKey: `${key.publicKey} ${name}` },
    tags,
  );
  const keyTags = tags.get('key-pair');
  return {
    KeyName: name,
    KeyFingerprint: key.fingerprint,
    KeyMaterial: key.material,
    KeyPairId: keyPairId,
    Tags: keyTags,
  };
}

export function ImportKeyPair(input: ImportKeyPairRequest, ctx: RequestContext): ImportKeyPairResult {
  const name = checkNewName(ctx, input.KeyName);
  if (!input.PublicKeyMaterial || input.PublicKeyMaterial.length === 0)
    throw missingParameter('PublicKeyMaterial');
  const text = Buffer.from(input.PublicKeyMaterial).toString('utf8');
  const key = importPublicKey(text);
  if (!key) throw ec2Error('InvalidKey.Format', 'Key is not in valid OpenSSH public key format');
  const tags = tagsBySpecification(input.TagSpecifications, ['key-pair']);
  checkDryRun(input);
  const line = text.trim();
  const publicKey = line.startsWith('ssh-') && !line.includes('\n') ? line : key.publicKey;
  const keyPairId = store(ctx, name, { type: key.type, fingerprint: key.fingerprint, publicKey }, tags);
  return { KeyName: name, KeyFingerprint: key.fingerprint, KeyPairId: keyPairId, Tags: tags.get('key-pair') };
}

const KEY_FIELDS: FilterFields<KeyPairInfo> = {
  'key-name': (k) => k.KeyName,
  'key-pair-id': (k) => k.KeyPairId,
  fingerprint: (k) => k.KeyFingerprint,
  'key-type': (k) => k.KeyType,
};

export function DescribeKeyPairs(
  input: DescribeKeyPairsRequest,
  ctx: RequestContext,
): DescribeKeyPairsResult {
  for (const id of input.KeyPairIds ?? [])
    if (!isWellFormedId('key', id))
      throw ec2Error('InvalidKeyPair.Malformed', `Invalid id: "${id}" (expecting "key-...")`);
  const matches = filterMatcher(input.Filters, KEY_FIELDS);
  checkDryRun(input);
  const rows = selectedRows(ctx, input.KeyNames ?? [], input.KeyPairIds ?? []);
  const tags = tagsByResource(ctx, 'key');
  const pairs: KeyPairInfo[] = [];
  for (const row of rows) {
    const keyTags = tags.get(row.key_pair_id) ?? [];
    const info: KeyPairInfo = {
      KeyPairId: row.key_pair_id,
      KeyFingerprint: row.fingerprint,
      KeyName: row.key_name,
      KeyType: row.key_type,
      Tags: keyTags,
      CreateTime: new Date(row.created_at),
      PublicKey: input.IncludePublicKey ? row.public_key : undefined,
    };
    if (matches(info, keyTags)) pairs.push(info);
  }
  return { KeyPairs: pairs };
}

/** The rows named by name or id (every name and id must exist), or all of them. */
function selectedRows(ctx: RequestContext, names: readonly string[], ids: readonly string[]): KeyPairRow[] {
  const s = statements(ctx.db);
  if (names.length === 0 && ids.length === 0) return s.all.all(ctx.accountId, ctx.region);
  const found = new Map<string, KeyPairRow>();
  for (const name of names) {
    const row = s.byName.get(ctx.accountId, ctx.region, name);
    if (!row) throw keyNameNotFound(name);
    found.set(row.key_pair_id, row);
  }
  for (const id of ids) {
    const row = s.byId.get(ctx.accountId, ctx.region, id);
    if (!row) throw ec2Error('InvalidKeyPair.NotFound', `The key pair '${id}' does not exist`);
    found.set(row.key_pair_id, row);
  }
  return [...found.values()].sort((a, b) => (a.key_name < b.key_name ? -1 : 1));
}

/** AWS answers success for a key pair that does not exist, by name or by id. */
export function DeleteKeyPair(input: DeleteKeyPairRequest, ctx: RequestContext): DeleteKeyPairResult {
  if (!input.KeyName && !input.KeyPairId) throw missingParameter('keyName or keyPairId');
  if (input.KeyPairId && !isWellFormedId('key', input.KeyPairId))
    throw ec2Error('InvalidKeyPair.Malformed', `Invalid id: "${input.KeyPairId}" (expecting "key-...")`);
  checkDryRun(input);
  const s = statements(ctx.db);
  const row = input.KeyPairId
    ? s.byId.get(ctx.accountId, ctx.region, input.KeyPairId)
    : s.byName.get(ctx.accountId, ctx.region, input.KeyName as string);
  if (!row) return { Return: true };
  s.remove.run(ctx.accountId, ctx.region, row.key_pair_id);
  dropTags(ctx, row.key_pair_id);
  return { Return: true, KeyPairId: row.key_pair_id };
}
