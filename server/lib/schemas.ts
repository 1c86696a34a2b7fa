// Identifiers and small values that several features validate, each written once: the campaign id, the
// results unit key, the interface languages. Feature-specific schemas live with their feature.
import { z } from 'zod';
import { LANGUAGES } from './i18n/index.js';

/** Campaign ids are "c" and 14 base32 characters (lib/ids.ts newId('c')). */
export const CAMPAIGN_ID = /^c[0-9a-z]{14}$/;
export const campaignIdSchema = z.string().regex(CAMPAIGN_ID, 'is not a campaign id');
/** `:id` of every campaign address. */
export const campaignParams = z.object({ id: campaignIdSchema });

/** A results group: "university", or "<level>~<id>" (responses/segment.ts unitKey). */
export const UNIT_KEY = /^(university|(faculty|programme|cohort|discipline)~[A-Za-z0-9_-]{1,60})$/;
export const unitKeySchema = z.string().regex(UNIT_KEY, 'must be "university" or "<level>~<id>"');

export const langSchema = z.enum(LANGUAGES, { message: 'must be kk, ru or en' });
