/**
 * Relevance for the reference implementation: Okapi BM25 over lowercase word tokens, squashed into 0..1.
 *
 * Real services rank with embeddings; a lexical scorer is enough for a reference because the contracts only
 * say that scores lie in a range, that lists are ordered by them and that thresholds cut them
 * (M-API, M-SRCH, Z-CRIT, MM-LTM in docs/sources.md). It is deterministic, so equal requests
 * get equal answers.
 */

/** One document to index: a stable id and the text searched. */
export interface ScoredDocument {
  readonly id: string;
  readonly text: string;
}

/** BM25 term-frequency saturation. */
const K1 = 1.2;
/** BM25 length normalisation. */
const B = 0.75;
/**
 * Squashing constant: a raw score s becomes s / (s + SQUASH). With it one rare query word matched in a
 * short memory lands near 0.5 and two land near 0.7, so MemOS's default relativity of 0.45 keeps focused
 * matches and drops memories that share only a common word.
 */
const SQUASH = 3;

/** Words too common to carry meaning; dropping them keeps "I'm going to …" from matching everything. */
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a an and any are as at be but by can did do does for from had has have he her his how i i'm if in into " +
    'is it its me my no not of on or our she so than that the their them then there they this to was we ' +
    'what when where which who why will with would you your user users'
  ).split(' '),
);

/**
 * Lowercase word tokens with stop words removed and a light plural stem ("dishes" -> "dish",
 * "memories" -> "memory"), so singular and plural forms of a word match.
 */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  return words.filter((word) => !STOP_WORDS.has(word)).map(stem);
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) {
    return word.slice(0, -1);
  }
  return word;
}

interface IndexedDocument {
  readonly termCounts: ReadonlyMap<string, number>;
  readonly length: number;
}

/**
 * A BM25 index over a set of documents that can grow and shrink: the reference's write endpoints add and
 * delete memories, and what was added must be found by the next search.
 */
export class RelevanceIndex {
  private readonly documents = new Map<string, IndexedDocument>();
  private readonly documentFrequency = new Map<string, number>();
  private totalLength = 0;

  constructor(documents: readonly ScoredDocument[] = []) {
    for (const document of documents) this.add(document);
  }

  /** Indexes one document (replacing an earlier one with the same id). */
  add({ id, text }: ScoredDocument): void {
    this.remove(id);
    const tokens = tokenize(text);
    const termCounts = new Map<string, number>();
    for (const token of tokens) termCounts.set(token, (termCounts.get(token) ?? 0) + 1);
    for (const term of termCounts.keys()) {
      this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    this.documents.set(id, { termCounts, length: tokens.length });
    this.totalLength += tokens.length;
  }

  /** Forgets one document; unknown ids are ignored. */
  remove(id: string): void {
    const document = this.documents.get(id);
    if (document === undefined) return;
    for (const term of document.termCounts.keys()) {
      const left = (this.documentFrequency.get(term) ?? 1) - 1;
      if (left > 0) this.documentFrequency.set(term, left);
      else this.documentFrequency.delete(term);
    }
    this.documents.delete(id);
    this.totalLength -= document.length;
  }

  /**
   * Relevance of every indexed document to `query`, in 0..1 (0 = no query word occurs). Unknown ids score 0.
   * Query words count once each, so repeating a word does not inflate a score.
   */
  scorer(query: string): (id: string) => number {
    const terms = [...new Set(tokenize(query))];
    const total = this.documents.size;
    const averageLength = total > 0 ? this.totalLength / total : 0;
    const weights = terms.map((term) => {
      const frequency = this.documentFrequency.get(term) ?? 0;
      return { term, idf: Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5)) };
    });
    return (id) => {
      const document = this.documents.get(id);
      if (document === undefined || terms.length === 0) return 0;
      let raw = 0;
      for (const { term, idf } of weights) {
        const count = document.termCounts.get(term) ?? 0;
        if (count === 0) continue;
        const lengthRatio = averageLength > 0 ? document.length / averageLength : 1;
        raw += (idf * (count * (K1 + 1))) / (count + K1 * (1 - B + B * lengthRatio));
      }
      // Rounded so JSON answers stay short and identical across platforms.
      return raw > 0 ? Math.round((raw / (raw + SQUASH)) * 1e6) / 1e6 : 0;
    };
  }
}
