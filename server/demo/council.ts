// The demo council of the IT faculty: members, one meeting held last spring with results frozen on its
// agenda and decisions, and actions — one done (public "you said, we did", followed up against this year's
// wave), one overdue, one in progress — plus indicator targets, official employment figures and the calendar.
import { localDay } from '../lib/dates.js';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import type { Analytics } from '../analytics/service.js';
import { Campaign, type CampaignDoc } from '../campaigns/model.js';
import { academicYearOf } from '../campaigns/dates.js';
import { addEvidenceFile, addEvidenceLink, createAction } from '../councils/actions-service.js';
import { seedCalendar } from '../councils/calendar.js';
import { saveCouncil } from '../councils/council-service.js';
import { importEmployment } from '../councils/employment.js';
import { setTarget } from '../councils/indicators.js';
import { addAgendaItem, createMeeting, recordDecision, setAttendance, updateMeeting } from '../councils/meetings-service.js';
import { Meeting, type MeetingDoc } from '../councils/model.js';
import { loadOrgSnapshot } from '../org/snapshot.js';

const DAY_MS = 86_400_000;
const day = (offset: number) => localDay(new Date(Date.now() + offset * DAY_MS));

export async function seedDemoCouncil(analytics: Analytics, faculty: string, secretary: string): Promise<void> {
  const a = SYSTEM_ACTOR;
  const org = await loadOrgSnapshot();
  const programmes = org.programmes.filter((p) => p.faculty === faculty);
  const infoSystems = programmes.find((p) => p.code === '6B06102') ?? programmes[0]!;
  const campaigns = (await Campaign.find({}).lean()) as CampaignDoc[];
  const byInstrument = (id: string) => campaigns.filter((c) => c.instrument.id === id).sort((x, y) => x.opensAt.getTime() - y.opensAt.getTime());
  const [lastYear] = byInstrument('student-satisfaction');
  const [employers] = byInstrument('employer-satisfaction');
  const [integrity] = byInstrument('integrity');
  if (!lastYear || !employers || !integrity) return;

  const council = await saveCouncil(a, faculty, {
    quorum: 0.5,
    members: [
      { name: 'Асқаров Ерлан Маратұлы', group: 'teacher', role: 'chair' },
      { name: 'Council secretary (demo)', userId: secretary, group: 'academic_staff', role: 'secretary' },
      { name: 'Иванова Мария Сергеевна', group: 'teacher', role: 'member' },
      { name: 'Нұрланова Айгерім', group: 'teacher', role: 'member' },
      { name: 'Сапаров Дәурен', group: 'student_bachelor', role: 'member' },
      { name: 'Ким Алина', group: 'student_master', role: 'member' },
      { name: 'Бекова Жанар', group: 'student_doctoral', role: 'member' },
      { name: 'Department of Academic Affairs', group: 'administrator', role: 'member' },
    ],
  });

  // Last spring's meeting, after the employer survey closed.
  const held = day(-140);
  let meeting = await createMeeting(a, faculty, { date: held, title: 'Сауалнама нәтижелері және бағдарламаларды жаңарту', lang: 'kk' });
  meeting = await setAttendance(a, meeting._id, council.members.filter((m) => m.name !== 'Бекова Жанар').map((m) => m.id));
  meeting = await addAgendaItem(a, analytics, meeting._id, { campaign: lastYear._id, unit: `programme~${infoSystems.id}`, item: 'voice_acted' });
  meeting = await addAgendaItem(a, analytics, meeting._id, { campaign: employers._id, unit: `faculty~${faculty}`, item: 'overall_sat' });
  meeting = await addAgendaItem(a, analytics, meeting._id, { campaign: integrity._id, unit: `faculty~${faculty}` });
  const [voice, employerItem, integrityItem] = meeting.agenda;
  await recordDecision(a, meeting._id, voice!.id, { kind: 'update_programme', unit: infoSystems.id, rationale: 'Студенттердің аз бөлігі ғана пікірлерінің ескерілетінін көреді. Бағдарламаға пән бойынша кері байланыс беру тәртібін енгізу.', stakeholderComments: 'Студенттер кеңесінің ұсыныстары мен сауалнамадағы пікірлер ескерілді.', votes: { for: 6, against: 0, abstain: 0 } });
  await recordDecision(a, meeting._id, employerItem!.id, { kind: 'no_change', rationale: 'Жұмыс берушілердің бағасы жоғары; өзгеріс қажет емес.', stakeholderComments: '', votes: { for: 5, against: 0, abstain: 1 } });
  await recordDecision(a, meeting._id, integrityItem!.id, { kind: 'investigate', rationale: 'Академиялық адалдық бойынша хабарламаларды этика комиссиясымен бірге тексеру.', stakeholderComments: '', votes: { for: 6, against: 0, abstain: 0 } });
  meeting = await updateMeeting(a, meeting._id, { date: held, title: meeting.title, lang: 'kk', status: 'held' });
  // The figures were frozen on the day of the meeting (the demo is built today).
  const stored = (await Meeting.findById(meeting._id).lean()) as MeetingDoc;
  await Meeting.replaceOne({ _id: meeting._id }, { ...stored, agenda: stored.agenda.map((i) => (i.snapshot ? { ...i, snapshot: { ...i.snapshot, takenOn: held } } : i)) });

  const done = await createAction(a, faculty, {
    title: 'Пән бойынша кері байланыс: семестр сайын нәтижелер мен өзгерістерді жариялау',
    description: 'Each discipline publishes what changed after the course evaluation, at the first class of the next semester.',
    kind: 'corrective',
    programme: infoSystems.id,
    owner: secretary,
    dueOn: day(-60),
    status: 'done',
    meeting: meeting._id,
    agendaItem: voice!.id,
    targets: [{ campaign: lastYear._id, unit: `programme~${infoSystems.id}`, item: 'voice_acted' }],
    esg: ['1.9'],
    public: true,
    publicText: {
      kk: 'Сіз пікірлеріңіздің ескерілмейтінін айттыңыз: енді әр пән келесі семестрдің бірінші сабағында сауалнамадан кейін не өзгергенін айтады.',
      ru: 'Вы сказали, что отзывы не учитываются: теперь по каждой дисциплине на первом занятии следующего семестра рассказывают, что изменилось после опроса.',
      en: 'You said your feedback was not acted on: now every course tells you, at the first class of the next semester, what changed after the survey.',
    },
  });
  await addEvidenceLink(a, done._id, { url: 'https://example.edu.kz/quality/feedback-2026', label: 'Programme page: changes after the course evaluation' });
  const notice = ['course,semester,what changed', 'Databases,autumn,weekly lab feedback published on the course page', 'Web development,autumn,assessment rubric shared in week 1', ''].join('\n');
  await addEvidenceFile(a, done._id, { name: 'changes-after-evaluation.csv', type: 'text/csv', data: Buffer.from(notice) });
  await createAction(a, faculty, {
    title: 'Жұмыс берушілермен кездесу: практика бағдарламасын келісу',
    description: 'Meet the social partners to agree the internship programme for the next year.',
    kind: 'preventive',
    owner: secretary,
    dueOn: day(-30),
    status: 'in_progress',
    meeting: meeting._id,
    agendaItem: employerItem!.id,
    targets: [{ campaign: employers._id, unit: `faculty~${faculty}`, item: 'overall_sat' }],
    esg: ['1.2', '1.9'],
    public: false,
  });
  await createAction(a, faculty, {
    title: 'Академиялық адалдық: этика комиссиясымен бірлескен тексеру',
    kind: 'corrective',
    owner: secretary,
    dueOn: day(45),
    status: 'in_progress',
    meeting: meeting._id,
    agendaItem: integrityItem!.id,
    targets: [],
    esg: ['1.3'],
    public: false,
  });

  // Targets the council set, and last year's official employment figures (published in December).
  for (const p of programmes) await setTarget(a, { programme: p.id, indicator: 'student_satisfaction', target: 0.7 });
  await setTarget(a, { programme: infoSystems.id, indicator: 'employer_positive', target: 0.8 });
  const year = academicYearOf(new Date());
  const previous = `${Number(year.slice(0, 4)) - 1}-${year.slice(0, 4)}`;
  const rows = org.programmes.map((p, i) => `${p.code},${previous},${40 + i * 7},${30 + i * 5}\n${p.code},${year},${38 + i * 6},${29 + i * 5}`);
  await importEmployment(a, `programme,academic_year,graduates,employed\n${rows.join('\n')}\n`, true);
  await seedCalendar(year);
}
