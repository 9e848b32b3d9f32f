/**
 * Output event streams in the REST round-trip tests: the member that carries one, and sampled
 * events to write into it.
 */
import type { ServiceModel } from '../../src/protocol/model.js';
import { membersOf } from './round-trip.js';
import type { Sampler } from './samples.js';

/** The output member that carries an event stream (a streaming union payload), if any. */
function eventStreamMember(model: ServiceModel, shapeId: string): [string, string] | undefined {
  for (const [name, m] of Object.entries(membersOf(model, shapeId))) {
    const target = model.shapes[m.target];
    if (m.httpPayload && target?.type === 'union' && target.traits?.streaming) return [name, m.target];
  }
  return undefined;
}

/** One event of each kind the stream's union names, sampled. An event's payload member is
 * always set: a message always has a body, which reads back as an empty payload. */
function sampleEvents(model: ServiceModel, sampler: Sampler, unionId: string): Record<string, unknown>[] {
  return Object.entries(membersOf(model, unionId)).map(([name, m]) => {
    const event = sampler.structure(m.target);
    for (const [member, def] of Object.entries(membersOf(model, m.target))) {
      if (def.eventPayload && event[member] === undefined) event[member] = sampler.value(def, 1);
    }
    return { [name]: event };
  });
}

/** Sets the output's event stream member, if its shape has one, to sampled events; returns
 * the member's name. */
export function withSampledEvents(
  model: ServiceModel,
  sampler: Sampler,
  shapeId: string,
  output: Record<string, unknown>,
): string | undefined {
  const events = eventStreamMember(model, shapeId);
  if (events) output[events[0]] = sampleEvents(model, sampler, events[1]);
  return events?.[0];
}
