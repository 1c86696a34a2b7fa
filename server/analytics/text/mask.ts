// Personal details in open answers, masked before anyone reads them: e-mail addresses, links, phone
// numbers, 12-digit personal numbers (ИИН/ЖСН), and personal names (names.ts).
import { maskNames } from './names.js';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/giu;
/** A run of digits with the separators phone numbers are written with. */
const DIGITS = /\+?\d[\d\s().-]{5,}\d/g;

/** Phone numbers (+7 701 123 45 67, 8 (701) 1234567) and personal numbers; years ("2024-2025") and short numbers stay. */
function maskNumbers(text: string): string {
  return text.replace(DIGITS, (run) => {
    const digits = run.replace(/\D/g, '').length;
    if (digits === 12 && /^\d+$/.test(run)) return '[id]';
    if ((run.startsWith('+') && digits >= 7) || (digits >= 10 && digits <= 12)) return '[phone]';
    return run;
  });
}


export function maskPersonalData(text: string): string {
  return maskNames(maskNumbers(text.replace(EMAIL, '[email]').replace(URL, '[link]')));
}
