/**
 * What the codec round-trip tests of every protocol share: the sampled inputs and outputs of an
 * operation, the few normalisations between what the SDK is given and what a codec returns,
 * the SDK's side of a round trip and of an error, and mangled bodies for the garbage tests.
 */
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { AwsError } from '../../src/errors.js';
import type { MemberDef, ServiceModel } from '../../src/protocol/model.js';
import type { ProtocolCodec, ResponseContext, WireRequest, WireResponse } from '../../src/protocol/wire.js';
import { Sampler } from './samples.js';
import { captureRequest, deserializeResponse } from './sdk-harness.js';
import { awsErrorOutcome } from './thrown.js';

type Struct = Record<string, unknown>;
type SdkError = Struct & Error;

const SEEDS = [1, 2, 3];
const OMIT_RATES = [0, 0.5];

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

/** The members of a structure or union shape; none for any other. */
export function membersOf(model: ServiceModel, shapeId: string): Record<string, MemberDef> {
  const shape = model.shapes[shapeId];
  return shape && (shape.type === 'structure' || shape.type === 'union') ? shape.members : {};
}

/** Runs a check per case and gathers the failures, so one run reports every failing case. */
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

/** Reads every Readable in an object into its bytes, so streams compare by content. */
export async function readStreams(value: Struct): Promise<Struct> {
  const out: Struct = { ...value };
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
 * The input a codec should parse from the request the SDK wrote for `input`: the input, plus
 * the members the SDK itself fills in, taken as parsed: the idempotency tokens it generates
 * (always strings), and any `extras` the caller names, such as headers the SDK middleware sets.
 */
export function expectedInput(
  model: ServiceModel,
  shapeId: string,
  input: Struct,
  parsed: Struct,
  extras: readonly string[] = [],
): Struct {
  const expected: Struct = { ...input };
  for (const [name, m] of Object.entries(membersOf(model, shapeId))) {
    const token = m.idempotencyToken && input[name] === undefined && typeof parsed[name] === 'string';
    const extra = extras.includes(name) && parsed[name] !== undefined;
    if (token || extra) expected[name] = parsed[name];
  }
  return expected;
}

/** The $metadata of an error the SDK threw (empty when it threw none). */
function metadataOf(error: Struct | undefined): { httpStatusCode?: number; requestId?: string } {
  return (error?.$metadata ?? {}) as { httpStatusCode?: number; requestId?: string };
}

/** A modelled error's sampled fields, less the message members its message fills. */
export function sampledErrorFields(model: ServiceModel, code: string, seed = 7): Struct {
  const fields = new Sampler(model, { seed }).structure(code);
  delete fields.message;
  delete fields.Message;
  return fields;
}

/** Checks the error the SDK threw: its name, message, HTTP status, request id (when one is
 * expected) and `fields`. */
export function expectSdkError(
  error: SdkError | undefined,
  expected: { name: string; message: string; status: number; requestId?: string },
  fields: Struct = {},
): void {
  expect(error?.name).toBe(expected.name);
  expect(error?.message).toBe(expected.message);
  expect(metadataOf(error).httpStatusCode).toBe(expected.status);
  if (expected.requestId !== undefined) expect(metadataOf(error).requestId).toBe(expected.requestId);
  for (const [k, v] of Object.entries(fields)) expect(error?.[k], k).toEqual(v);
}

/** Random bytes drawn from a sampler, for garbage-input tests. */
export function randomBytesFrom(sampler: Sampler, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => sampler.int(256)));
}

/** Random bytes, deterministic per seed. */
export function randomBytes(seed: number, length: number): Buffer {
  return randomBytesFrom(new Sampler({ shapes: {} } as unknown as ServiceModel, { seed }), length);
}

/** Bodies a careless or hostile client might send instead of `body`: cut short, bytes
 * flipped, random bytes, and other JSON and XML documents. */
function mangledBodies(body: Buffer, seed: number): Buffer[] {
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

/** A seed per operation name, so each operation gets its own mangling. */
function seedOf(name: string): number {
  let h = 7;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return h;
}

/** How a request reaches the codec: the SDK client's config, and what the router does to the
 * request first (S3's bucket out of the path). */
export interface Delivery {
  clientConfig?: Record<string, unknown>;
  route?: (req: WireRequest) => WireRequest;
}

/** A codec under test against the SDK client of its model: each request delivered as the
 * router would, each response read as the SDK reads it. */
export class CodecHarness {
  constructor(
    readonly codec: ProtocolCodec,
    readonly model: ServiceModel,
    private readonly delivery: Delivery = {},
  ) {}

  /** The request the SDK sends for `input`, as the codec receives it. */
  async request(op: string, input: Struct): Promise<WireRequest> {
    const req = await captureRequest(this.model.id, op, input, this.delivery.clientConfig);
    return this.delivery.route ? this.delivery.route(req) : req;
  }

  /** The input the codec parses, streams read, from the request the SDK sends for `input`,
   * which must resolve to `op`. */
  async parsed(op: string, input: Struct, label: string): Promise<Struct> {
    const req = await this.request(op, input);
    expect(this.codec.resolveOperation(this.model, req), label).toBe(op);
    return readStreams(this.codec.parseInput(this.model, op, req));
  }

  /** Checks, for every variant, that the codec parses the request the SDK sends for a sampled
   * input of `op` back into that input. */
  async expectRequestRoundTrips(op: string): Promise<void> {
    const inputId = this.model.operations[op]!.input;
    for (const { label, sampler } of variants(this.model)) {
      const input = sampler.structure(inputId);
      const parsed = await this.parsed(op, input, label);
      expect(parsed, label).toEqual(expectedInput(this.model, inputId, input, parsed));
    }
  }

  /** Per variant, a sampled input and output of `op`, for the response round trips. */
  sampledCalls(op: string): (Variant & { input: Struct; output: Struct })[] {
    const { input, output } = this.model.operations[op]!;
    return variants(this.model).map(({ label, sampler }) => ({
      label,
      sampler,
      input: sampler.structure(input),
      output: sampler.structure(output),
    }));
  }

  /** What the SDK reads from a response it must take as a success: its output without its
   * $metadata, without the nulls it writes for absent payloads, with its blob payload adapters
   * (Uint8Array subclasses) as plain bytes, the events of `eventsMember` collected, and any
   * other stream read. */
  async readBack(op: string, input: Struct, res: WireResponse, label: string, eventsMember?: string) {
    const { output, error } = await deserializeResponse(
      this.model.id,
      op,
      input,
      res,
      this.delivery.clientConfig,
    );
    expect(error, label).toBeUndefined();
    const out: Struct = {};
    for (const [k, v] of Object.entries(output ?? {})) {
      if (k === '$metadata' || v === null) continue;
      out[k] = v instanceof Uint8Array ? new Uint8Array(v) : v;
    }
    if (eventsMember) out[eventsMember] = await collectEvents(out[eventsMember]);
    return readStreams(out);
  }

  /**
   * Checks that the modelled error `code`, written by the codec with sampled fields, reaches the
   * SDK (answering `call`, with the client's defaults) as itself: by name, message, the shape's
   * HTTP status (else 400) and fields, and by the context's request id when the codec writes
   * one. Returns the response.
   */
  async expectModelledError(
    code: string,
    ctx: ResponseContext,
    call: { op: string; input: Struct; writesRequestId?: boolean },
  ): Promise<WireResponse> {
    const { codec, model } = this;
    const fields = sampledErrorFields(model, code);
    const status = (model.shapes[code]?.traits?.httpError as number | undefined) ?? 400;
    const res = codec.serializeError(model, new AwsError(code, 'it went wrong', 400, { fields }), ctx);
    expect(res.status).toBe(status);
    const { error } = await deserializeResponse(model.id, call.op, call.input, res);
    const requestId = call.writesRequestId ? ctx.requestId : undefined;
    expectSdkError(error, { name: code, message: 'it went wrong', status, requestId }, fields);
    return res;
  }

  /** Checks that the codec parses each mangled copy of the body of the request the SDK sends
   * for `input`, or rejects it with `code` and a 400, and throws nothing else. */
  async expectMangledBodies(op: string, input: Struct, code: string): Promise<void> {
    const req = await this.request(op, input);
    for (const [i, body] of mangledBodies(req.body, seedOf(op)).entries()) {
      const outcome = awsErrorOutcome(() => this.codec.parseInput(this.model, op, { ...req, body }));
      if (outcome) expect(outcome, `body ${i}`).toEqual({ code, status: 400 });
    }
  }
}

/** The events of an SDK event stream, read to the end. */
async function collectEvents(stream: unknown): Promise<unknown[]> {
  const events: unknown[] = [];
  for await (const event of stream as AsyncIterable<unknown>) events.push(event);
  return events;
}
