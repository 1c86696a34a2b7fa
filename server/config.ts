// Typed configuration from the environment, validated once at start-up. A bad value stops the process
// with one line that names the variable; secrets that are not given are generated once and kept in DATA_DIR.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isTimeZone } from './lib/dates.js';
import { projectRoot } from './lib/paths.js';
import { parseSsoMapping, type SsoMapping } from './accounts/sso-mapping.js';

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { message: 'must be development, production or test' }).default('development'),
  PORT: z.coerce.number({ message: 'must be a port number' }).int('must be a whole number').min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535').default(3000),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  BASE_URL: z.url({ message: 'must be an absolute URL such as https://pikir.example.edu' }).optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  DEMO_DATA: boolean.default(true),
  SUPPRESSION_K: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(3, 'must be at least 3').max(50, 'must be at most 50').default(5),
  PUBLISHED_K: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(5, 'must be at least 5').max(100, 'must be at most 100').default(10),
  RELEASE_INTERVAL_MS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be at least 0').max(60_000, 'must be at most 60000').default(5_000),
  RESPONSES_PER_MINUTE_PER_CLIENT: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(300),
  RESPONSES_PER_MINUTE_PER_LINK: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(6000),
  RESPONSES_PER_MINUTE_PER_ADDRESS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(2000),
  RESPONSES_PER_MINUTE_PER_BROWSER: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(10),
  TOKEN_MISSES_PER_CLIENT: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(20),
  TOKEN_MISSES_PER_CAMPAIGN: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(500),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    }),
  OIDC_ISSUER: z.url({ message: 'must be the identity provider\'s issuer URL, such as https://sso.university.kz/realms/staff' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(500).optional(),
  OIDC_SCOPES: z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'must be scope names separated by spaces').default('openid email profile'),
  OIDC_MAPPING: z.string().optional(),
  LOCAL_PASSWORDS: boolean.default(true),
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'must look like smtp://user:pass@host:587').optional(),
  MAIL_FROM: z.string().min(3, 'must be an address such as "Pikir <qa@university.kz>"').optional(),
  RESPONSE_MIX_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 (off) or more').max(86_400, 'must be at most 86400 (a day)').default(60),
  DB_CHECKPOINT_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(3_600, 'must be at most 3600').default(10),
  TIME_ZONE: z.string().refine(isTimeZone, 'must be a time zone name such as Asia/Almaty').default(DEFAULT_TIME_ZONE),
  MAIL_RATE_PER_MINUTE: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(6000, 'must be at most 6000').default(300),
  MAIL_QUIET_HOURS: z
    .string()
    .regex(/^(none|([01]?\d|2[0-3])-([01]?\d|2[0-3]))$/, 'must be two hours such as 21-8 (no scheduled mail from 21:00 to 08:00), or none')
    .refine((v) => v === 'none' || v.split('-')[0] !== v.split('-')[1], 'must name two different hours')
    .default('21-8'),
  CHROMIUM_PATH: z.string().min(1, 'must not be empty').default('/usr/bin/chromium'),
});

/** Hours of the night when no scheduled reminder is sent, in TIME_ZONE: from `from`:00 until `to`:00. */
export interface QuietHours {
  from: number;
  to: number;
}

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly baseUrl: string;
  readonly secureCookies: boolean;
  readonly mongodbUri: string | undefined;
  readonly dataDir: string;
  readonly jwtSecret: string;
  readonly logLevel: string;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly demoData: boolean;
  readonly suppressionK: number;
  readonly publishedK: number;
  /** Live figures: a campaign's next cut is computed at most this often (ms). */
  readonly releaseIntervalMs: number;
  readonly responsesPerMinutePerClient: number;
  readonly responsesPerMinutePerLink: number;
  /** Browsers (each with its own cookie) behind one address: a lecture hall, a campus NAT. */
  readonly responsesPerMinutePerAddress: number;
  readonly responsesPerMinutePerBrowser: number;
  /** Unknown tokens tried per client (its cookie, or its address without one), and per campaign link, in 10 minutes. */
  readonly tokenMissesPerClient: number;
  readonly tokenMissesPerCampaign: number;
  /** Express's `trust proxy`: false, a number of hops, or the proxies' addresses and subnets. */
  readonly trustProxy: TrustProxy;
  /** Staff sign-in through the university's OpenID provider; undefined = local passwords only. */
  readonly oidc: OidcConfig | undefined;
  /** false: staff sign in only through the OpenID provider (password forms and API refuse). */
  readonly localPasswords: boolean;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Embedded store: responses are rewritten in random order this long after the first unmixed one (0 = never). */
  readonly responseMixSeconds: number;
  /** Embedded store: the WAL is checkpointed and truncated this often. */
  readonly dbCheckpointSeconds: number;
  /** The university's time zone (IANA name): its calendar days are the days of every date shown or stored. */
  readonly timeZone: string;
  /** Outgoing invitation mail, at most this many per minute (the SMTP provider's limit). */
  readonly mailRatePerMinute: number;
  /** The night in TIME_ZONE when scheduled reminders wait (null: none). */
  readonly quietHours: QuietHours | null;
  /** The Chromium that prints council reports to PDF (reports/pdf.ts); without it, reports print from the browser. */
  readonly chromiumPath: string;
}

export type TrustProxy = false | number | string[];

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: string;
  readonly mapping: SsoMapping;
}

export class ConfigError extends Error {}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY: "false", a hop count, or addresses/subnets/names; a message when it is none of these. */
function parseTrustProxy(value: string): TrustProxy | string {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === '0' || v === 'no') return false;
  if (v === 'true' || v === 'yes') return 'must name the proxy (loopback, an address or a subnet) or a number of hops: "true" would let any client choose its own address';
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const parts = v.split(',').map((p) => p.trim()).filter(Boolean);
  for (const part of parts) {
    const [address, prefix, extra] = part.split('/');
    const family = isIP(address ?? '');
    const okPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (!PROXY_NAMES.has(part) && (!family || !okPrefix || extra !== undefined)) return `must be false, a number of hops, or addresses and subnets such as "loopback" or "10.0.0.0/8, 192.0.2.7"`;
  }
  return parts.length ? parts : false;
}

/** OIDC_MAPPING: inline JSON, or "@/path/to/mapping.json". */
function readMapping(value: string | undefined): SsoMapping {
  if (!value) return parseSsoMapping({}) as SsoMapping;
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(resolve(projectRoot, value.slice(1)), 'utf8');
    } catch {
      throw new ConfigError(`Configuration error: OIDC_MAPPING names a file that cannot be read (${value.slice(1)})`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError('Configuration error: OIDC_MAPPING must be JSON (or "@" and the path of a JSON file)');
  }
  const mapping = parseSsoMapping(json);
  if (typeof mapping === 'string') throw new ConfigError(`Configuration error: OIDC_MAPPING ${mapping}`);
  return mapping;
}

/** Parses the environment; throws ConfigError with one line naming the first bad variable. */
export function parseEnv(env: NodeJS.ProcessEnv): z.infer<typeof envSchema> {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const given = cleaned[name];
    const shown = name.includes('SECRET') || name.includes('PASSWORD') || name.includes('URI') || name.includes('URL') ? '' : given === undefined ? '' : ` (got "${given}")`;
    throw new ConfigError(`Configuration error: ${name} ${issue.message}${shown}`);
  }
  const oidcSet = [result.data.OIDC_ISSUER, result.data.OIDC_CLIENT_ID, result.data.OIDC_CLIENT_SECRET].filter((v) => v !== undefined).length;
  if (oidcSet > 0 && oidcSet < 3) throw new ConfigError('Configuration error: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together');
  if (!result.data.LOCAL_PASSWORDS && oidcSet === 0) throw new ConfigError('Configuration error: LOCAL_PASSWORDS may be false only with OIDC_ISSUER set (nobody could sign in)');
  // Public figures must never be finer than internal ones.
  if (result.data.PUBLISHED_K < result.data.SUPPRESSION_K) {
    throw new ConfigError(`Configuration error: PUBLISHED_K must be at least SUPPRESSION_K (got ${result.data.PUBLISHED_K} < ${result.data.SUPPRESSION_K})`);
  }
  return result.data;
}

/** Reads or creates DATA_DIR/secrets.json (0600 in a 0700 DATA_DIR) so generated secrets survive restarts. */
function loadOrCreateSecrets(dataDir: string): { jwtSecret: string } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    chmodSync(file, 0o600); // written by a version that did not set the mode, or copied in by hand
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { jwtSecret?: unknown };
    if (typeof stored.jwtSecret === 'string' && stored.jwtSecret.length >= 32) return { jwtSecret: stored.jwtSecret };
  }
  const secrets = { jwtSecret: randomBytes(48).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = parseEnv(env);
  const dataDir = resolve(projectRoot, parsed.DATA_DIR);
  const jwtSecret = parsed.JWT_SECRET ?? loadOrCreateSecrets(dataDir).jwtSecret;
  const baseUrl = (parsed.BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    env: parsed.NODE_ENV,
    port: parsed.PORT,
    host: parsed.HOST,
    baseUrl,
    secureCookies: baseUrl.startsWith('https://'),
    mongodbUri: parsed.MONGODB_URI,
    dataDir,
    jwtSecret,
    logLevel: parsed.LOG_LEVEL,
    adminEmail: parsed.ADMIN_EMAIL,
    adminPassword: parsed.ADMIN_PASSWORD,
    demoData: parsed.DEMO_DATA,
    suppressionK: parsed.SUPPRESSION_K,
    publishedK: parsed.PUBLISHED_K,
    releaseIntervalMs: parsed.RELEASE_INTERVAL_MS,
    responsesPerMinutePerClient: parsed.RESPONSES_PER_MINUTE_PER_CLIENT,
    responsesPerMinutePerLink: parsed.RESPONSES_PER_MINUTE_PER_LINK,
    responsesPerMinutePerAddress: parsed.RESPONSES_PER_MINUTE_PER_ADDRESS,
    responsesPerMinutePerBrowser: parsed.RESPONSES_PER_MINUTE_PER_BROWSER,
    tokenMissesPerClient: parsed.TOKEN_MISSES_PER_CLIENT,
    tokenMissesPerCampaign: parsed.TOKEN_MISSES_PER_CAMPAIGN,
    trustProxy: parsed.TRUST_PROXY,
    oidc:
      parsed.OIDC_ISSUER && parsed.OIDC_CLIENT_ID && parsed.OIDC_CLIENT_SECRET
        ? Object.freeze({ issuer: parsed.OIDC_ISSUER, clientId: parsed.OIDC_CLIENT_ID, clientSecret: parsed.OIDC_CLIENT_SECRET, scopes: parsed.OIDC_SCOPES, mapping: readMapping(parsed.OIDC_MAPPING) })
        : undefined,
    localPasswords: parsed.LOCAL_PASSWORDS,
    smtpUrl: parsed.SMTP_URL,
    mailFrom: parsed.MAIL_FROM ?? 'Pikir <no-reply@localhost>',
    responseMixSeconds: parsed.RESPONSE_MIX_SECONDS,
    dbCheckpointSeconds: parsed.DB_CHECKPOINT_SECONDS,
    timeZone: parsed.TIME_ZONE,
    mailRatePerMinute: parsed.MAIL_RATE_PER_MINUTE,
    quietHours: parsed.MAIL_QUIET_HOURS === 'none' ? null : Object.freeze({ from: Number(parsed.MAIL_QUIET_HOURS.split('-')[0]), to: Number(parsed.MAIL_QUIET_HOURS.split('-')[1]) }),
    chromiumPath: parsed.CHROMIUM_PATH,
  });
}
