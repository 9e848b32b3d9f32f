/**
 * What the codec round-trip tests share: the sampled inputs and outputs of an operation,
 * and the few normalisations between what the SDK is given and what a codec can return.
 */
import { Readable } from 'node:stream';
import type { MemberDef, ServiceModel } from '../../src/protocol/model.js';
import { Sampler } from './samples.js';

export const SEEDS = [1, 2, 3];
export const OMIT_RATES = [0, 0.5];

export interface Variant {
  label: string;
  sampler: Sampler;
}

/** One sampler per seed and omit rate, for a reproducible label in failures. */
export function variants(model: ServiceModel): Variant[] {
  const out: Variant[] = [];
  for (const seed of SEEDS) {
    for (const omitRate of OMIT_RATES) {
      out.push({ label: `seed ${seed} omit ${omitRate}`, sampler: new Sampler(model, { seed, omitRate }) });
    }
  }
  return out;
}

function membersOf(model: ServiceModel, shapeId: string): Record<string, MemberDef> {
  const shape = model.shapes[shapeId];
  return shape && (shape.type === 'structure' || shape.type === 'union') ? shape.members : {};
}

/** Reads every Readable in an object into its bytes, so streams compare by content. */
export async function readStreams(value: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...value };
  for (const [k, v] of Object.entries(out)) {
    if (
      v instanceof Readable ||
      (v && typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')
    ) {
      const chunks: Buffer[] = [];
      for await (const c of v as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(c));
      out[k] = new Uint8Array(Buffer.concat(chunks));
    }
  }
  return out;
}

/**
 * The input a codec should parse from the request the SDK wrote for `input`: the input,
 * plus the members the SDK itself fills in (idempotency tokens it generates, and any
 * `extras` the caller names, such as headers the SDK middleware sets), taken as parsed.
 */
export function expectedInput(
  model: ServiceModel,
  shapeId: string,
  input: Record<string, unknown>,
  parsed: Record<string, unknown>,
  extras: readonly string[] = [],
): Record<string, unknown> {
  const expected: Record<string, unknown> = { ...input };
  for (const [name, m] of Object.entries(membersOf(model, shapeId))) {
    const sdkFilled = (m.idempotencyToken && input[name] === undefined) || extras.includes(name);
    if (sdkFilled && parsed[name] !== undefined) expected[name] = parsed[name];
  }
  return expected;
}

/** The SDK's output without its $metadata, with the nulls it writes for absent payloads
 * dropped and its blob payload adapters (Uint8Array subclasses) as plain bytes. */
export function sdkOutput(output: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(output ?? {})) {
    if (k === '$metadata' || v === null) continue;
    out[k] = v instanceof Uint8Array ? new Uint8Array(v) : v;
  }
  return out;
}

/** Random bytes, deterministic per seed, for garbage-input tests. */
export function randomBytes(seed: number, length: number): Buffer {
  const sampler = new Sampler({ shapes: {} } as unknown as ServiceModel, { seed });
  return Buffer.from(Array.from({ length }, () => sampler.int(256)));
}

/** The $metadata of an error the SDK threw (empty when it threw none). */
export function metadataOf(error: Record<string, unknown> | undefined): {
  httpStatusCode?: number;
  requestId?: string;
} {
  return (error?.$metadata as { httpStatusCode?: number; requestId?: string } | undefined) ?? {};
}
