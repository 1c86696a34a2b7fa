import { expect } from 'chai';
import { chooseLanguage, flatten, fromAcceptLanguage, LANGUAGES, loadCatalogue, PLURAL_SUFFIX, pluralCategories, translate } from '../../server/lib/i18n/index.js';

describe('interface catalogues', () => {
  const flat = Object.fromEntries(LANGUAGES.map((lang) => [lang, flatten(loadCatalogue(lang))]));
  /** A key, or a plural family ("audit.count" for audit.count_one, audit.count_other…), in one language. */
  const familiesOf = (lang: (typeof LANGUAGES)[number]) => {
    const out = new Map<string, string[]>();
    for (const key of Object.keys(flat[lang]!)) {
      // "too_many" is a plain key: a family always has an "_other" form.
      const stripped = key.replace(PLURAL_SUFFIX, '');
      const base = LANGUAGES.some((l) => `${stripped}_other` in flat[l]!) ? stripped : key;
      out.set(base, [...(out.get(base) ?? []), key]);
    }
    return out;
  };
  const byLang = Object.fromEntries(LANGUAGES.map((lang) => [lang, familiesOf(lang)]));
  const families = (lang: (typeof LANGUAGES)[number]) => byLang[lang]!;
  const allKeys = new Set(LANGUAGES.flatMap((lang) => [...families(lang).keys()]));

  for (const lang of LANGUAGES) {
    it(`has every key in ${lang}, none empty`, () => {
      const own = families(lang);
      const missing = [...allKeys].filter((key) => !own.has(key));
      expect(missing, `missing in ${lang}.json`).to.deep.equal([]);
      const empty = Object.entries(flat[lang]!).filter(([, v]) => v.trim() === '').map(([k]) => k);
      expect(empty, `empty in ${lang}.json`).to.deep.equal([]);
    });

    it(`gives every plural key in ${lang} each form the language needs (${pluralCategories(lang).join(', ')})`, () => {
      const problems: string[] = [];
      for (const [base, keys] of families(lang)) {
        if (!LANGUAGES.some((l) => `${base}_other` in flat[l]!)) continue;
        const forms = keys.filter((k) => k !== base).map((k) => PLURAL_SUFFIX.exec(k)![1]!);
        if (keys.includes(base)) problems.push(`${base}: both a plain string and plural forms`);
        for (const category of pluralCategories(lang)) if (!forms.includes(category)) problems.push(`${base}_${category} missing`);
      }
      expect(problems).to.deep.equal([]);
    });
  }

  it('uses the same placeholders in every language (across the plural forms of a key)', () => {
    for (const key of allKeys) {
      const names = LANGUAGES.map((lang) => {
        const texts = (families(lang).get(key) ?? []).map((k) => flat[lang]![k]!);
        return [...new Set(texts.flatMap((t) => (t.match(/\{\{\s*\w+\s*\}\}/g) ?? []).map((p) => p.replace(/\s/g, ''))))].sort().join(',');
      });
      expect(new Set(names).size, `placeholders differ for ${key}: ${names.join(' | ')}`).to.equal(1);
    }
  });

  it('writes no "(s)"-style plurals ("http(s)" aside): counts take the plural form their number needs', () => {
    const offending = LANGUAGES.flatMap((lang) => Object.entries(flat[lang]!).filter(([, v]) => /\p{L}(?<!\bhttp)\((?:s|es|ы|и|а|ов|ей)\)/u.test(v)).map(([k, v]) => `${lang} ${k}: ${v}`));
    expect(offending).to.deep.equal([]);
  });

  it('picks the plural form for a count with Intl.PluralRules', () => {
    expect(translate('en', 'respond.errors.summary', { count: 1 })).to.equal('Please check the answer marked below.');
    expect(translate('en', 'respond.errors.summary', { count: 3 })).to.equal('Please check the 3 answers marked below.');
    expect(translate('ru', 'respond.errors.summary', { count: 1 })).to.equal('Проверьте 1 ответ, отмеченный ниже.');
    expect(translate('ru', 'respond.errors.summary', { count: 3 })).to.equal('Проверьте 3 ответа, отмеченных ниже.');
    expect(translate('ru', 'respond.errors.summary', { count: 5 })).to.equal('Проверьте 5 ответов, отмеченных ниже.');
    expect(translate('ru', 'respond.errors.summary', { count: 21 })).to.equal('Проверьте 21 ответ, отмеченный ниже.');
    expect(translate('kk', 'respond.errors.summary', { count: 2 })).to.equal('Төменде белгіленген 2 жауапты тексеріңіз.');
    expect(translate('ru', 'audit.count', { count: 22, page: 1, pages: 2 })).to.equal('22 записи · страница 1 из 2');
    // Without a count the "other" form is used, never the key itself.
    expect(translate('en', 'audit.count', { page: 1, pages: 1 })).to.match(/entries/);
  });

  it('writes Kazakh with Kazakh letters', () => {
    const text = Object.values(flat.kk!).join(' ');
    expect(text).to.match(/[әғқңөұүһі]/);
  });

  it('fills placeholders', () => {
    expect(translate('en', 'nav.login')).to.equal('Sign in');
  });
});

describe('language choice', () => {
  it('prefers the URL, then the cookie, then Accept-Language, then Kazakh', () => {
    expect(chooseLanguage('en', 'ru', 'kk')).to.equal('en');
    expect(chooseLanguage(undefined, 'ru', 'en')).to.equal('ru');
    expect(chooseLanguage(undefined, undefined, 'ru-RU,ru;q=0.9,en;q=0.8')).to.equal('ru');
    expect(chooseLanguage(undefined, undefined, undefined)).to.equal('kk');
    expect(chooseLanguage('de', 'xx', 'de-DE')).to.equal('kk');
  });

  it('ranks Accept-Language by q', () => {
    expect(fromAcceptLanguage('de;q=1, en;q=0.5, kk;q=0.9')).to.equal('kk');
  });
});
