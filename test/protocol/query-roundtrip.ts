/**
 * What survives the wire in the query protocols, for the round-trip tests of aws-query and
 * ec2-query: a sampled value pruned to what the SDK actually writes (request direction) or
 * can read back (response direction). The pruning is deliberately small:
 * - request: empty maps and structures write no parameter; an empty list writes `Name=` in
 *   awsQuery (read back as []) and nothing in ec2Query; a list whose items all write nothing
 *   writes nothing; an idempotency token the input left out is filled by the SDK.
 * - response: a flattened list or map with no items has no element to read back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { MemberDef, ServiceModel } from '../../src/protocol/model.js';
import type { QueryStyle } from '../../src/protocol/query-params.js';

type Struct = Record<string, unknown>;

/** The input as it reads back from the parameters the SDK writes for it. */
export function wireInput(model: ServiceModel, shapeId: string, input: Struct, style: QueryStyle): Struct {
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

/** The SDK fills idempotency tokens the input left out: take them from what was parsed. */
export function withFilledTokens(
  model: ServiceModel,
  shapeId: string,
  input: Struct,
  parsed: Struct,
): Struct {
  const shape = model.shapes[shapeId];
  if (shape?.type !== 'structure') return input;
  const out = { ...input };
  for (const [name, member] of Object.entries(shape.members)) {
    if (member.idempotencyToken && out[name] === undefined && typeof parsed[name] === 'string') {
      out[name] = parsed[name];
    }
  }
  return out;
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

/** Runs a check per case and gathers the failures, so one run reports every failing operation. */
export async function failuresOf<T>(
  cases: T[],
  name: (c: T) => string,
  check: (c: T) => Promise<void> | void,
): Promise<string[]> {
  const failures: string[] = [];
  for (const c of cases) {
    try {
      await check(c);
    } catch (err) {
      failures.push(`${name(c)}: ${String((err as Error).message).slice(0, 1500)}`);
    }
  }
  return failures;
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
export function sendable(model: ServiceModel, shapeId: string, input: Struct, style: QueryStyle): Struct {
  const out = { ...input };
  for (const group of sharedNames(model, shapeId, style))
    for (const name of group.slice(0, -1)) delete out[name];
  return out;
}

/** The parser sets every member of a group sharing a name to what the name carried. */
export function withSharedNames(
  model: ServiceModel,
  shapeId: string,
  expected: Struct,
  style: QueryStyle,
): Struct {
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
export function boto3Bodies(calls: readonly (readonly [string, string, unknown])[]): string[] {
  const script = new URL('./boto3-capture.py', import.meta.url).pathname;
  return JSON.parse(execFileSync('python3', [script], { input: JSON.stringify(calls) }).toString());
}

/** The SDK's $metadata of an error it threw (empty when it threw none). */
export function metadataOf(error: Struct | undefined): { httpStatusCode?: number; requestId?: string } {
  return (error?.$metadata ?? {}) as { httpStatusCode?: number; requestId?: string };
}
