// Blind-signed response credentials in the browser (RFC 9474, RSABSSA-SHA384-PSS-Randomized, through
// Cloudflare's blindrsa-ts served from our own origin). The browser picks a random message, blinds it with
// the survey's public key and sends only the blinded message with its token; the server's blind signature,
// unblinded here, is a credential the server can check but cannot connect to the token. It is kept in this
// browser (localStorage) until the answers are stored, and sent with them instead of the token.
//
// Pages set data-credential on one element: "token" (a personal link: get the credential now), "link" (the
// survey's own page: a credential kept from earlier, or a slip code typed here), "step" (add the credential
// to the form) or "spent" (the answers are stored: forget it).
import { BlindRSA } from '/vendor/blindrsa/blindrsa.js';

const PARAMS = { name: 'RSABSSA-SHA384-PSS-Randomized', hash: 'SHA-384', saltLength: 48, prepareType: 32, supportsRSARAW: false };
const storeKey = (campaign) => `pikir.credential.${campaign}`;
const pendingKey = (campaign) => `pikir.credential.pending.${campaign}`;

const encode = (bytes) => {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const decode = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4)), (c) => c.charCodeAt(0));

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || 'null');
  } catch {
    return null;
  }
}
const write = (key, value) => localStorage.setItem(key, JSON.stringify(value));

/** The credential this browser keeps for a campaign, if any: { message, signature } in base64url. */
export const storedCredential = (campaign) => read(storeKey(campaign));

export function forgetCredential(campaign) {
  try {
    localStorage.removeItem(storeKey(campaign));
    localStorage.removeItem(pendingKey(campaign));
  } catch {
    // storage unavailable: nothing was kept
  }
}

export const cryptoAvailable = () => Boolean(globalThis.crypto && globalThis.crypto.subtle && globalThis.isSecureContext !== false);

/**
 * Gets the campaign's credential with `token`, once: "ready", or why not — "issued" (another browser has
 * it), "invalid" (unknown token), "closed", "failed" (network or server; try again), "nocrypto".
 * The blinded message is kept until the answer arrives, so a retry asks for the same signature.
 */
export async function obtainCredential({ campaign, spki, issueUrl, token }) {
  if (storedCredential(campaign)) return 'ready';
  if (!cryptoAvailable()) return 'nocrypto';
  const suite = new BlindRSA(PARAMS);
  let publicKey;
  let pending;
  try {
    publicKey = await crypto.subtle.importKey('spki', decode(spki), { name: 'RSA-PSS', hash: 'SHA-384' }, true, ['verify']);
    pending = read(pendingKey(campaign));
    if (!pending) {
      const prepared = suite.prepare(crypto.getRandomValues(new Uint8Array(32)));
      const { blindedMsg, inv } = await suite.blind(publicKey, prepared);
      pending = { prepared: encode(prepared), inv: encode(inv), blinded: encode(blindedMsg) };
      write(pendingKey(campaign), pending);
    }
  } catch {
    return 'nocrypto';
  }
  let res;
  try {
    // No cookies: the request carries the token and the blinded message, nothing that names this browser.
    res = await fetch(issueUrl, { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, blindedMessage: pending.blinded }) });
  } catch {
    return 'failed';
  }
  if (res.status === 200 || res.status === 201) {
    try {
      const { blindSignature } = await res.json();
      // finalize() checks the signature with the published key: a signature under any other key is refused.
      const signature = await suite.finalize(publicKey, decode(pending.prepared), decode(blindSignature), decode(pending.inv));
      write(storeKey(campaign), { message: pending.prepared, signature: encode(signature) });
      localStorage.removeItem(pendingKey(campaign));
      return 'ready';
    } catch {
      localStorage.removeItem(pendingKey(campaign));
      return 'failed';
    }
  }
  const code = (await res.json().catch(() => ({})))?.error?.code;
  if (res.status === 404) return 'invalid';
  if (code === 'credential_issued' || code === 'already_answered') return 'issued';
  if (code === 'campaign_closed' || code === 'campaign_not_open') return 'closed';
  if (code === 'invalid_blinded_message') localStorage.removeItem(pendingKey(campaign));
  return 'failed';
}

function show(root, selector, visible) {
  for (const el of root.querySelectorAll(selector)) el.hidden = !visible;
}

function say(root, what) {
  const status = root.querySelector('[data-credential-status]');
  if (status) status.textContent = what ? status.dataset[`text${what[0].toUpperCase()}${what.slice(1)}`] || '' : '';
}

async function getWith(root, token) {
  const { campaign, spki, issueUrl } = root.dataset;
  say(root, 'getting');
  show(root, '[data-credential-retry]', false);
  const outcome = await obtainCredential({ campaign, spki, issueUrl, token });
  if (outcome === 'ready') {
    say(root, 'ready');
    show(root, '[data-credential-ready]', true);
    show(root, '[data-credential-keep]', true);
    show(root, '[data-credential-code]', false);
  } else {
    say(root, outcome);
    show(root, '[data-credential-retry]', outcome === 'failed');
  }
  return outcome;
}

function tokenPage(root) {
  const retry = root.querySelector('[data-credential-retry] button');
  if (retry) retry.addEventListener('click', () => void getWith(root, root.dataset.token));
  void getWith(root, root.dataset.token);
}

function linkPage(root) {
  if (storedCredential(root.dataset.campaign)) {
    say(root, 'ready');
    show(root, '[data-credential-ready]', true);
    return;
  }
  if (!cryptoAvailable()) return say(root, 'nocrypto');
  say(root, 'need');
  const form = root.querySelector('[data-credential-code]');
  if (!form) return;
  form.hidden = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = form.querySelector('input[name="code"]').value.trim();
    if (code) void getWith(root, code);
  });
}

function stepPage(form) {
  const credential = storedCredential(form.dataset.campaign);
  if (!credential) {
    show(form, '[data-credential-missing]', true);
    return;
  }
  for (const [name, value] of [['credential_message', credential.message], ['credential_signature', credential.signature]]) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
}

const root = document.querySelector('[data-credential]');
if (root) {
  const mode = root.dataset.credential;
  if (mode === 'token') tokenPage(root);
  else if (mode === 'link') linkPage(root);
  else if (mode === 'step') stepPage(root);
  else if (mode === 'spent') forgetCredential(root.dataset.campaign);
}
