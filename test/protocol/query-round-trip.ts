/**
 * What the round-trip tests of the query protocols (aws-query, ec2-query) add to round-trip.ts:
 * a sampled value pruned to what survives the wire in the SDK's request (request direction)
 * or what the SDK can read back (response direction), and every operation's round trip.
 * The pruning is deliberately small:
 * - request: empty maps and structures write no parameter; an empty list writes `Name=` in
 *   awsQuery (read back as []) and nothing in ec2Query; a list whose items all write nothing
 *   writes nothing; an idempotency token the input left out is filled by the SDK.
 * - response: a flattened list or map with no items has no element to read back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { loadModel, type MemberDef, type ServiceModel } from '../../src/protocol/model.js';
import type { QueryStyle } from '../../src/protocol/query-params.js';
import type { ProtocolCodec, WireRequest } from '../../src/protocol/wire.js';
import { expectedInput, failuresOf, randomBytesFrom } from './round-trip.js';
import { Sampler } from './samples.js';
import { reusableSdkClient } from './sdk-harness.js';

type Struct = Record<string, unknown>;

/** The input as it reads back from the parameters the SDK writes for it. */
function wireInput(model: ServiceModel, shapeId: string, input: Struct, style: QueryStyle): Struct {
  return (pruneRequest(model, { target: shapeId }, input, style) as Struct | undefined) ?? {};
}

function pruneRequest(model: ServiceModel, member: MemberDef, value: unknown, style: QueryStyle): unknown {
  if (value == null) return undefined;
  const shape = model.shapes[member.target];
  switch (shape?.type) {
    case 'structure':
    case 'union':
      return prunedEntries(
        value as Struct,
        (k) => shape.members[k],
        (m, v) => pruneRequest(model, m, v, style),
      );
    case 'map':
      return prunedEntries(
        value as Struct,
        () => shape.value,
        (m, v) => pruneRequest(model, m, v, style),
      );
    case 'list': {
      const items = value as unknown[];
      if (items.length === 0) return style === 'awsQuery' ? [] : undefined;
      const kept = items
        .map((i) => pruneRequest(model, shape.member, i, style))
        .filter((i) => i !== undefined);
      return kept.length ? kept : undefined;
    }
    default:
      return value;
  }
}

/** Entries pruned one by one; an object left with none writes nothing. */
function prunedEntries(
  value: Struct,
  memberOf: (key: string) => MemberDef | undefined,
  prune: (member: MemberDef, v: unknown) => unknown,
): Struct | undefined {
  const out: Struct = {};
  for (const [k, v] of Object.entries(value)) {
    const member = memberOf(k);
    const pruned = member ? prune(member, v) : undefined;
    if (pruned !== undefined) out[k] = pruned;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The output as the SDK reads it back from what the codec writes. */
export function readableOutput(model: ServiceModel, shapeId: string, output: Struct): Struct {
  return pruneResponse(model, { target: shapeId }, output) as Struct;
}

function pruneResponse(model: ServiceModel, member: MemberDef, value: unknown): unknown {
  const shape = model.shapes[member.target];
  switch (shape?.type) {
    case 'structure':
    case 'union': {
      const out: Struct = {};
      for (const [k, v] of Object.entries(value as Struct)) {
        const m = shape.members[k];
        if (!m || v == null) continue;
        const target = model.shapes[m.target];
        const flat = m.xmlFlattened || target?.traits?.xmlFlattened;
        if (flat && target?.type === 'list' && (v as unknown[]).length === 0) continue;
        if (flat && target?.type === 'map' && Object.keys(v as Struct).length === 0) continue;
        out[k] = pruneResponse(model, m, v);
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((i) => pruneResponse(model, shape.member, i));
    case 'map':
      return Object.fromEntries(
        Object.entries(value as Struct).map(([k, v]) => [k, pruneResponse(model, shape.value, v)]),
      );
    default:
      return value;
  }
}

/** Groups of input members that share one query name (SQS ReceiveMessage's AttributeNames and
 * MessageSystemAttributeNames are both `AttributeName`). */
function sharedNames(model: ServiceModel, shapeId: string, style: QueryStyle): string[][] {
  const shape = model.shapes[shapeId];
  if (shape?.type !== 'structure') return [];
  const groups = new Map<string, string[]>();
  for (const [name, member] of Object.entries(shape.members)) {
    const xmlName = member.xmlName ?? name;
    const key =
      style === 'awsQuery' ? xmlName : (member.ec2QueryName ?? xmlName[0]!.toUpperCase() + xmlName.slice(1));
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

/** The input minus all but the last member of each group sharing a name: a client can send
 * only one of them. */
function sendable(model: ServiceModel, shapeId: string, input: Struct, style: QueryStyle): Struct {
  const out = { ...input };
  for (const group of sharedNames(model, shapeId, style))
    for (const name of group.slice(0, -1)) delete out[name];
  return out;
}

/** The parser sets every member of a group sharing a name to what the name carried. */
function withSharedNames(model: ServiceModel, shapeId: string, expected: Struct, style: QueryStyle): Struct {
  const out = { ...expected };
  for (const group of sharedNames(model, shapeId, style)) {
    const value = out[group.at(-1)!];
    if (value !== undefined) for (const name of group) out[name] = value;
  }
  return out;
}

/** Whether this machine's Python has boto3, for the tests that cross-check with a second client. */
export const hasBoto3 = spawnSync('python3', ['-c', 'import boto3']).status === 0;

/** The form bodies botocore writes for these calls (nothing is sent). */
function boto3Bodies(calls: readonly (readonly [string, string, unknown])[]): string[] {
  const script = new URL('./boto3-capture.py', import.meta.url).pathname;
  return JSON.parse(execFileSync('python3', [script], { input: JSON.stringify(calls) }).toString());
}

/** A form-encoded POST, as query clients send one. */
export function formRequest(body: string | Buffer): WireRequest {
  return {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(body),
  };
}

export interface Sampling {
  seed: number;
  omitRate: number;
}

/** What the SDK sets by itself in an input it sends, beside idempotency tokens. */
export type SdkFilled = (op: string, input: Struct, parsed: Struct) => Struct;

const caseName = (c: { op: string; seed: number }) => `${c.op} seed ${c.seed}`;

/** A query codec under test against the SDK client of its model. */
export class QueryHarness {
  readonly sdk: ReturnType<typeof reusableSdkClient>;

  constructor(
    readonly codec: ProtocolCodec,
    readonly model: ServiceModel,
    readonly style: QueryStyle,
    sdkConfig: Record<string, unknown> = {},
  ) {
    this.sdk = reusableSdkClient(model.id, sdkConfig);
  }

  private everyOperation(samplings: Sampling[]) {
    return samplings.flatMap((s) => Object.keys(this.model.operations).map((op) => ({ op, ...s })));
  }

  /** The failures of parsing back, for every operation, the request the SDK sends for a
   * sampled input: the codec must read what survives the wire. */
  requestFailures(samplings: Sampling[], sdkFilled: SdkFilled = (_op, input) => input): Promise<string[]> {
    const { codec, model, style, sdk } = this;
    return failuresOf(this.everyOperation(samplings), caseName, async ({ op, seed, omitRate }) => {
      const inputId = model.operations[op]!.input;
      const sampled = new Sampler(model, { seed, omitRate }).structure(inputId);
      const input = sendable(model, inputId, sampled, style);
      const req = await sdk.captureRequest(op, input);
      expect(codec.resolveOperation(model, req)).toBe(op);
      const parsed = codec.parseInput(model, op, req);
      const onWire = wireInput(model, inputId, sdkFilled(op, input, parsed), style);
      const expected = withSharedNames(model, inputId, onWire, style);
      expect(parsed).toEqual(expectedInput(model, inputId, expected, parsed));
    });
  }

  /** The failures of reading back in the SDK, for every operation, the response the codec
   * writes for a sampled output: a 200 with the request id, and what the SDK can read. */
  responseFailures(samplings: Sampling[], requestId: string): Promise<string[]> {
    const { codec, model, sdk } = this;
    return failuresOf(this.everyOperation(samplings), caseName, async ({ op, seed, omitRate }) => {
      const { input: inputId, output: outputId } = model.operations[op]!;
      const output = new Sampler(model, { seed, omitRate }).structure(outputId);
      const input = new Sampler(model, { seed }).structure(inputId);
      const wire = codec.serializeOutput(model, op, output, { requestId, operation: op });
      expect(wire.status).toBe(200);
      const res = await sdk.deserializeResponse(op, input, wire);
      expect(res.error).toBeUndefined();
      const { $metadata, ...got } = res.output!;
      expect(($metadata as { requestId?: string }).requestId).toBe(requestId);
      expect(got).toEqual(readableOutput(model, outputId, output));
    });
  }

  /** Checks that random bytes name no operation, and that the codec says so with a 400. */
  expectNoOperationInNoise(sampler: Sampler): void {
    for (let i = 0; i < 50; i++) {
      const req = formRequest(randomBytesFrom(sampler, 1 + sampler.int(300)));
      expect(this.codec.resolveOperation(this.model, req)).toBeUndefined();
      expect(this.codec.operationNotFound(this.model, req).status).toBe(400);
    }
  }
}

/** What the codec parses from the form bodies botocore writes for these calls. */
export function parsedFromBoto3(
  codec: ProtocolCodec,
  calls: readonly (readonly [service: string, op: string, params: unknown])[],
): Struct[] {
  const bodies = boto3Bodies(calls);
  return calls.map(([service, op], i) => codec.parseInput(loadModel(service), op, formRequest(bodies[i]!)));
}
