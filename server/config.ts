// Typed configuration from the environment, validated once at start-up. A bad value stops the process
// with one line that names the variable; secrets that are not given are generated once and kept in DATA_DIR.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isTimeZone } from './lib/dates.js';
import { projectRoot } from './lib/paths.js';

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
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'must look like smtp://user:pass@host:587').optional(),
  MAIL_FROM: z.string().min(3, 'must be an address such as "Pikir <qa@university.kz>"').optional(),
  RESPONSE_MIX_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 (off) or more').max(86_400, 'must be at most 86400 (a day)').default(60),
  DB_CHECKPOINT_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(3_600, 'must be at most 3600').default(10),
  TIME_ZONE: z.string().refine(isTimeZone, 'must be a time zone name such as Asia/Almaty').default(DEFAULT_TIME_ZONE),
});

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
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Embedded store: responses are rewritten in random order this long after the first unmixed one (0 = never). */
  readonly responseMixSeconds: number;
  /** Embedded store: the WAL is checkpointed and truncated this often. */
  readonly dbCheckpointSeconds: number;
  /** The university's time zone (IANA name): its calendar days are the days of every date shown or stored. */
  readonly timeZone: string;
}

export class ConfigError extends Error {}

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
    smtpUrl: parsed.SMTP_URL,
    mailFrom: parsed.MAIL_FROM ?? 'Pikir <no-reply@localhost>',
    responseMixSeconds: parsed.RESPONSE_MIX_SECONDS,
    dbCheckpointSeconds: parsed.DB_CHECKPOINT_SECONDS,
    timeZone: parsed.TIME_ZONE,
  });
}
