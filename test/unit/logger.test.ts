import { expect } from 'chai';
import { redactUrl } from '../../server/lib/logger.js';

describe('request log redaction', () => {
  it('drops query strings, where tokens may travel', () => {
    expect(redactUrl('/login?next=/x&token=abc')).to.equal('/login');
  });

  it('hides token and link segments of respondent routes', () => {
    expect(redactUrl('/t/Zk3xQ9aa/page/2')).to.equal('/t/[redacted]/page/2');
    expect(redactUrl('/s/open-link-id')).to.equal('/s/[redacted]');
    expect(redactUrl('/api/respond/abc/submit')).to.equal('/api/respond/[redacted]');
    expect(redactUrl('/unsubscribe/xyz')).to.equal('/unsubscribe/[redacted]');
  });

  it('keeps ordinary paths', () => {
    expect(redactUrl('/api/campaigns/123')).to.equal('/api/campaigns/123');
  });
});
