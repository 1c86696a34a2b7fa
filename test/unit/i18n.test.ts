import { expect } from 'chai';
import { chooseLanguage, flatten, fromAcceptLanguage, LANGUAGES, loadCatalogue, translate } from '../../server/lib/i18n/index.js';

describe('interface catalogues', () => {
  const flat = Object.fromEntries(LANGUAGES.map((lang) => [lang, flatten(loadCatalogue(lang))]));
  const allKeys = new Set(LANGUAGES.flatMap((lang) => Object.keys(flat[lang]!)));

  for (const lang of LANGUAGES) {
    it(`has every key in ${lang}, none empty`, () => {
      const missing = [...allKeys].filter((key) => !(key in flat[lang]!));
      expect(missing, `missing in ${lang}.json`).to.deep.equal([]);
      const empty = Object.entries(flat[lang]!).filter(([, v]) => v.trim() === '').map(([k]) => k);
      expect(empty, `empty in ${lang}.json`).to.deep.equal([]);
    });
  }

  it('uses the same placeholders in every language', () => {
    for (const key of allKeys) {
      const names = LANGUAGES.map((lang) => (flat[lang]![key]!.match(/\{\{\s*\w+\s*\}\}/g) ?? []).map((p) => p.replace(/\s/g, '')).sort().join(','));
      expect(new Set(names).size, `placeholders differ for ${key}: ${names.join(' | ')}`).to.equal(1);
    }
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
