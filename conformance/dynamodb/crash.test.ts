/**
 * A crash in the middle of transactions: the real server (the CLI, as a child process, on a
 * data directory) takes many concurrent TransactWriteItems, each writing a batch of items
 * under one marker, and is SIGKILLed while they are in flight. Restarted on the same
 * directory, every marker's items are all there or none are (in the table, its index and its
 * item count alike), and every transaction that was acknowledged is there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { WireRequest } from '../../src/protocol/wire.js';
import { reusableSdkClient } from '../../test/protocol/sdk-harness.js';
import { TEST_CREDENTIALS } from '../harness.js';
import { createTable } from './setup.js';

const CLI = ['--import', 'tsx', join(import.meta.dirname, '../../src/cli.ts')];
const TABLE = 'crash';
const ITEMS_PER_TRANSACTION = 100;
const TRANSACTIONS = 100;
const ROUNDS = 2;
const WRITERS = 16;
/** acknowledged transactions before the kill: the server is busy with the next ones then */
const KILL_AFTER = 40;
const PAYLOAD = 'x'.repeat(100);

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | null>;
}

function startServer(dir: string): Promise<Server> {
  const child = spawn(process.execPath, [...CLI, '--port', '0', '--data-dir', dir, '--log-level', 'warn']);
  children.push(child);
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_, signal) => resolve(signal)),
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] as string, exited });
    });
    child.on('exit', () => reject(new Error(`server exited before ready: ${err}`)));
  });
}

const clientFor = (url: string) =>
  new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });

function transactionInput(marker: string) {
  return {
    TransactItems: Array.from({ length: ITEMS_PER_TRANSACTION }, (_, i) => ({
      Put: {
        TableName: TABLE,
        Item: {
          pk: { S: marker },
          sk: { N: String(i) },
          marker: { S: marker },
          payload: { S: PAYLOAD },
        },
      },
    })),
  };
}

/** The transactions as the SDK sends them, built before the load: replayed over plain HTTP,
 * they keep the server busy, not the client, so the kill finds the server mid-write. */
async function transactionRequests(url: string, prefix: string): Promise<[string, WireRequest][]> {
  const sdk = reusableSdkClient('dynamodb', { endpoint: url });
  const out: [string, WireRequest][] = [];
  for (let n = 0; n < TRANSACTIONS; n++) {
    const marker = `${prefix}t${n}`;
    out.push([marker, await sdk.captureRequest('TransactWriteItems', transactionInput(marker))]);
  }
  return out;
}

function send(url: URL, agent: Agent, req: WireRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers, agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** SIGKILLs the server the moment its write-ahead log is seen changing: in the middle of
 * writing, which is where a transaction split into several commits would be caught half done. */
function killMidWrite(server: Server, wal: string): void {
  const stamp = () => statSync(wal, { bigint: true, throwIfNoEntry: false })?.mtimeNs;
  const before = stamp();
  const poll = () => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    if (stamp() !== before) server.child.kill('SIGKILL');
    else setImmediate(poll);
  };
  poll();
}

/** Writers send the transactions back to back until the server dies under them, killed
 * mid-write once KILL_AFTER of them were acknowledged. */
async function writeUntilKilled(server: Server, wal: string, requests: [string, WireRequest][]) {
  const url = new URL(server.url);
  const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });
  const sent: string[] = [];
  const acknowledged = new Set<string>();
  let next = 0;
  const writer = async () => {
    while (next < requests.length) {
      const [marker, req] = requests[next++] as [string, WireRequest];
      sent.push(marker);
      const status = await send(url, agent, req).catch(() => 0);
      if (status === 0) return; // the server is gone
      expect(status, `status of ${marker}`).toBe(200);
      acknowledged.add(marker);
      if (acknowledged.size === KILL_AFTER) killMidWrite(server, wal);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  agent.destroy();
  // every transaction acknowledged: the kill found no write in progress, and the test fails
  server.child.kill('SIGKILL');
  return { sent, acknowledged };
}

async function countOf(ddb: DynamoDBClient, marker: string, index?: string): Promise<number> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: index,
      KeyConditionExpression: index ? 'marker = :m' : 'pk = :m',
      ExpressionAttributeValues: { ':m': { S: marker } },
      Select: 'COUNT',
    }),
  );
  return out.Count ?? -1;
}

/** How many items of each transaction are stored; the index holds exactly as many. */
async function storedCounts(url: string, markers: string[]): Promise<Map<string, number>> {
  const ddb = clientFor(url);
  const counts = new Map<string, number>();
  try {
    for (const marker of markers) {
      const inTable = await countOf(ddb, marker);
      expect(await countOf(ddb, marker, 'by-marker'), `index entries of ${marker}`).toBe(inTable);
      counts.set(marker, inTable);
    }
  } finally {
    ddb.destroy();
  }
  return counts;
}

async function itemCount(url: string): Promise<number | undefined> {
  const ddb = clientFor(url);
  const { Table } = await ddb.send(new DescribeTableCommand({ TableName: TABLE }));
  ddb.destroy();
  return Table?.ItemCount;
}

describe('a crash during transactions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'localaws-crash-'));
  const wal = join(dir, 'localaws.db-wal');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves each transaction whole or absent, and every acknowledged one whole', async () => {
    let server = await startServer(dir);
    const setup = clientFor(server.url);
    await createTable(setup, {
      name: TABLE,
      attributes: { pk: 'S', sk: 'N', marker: 'S' },
      key: ['pk', 'sk'],
      gsis: [{ name: 'by-marker', key: ['marker', 'sk'] }],
    });
    setup.destroy();
    let total = 0;
    try {
      // each round is one more chance for the kill to land inside a transaction
      for (let round = 0; round < ROUNDS; round++) {
        const requests = await transactionRequests(server.url, `r${round}-`);
        const { sent, acknowledged } = await writeUntilKilled(server, wal, requests);
        expect(await server.exited).toBe('SIGKILL');
        // the kill caught transactions in flight, or it proved nothing
        expect(sent.length).toBeGreaterThan(acknowledged.size);

        server = await startServer(dir);
        for (const [marker, n] of await storedCounts(server.url, sent)) {
          expect([0, ITEMS_PER_TRANSACTION], `items of ${marker}`).toContain(n);
          if (acknowledged.has(marker)) expect(n, `acknowledged ${marker}`).toBe(ITEMS_PER_TRANSACTION);
          total += n;
        }
        expect(await itemCount(server.url)).toBe(total);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 90_000);
});
