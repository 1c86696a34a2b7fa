// Synthetic answers for the demo and for tests: plausible, valid for the definition (showIf respected),
// with a per-group "climate" so programmes differ the way real ones do.
import type { Definition } from '../instruments/schema.js';
import { isVisible, type Answers } from '../instruments/conditions.js';
import { otherKey } from '../instruments/items.js';
import type { StoredAnswers } from '../responses/answers.js';

export type Random = () => number;

/** A small seeded generator (mulberry32), so demo data is the same on every machine. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 1–5 answer around `mean` (a respondent's tendency plus noise); on another range, the same tendency stretched onto it. */
function scale(random: Random, mean: number, reverse = false, min = 1, max = 5): number {
  const noise = (random() + random() + random() - 1.5) * 1.6;
  const onFive = Math.min(5, Math.max(1, mean + noise));
  const v = Math.round(min + ((onFive - 1) / 4) * (max - min));
  return reverse ? min + max - v : v;
}

const COMMENTS = [
  'More practical classes with real cases, please.',
  'Расписание часто меняется в последний момент.',
  'Кітапханада жаңа әдебиет жетіспейді.',
  'The teachers are helpful and answer questions quickly.',
  'Хотелось бы больше обратной связи по курсовым работам.',
  'Практика өте пайдалы болды, рақмет.',
  'Wi-Fi in building B does not work in the afternoons.',
  'Оқытушылар сабақты қызықты өткізеді.',
];

/** `climate` is the group's mean on 1–5 (e.g. 3.2 for a struggling programme, 4.3 for a strong one). */
export function syntheticAnswers(def: Definition, random: Random, climate: number): StoredAnswers {
  const person = climate + (random() - 0.5) * 1.2;
  const answers: StoredAnswers = {};
  for (const page of def.pages)
    for (const item of page.items) {
      if (!isVisible(item, answers as Answers)) continue;
      if (!item.required && random() < 0.08) continue;
      switch (item.type) {
        case 'likert':
          answers[item.id] = item.allowNA && random() < 0.04 ? 'na' : scale(random, person, item.reverse);
          break;
        case 'matrix':
          for (const row of item.rows) answers[row.id] = item.allowNA && random() < 0.04 ? 'na' : scale(random, person, row.reverse ?? item.reverse, 1, item.labels?.length ?? 5);
          break;
        case 'rating':
          answers[item.id] = item.allowNA && random() < 0.04 ? 'na' : scale(random, person, item.reverse, item.min, item.max);
          break;
        case 'nps':
          answers[item.id] = Math.max(0, Math.min(10, Math.round((person - 1) * 2.5 + (random() - 0.5) * 3)));
          break;
        case 'single': {
          const i = Math.min(item.options.length - 1, Math.floor(Math.pow(random(), person / 3) * item.options.length));
          answers[item.id] = item.options[i]!.value;
          break;
        }
        case 'multiple': {
          const chosen = item.options.filter(() => random() < 0.3).map((o) => o.value);
          const limited = item.maxChoices ? chosen.slice(0, item.maxChoices) : chosen;
          answers[item.id] = limited.length ? limited : [item.options[0]!.value];
          break;
        }
        case 'number': {
          // Years (a range starting at 1900 or later) cluster in the last decade; counts stay small.
          const low = item.min >= 1900 ? Math.max(item.min, Math.min(item.max, 2026) - 10) : item.min;
          const high = item.min >= 1900 ? Math.min(item.max, 2026) : Math.min(item.max, item.min + 20);
          const v = low + random() * (high - low);
          answers[item.id] = item.integer ? Math.round(v) : Math.round(v * 10) / 10;
          break;
        }
        case 'text':
          if (random() < 0.25) answers[item.id] = COMMENTS[Math.floor(random() * COMMENTS.length)]!;
          break;
      }
      if ((item.type === 'single' || item.type === 'multiple') && answers[item.id] === 'other') answers[otherKey(item.id)] = 'Other';
    }
  return answers;
}
