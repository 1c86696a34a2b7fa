// All Handlebars helpers, registered once by the view engine.
import { concat } from './concat.js';
import { day } from './day.js';
import { eq } from './eq.js';
import { langUrl } from './lang-url.js';
import { localized } from './localized.js';
import { problem } from './problem.js';
import { t } from './t.js';

export const helpers = { concat, day, eq, langUrl, localized, problem, t };
