/**
 * What the garbage-input suites share: the status an SDK call ends with, and a query-protocol
 * form body mutated and posted on the wire.
 */
import type { Sampler } from '../test/protocol/samples.js';

interface Sender {
  send(command: never): Promise<unknown>;
}

/** 200 when the SDK call succeeds, else the error's HTTP status (0: the server never answered). */
export function sdkStatus(client: Sender, sdk: object, operation: string, input: unknown): Promise<number> {
  const Command = (sdk as Record<string, new (input: unknown) => never>)[`${operation}Command`];
  return client.send(new (Command as new (input: unknown) => never)(input)).then(
    () => 200,
    (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode ?? 0,
  );
}

/**
 * A form body with one parameter dropped, given a garbage value or oddly indexed, or every
 * parameter given garbage; with `addable`, sometimes one of those parameters added.
 */
export function mutateForm(
  body: string,
  sampler: Sampler,
  garbage: readonly string[],
  addable: readonly string[] = [],
): string {
  const form = new URLSearchParams(body);
  const keys = [...form.keys()].filter((k) => k !== 'Action' && k !== 'Version');
  const key = keys.length > 0 ? sampler.pick(keys) : 'Unknown';
  const choice = sampler.int(addable.length > 0 ? 5 : 4);
  if (choice === 0) form.delete(key);
  else if (choice === 1) form.set(key, sampler.pick(garbage));
  else if (choice === 2) {
    // a list member at an index no client sends, or the same member twice
    form.append(key.replace(/\.\d+/, `.${sampler.pick(['0', '-1', '999999', 'x'])}`), sampler.pick(garbage));
  } else if (choice === 3 && addable.length > 0) form.append(sampler.pick(addable), sampler.pick(garbage));
  else for (const k of keys) if (sampler.int(2) === 0) form.set(k, sampler.pick(garbage));
  return form.toString();
}

/**
 * Posts `times` mutations of a query-protocol form body to `url`; returns how many were
 * answered and a line for each answered with a 5xx.
 */
export async function postMutatedForms(
  url: string,
  body: string,
  times: number,
  mutate: (body: string) => string,
): Promise<{ answered: number; failures: string[] }> {
  const failures: string[] = [];
  for (let m = 0; m < times; m++) {
    const form = mutate(body);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: form,
    });
    const text = await res.text();
    if (res.status >= 500) failures.push(`${res.status} ${text} for ${form}`);
  }
  return { answered: times, failures };
}
