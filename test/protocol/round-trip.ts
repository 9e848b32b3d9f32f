/**
 * What the codec round-trip tests share: the sampled inputs and outputs of an operation,
 * and the few normalisations between what the SDK is given and what a codec can return.
 */
import { Readable } from 'node:stream';
import { AwsError } from '../../src/errors.js';
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

/** The output member that carries an event stream (a streaming union payload), if any. */
export function eventStreamMember(model: ServiceModel, shapeId: string): [string, string] | undefined {
  for (const [name, m] of Object.entries(membersOf(model, shapeId))) {
    const target = model.shapes[m.target];
    if (m.httpPayload && target?.type === 'union' && target.traits?.streaming) return [name, m.target];
  }
  return undefined;
}

/** One event of each kind the stream's union names, sampled. An event's payload member is
 * always set: a message always has a body, which reads back as an empty payload. */
export function sampleEvents(
  model: ServiceModel,
  sampler: Sampler,
  unionId: string,
): Record<string, unknown>[] {
  return Object.entries(membersOf(model, unionId)).map(([name, m]) => {
    const event = sampler.structure(m.target);
    for (const [member, def] of Object.entries(membersOf(model, m.target))) {
      if (def.eventPayload && event[member] === undefined) event[member] = sampler.value(def, 1);
    }
    return { [name]: event };
  });
}

/** The events of an SDK event stream, read to the end. */
export async function collectEvents(stream: unknown): Promise<unknown[]> {
  const events: unknown[] = [];
  for await (const event of stream as AsyncIterable<unknown>) events.push(event);
  return events;
}

/** Bodies a careless or hostile client might send instead of `body`: cut short, bytes
 * flipped, random bytes, and other JSON and XML documents. */
export function mangledBodies(body: Buffer, seed: number): Buffer[] {
  const out: Buffer[] = [
    randomBytes(seed, 64),
    Buffer.from('{"a":[1,{"b":null}],"c":"x"}'),
    Buffer.from('<a><b>1</b></a>'),
  ];
  for (const cut of [1, Math.floor(body.length / 2), body.length - 1]) {
    if (cut > 0 && cut < body.length) out.push(body.subarray(0, cut));
  }
  if (body.length) {
    const flipped = Buffer.from(body);
    const sampler = new Sampler({ shapes: {} } as unknown as ServiceModel, { seed });
    for (let i = 0; i < 3; i++) flipped[sampler.int(flipped.length)] = sampler.int(256);
    out.push(flipped);
  }
  return out;
}

/** Runs a parse and returns the error it threw, if any, failing on anything but an AwsError. */
export function parseOutcome(parse: () => unknown): { code: string; status: number } | undefined {
  try {
    parse();
    return undefined;
  } catch (err) {
    if (err instanceof AwsError) return { code: err.code, status: err.status };
    throw err;
  }
}

/** A seed per operation name, so each operation gets its own mangling. */
export function i0(name: string): number {
  let h = 7;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return h;
}
