import { expect } from 'chai';
import { escapeHtml, mailHtml } from '../../server/invitations/mail-html.js';
import { DEFAULT_TEMPLATES, renderMail, STUDENT_TEMPLATES } from '../../server/invitations/templates.js';

const values = {
  name: '<img src=x onerror="alert(1)"> & Co',
  organisation: '"Acme" <LLP>',
  link: 'https://pikir.example.kz/t/abcdefghjkmnpqrstvwx',
  unsubscribeLink: 'https://pikir.example.kz/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  closesAt: '1 June 2026',
  campaignTitle: 'Survey <2026>',
};

describe('invitation mail: text and HTML', () => {
  it('escapes every value and the template itself in the HTML part; only our links become anchors', () => {
    const html = mailHtml('Dear {{name}} <b>bold</b>,\n\nLink: {{link}}\nBye {{unknown}}', values, 'en', 'Subject <x>');
    expect(html).to.contain('Dear &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co &lt;b&gt;bold&lt;/b&gt;,');
    expect(html).to.not.match(/<img|<b>/);
    expect(html).to.contain('<a href="https://pikir.example.kz/t/abcdefghjkmnpqrstvwx" style="color:#0b57d0;word-break:break-all">https://pikir.example.kz/t/abcdefghjkmnpqrstvwx</a>');
    expect(html).to.contain('<br>\nBye {{unknown}}');
    expect(html).to.contain('<title>Subject &lt;x&gt;</title>');
    expect(html).to.contain('<html lang="en">');
    expect(html.match(/<p /g)).to.have.length(2);
    // A "link" that is not http(s) stays text.
    expect(mailHtml('{{link}}', { ...values, link: 'javascript:alert(1)' }, 'en', 's')).to.not.contain('<a ');
    expect(escapeHtml(`<>&"'`)).to.equal('&lt;&gt;&amp;&quot;&#39;');
  });

  it('renders kk, ru and en from the same template, a nameless student greeted as a student, the subject one line', () => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const mail = renderMail(STUDENT_TEMPLATES[lang], 'reminder', lang, { ...values, name: '  ' });
      expect(mail.text).to.contain(values.link);
      expect(mail.html).to.contain(`<html lang="${lang}">`);
      expect(mail.text).to.match(lang === 'en' ? /^Dear student,/ : /студент!/);
      expect(mail.subject).to.match({ kk: /^Еске салу: /, ru: /^Напоминание: /, en: /^Reminder: / }[lang]);
    }
    const injected = renderMail(DEFAULT_TEMPLATES.en, 'invitation', 'en', { ...values, campaignTitle: 'A\r\nBcc: x@example.com' });
    expect(injected.subject).to.equal('Your opinion matters: A Bcc: x@example.com');
    expect(injected.text).to.contain('Dear <img src=x onerror="alert(1)"> & Co,');
  });
});
