// A respondent's phone for load and limit tests: it walks a survey's pages as a browser without JavaScript
// does (intro, start, every step, thanks), keeps its own cookies, posts each form with its CSRF token and
// answers whatever the page asks (a random point of every scale, the first programme, cohort or discipline).
// Light on purpose: node:http with a shared keep-alive agent, regular expressions instead of a DOM.
import http from 'node:http';

export const phoneAgent = new http.Agent({ keepAlive: true, maxSockets: 128 });

interface Answer {
  status: number;
  location: string | null;
  retryAfter: string | null;
  body: string;
}

export interface PhoneRun {
  /** Reached the thank-you page. */
  completed: boolean;
  /** 429 answers met on the way. */
  refused: number;
  requests: number;
  /** From the first request to the thank-you page (or the failure). */
  ms: number;
  /** What went wrong, when not completed. */
  failure?: string;
  /** Each request's time, in milliseconds. */
  latencies: number[];
}

export class Phone {
  private cookies = new Map<string, string>();
  requests = 0;
  readonly latencies: number[] = [];

  /** `thinkMs`: at most this long spent reading each page before answering it (drawn at random). */
  constructor(
    private readonly baseUrl: string,
    private readonly random: () => number = Math.random,
    private readonly headers: Record<string, string> = {},
    private readonly thinkMs = 0,
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  request(method: 'GET' | 'POST', path: string, form?: URLSearchParams): Promise<Answer> {
    const url = new URL(path, this.baseUrl);
    const body = form?.toString();
    const headers: Record<string, string> = { ...this.headers, cookie: this.cookieHeader(), accept: 'text/html' };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), origin: new URL(this.baseUrl).origin, 'sec-fetch-site': 'same-origin' });
    this.requests++;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent: phoneAgent, headers }, (res) => {
        for (const sc of res.headers['set-cookie'] ?? []) {
          const [pair = ''] = sc.split(';');
          const eq = pair.indexOf('=');
          const name = pair.slice(0, eq).trim();
          const value = pair.slice(eq + 1).trim();
          if (!value || /expires=Thu, 01 Jan 1970/i.test(sc)) this.cookies.delete(name);
          else this.cookies.set(name, value);
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          this.latencies.push(performance.now() - started);
          resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** The fields a browser would post from this step page, answered. */
  private answerPage(html: string): { action: string; form: URLSearchParams } {
    const action = /<form method="post" action="([^"]+)" class="respond-form"/.exec(html)?.[1];
    if (!action) throw new Error(`no step form on the page: ${html.slice(0, 300)}`);
    const form = new URLSearchParams();
    form.set('_csrf', /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '');
    form.set('sid', /name="sid" value="([^"]+)"/.exec(html)?.[1] ?? '');
    const pick = <T>(list: T[]) => list[Math.floor(this.random() * list.length)]!;
    const radios = new Map<string, string[]>();
    for (const m of html.matchAll(/<input type="radio" id="[^"]*" name="([^"]+)" value="([^"]*)"/g)) {
      if (m[2] !== 'na') radios.set(m[1]!, [...(radios.get(m[1]!) ?? []), m[2]!]);
    }
    for (const [name, values] of radios) form.set(name, pick(values));
    const options = (select: string) => {
      const block = new RegExp(`<select id="f-${select}" name="${select}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
      return [...block.matchAll(/<option value="([^"]+)"(?: data-programme="([^"]*)")?/g)].map((m) => ({ value: m[1]!, programme: m[2] }));
    };
    const programme = options('programme')[0]?.value;
    if (programme) form.set('programme', programme);
    const cohort = options('cohort').find((c) => !programme || c.programme === programme)?.value;
    if (cohort) form.set('cohort', cohort);
    const discipline = options('discipline')[0]?.value;
    if (discipline) form.set('discipline', discipline);
    form.set('nav', html.includes('name="nav" value="submit"') ? 'submit' : 'next');
    return { action: action.replace(/&amp;/g, '&'), form };
  }

  /** Answers the survey at `base` (/s/<link> or /t/<token>) from the intro to the thank-you page. */
  async answer(base: string): Promise<PhoneRun> {
    const started = Date.now();
    let refused = 0;
    const done = (completed: boolean, failure?: string): PhoneRun => ({ completed, refused, requests: this.requests, ms: Date.now() - started, latencies: this.latencies, ...(failure ? { failure } : {}) });
    const think = () => (this.thinkMs ? new Promise((r) => setTimeout(r, this.random() * this.thinkMs)) : Promise.resolve());
    const intro = await this.request('GET', base);
    if (intro.status === 429) refused++;
    if (intro.status !== 200) return done(false, `intro answered ${intro.status}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(intro.body)?.[1] ?? '';
    let next = await this.request('POST', `${base}/start`, new URLSearchParams({ _csrf: token }));
    for (let steps = 0; steps < 30; steps++) {
      if (next.status === 429) refused++;
      if (next.status !== 303 || !next.location) return done(false, `${next.status} instead of a redirect: ${next.body.slice(0, 200)}`);
      const page = await this.request('GET', next.location);
      if (page.status === 429) refused++;
      if (page.status !== 200) return done(false, `${next.location} answered ${page.status}`);
      if (next.location.endsWith('/thanks')) return done(true);
      const { action, form } = this.answerPage(page.body);
      await think();
      next = await this.request('POST', action, form);
    }
    return done(false, 'more than 30 steps');
  }
}

/** The p-th percentile (0–100) of some numbers, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
