import { expect } from 'chai';
import { checkboxField, formSchema, listField, textField } from '../../server/lib/forms.js';

describe('form schemas', () => {
  const form = formSchema({ name: textField(10), tags: listField(3), agree: checkboxField });

  it('reads a text field as one string, "" when absent and the first value when repeated', () => {
    expect(form.parse({}).name).to.equal('');
    expect(form.parse({ name: 'Aigerim' }).name).to.equal('Aigerim');
    expect(form.parse({ name: ['first', 'second'] }).name).to.equal('first');
  });

  it('reads repeated fields as a list without empty values', () => {
    expect(form.parse({}).tags).to.deep.equal([]);
    expect(form.parse({ tags: 'one' }).tags).to.deep.equal(['one']);
    expect(form.parse({ tags: ['one', '', 'two'] }).tags).to.deep.equal(['one', 'two']);
  });

  it('reads a checkbox as ticked when sent', () => {
    expect(form.parse({}).agree).to.equal(false);
    expect(form.parse({ agree: 'on' }).agree).to.equal(true);
  });

  it('refuses what does not fit with a message naming the limit', () => {
    const long = form.safeParse({ name: 'x'.repeat(11) });
    expect(long.success).to.equal(false);
    expect(long.error?.issues[0]?.message).to.equal('is longer than 10 characters');
    expect(form.safeParse({ tags: ['a', 'b', 'c', 'd'] }).success).to.equal(false);
    expect(form.safeParse({ name: { $gt: '' } }).success).to.equal(false);
  });

  it('ignores fields it does not declare (the CSRF token, button names)', () => {
    expect(form.parse({ _csrf: 'x', nav: 'next' })).to.deep.equal({ name: '', tags: [], agree: false });
  });
});
