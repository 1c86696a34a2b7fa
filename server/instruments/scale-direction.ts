// Which way an imported scale runs. Other tools store whatever code a column has; we store 1 for the most
// negative point and N for the most positive, so "% agree", means and indices mean the same on every
// instrument. The direction is read from the labels (in any of kk/ru/en) and from the values, and when
// the two disagree the labels win: they are what respondents read. When neither tells, the import asks.

/** Words that mark the negative end of a scale. Checked before the positive ones ("disagree" holds "agree"). */
const NEGATIVE = [
  /disagree|dissatisf|unsatisf|\bpoor|\bbad\b|terrible|\bnever\b|\brarely\b|not at all|unlikely|\bworst|useless|very low|\blow\b|\bweak/i,
  /не\s*соглас|несоглас|не\s*удовлетвор|неудовлетвор|плох|никогда|редко|совсем\s+не|маловероят|худш|бесполез|низк|слаб/i,
  /келіспе|қанағаттанба|нашар|ешқашан|сирек|мүлдем|жаман|төмен|әлсіз|ықтимал\s+емес|пайдасыз/i,
];
const POSITIVE = [
  /\bagree|satisf|excellent|very good|\bgood\b|\bwell\b|\balways\b|\boften\b|\busually\b|likely|\bbest\b|useful|\bhigh\b|\bstrong/i,
  /соглас|удовлетвор|отлично|хорош|всегда|часто|обычно|вероят|лучш|полез|высок|сильн/i,
  /келісемін|қанағаттан|өте жақсы|жақсы|үздік|әрқашан|жиі|әдетте|ықтимал|пайдалы|жоғары|күшті/i,
];
/** "Not applicable" and "don't know" columns are no point of the scale. */
const NOT_APPLICABLE = /not applicable|\bn\/?a\b|don'?t know|do not know|can'?t say|не\s*знаю|затрудняюсь|неприменим|не\s*относится|білмеймін|қатысы\s*жоқ|жауап\s+беру\s+қиын/i;
const NEUTRAL = /neither|neutral|undecided|average|нейтрал|ни\s+да|средн|бейтарап|орташа/i;

/** +1 for a label at the positive end, −1 at the negative end, 0 for a middle or unknown one. */
export function labelPolarity(text: string): number {
  if (NEUTRAL.test(text)) return 0;
  if (NEGATIVE.some((p) => p.test(text))) return -1;
  if (POSITIVE.some((p) => p.test(text))) return 1;
  return 0;
}

export const isNotApplicable = (texts: string[]): boolean => texts.some((t) => NOT_APPLICABLE.test(t));

export interface ScalePoint {
  /** The tool's value for the point. */
  value: string | number;
  /** Its label in every language given. */
  texts: string[];
}

export interface Direction {
  /** ascending: the first point is the most negative (kept as is); descending: reversed. */
  order: 'ascending' | 'descending' | 'unclear';
  /** What told: the labels, the values (higher = more positive), or both. */
  by: 'labels' | 'values' | 'labels and values' | 'none';
  /** The labels read one way and the values the other: the labels were followed, the values re-coded. */
  conflict: boolean;
  /** No label of the scale says anything about a direction. */
  unlabelled: boolean;
}

/** Reads one list of labels (one language) as running up, down, or neither. */
function languageOrder(labels: string[]): number {
  const centre = (labels.length - 1) / 2;
  return Math.sign(labels.reduce((sum, label, i) => sum + labelPolarity(label) * (i - centre), 0));
}

/** The direction of a scale from its points in the order the tool shows them. */
export function scaleDirection(points: ScalePoint[]): Direction {
  const languages = Math.max(0, ...points.map((p) => p.texts.length));
  const votes = Array.from({ length: languages }, (_, l) => languageOrder(points.map((p) => p.texts[l] ?? ''))).filter((v) => v !== 0);
  const unlabelled = votes.length === 0;
  const byLabels = unlabelled || votes.some((v) => v !== votes[0]) ? 0 : votes[0]!;
  const numbers = points.map((p) => (typeof p.value === 'number' ? p.value : /^-?\d+(\.\d+)?$/.test(String(p.value).trim()) ? Number(p.value) : NaN));
  const increasing = numbers.every((n, i) => !Number.isNaN(n) && (i === 0 || n > numbers[i - 1]!));
  const decreasing = numbers.every((n, i) => !Number.isNaN(n) && (i === 0 || n < numbers[i - 1]!));
  const byValues = points.length > 1 && increasing ? 1 : points.length > 1 && decreasing ? -1 : 0;
  // Labels that contradict each other (one language up, another down) leave it unclear whatever the values say.
  if (!unlabelled && byLabels === 0) return { order: 'unclear', by: 'none', conflict: false, unlabelled };
  if (byLabels !== 0) {
    return { order: byLabels > 0 ? 'ascending' : 'descending', by: byValues === byLabels ? 'labels and values' : 'labels', conflict: byValues !== 0 && byValues !== byLabels, unlabelled };
  }
  if (byValues !== 0) return { order: byValues > 0 ? 'ascending' : 'descending', by: 'values', conflict: false, unlabelled };
  return { order: 'unclear', by: 'none', conflict: false, unlabelled };
}
