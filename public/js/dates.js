// Dates in the browser, written as the server writes them (server/lib/dates.ts formatDay; a unit test
// keeps the two equal): kk and ru "01.12.2026", en "1 Dec 2026". Takes the university's day ("2026-12-01").
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatDay(iso, lang) {
  const [y, m, d] = iso.split('-');
  if (lang === 'en') return `${Number(d)} ${EN_MONTHS[Number(m) - 1]} ${y}`;
  return `${d}.${m}.${y}`;
}
