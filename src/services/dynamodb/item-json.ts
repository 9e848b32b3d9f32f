/**
 * The stored text of an item: its AttributeValue map as JSON, binary values in base64
 * (the only values JSON cannot carry as they are). That is the item's wire form too, since
 * numbers are normalized before they are stored: an item answered whole goes out as stored.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { RawJson } from '../../protocol/raw-json.js';

export type Item = Record<string, AttributeValue>;

const base64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

function fromBase64(text: string): Uint8Array {
  const buf = Buffer.from(text, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function hasBinary(v: AttributeValue): boolean {
  if (v.B !== undefined || v.BS !== undefined) return true;
  if (v.M !== undefined) {
    for (const k in v.M) if (hasBinary(v.M[k] as AttributeValue)) return true;
  } else if (v.L !== undefined) {
    for (const el of v.L) if (hasBinary(el)) return true;
  }
  return false;
}

/** The same value with bytes as base64 text (a copy only along the paths holding bytes). */
function textual(v: AttributeValue): unknown {
  if (v.B !== undefined) return { B: base64(v.B) };
  if (v.BS !== undefined) return { BS: v.BS.map(base64) };
  if (v.M !== undefined) {
    const out: Record<string, unknown> = Object.create(null);
    for (const k in v.M) out[k] = textual(v.M[k] as AttributeValue);
    return { M: out };
  }
  if (v.L !== undefined) return { L: v.L.map(textual) };
  return v;
}

export function encodeItem(item: Item): string {
  for (const name in item) {
    if (hasBinary(item[name] as AttributeValue)) {
      // no prototype: an attribute may be named __proto__
      const out: Record<string, unknown> = Object.create(null);
      for (const n in item) out[n] = textual(item[n] as AttributeValue);
      return JSON.stringify(out);
    }
  }
  return JSON.stringify(item);
}

function revive(v: Record<string, unknown>): void {
  if (typeof v.B === 'string') v.B = fromBase64(v.B);
  else if (Array.isArray(v.BS)) v.BS = (v.BS as string[]).map(fromBase64);
  else if (v.M !== undefined) {
    const m = v.M as Record<string, Record<string, unknown>>;
    for (const k in m) revive(m[k] as Record<string, unknown>);
  } else if (Array.isArray(v.L)) {
    for (const el of v.L) revive(el as Record<string, unknown>);
  }
}

export function decodeItem(text: string): Item {
  const item = JSON.parse(text) as Record<string, Record<string, unknown>>;
  // only items holding bytes need a walk; a false positive (an attribute named "B...") is harmless
  if (text.includes('"B')) for (const name in item) revive(item[name] as Record<string, unknown>);
  return item as unknown as Item;
}

/** An item for an output: its stored text as it is when answered whole (the codec writes it
 * unparsed; typed as an Item for the SDK's output types), else the projection of it. */
export function answerItem(text: string, project?: (item: Item) => Item): Item {
  return project ? project(decodeItem(text)) : (new RawJson(text) as unknown as Item);
}

/** An item of an output made readable again, if it was answered as stored. */
export function readable(item: Item): Item {
  return item instanceof RawJson ? decodeItem(item.text) : item;
}
