import { expect } from 'chai';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { contentSecurityPolicy } from '../../server/app.js';
import { securityHeaders } from '../../server/lib/security-headers.js';

function recordingResponse() {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  return { headers, res };
}

describe('security headers computed once', () => {
  for (const secure of [false, true]) {
    it(`sets exactly the headers helmet sets per request (secure cookies: ${secure})`, () => {
      const options = { contentSecurityPolicy: contentSecurityPolicy(secure), strictTransportSecurity: secure, referrerPolicy: { policy: 'same-origin' as const } };
      const direct = recordingResponse();
      let calledDirect = false;
      helmet(options)({} as IncomingMessage, direct.res as unknown as ServerResponse, () => (calledDirect = true));
      const fast = recordingResponse();
      let calledFast = false;
      securityHeaders(options)({} as Request, fast.res as unknown as Response, () => (calledFast = true));
      expect(calledDirect && calledFast).to.equal(true);
      expect(Object.fromEntries(fast.headers)).to.deep.equal(Object.fromEntries(direct.headers));
      expect(fast.headers.get('content-security-policy')).to.include("script-src 'self'");
      expect(fast.headers.has('strict-transport-security')).to.equal(secure);
      expect(fast.headers.get('referrer-policy')).to.equal('same-origin');
    });
  }
});
