import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseEnv } from '../../server/config.js';

describe('configuration', () => {
  it('applies defaults when nothing is set', () => {
    const env = parseEnv({});
    expect(env.PORT).to.equal(3000);
    expect(env.DATA_DIR).to.equal('./data');
    expect(env.SUPPRESSION_K).to.equal(5);
    expect(env.DEMO_DATA).to.equal(true);
  });

  it('names the variable and the value in one line when PORT is not a number', () => {
    expect(() => parseEnv({ PORT: 'abc' })).to.throw(ConfigError, /^Configuration error: PORT must be a port number \(got "abc"\)$/);
  });

  it('refuses a public threshold below the internal one', () => {
    expect(() => parseEnv({ SUPPRESSION_K: '12', PUBLISHED_K: '10' })).to.throw(ConfigError, /^Configuration error: PUBLISHED_K must be at least SUPPRESSION_K \(got 10 < 12\)$/);
    expect(parseEnv({ SUPPRESSION_K: '10', PUBLISHED_K: '10' }).PUBLISHED_K).to.equal(10);
  });

  it('rejects a port out of range', () => {
    expect(() => parseEnv({ PORT: '70000' })).to.throw(ConfigError, /PORT must be between 1 and 65535/);
  });

  it('rejects a MONGODB_URI that is not a MongoDB address without echoing it', () => {
    let message = '';
    try {
      parseEnv({ MONGODB_URI: 'postgres://user:secret@host/db' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.equal('Configuration error: MONGODB_URI must start with mongodb:// or mongodb+srv://');
    expect(message).not.to.include('secret');
  });

  it('rejects a short JWT_SECRET', () => {
    expect(() => parseEnv({ JWT_SECRET: 'short' })).to.throw(ConfigError, /JWT_SECRET must be at least 32 characters/);
  });

  it('rejects a BASE_URL that is not a URL', () => {
    expect(() => parseEnv({ BASE_URL: 'pikir' })).to.throw(ConfigError, /BASE_URL must be an absolute URL/);
  });

  it('rejects an unknown NODE_ENV and a bad boolean', () => {
    expect(() => parseEnv({ NODE_ENV: 'staging' })).to.throw(/NODE_ENV must be development, production or test/);
    expect(() => parseEnv({ DEMO_DATA: 'maybe' })).to.throw(/DEMO_DATA must be true or false/);
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ PORT: '' }).PORT).to.equal(3000);
  });

  it('generates a JWT secret once and keeps it in DATA_DIR', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pikir-config-'));
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(first.jwtSecret).to.have.length.greaterThan(40);
    expect(second.jwtSecret).to.equal(first.jwtSecret);
    const file = join(dataDir, 'secrets.json');
    expect(existsSync(file)).to.equal(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).jwtSecret).to.equal(first.jwtSecret);
  });

  it('marks cookies secure when BASE_URL is https', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pikir-config-'));
    expect(loadConfig({ DATA_DIR: dataDir, BASE_URL: 'https://pikir.example.edu/' }).secureCookies).to.equal(true);
    expect(loadConfig({ DATA_DIR: dataDir }).secureCookies).to.equal(false);
  });

  it('keeps TRUST_PROXY off by default, and takes hops, names, addresses and subnets — never a bare "true"', () => {
    expect(parseEnv({}).TRUST_PROXY).to.equal(false);
    expect(parseEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).to.equal(false);
    expect(parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).to.equal(1);
    expect(parseEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8, 192.0.2.7, fd00::/8' }).TRUST_PROXY).to.deep.equal(['loopback', '10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
    expect(() => parseEnv({ TRUST_PROXY: 'true' })).to.throw(ConfigError, /TRUST_PROXY must name the proxy/);
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/2', '*']) expect(() => parseEnv({ TRUST_PROXY: bad }), bad).to.throw(ConfigError, /TRUST_PROXY/);
  });

  it('sets up single sign-on only with issuer, client id and secret together; passwords may be off only with it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pikir-config-'));
    const oidc = { OIDC_ISSUER: 'https://sso.university.kz/realms/staff', OIDC_CLIENT_ID: 'pikir', OIDC_CLIENT_SECRET: 'a-secret-of-the-provider' };
    expect(loadConfig({ DATA_DIR: dataDir }).oidc).to.equal(undefined);
    const config = loadConfig({ DATA_DIR: dataDir, ...oidc, LOCAL_PASSWORDS: 'false' });
    expect(config.oidc).to.deep.include({ issuer: oidc.OIDC_ISSUER, clientId: 'pikir', scopes: 'openid email profile' });
    expect(config.localPasswords).to.equal(false);
    expect(() => loadConfig({ DATA_DIR: dataDir, OIDC_ISSUER: oidc.OIDC_ISSUER })).to.throw(ConfigError, /must be set together/);
    expect(() => loadConfig({ DATA_DIR: dataDir, LOCAL_PASSWORDS: 'false' })).to.throw(ConfigError, /LOCAL_PASSWORDS may be false only with OIDC_ISSUER/);
    expect(() => loadConfig({ DATA_DIR: dataDir, ...oidc, OIDC_ISSUER: 'not a url' })).to.throw(ConfigError, /OIDC_ISSUER/);
    // The secret is never echoed in the message.
    expect(() => loadConfig({ DATA_DIR: dataDir, ...oidc, OIDC_CLIENT_SECRET: 'x'.repeat(600) })).to.throw(ConfigError, /^Configuration error: OIDC_CLIENT_SECRET [^"]*$/);
  });

  it('reads OIDC_MAPPING inline or from a file, and names what is wrong with it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pikir-config-'));
    const oidc = { DATA_DIR: dataDir, OIDC_ISSUER: 'https://sso.university.kz', OIDC_CLIENT_ID: 'pikir', OIDC_CLIENT_SECRET: 'secret' };
    const mapping = { claims: { roles: 'realm_access.roles', faculties: 'faculty' }, roles: { admin: ['pikir-admin'], council: ['council'] } };
    expect(loadConfig({ ...oidc, OIDC_MAPPING: JSON.stringify(mapping) }).oidc!.mapping).to.deep.include({ roles: mapping.roles });
    const file = join(dataDir, 'mapping.json');
    writeFileSync(file, JSON.stringify(mapping));
    expect(loadConfig({ ...oidc, OIDC_MAPPING: `@${file}` }).oidc!.mapping.claims).to.deep.include({ email: 'email', roles: 'realm_access.roles' });
    expect(() => loadConfig({ ...oidc, OIDC_MAPPING: '{not json' })).to.throw(ConfigError, /OIDC_MAPPING must be JSON/);
    expect(() => loadConfig({ ...oidc, OIDC_MAPPING: '@/no/such/file.json' })).to.throw(ConfigError, /cannot be read/);
    expect(() => loadConfig({ ...oidc, OIDC_MAPPING: JSON.stringify({ roles: { admin: ['x'] } }) })).to.throw(ConfigError, /claims.roles and the values of roles together/);
    expect(() => loadConfig({ ...oidc, OIDC_MAPPING: JSON.stringify({ roles: { rector: ['x'] }, claims: { roles: 'groups' } }) })).to.throw(ConfigError, /OIDC_MAPPING/);
  });

  it('reads the mail rate, the university time zone and its night, with clear refusals', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pikir-config-'));
    const defaults = loadConfig({ DATA_DIR: dataDir });
    expect(defaults).to.include({ mailRatePerMinute: 300, timeZone: 'Asia/Almaty' });
    expect(defaults.quietHours).to.deep.equal({ from: 21, to: 8 });
    const set = loadConfig({ DATA_DIR: dataDir, MAIL_RATE_PER_MINUTE: '30', TIME_ZONE: 'Asia/Aqtobe', MAIL_QUIET_HOURS: '22-07' });
    expect(set).to.include({ mailRatePerMinute: 30, timeZone: 'Asia/Aqtobe' });
    expect(set.quietHours).to.deep.equal({ from: 22, to: 7 });
    expect(loadConfig({ DATA_DIR: dataDir, MAIL_QUIET_HOURS: 'none' }).quietHours).to.equal(null);
    expect(() => parseEnv({ MAIL_RATE_PER_MINUTE: '0' })).to.throw(ConfigError, /^Configuration error: MAIL_RATE_PER_MINUTE must be at least 1 \(got "0"\)$/);
    expect(() => parseEnv({ MAIL_RATE_PER_MINUTE: 'fast' })).to.throw(ConfigError, /MAIL_RATE_PER_MINUTE must be a number/);
    expect(() => parseEnv({ MAIL_QUIET_HOURS: '9pm-8am' })).to.throw(ConfigError, /MAIL_QUIET_HOURS must be two hours such as 21-8/);
    expect(() => parseEnv({ MAIL_QUIET_HOURS: '24-8' })).to.throw(ConfigError, /MAIL_QUIET_HOURS must be two hours/);
    expect(() => parseEnv({ MAIL_QUIET_HOURS: '8-8' })).to.throw(ConfigError, /MAIL_QUIET_HOURS must name two different hours/);
  });
});
