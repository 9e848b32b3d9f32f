/**
 * Generates models/<service>.json from the schemas shipped inside the pinned AWS SDK v3
 * clients (devDependencies). The SDK's schema format is young and internal, so this script
 * is the only code that reads it; the server reads only the JSON written here (format in
 * src/protocol/model.ts). Run with `npm run gen:models` after bumping a client version.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { NormalizedSchema } from '@smithy/core/schema';
import type { MemberDef, OperationDef, ServiceModel, ShapeDef, Traits } from '../src/protocol/model.js';

const require = createRequire(import.meta.url);

/** Services in scope, with what the schemas do not carry (the SigV4 signing name). */
/** The xmlns AWS answers query requests with, for services whose SDK model (a JSON protocol
 * that stayed query-compatible) no longer carries it: SQS's, as its query responses show. */
const QUERY_NAMESPACES: Record<string, string> = { sqs: 'http://queue.amazonaws.com/doc/2012-11-05/' };

const SERVICES: { id: string; pkg: string; client: string; signingName: string }[] = [
  { id: 'sts', pkg: '@aws-sdk/client-sts', client: 'STSClient', signingName: 'sts' },
  { id: 's3', pkg: '@aws-sdk/client-s3', client: 'S3Client', signingName: 's3' },
  { id: 'dynamodb', pkg: '@aws-sdk/client-dynamodb', client: 'DynamoDBClient', signingName: 'dynamodb' },
  {
    id: 'dynamodbstreams',
    pkg: '@aws-sdk/client-dynamodb-streams',
    client: 'DynamoDBStreamsClient',
    signingName: 'dynamodb',
  },
  { id: 'sqs', pkg: '@aws-sdk/client-sqs', client: 'SQSClient', signingName: 'sqs' },
  { id: 'sns', pkg: '@aws-sdk/client-sns', client: 'SNSClient', signingName: 'sns' },
  { id: 'ec2', pkg: '@aws-sdk/client-ec2', client: 'EC2Client', signingName: 'ec2' },
  { id: 'lambda', pkg: '@aws-sdk/client-lambda', client: 'LambdaClient', signingName: 'lambda' },
];

const PROTOCOLS: Record<string, ServiceModel['protocol']> = {
  AwsQueryProtocol: 'awsQuery',
  AwsEc2QueryProtocol: 'ec2Query',
  AwsJson1_0Protocol: 'awsJson1_0',
  AwsJson1_1Protocol: 'awsJson1_1',
  AwsRestJsonProtocol: 'restJson1',
  AwsRestXmlProtocol: 'restXml',
  S3RestXmlProtocol: 'restXml',
};

/** Raw schema ids of the SDK format (see @smithy/core/schema sentinels). */
const SIMPLE: Record<number, string> = {
  0: 'string',
  1: 'number',
  2: 'boolean',
  4: 'timestamp',
  5: 'timestamp',
  6: 'timestamp',
  7: 'timestamp',
  15: 'document',
  17: 'bigInteger',
  19: 'bigDecimal',
  21: 'blob',
  42: 'blob',
};
const TIMESTAMP_FORMATS: Record<number, Traits['timestampFormat']> = {
  5: 'date-time',
  6: 'http-date',
  7: 'epoch-seconds',
};

type Raw = unknown;
const deref = (r: Raw): Raw => (typeof r === 'function' ? (r as () => Raw)() : r);

function cleanTraits(t: Record<string, unknown>): Traits {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) {
    if (v === undefined || k === 'sensitive' || k === 'documentation') continue;
    out[k] = v === 1 && k !== 'httpError' && k !== 'httpResponseCode' ? true : v;
  }
  return out as Traits;
}

/** Traits to attach to a shape, or nothing when it has none. */
const withTraits = (t: Traits) => (Object.keys(t).length ? { traits: t } : {});

function generate(svc: (typeof SERVICES)[number]): ServiceModel {
  const mod = require(svc.pkg);
  const client = new mod[svc.client]({ region: 'us-east-1' });
  const cfg = client.config;
  const protoName: string = cfg.protocol?.constructor?.name ?? cfg.protocol?.name;
  const protocol = PROTOCOLS[protoName];
  if (!protocol) throw new Error(`${svc.id}: unknown protocol ${protoName}`);
  const settings = cfg.protocolSettings ?? {};
  const shapes: Record<string, ShapeDef> = {};
  const operations: Record<string, OperationDef> = {};
  const errors: string[] = [];

  /** Returns the shape id a member targets, registering the shape. */
  function shapeId(rawRef: Raw): { id: string; traits: Traits } {
    const raw = deref(rawRef);
    if (typeof raw === 'number') {
      if (raw >= 64 && raw < 128) {
        const inner = shapeId(raw & 0b0011_1111).id;
        const id = `list<${inner}>`;
        shapes[id] ??= { type: 'list', member: { target: inner } };
        return { id, traits: {} };
      }
      if (raw >= 128) {
        const inner = shapeId(raw & 0b0011_1111).id;
        const id = `map<${inner}>`;
        shapes[id] ??= { type: 'map', key: { target: 'string' }, value: { target: inner } };
        return { id, traits: {} };
      }
      const type = SIMPLE[raw];
      if (!type) throw new Error(`${svc.id}: unknown simple schema ${raw}`);
      const traits: Traits = {};
      if (TIMESTAMP_FORMATS[raw]) traits.timestampFormat = TIMESTAMP_FORMATS[raw];
      if (raw === 42) traits.streaming = true;
      shapes[type] ??= { type } as ShapeDef;
      return { id: type, traits };
    }
    if (raw === 'unit') return { id: 'unit', traits: {} };
    if (!Array.isArray(raw)) throw new Error(`${svc.id}: unexpected schema ${String(raw)}`);
    const [kind, , name] = raw as [number, string, string];
    const id = name;
    if (shapes[id]) return { id, traits: {} };
    const ns = NormalizedSchema.of(raw as never);
    const own = cleanTraits(ns.getOwnTraits() as Record<string, unknown>);
    if (kind === 0) {
      // a named simple shape: keep its own traits (e.g. streaming) on the shape itself
      const inner = shapeId((raw as Raw[])[4]);
      const base = shapes[inner.id] as ShapeDef;
      shapes[id] = { ...base, ...withTraits({ ...inner.traits, ...own }) } as ShapeDef;
      return { id, traits: {} };
    }
    if (kind === 1) {
      const def: ShapeDef = { type: 'list', member: { target: 'unit' }, ...withTraits(own) };
      shapes[id] = def;
      def.member = memberDef(ns.getValueSchema(), (raw as Raw[])[4]);
      return { id, traits: {} };
    }
    if (kind === 2) {
      const def: ShapeDef = {
        type: 'map',
        key: { target: 'string' },
        value: { target: 'unit' },
        ...withTraits(own),
      };
      shapes[id] = def;
      def.key = memberDef(ns.getKeySchema(), (raw as Raw[])[4]);
      def.value = memberDef(ns.getValueSchema(), (raw as Raw[])[5]);
      return { id, traits: {} };
    }
    if (kind === 3 || kind === -3 || kind === 4) {
      const def: ShapeDef = { type: kind === 4 ? 'union' : 'structure', members: {}, ...withTraits(own) };
      shapes[id] = def;
      const names = (raw as Raw[])[4] as string[];
      const refs = (raw as Raw[])[5] as Raw[];
      const required = (raw as Raw[])[6];
      names.forEach((m, i) => {
        def.members[m] = memberDef(ns.getMemberSchema(m), refs[i]);
      });
      if (typeof required === 'number' && required > 0) def.required = names.slice(0, required);
      if (kind === -3) errors.push(id);
      return { id, traits: {} };
    }
    throw new Error(`${svc.id}: unknown schema kind ${kind} for ${name}`);
  }

  function memberDef(ns: NormalizedSchema, rawRef: Raw): MemberDef {
    // a member is either a bare ref or [ref, memberTraits]
    const raw = deref(rawRef);
    const isMember = Array.isArray(raw) && raw.length === 2;
    const target = shapeId(isMember ? (raw as Raw[])[0] : rawRef);
    const memberTraits = cleanTraits(ns.getMemberTraits() as Record<string, unknown>);
    return { target: target.id, ...target.traits, ...memberTraits };
  }

  for (const [key, value] of Object.entries(mod)) {
    if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    const [, , name, traits, input, output] = value as [
      number,
      string,
      string,
      Record<string, unknown>,
      Raw,
      Raw,
    ];
    const op: OperationDef = {
      input: shapeId(input).id,
      output: shapeId(output).id,
    };
    const t = traits as Record<string, unknown>;
    if (Array.isArray(t.http)) {
      const [method, uri, code] = t.http as [string, string, number];
      op.http = { method, uri, code };
    }
    if (t.endpoint) op.hostPrefix = (t.endpoint as string[])[0];
    if (t.httpChecksum) op.httpChecksum = t.httpChecksum;
    operations[name] = op;
  }
  // errors not reachable from an operation still belong to the service
  for (const [key, value] of Object.entries(mod)) {
    if (key.endsWith('$') && Array.isArray(value) && value[0] === -3) shapeId(value);
  }

  const sorted = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    id: svc.id,
    sdkId: cfg.serviceId,
    protocol,
    namespace: settings.defaultNamespace,
    signingName: svc.signingName,
    version: settings.version,
    ...(settings.xmlNamespace || QUERY_NAMESPACES[svc.id]
      ? { xmlNamespace: settings.xmlNamespace ?? QUERY_NAMESPACES[svc.id] }
      : {}),
    ...(protocol.startsWith('awsJson') ? { targetPrefix: settings.serviceTarget } : {}),
    ...(settings.awsQueryCompatible ? { awsQueryCompatible: true } : {}),
    operations: sorted(operations) as Record<string, OperationDef>,
    shapes: sorted(shapes) as Record<string, ShapeDef>,
    errors: [...new Set(errors)].sort(),
  };
}

const only = process.argv.slice(2);
for (const svc of SERVICES) {
  if (only.length && !only.includes(svc.id)) continue;
  const model = generate(svc);
  const file = new URL(`../models/${svc.id}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify(model)}\n`);
  console.log(
    `${svc.id}: ${model.protocol}, ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes`,
  );
}
