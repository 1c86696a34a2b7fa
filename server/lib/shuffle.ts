// Fisher–Yates shuffle with a cryptographic source (storage order must not be guessable).
import { randomInt } from 'node:crypto';

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
