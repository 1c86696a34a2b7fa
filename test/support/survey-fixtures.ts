// A small university with two faculties, the instrument library and an open campaign, for tests of the
// respondent path and analytics. Built through the real services.
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign, type CampaignInput } from '../../server/campaigns/service.js';
import type { CampaignDoc } from '../../server/campaigns/model.js';
import { createInstrument, getPublishedDefinition, publish, seedLibrary } from '../../server/instruments/service.js';
import { targetFrom } from '../../server/campaigns/target.js';
import { org } from '../../server/org/service.js';

export interface SurveyWorld {
  facultyA: string;
  facultyB: string;
  programmesA: string[];
  programmeB: string;
  cohortsA: string[];
  campaign: CampaignDoc;
}

const name = (en: string) => ({ kk: `${en} (kk)`, ru: `${en} (ru)`, en });

export async function buildSurveyWorld(options: { instrument?: string; opensAt?: Date; closesAt?: Date; audience?: 'faculty' | 'university'; liveResults?: 'counts' | 'figures'; blindCredentials?: boolean } = {}): Promise<SurveyWorld> {
  const a = SYSTEM_ACTOR;
  const facultyA = (await org.faculties.create(a, { code: 'FA', name: name('Faculty A') })).id;
  const facultyB = (await org.faculties.create(a, { code: 'FB', name: name('Faculty B') })).id;
  const depA = (await org.departments.create(a, { faculty: facultyA, code: 'DA', name: name('Department A') })).id;
  const depB = (await org.departments.create(a, { faculty: facultyB, code: 'DB', name: name('Department B') })).id;
  const pA1 = (await org.programmes.create(a, { code: '6B06101', name: name('Informatics'), level: 'bachelor', faculty: facultyA, department: depA })).id;
  const pA2 = (await org.programmes.create(a, { code: '6B06102', name: name('Information systems'), level: 'bachelor', faculty: facultyA, department: depA })).id;
  const pB = (await org.programmes.create(a, { code: '6B01101', name: name('Pedagogy'), level: 'bachelor', faculty: facultyB, department: depB })).id;
  const c1 = (await org.cohorts.create(a, { programme: pA1, entryYear: 2023, size: 60, label: '2023' })).id;
  const c2 = (await org.cohorts.create(a, { programme: pA1, entryYear: 2024, size: 55, label: '2024' })).id;
  const c3 = (await org.cohorts.create(a, { programme: pA2, entryYear: 2024, size: 40, label: '2024' })).id;
  await org.cohorts.create(a, { programme: pB, entryYear: 2024, size: 30, label: '2024' });
  await seedLibrary(a);
  if (options.instrument === 'skip-test') await publishSkipInstrument();
  const instrument = { id: options.instrument ?? 'student-satisfaction', version: 1 };
  const audience = options.audience === 'university' ? { kind: 'university' as const, ids: [] } : { kind: 'faculty' as const, ids: [facultyA] };
  // Students are counted by enrolment; an audience the structure does not count states its target.
  const explicit = targetFrom(audience.kind, (await getPublishedDefinition(instrument.id, 1)).audience) === 'explicit';
  const campaign = await createCampaign(
    a,
    {
      title: name('Student satisfaction 2025'),
      instrument,
      audience,
      ...(explicit ? { targetSize: 155 } : {}),
      academicYear: '2025-2026',
      opensAt: options.opensAt ?? new Date(Date.now() - 86_400_000),
      closesAt: options.closesAt ?? new Date(Date.now() + 30 * 86_400_000),
      openLinkEnabled: true,
      openLinkCap: 0,
      ...(options.liveResults ? { liveResults: options.liveResults } : {}),
      // Tokens unless a test asks for blind credentials (tests store generated answers with storeAccepted).
      blindCredentials: options.blindCredentials ?? false,
    },
    'open',
  );
  return { facultyA, facultyB, programmesA: [pA1, pA2], programmeB: pB, cohortsA: [c1, c2, c3], campaign };
}

/**
 * The input for another campaign of faculty A's students beside the world's own (its title, this academic
 * year, open since yesterday for a month, an open link), asking `instrument`; `changes` overrides any of it.
 */
export function facultyCampaignInput(world: SurveyWorld, instrument: string, changes: Partial<CampaignInput> = {}): CampaignInput {
  return {
    title: world.campaign.title,
    instrument: { id: instrument, version: 1 },
    audience: { kind: 'faculty', ids: [world.facultyA] },
    academicYear: '2025-2026',
    opensAt: new Date(Date.now() - 86_400_000),
    closesAt: new Date(Date.now() + 30 * 86_400_000),
    openLinkEnabled: true,
    openLinkCap: 0,
    ...changes,
  };
}

/** A short three-page instrument with a page skipped by an earlier answer and a same-page condition. */
export const SKIP_INSTRUMENT = {
  id: 'skip-test',
  title: { kk: 'Тексеру сауалнамасы', ru: 'Проверочный опрос', en: 'Check survey' },
  description: { kk: 'Қысқа сауалнама', ru: 'Короткий опрос', en: 'A short survey' },
  audience: 'student',
  estimatedMinutes: 2,
  scales: [],
  pages: [
    {
      id: 'p1',
      title: { kk: 'Кітапхана', ru: 'Библиотека', en: 'Library' },
      items: [
        {
          id: 'used_library',
          type: 'single',
          required: true,
          text: { kk: 'Осы семестрде кітапхананы пайдаландыңыз ба?', ru: 'Пользовались ли вы библиотекой в этом семестре?', en: 'Did you use the library this semester?' },
          options: [
            { value: 'yes', label: { kk: 'Иә', ru: 'Да', en: 'Yes' } },
            { value: 'no', label: { kk: 'Жоқ', ru: 'Нет', en: 'No' } },
          ],
        },
      ],
    },
    {
      id: 'p2',
      title: { kk: 'Кітапхана туралы', ru: 'О библиотеке', en: 'About the library' },
      items: [{ id: 'library_good', type: 'likert', required: true, showIf: { item: 'used_library', equals: 'yes' }, text: { kk: 'Кітапхана маған пайдалы болды.', ru: 'Библиотека была мне полезна.', en: 'The library was useful to me.' } }],
    },
    {
      id: 'p3',
      title: { kk: 'Жалпы баға', ru: 'Общая оценка', en: 'Overall' },
      items: [
        { id: 'overall', type: 'likert', required: true, text: { kk: 'Жалпы алғанда бағдарламаға қанағаттанамын.', ru: 'В целом я удовлетворён(а) программой.', en: 'Overall, I am satisfied with the programme.' } },
        {
          id: 'wants_more',
          type: 'single',
          text: { kk: 'Тағы бірдеңе айтқыңыз келе ме?', ru: 'Хотите что-то добавить?', en: 'Would you like to add something?' },
          options: [
            { value: 'yes', label: { kk: 'Иә', ru: 'Да', en: 'Yes' } },
            { value: 'no', label: { kk: 'Жоқ', ru: 'Нет', en: 'No' } },
          ],
        },
        { id: 'comment', type: 'text', long: true, showIf: { item: 'wants_more', equals: 'yes' }, text: { kk: 'Пікіріңізді жазыңыз', ru: 'Напишите ваш комментарий', en: 'Write your comment' } },
      ],
    },
  ],
};

export async function publishSkipInstrument(): Promise<void> {
  await createInstrument(SYSTEM_ACTOR, SKIP_INSTRUMENT);
  await publish(SYSTEM_ACTOR, 'skip-test', 1);
}
