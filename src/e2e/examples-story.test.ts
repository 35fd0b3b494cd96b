/**
 * One story across the specs' examples, the mock and the reference: every request example of every search or
 * get operation finds data on `memconform serve` (so pasting an example, or pointing an SDK at serve with the users the mock shows,
 * never meets an empty answer), and every user the mock's success examples name holds data in the reference
 * dataset. The mock serves those examples, so what a front-end built against the mock shows exists on serve.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_NAMES, type ApiName } from '../apis.js';
import { isSuccess, resultLists } from '../checks/results.js';
import { isRecord, type JsonObject } from '../json.js';
import { packageRoot } from '../package.js';
import { loadReferenceDataset, type ReferenceDataset } from '../reference/dataset.js';
import { DEFAULT_REFERENCE_TOKEN, type RunningReference, startReferenceServer } from '../reference/index.js';
import { readSpecDocument } from '../spec/document.js';
import { makeExchange } from '../testing/context.js';

interface ExampleRequest {
  readonly api: ApiName;
  readonly operationId: string;
  readonly path: string;
  readonly name: string;
  /** `x-memconform-flavour` of the example (MemMachine self-hosted examples), else hosted. */
  readonly flavour: 'hosted' | 'self-hosted';
  readonly body: unknown;
}

interface SuccessExample {
  readonly api: ApiName;
  readonly where: string;
  readonly body: unknown;
}

function examplesOf(media: unknown): [string, JsonObject][] {
  const examples = isRecord(media) && isRecord(media.examples) ? media.examples : {};
  return Object.entries(examples).filter((entry): entry is [string, JsonObject] => isRecord(entry[1]));
}

/** Every request example and every 2xx response example of the three specs. */
function collectExamples(): { requests: ExampleRequest[]; successes: SuccessExample[] } {
  const requests: ExampleRequest[] = [];
  const successes: SuccessExample[] = [];
  for (const api of API_NAMES) {
    const doc = readSpecDocument(api, packageRoot());
    for (const [path, item] of Object.entries(isRecord(doc.paths) ? doc.paths : {})) {
      for (const operation of Object.values(isRecord(item) ? item : {})) {
        if (!isRecord(operation) || typeof operation.operationId !== 'string') continue;
        const operationId = operation.operationId;
        const body = isRecord(operation.requestBody) ? operation.requestBody.content : undefined;
        for (const [name, example] of examplesOf(isRecord(body) ? body['application/json'] : undefined)) {
          const flavour = example['x-memconform-flavour'] === 'self-hosted' ? 'self-hosted' : 'hosted';
          requests.push({ api, operationId, path, name, flavour, body: example.value });
        }
        for (const [status, response] of Object.entries(
          isRecord(operation.responses) ? operation.responses : {},
        )) {
          if (!/^2\d\d$/.test(status) || !isRecord(response) || !isRecord(response.content)) continue;
          for (const [name, example] of examplesOf(response.content['application/json'])) {
            successes.push({ api, where: `${api} ${operationId} ${status} ${name}`, body: example.value });
          }
        }
      }
    }
  }
  return { requests, successes };
}

/** The users each API's dataset holds data for. */
function datasetUsers(dataset: ReferenceDataset): Record<ApiName, Set<string>> {
  const memmachine = new Set<string>();
  for (const set of Object.values(dataset.memmachine.memory_sets)) {
    for (const episode of set.episodes) {
      const user = episode.metadata.user_id;
      if (typeof user === 'string') memmachine.add(user);
    }
  }
  return {
    memos: new Set(dataset.memos.users.map((user) => user.user_id)),
    mem0: new Set(dataset.mem0.memories.flatMap((memory) => (memory.user_id ? [memory.user_id] : []))),
    memmachine,
  };
}

/** The users a success example names: Mem0 item `user_id`, MemMachine episode `metadata.user_id`. */
function usersNamed(api: ApiName, body: unknown): string[] {
  return resultLists(api, body).flatMap((list) =>
    list.items.flatMap((item) => {
      const owner =
        api === 'memmachine' && isRecord(item.value.metadata)
          ? item.value.metadata.user_id
          : item.value.user_id;
      return typeof owner === 'string' ? [owner] : [];
    }),
  );
}

const { requests, successes } = collectExamples();
let reference: RunningReference;
let users: Record<ApiName, Set<string>>;
beforeAll(async () => {
  reference = await startReferenceServer();
  users = datasetUsers(await loadReferenceDataset());
});
afterAll(() => reference.close());

function targetOf(request: ExampleRequest): { url: string; authorization?: string } {
  const { targets } = reference;
  if (request.api === 'memos')
    return { url: targets.memos, authorization: `Token ${DEFAULT_REFERENCE_TOKEN}` };
  if (request.api === 'mem0') return { url: targets.mem0, authorization: `Token ${DEFAULT_REFERENCE_TOKEN}` };
  return request.flavour === 'self-hosted'
    ? { url: targets.memmachineSelfHosted }
    : { url: targets.memmachine, authorization: `Bearer ${DEFAULT_REFERENCE_TOKEN}` };
}

/**
 * The operations that read memories. Only their examples can "find data"; the write and delete examples
 * (add, delete, projects) change the store and are checked against the specs in src/reference/writes.test.ts.
 */
const READ_OPERATIONS = [
  'memos.searchMemory',
  'memos.getMemory',
  'mem0.searchMemories',
  'mem0.searchMemoriesV2',
  'mem0.searchMemoriesV3',
  'memmachine.searchMemories',
];
const reads = requests.filter((request) => READ_OPERATIONS.includes(`${request.api}.${request.operationId}`));

describe('the specs tell one story with the reference dataset', () => {
  it('has request examples for every search operation', () => {
    const covered = new Set(reads.map((request) => `${request.api}.${request.operationId}`));
    for (const operation of READ_OPERATIONS) expect(covered).toContain(operation);
  });

  it.each(
    reads.map((request) => [`${request.api} ${request.operationId} ${request.name}`, request] as const),
  )('the request example %s finds data on serve', async (_name, request) => {
    const { url, authorization } = targetOf(request);
    const response = await fetch(`${url}${request.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(request.body),
    });
    const text = await response.text();
    const exchange = makeExchange({
      status: response.status,
      responseText: text,
      response: JSON.parse(text),
    });
    expect(isSuccess(request.api, exchange), text).toBe(true);
    const found = resultLists(request.api, exchange.response?.json).reduce(
      (n, list) => n + list.items.length,
      0,
    );
    expect(found, `no memory in ${text.slice(0, 300)}`).toBeGreaterThan(0);
  });

  it('names only users of the reference dataset in the success examples the mock serves', () => {
    const strangers = successes.flatMap((example) =>
      usersNamed(example.api, example.body)
        .filter((user) => !users[example.api].has(user))
        .map((user) => `${example.where}: ${user}`),
    );
    expect(strangers).toEqual([]);
  });
});
