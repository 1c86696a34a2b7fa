// The HTML part of an invitation, made from the same plain-text template as the text part: paragraphs at
// blank lines, line breaks kept, the two links clickable. Every piece of the template and every value is
// escaped, so a name like `<a href=…>` arrives as text; only the markup written here is markup.
import type { Lang } from '../lib/i18n/index.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Values that are our own links: shown as anchors (only http(s), which they always are). */
const LINKS = new Set(['link', 'unsubscribeLink']);

function line(template: string, values: Record<string, string>): string {
  let out = '';
  let at = 0;
  for (const m of template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
    out += escapeHtml(template.slice(at, m.index));
    at = m.index + m[0].length;
    const key = m[1]!;
    const value = values[key];
    if (value === undefined) out += escapeHtml(m[0]);
    else if (LINKS.has(key) && /^https?:\/\//.test(value)) out += `<a href="${escapeHtml(value)}" style="color:#0b57d0;word-break:break-all">${escapeHtml(value)}</a>`;
    else out += escapeHtml(value);
  }
  return out + escapeHtml(template.slice(at));
}

export function mailHtml(body: string, values: Record<string, string>, lang: Lang, subject: string): string {
  const paragraphs = body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p style="margin:0 0 1em">${p.split('\n').map((l) => line(l, values)).join('<br>\n')}</p>`);
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(lang)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:16px;background:#ffffff;color:#1f1f1f;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">',
    // A long link wraps instead of widening the mail past a phone's screen.
    '<div style="max-width:600px;margin:0 auto;overflow-wrap:anywhere;word-wrap:break-word">',
    ...paragraphs,
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');
}
