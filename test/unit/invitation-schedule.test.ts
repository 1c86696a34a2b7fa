import { expect } from 'chai';
import { setTimeZone } from '../../server/lib/dates.js';
import { addDays, afterQuiet, dayStart, isQuiet, localTime, nextReminder, stepDay, type Rules, type ScheduleStep } from '../../server/invitations/schedule.js';

const STEPS: ScheduleStep[] = [
  { from: 'invitation', days: 3 },
  { from: 'invitation', days: 7 },
  { from: 'close', days: 1 },
];
const NIGHT = { from: 21, to: 8 };
/** The campaign closes at the end of 22 March in Almaty (UTC+5). */
const CLOSES = new Date('2026-03-22T18:59:59Z');
const rules = (over: Partial<Rules> = {}): Rules => ({ steps: STEPS, maxReminders: 3, closesAt: CLOSES, quiet: NIGHT, ...over });
/** An instant on the Almaty clock. */
const almaty = (day: string, hour: number, minute = 0) => new Date(Date.parse(`${day}T00:00:00Z`) + (hour - 5) * 3_600_000 + minute * 60_000);
const fresh = { invitedOn: '2026-03-02', lastSentOn: '2026-03-02', lastStepOn: null, reminders: 0 };

describe('the reminder schedule', () => {
  before(() => setTimeZone('Asia/Almaty'));

  it('places steps on days after the invitation and before the close, in the university\'s calendar', () => {
    expect(addDays('2026-02-27', 3)).to.equal('2026-03-02');
    expect(stepDay({ from: 'invitation', days: 3 }, '2026-03-02', CLOSES)).to.equal('2026-03-05');
    expect(stepDay({ from: 'close', days: 1 }, '2026-03-02', CLOSES)).to.equal('2026-03-21');
    // 23:30 UTC on the 21st is already the 22nd in Almaty.
    expect(stepDay({ from: 'close', days: 1 }, '2026-03-02', new Date('2026-03-21T23:30:00Z'))).to.equal('2026-03-21');
  });

  it('serves the steps in order, each once, from the morning of its day, and nothing after the last', () => {
    expect(nextReminder(fresh, rules(), almaty('2026-03-04', 12))).to.deep.equal({ sendAt: almaty('2026-03-05', 8), step: '2026-03-05' });
    expect(nextReminder(fresh, rules(), almaty('2026-03-05', 9))).to.deep.equal({ sendAt: almaty('2026-03-05', 8), step: '2026-03-05' });
    const one = { invitedOn: '2026-03-02', lastSentOn: '2026-03-05', lastStepOn: '2026-03-05', reminders: 1 };
    expect(nextReminder(one, rules(), almaty('2026-03-06', 9))!.sendAt).to.deep.equal(almaty('2026-03-09', 8));
    const two = { invitedOn: '2026-03-02', lastSentOn: '2026-03-09', lastStepOn: '2026-03-09', reminders: 2 };
    expect(nextReminder(two, rules(), almaty('2026-03-10', 9))).to.deep.equal({ sendAt: almaty('2026-03-21', 8), step: '2026-03-21' });
    const three = { invitedOn: '2026-03-02', lastSentOn: '2026-03-21', lastStepOn: '2026-03-21', reminders: 3 };
    expect(nextReminder(three, rules({ maxReminders: 10 }), almaty('2026-03-21', 12))).to.equal(null);
  });

  it('stops at most N reminders, counting those sent by hand', () => {
    expect(nextReminder({ ...fresh, reminders: 2 }, rules({ maxReminders: 2 }), almaty('2026-03-06', 9))).to.equal(null);
    expect(nextReminder({ ...fresh, reminders: 1 }, rules({ maxReminders: 2 }), almaty('2026-03-06', 9))).to.not.equal(null);
    expect(nextReminder({ ...fresh, invitedOn: null }, rules(), almaty('2026-03-06', 9)), 'not invited').to.equal(null);
  });

  it('serves steps that fell due together (the worker was stopped) with one mail', () => {
    expect(nextReminder(fresh, rules(), almaty('2026-03-10', 9))).to.deep.equal({ sendAt: almaty('2026-03-05', 8), step: '2026-03-09' });
  });

  it('never mails a person twice on one day, and drops a step that would fall after the close', () => {
    // A reminder by hand on the step's day pushes the step to the next morning.
    const manual = { invitedOn: '2026-03-02', lastSentOn: '2026-03-05', lastStepOn: null, reminders: 1 };
    expect(nextReminder(manual, rules(), almaty('2026-03-05', 12))!.sendAt).to.deep.equal(almaty('2026-03-06', 8));
    // Invited the day before the "1 day before closing" step: it goes the next morning, before the close.
    const late = { invitedOn: '2026-03-20', lastSentOn: '2026-03-20', lastStepOn: null, reminders: 0 };
    expect(nextReminder(late, rules({ steps: [{ from: 'close', days: 1 }] }), almaty('2026-03-21', 9))!.sendAt).to.deep.equal(almaty('2026-03-21', 8));
    // Invited on the day of the "1 day before" step: it goes the next morning, the closing day.
    const lastDays = { invitedOn: '2026-03-21', lastSentOn: '2026-03-21', lastStepOn: null, reminders: 0 };
    expect(nextReminder(lastDays, rules({ steps: [{ from: 'close', days: 1 }] }), almaty('2026-03-21', 12))!.sendAt).to.deep.equal(almaty('2026-03-22', 8));
    // Invited on the closing day: nothing fits.
    const lastDay = { invitedOn: '2026-03-22', lastSentOn: '2026-03-22', lastStepOn: null, reminders: 0 };
    expect(nextReminder(lastDay, rules(), almaty('2026-03-22', 12))).to.equal(null);
  });

  it('waits through the night in the university time zone (Asia/Almaty, 21:00–08:00)', () => {
    expect(isQuiet(almaty('2026-03-02', 20, 59), NIGHT), '20:59').to.equal(false);
    expect(isQuiet(almaty('2026-03-02', 21), NIGHT), '21:00').to.equal(true);
    expect(isQuiet(almaty('2026-03-03', 7, 59), NIGHT), '07:59').to.equal(true);
    expect(isQuiet(almaty('2026-03-03', 8), NIGHT), '08:00').to.equal(false);
    expect(isQuiet(almaty('2026-03-02', 23), null), 'no night set').to.equal(false);
    expect(isQuiet(almaty('2026-03-02', 3), { from: 0, to: 6 }), 'a night that does not cross midnight').to.equal(true);
    expect(afterQuiet(new Date(almaty('2026-03-02', 21, 30).getTime() + 15_123), NIGHT)).to.deep.equal(almaty('2026-03-03', 8));
    expect(afterQuiet(almaty('2026-03-03', 3), NIGHT), '03:00').to.deep.equal(almaty('2026-03-03', 8));
    expect(afterQuiet(almaty('2026-03-03', 15), NIGHT), 'daytime unchanged').to.deep.equal(almaty('2026-03-03', 15));
    expect(dayStart('2026-03-03', NIGHT)).to.deep.equal(almaty('2026-03-03', 8));
    expect(dayStart('2026-03-03', null), 'no night: midnight').to.deep.equal(almaty('2026-03-03', 0));
    expect(localTime(almaty('2026-03-03', 8))).to.deep.equal({ hour: 8, minute: 0, second: 0 });
  });

  it('leaves the night across a daylight-saving change (Europe/London)', () => {
    setTimeZone('Europe/London');
    try {
      for (const start of ['2026-03-28T22:30:00Z', '2026-10-24T21:30:00Z']) {
        const out = afterQuiet(new Date(start), NIGHT);
        expect(isQuiet(out, NIGHT), start).to.equal(false);
        expect(out.getTime() - new Date(start).getTime(), start).to.be.below(12 * 3_600_000);
      }
    } finally {
      setTimeZone('Asia/Almaty');
    }
  });
});
