import type { OperationRef } from '../suite/types.js';

/**
 * Request bodies that find data in the reference dataset (fixtures/reference/README.md), for the lines
 * `memconform serve` prints. The specs' own request examples name vendor users the dataset does not hold,
 * so pasting them would show only empty results.
 */
export const SAMPLE_REQUESTS: Readonly<Partial<Record<OperationRef, unknown>>> = {
  'memos.searchMemory': {
    user_id: 'memos_user_345',
    conversation_id: 'memos_conversation_789',
    query: "I'm going to Yunnan for National Day. Any food recommendations?",
  },
  'memos.getMemory': { user_id: 'memos_user_345', page: 1, size: 10 },
  'mem0.searchMemories': { query: 'vegetarian food', user_id: 'alex' },
  'memmachine.searchMemories': {
    query: 'budget debt index funds',
    filter: "metadata.user_id = 'u-123'",
    top_k: 5,
  },
};
