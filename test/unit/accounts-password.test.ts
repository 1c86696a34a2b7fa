import { expect } from 'chai';
import { generateOneTimePassword, hashPassword, SCRYPT_PARAMS, verifyPassword } from '../../server/accounts/password.js';
import { commonPasswords, passwordProblem } from '../../server/accounts/password-policy.js';

describe('password hashing (scrypt)', () => {
  it('stores the algorithm, its parameters, a random salt and the hash', async () => {
    const a = await hashPassword('quiet meadow lantern 47');
    const b = await hashPassword('quiet meadow lantern 47');
    const [alg, N, r, p, salt, hash] = a.split('$');
    expect(alg).to.equal('scrypt');
    expect([Number(N), Number(r), Number(p)]).to.deep.equal([SCRYPT_PARAMS.N, SCRYPT_PARAMS.r, SCRYPT_PARAMS.p]);
    expect(Buffer.from(salt!, 'base64')).to.have.length(16);
    expect(Buffer.from(hash!, 'base64')).to.have.length(32);
    expect(a).not.to.equal(b, 'two hashes of one password differ by their salt');
    expect(a).not.to.include('meadow');
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('Қазақ тілі әдемі 2024');
    expect(await verifyPassword('Қазақ тілі әдемі 2024', stored)).to.equal(true);
    expect(await verifyPassword('Қазақ тілі әдемі 2025', stored)).to.equal(false);
  });

  it('refuses stored values it did not write, and absurd parameters', async () => {
    expect(await verifyPassword('x', 'plaintext')).to.equal(false);
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')).to.equal(false);
    expect(await verifyPassword('x', 'bcrypt$10$8$1$a$b')).to.equal(false);
  });

  it('generates readable one-time passwords that pass the rules', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const otp = generateOneTimePassword();
      expect(otp).to.match(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(passwordProblem(otp)).to.equal(undefined);
      seen.add(otp);
    }
    expect(seen.size).to.equal(50);
  });
});

describe('password rules', () => {
  it('ships a list of a few thousand common passwords', () => {
    expect(commonPasswords().size).to.be.greaterThan(5000);
    expect(commonPasswords().has('password')).to.equal(true);
  });

  it('wants at least 12 characters', () => {
    expect(passwordProblem('short pass1')).to.equal('too_short');
    expect(passwordProblem('x'.repeat(257))).to.equal('too_long');
  });

  it('refuses common passwords, also with digits or symbols added', () => {
    for (const p of ['1q2w3e4r5t6y', 'qwertyuiop123', 'password2024!', 'Football123456', '123456789012', 'aaaaaaaaaaaa', 'abcabcabcabc', 'йцукенгшщзхъ']) {
      expect(passwordProblem(p), p).to.equal('common');
    }
  });

  it('refuses the email address (and its local part)', () => {
    expect(passwordProblem('aigerim.s@university.kz', { email: 'Aigerim.S@university.kz' })).to.equal('same_as_email');
    expect(passwordProblem('aigerim.seitkali', { email: 'aigerim.seitkali@university.kz' })).to.equal('same_as_email');
  });

  it('accepts a passphrase, in any script', () => {
    expect(passwordProblem('quiet meadow lantern 47', { email: 'a@b.kz' })).to.equal(undefined);
    expect(passwordProblem('көктемгі жаңбыр мен ән', { email: 'a@b.kz' })).to.equal(undefined);
  });
});
