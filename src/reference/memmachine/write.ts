import { BodyReader } from '../body-reader.js';
import type { MemMachineEpisode, MemMachineFeature, MemMachineProject, Scalar } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';
import type { Reply } from '../http/types.js';
import { readMessages } from '../messages.js';
import { isoWithOffset, newId } from '../time.js';
import { deletesLand, writesSearchable } from '../writes.js';
import { type Deployment, memMachineError, memMachineValidationReply, projectNotFound } from './errors.js';
import { readScope } from './request.js';
import type { MemMachineStore } from './store.js';

/**
 * The MemMachine write endpoints (MM-PLAT, MM-OSS): POST /v2/memories, /v2/memories/episodic/delete,
 * /v2/memories/semantic/delete, /v2/projects and /v2/projects/delete.
 *
 * Each added message becomes an episode (MM-EPI: it enters its session's short-term memory and long-term
 * memory). Extraction stand-in: the server derives semantic features from messages with a model; the
 * reference turns every message not sent by an assistant or system into one `profile` feature whose value is
 * the message text, citing its episode, with the message metadata as `metadata.other` and `user:<user_id>`
 * as its set when the metadata names a user.
 */

/** POST /v2/memories. */
export function addMemories(
  store: MemMachineStore,
  deployment: Deployment,
  body: unknown,
  faults: FaultSwitches,
): Reply {
  const reader = new BodyReader(body, faults);
  const scope = readScope(reader, deployment);
  const messages = readMessages(reader, { roleRequired: false });
  const types = reader.stringArray('types', { choices: ['episodic', 'semantic'] });
  const now = Date.now();
  const episodes = messages.map((message, index) => {
    const at = `messages.${index}`;
    const { producer, produced_for, timestamp, metadata, episode_type } = message.extra;
    for (const [field, value] of [
      ['producer', producer],
      ['produced_for', produced_for],
    ] as const) {
      if (value !== undefined && typeof value !== 'string')
        reader.report({ field: `${at}.${field}`, kind: 'type', expected: 'string' });
    }
    const created = timestamp === undefined || timestamp === null ? now + index : parseTimestamp(timestamp);
    if (created === undefined)
      reader.report({
        field: `${at}.timestamp`,
        kind: 'invalid',
        detail: 'Input should be a valid datetime',
      });
    const meta: Record<string, Scalar> = {};
    if (metadata !== undefined && metadata !== null) {
      if (typeof metadata !== 'object' || Array.isArray(metadata))
        reader.report({ field: `${at}.metadata`, kind: 'type', expected: 'object' });
      else
        for (const [key, value] of Object.entries(metadata)) {
          if (typeof value === 'string') meta[key] = value;
          else reader.report({ field: `${at}.metadata.${key}`, kind: 'type', expected: 'string' });
        }
    }
    if (episode_type !== undefined && episode_type !== null && episode_type !== 'message')
      reader.report({ field: `${at}.episode_type`, kind: 'invalid', detail: "Input should be 'message'" });
    const ms = created ?? now;
    return {
      uid: newId(),
      content: message.content,
      producer_id: typeof producer === 'string' ? producer : 'user',
      producer_role: message.role,
      ...(typeof produced_for === 'string' && produced_for !== '' ? { produced_for_id: produced_for } : {}),
      episode_type: 'message',
      created_at: isoWithOffset(ms),
      created_ms: ms,
      metadata: meta,
      short_term: true,
    } satisfies MemMachineEpisode;
  });
  const problems = reader.finish();
  if (problems.length > 0) return memMachineValidationReply(deployment, problems);
  const project = store.findProject(deployment, scope.orgId, scope.projectId);
  if (project === undefined) return projectNotFound(deployment, scope);

  const wanted = types === undefined || types.length === 0 ? ['episodic', 'semantic'] : types;
  for (const episode of episodes) {
    if (wanted.includes('episodic')) store.addEpisode(project, episode, writesSearchable(faults));
    if (
      wanted.includes('semantic') &&
      episode.producer_role !== 'assistant' &&
      episode.producer_role !== 'system'
    )
      store.addFeature(project, featureOf(episode));
  }
  return { status: 200, body: { results: episodes.map((episode) => ({ uid: episode.uid })) } };
}

function featureOf(episode: MemMachineEpisode): MemMachineFeature {
  const user = episode.metadata.user_id;
  return {
    category: 'profile',
    tag: typeof episode.metadata.topic === 'string' ? episode.metadata.topic : 'general',
    feature_name: 'statement',
    value: episode.content,
    ...(typeof user === 'string' ? { set_id: `user:${user}` } : {}),
    metadata: { citations: [episode.uid], id: newId(), other: { ...episode.metadata } },
  };
}

/** ISO 8601, or epoch seconds or milliseconds as text (MM-PLAT MemoryMessage.timestamp); else undefined. */
function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    return n < 1e11 ? n * 1000 : n;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The ids of a delete body: the list field, or the OSS server's single-id field. */
function readIds(reader: BodyReader, list: string, single: string): string[] {
  const ids = reader.stringArray(list) ?? [];
  const one = reader.string(single);
  if (one !== undefined && one !== '') ids.push(one);
  if (ids.length === 0) reader.report({ field: list, kind: 'too-short', min: 1 });
  return ids;
}

/** POST /v2/memories/{episodic|semantic}/delete: 204, or 404 naming ids the project does not hold. */
export function deleteMemories(
  store: MemMachineStore,
  deployment: Deployment,
  kind: 'episodic' | 'semantic',
  body: unknown,
  faults: FaultSwitches,
): Reply {
  const reader = new BodyReader(body, faults);
  const scope = readScope(reader, deployment);
  const ids = readIds(reader, `${kind}_ids`, `${kind}_id`);
  const problems = reader.finish();
  if (problems.length > 0) return memMachineValidationReply(deployment, problems);
  const project = store.findProject(deployment, scope.orgId, scope.projectId);
  if (project === undefined) return projectNotFound(deployment, scope);
  const apply = deletesLand(faults);
  const missing =
    kind === 'episodic'
      ? store.deleteEpisodes(project, ids, apply)
      : store.deleteFeatures(project, ids, apply);
  if (missing.length > 0) {
    const what = kind === 'episodic' ? 'Episode' : 'Semantic feature';
    return memMachineError(
      deployment,
      404,
      `${what} not found`,
      'ResourceNotFoundError',
      `${what} not found: ${missing.join(', ')}`,
    );
  }
  return { status: 204, body: undefined };
}

/** POST /v2/projects: 201 with the project, 409 when it exists. */
export function createProject(
  store: MemMachineStore,
  deployment: Deployment,
  body: unknown,
  faults: FaultSwitches,
): Reply {
  const reader = new BodyReader(body, faults);
  // Self-hosted: both ids are required here (MM-OSS CreateProjectSpec), unlike the other bodies.
  if (deployment === 'self-hosted') {
    for (const field of ['org_id', 'project_id']) {
      const raw = reader.raw(field);
      if (raw === undefined || raw === null) reader.report({ field, kind: 'required' });
    }
  }
  const scope = readScope(reader, deployment);
  const description = reader.string('description');
  const config = reader.object('config');
  const problems = reader.finish();
  if (problems.length > 0) return memMachineValidationReply(deployment, problems);
  const project = store.createProject(deployment, scope.orgId ?? '', scope.projectId);
  if (project === undefined) {
    return memMachineError(deployment, 409, 'Project already exists', 'ResourceAlreadyExistsError');
  }
  return {
    status: 201,
    body: {
      org_id: project.org_id,
      project_id: project.project_id,
      description: description ?? '',
      config: { embedder: '', reranker: '', ...config },
    },
  };
}

/** POST /v2/projects/delete: 204, 404 for an unknown project. */
export function deleteProject(
  store: MemMachineStore,
  deployment: Deployment,
  body: unknown,
  faults: FaultSwitches,
): Reply {
  const reader = new BodyReader(body, faults);
  const scope = readScope(reader, deployment);
  const problems = reader.finish();
  if (problems.length > 0) return memMachineValidationReply(deployment, problems);
  const project: MemMachineProject | undefined = store.findProject(deployment, scope.orgId, scope.projectId);
  if (project === undefined) return projectNotFound(deployment, scope);
  if (deletesLand(faults)) store.deleteProject(project);
  return { status: 204, body: undefined };
}
