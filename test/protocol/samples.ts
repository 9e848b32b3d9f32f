/**
 * Values generated from a model's shapes, typed as the SDK's inputs and outputs are
 * (Date for timestamps, Uint8Array for blobs), for the protocol round-trip tests.
 * Deterministic: the same seed gives the same values, so a failure reproduces.
 */
import type { MemberDef, ServiceModel } from '../../src/protocol/model.js';

/** Strings that break naive codecs: XML and URL specials, unicode, whitespace. */
const TRICKY = [
  'plain',
  'a&b<c>"d\'e',
  'ünïcödé ✓ 日本語 🚀',
  'with space and+plus',
  '100%25 encoded?x=y#frag',
  '  padded  ',
  'line\nbreak\ttab',
  'slash/and\\backslash',
];
/** Header values must be visible ASCII with no padding. */
const HEADER_SAFE = ['plain', 'a-b_c.d', 'abc123', 'text/plain;charset=utf-8', 'X=Y'];
/** Label values: non-empty; greedy labels may hold slashes. */
const LABEL_SAFE = ['lbl', 'a-b.c', 'name%20x', 'ünï', 'with space'];

export interface SampleOptions {
  seed?: number;
  /** how deep recursive shapes go before they stop */
  maxDepth?: number;
  /** leave out every optional member with this probability (0 keeps all) */
  omitRate?: number;
}

export class Sampler {
  private state: number;
  private readonly maxDepth: number;
  private readonly omitRate: number;

  constructor(
    private readonly model: ServiceModel,
    opts: SampleOptions = {},
  ) {
    this.state = opts.seed ?? 1;
    this.maxDepth = opts.maxDepth ?? 4;
    this.omitRate = opts.omitRate ?? 0;
  }

  /** A deterministic pseudo-random integer in [0, n). */
  int(n: number): number {
    // mulberry32: the low bits of a plain LCG repeat too soon to vary the picks
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A value for a structure shape: every member (save omitted optional ones). */
  structure(shapeId: string, depth = 0): Record<string, unknown> {
    const shape = this.model.shapes[shapeId];
    if (!shape || (shape.type !== 'structure' && shape.type !== 'union')) return {};
    const out: Record<string, unknown> = {};
    const names = Object.keys(shape.members);
    if (shape.type === 'union') {
      const name = this.pick(names);
      out[name] = this.value(shape.members[name] as MemberDef, depth + 1);
      return out;
    }
    const required = new Set(shape.required ?? []);
    for (const name of names) {
      const member = shape.members[name] as MemberDef;
      if (!required.has(name) && this.int(1000) < this.omitRate * 1000) continue;
      if (depth >= this.maxDepth && !required.has(name) && this.isContainer(member.target)) continue;
      const v = this.value(member, depth + 1);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }

  private isContainer(id: string): boolean {
    const t = this.model.shapes[id]?.type;
    return t === 'structure' || t === 'union' || t === 'list' || t === 'map';
  }

  /** A value for one member, shaped by where it is bound (header, label, body). */
  value(member: MemberDef, depth: number): unknown {
    const shape = this.model.shapes[member.target];
    const type = shape?.type ?? member.target;
    const inHeader = member.httpHeader !== undefined || member.httpPrefixHeaders !== undefined;
    switch (type) {
      case 'string':
        if (member.httpLabel) return this.pick(LABEL_SAFE);
        if (inHeader) return this.pick(HEADER_SAFE);
        return this.pick(TRICKY);
      case 'number':
        return this.pick([0, 1, 42, -7, 123456789, 2.5]);
      case 'bigInteger':
      case 'bigDecimal':
        return this.pick([1, 99]);
      case 'boolean':
        return this.int(2) === 0;
      case 'timestamp':
        // whole seconds: http-date carries no milliseconds
        return new Date(
          Date.UTC(
            2020 + this.int(6),
            this.int(12),
            1 + this.int(28),
            this.int(24),
            this.int(60),
            this.int(60),
          ),
        );
      case 'blob':
        if (shape?.traits?.streaming || member.streaming) return undefined;
        return new Uint8Array([0, 1, 2, 250, 255, this.int(256)]);
      case 'document':
        return { a: 1, b: ['x', true, null], c: { d: 'e' } };
      case 'list': {
        if (shape?.type !== 'list') return [];
        const n = depth >= this.maxDepth ? 0 : 1 + this.int(2);
        const items: unknown[] = [];
        for (let i = 0; i < n; i++) {
          const v = this.value({ ...shape.member, ...(inHeader ? { httpHeader: 'x' } : {}) }, depth + 1);
          if (v !== undefined) items.push(v);
        }
        return items;
      }
      case 'map': {
        if (shape?.type !== 'map') return {};
        const n = depth >= this.maxDepth ? 0 : 1 + this.int(2);
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const key = inHeader
            ? `k${i}${this.int(100)}`
            : `${this.pick(['key', 'Key.With.Dots', 'ключ'])}${i}`;
          const v = this.value({ ...shape.value, ...(inHeader ? { httpHeader: 'x' } : {}) }, depth + 1);
          if (v !== undefined) out[key] = v;
        }
        return out;
      }
      case 'structure':
      case 'union':
        return this.structure(member.target, depth);
      default:
        return undefined;
    }
  }
}
