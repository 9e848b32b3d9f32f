/**
 * The service model format the protocol layer reads: a Smithy-like JSON written by
 * scripts/gen-models.ts from the official models that ship inside the AWS SDK v3 clients.
 * Models are loaded lazily, one service at a time, so start-up parses none of them.
 */
import { readFileSync } from 'node:fs';

export type ProtocolName = 'restXml' | 'restJson1' | 'awsJson1_0' | 'awsJson1_1' | 'awsQuery' | 'ec2Query';

/** Smithy traits as the SDK names them; only the ones a codec needs are listed. */
export interface Traits {
  httpLabel?: boolean;
  httpHeader?: string;
  httpQuery?: string;
  httpQueryParams?: boolean;
  httpPrefixHeaders?: string;
  httpPayload?: boolean;
  httpResponseCode?: boolean;
  hostLabel?: boolean;
  xmlName?: string;
  xmlFlattened?: boolean;
  xmlAttribute?: boolean;
  /** [prefix?, uri] pairs as the SDK keeps them; prefix may be absent */
  xmlNamespace?: string | string[];
  jsonName?: string;
  ec2QueryName?: string;
  timestampFormat?: 'date-time' | 'http-date' | 'epoch-seconds';
  idempotencyToken?: boolean;
  streaming?: boolean;
  eventStream?: boolean;
  mediaType?: string;
  /** error shapes: 'client' | 'server' */
  error?: 'client' | 'server';
  httpError?: number;
  /** awsQuery error code and status: [code, status] */
  awsQueryError?: [string, number];
  [trait: string]: unknown;
}

/** A structure member or a list/map element: the target shape and the member's traits. */
export interface MemberDef extends Traits {
  target: string;
}

export type ShapeDef =
  | { type: 'structure' | 'union'; members: Record<string, MemberDef>; required?: string[]; traits?: Traits }
  | { type: 'list'; member: MemberDef; traits?: Traits }
  | { type: 'map'; key: MemberDef; value: MemberDef; traits?: Traits }
  | {
      type: 'string' | 'number' | 'boolean' | 'timestamp' | 'blob' | 'document' | 'bigInteger' | 'bigDecimal';
      traits?: Traits;
    };

export interface OperationDef {
  input: string;
  output: string;
  /** REST protocols: method, URI template (labels `{Name}` and greedy `{Key+}`), success code */
  http?: { method: string; uri: string; code: number };
  hostPrefix?: string;
  httpChecksum?: unknown;
}

export interface ServiceModel {
  id: string;
  sdkId: string;
  protocol: ProtocolName;
  namespace: string;
  signingName: string;
  version: string;
  xmlNamespace?: string;
  /** awsJson: the X-Amz-Target prefix, e.g. DynamoDB_20120810 */
  targetPrefix?: string;
  /** awsJson services that also answer query-compatible error codes (SQS) */
  awsQueryCompatible?: boolean;
  operations: Record<string, OperationDef>;
  /** shapes by id; ids of anonymous shapes: string, number, boolean, timestamp, blob,
   * document, bigInteger, bigDecimal, unit, list<id>, map<id> */
  shapes: Record<string, ShapeDef>;
  /** ids of the service's error structures */
  errors: string[];
}

const cache = new Map<string, ServiceModel>();

/** The model of one service, read from models/<id>.json on first use. */
export function loadModel(id: string): ServiceModel {
  let model = cache.get(id);
  if (!model) {
    const file = new URL(`../../models/${id}.json`, import.meta.url);
    model = JSON.parse(readFileSync(file, 'utf8')) as ServiceModel;
    cache.set(id, model);
  }
  return model;
}

/** A shape by id; unit and unknown ids are an empty structure. */
export function shapeOf(model: ServiceModel, id: string): ShapeDef {
  return model.shapes[id] ?? { type: 'structure', members: {} };
}

/** One value per model and shape id, made on first use: what a codec compiles from a shape
 * once rather than per request. */
export function perShape<T>(
  make: (model: ServiceModel, shapeId: string) => T,
): (model: ServiceModel, shapeId: string) => T {
  const cache = new WeakMap<ServiceModel, Map<string, T>>();
  return (model, shapeId) => {
    let byShape = cache.get(model);
    if (!byShape) {
      byShape = new Map();
      cache.set(model, byShape);
    }
    let value = byShape.get(shapeId);
    if (value === undefined) {
      value = make(model, shapeId);
      byShape.set(shapeId, value);
    }
    return value;
  };
}
