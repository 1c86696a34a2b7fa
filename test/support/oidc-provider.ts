// A real OpenID provider for the single sign-on tests: node-oidc-provider (an OpenID Certified
// implementation) on a loopback port, with one confidential client for Pikir, PKCE required, and accounts
// whose claims a test sets. The interaction (the provider's own login page) signs in as the account the test
// chose, without a form. A test may also tamper with the next ID token the token endpoint answers: the
// token is re-signed with the provider's own key, so only the changed claim can make Pikir refuse it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import Provider from 'oidc-provider';
import { freePort } from '../../server/db/embedded.js';

export const IDP_CLIENT_ID = 'pikir';
export const IDP_CLIENT_SECRET = 'pikir-test-client-secret-0123456789';
export const IDP_SCOPES = 'openid email profile pikir';

export type Claims = Record<string, unknown>;

export interface TestIdp {
  issuer: string;
  /** The provider's accounts: id → claims (sub is the id). */
  accounts: Map<string, Claims>;
  /** The next interactive sign-in at the provider is this account. */
  signInAs(accountId: string): void;
  /** Rewrites the claims of the next ID token the token endpoint issues (re-signed with the provider's key). */
  tamperNextIdToken(change: (claims: Claims) => Claims): void;
  /** Environment for Pikir: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_SCOPES. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function resign(jwt: string, key: KeyObject, change: (claims: Claims) => Claims): string {
  const [header, payload] = jwt.split('.');
  const claims = change(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Claims);
  const body = `${header}.${b64(JSON.stringify(claims))}`;
  return `${body}.${b64(sign('sha256', Buffer.from(body), key))}`;
}

/** Starts the provider; `redirectUris` are the callbacks of the Pikir servers under test (BASE_URL + /login/sso/callback). */
export async function startTestIdp(redirectUris: string[]): Promise<TestIdp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const accounts = new Map<string, Claims>();
  let nextAccount: string | undefined;
  let tamper: ((claims: Claims) => Claims) | undefined;

  const provider = new Provider(issuer, {
    clients: [{ client_id: IDP_CLIENT_ID, client_secret: IDP_CLIENT_SECRET, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
    jwks: { keys: [jwk as never] },
    cookies: { keys: ['test-idp-cookie-key-0123456789'] },
    // Every client must send a PKCE challenge: a sign-in without one fails at the provider.
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'pikir'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], pikir: ['groups', 'faculties', 'programmes'] },
    findAccount: (_ctx, id) => (accounts.has(id) ? { accountId: id, claims: () => ({ ...accounts.get(id), sub: id }) } : undefined),
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  // Its warnings about development settings are expected here.
  provider.on('server_error', () => undefined);
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    const accountId = nextAccount;
    if (!accountId) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'no account chosen by the test' }, { mergeWithLastSubmission: false });
      return;
    }
    const clientId = String(details.params.client_id);
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
  };

  const server = createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    if (req.url?.startsWith('/token') && tamper) {
      const change = tamper;
      tamper = undefined;
      const chunks: Buffer[] = [];
      const end = res.end.bind(res) as (body: string) => ServerResponse;
      res.write = ((chunk: Buffer | string) => {
        chunks.push(Buffer.from(chunk));
        return true;
      }) as typeof res.write;
      res.end = ((chunk?: Buffer | string) => {
        if (chunk) chunks.push(Buffer.from(chunk));
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token?: string };
        if (body.id_token) body.id_token = resign(body.id_token, privateKey, change);
        const out = JSON.stringify(body);
        res.setHeader('content-length', Buffer.byteLength(out));
        return end(out);
      }) as typeof res.end;
    }
    void callback(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  return {
    issuer,
    accounts,
    signInAs(accountId) {
      nextAccount = accountId;
    },
    tamperNextIdToken(change) {
      tamper = change;
    },
    env: () => ({ OIDC_ISSUER: issuer, OIDC_CLIENT_ID: IDP_CLIENT_ID, OIDC_CLIENT_SECRET: IDP_CLIENT_SECRET, OIDC_SCOPES: IDP_SCOPES }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
