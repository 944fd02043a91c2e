import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIST_SEP } from './rules.ts';
import { cardToContact, contactToVcard, foldLine, parseVcards, type VcardContact } from './vcard.ts';

const D = '/work/shared/testdata/vcards';
const contactsOf = (file: string) => parseVcards(readFileSync(`${D}/${file}`, 'utf8')).map(cardToContact);
const N = 'Ñ';

// What each real-world file must yield, read off the files themselves.
const EXPECTED: Record<string, Record<string, string>[]> = {
  'John_Doe_ANDROID.vcf': [
    { email: 'john.doe@company.com', full_name: 'john.doe@company.com', tags: 'My Contacts' },
    { email: 'jane.doe@company.com', full_name: 'jane.doe@company.com', tags: 'My Contacts' },
    { last_name: `${N} ${N} ${N} ${N}`, full_name: `${N} ${N} ${N} ${N} ${N}`, mobile: '123456789', tags: 'My Contacts' },
    { last_name: Array(11).fill(N).join(' '), full_name: Array(11).fill(N).join(' '), mobile: '123456', phone: '234567', tags: 'My Contacts' },
    { last_name: `${N} ${N}`, first_name: `${N} ${N} ${N}`, full_name: `${N} ${N} ${N} ${N}`, account: N.repeat(12), email: 'bob@company.com', mobile: '123456', phone: '123456' },
    { last_name: N.repeat(4), full_name: N.repeat(4), account: N.repeat(44), email: 'henry@company.com', mobile: '55556666', tags: 'My Contacts' },
  ],
  'John_Doe_BLACK_BERRY.vcf': [{ last_name: 'Doe', first_name: 'john', full_name: 'John Doe', account: 'Acme Solutions', mobile: '+96123456789' }],
  'John_Doe_EVOLUTION.vcf': [{
    last_name: 'Doe', first_name: 'John', full_name: 'Mr. John Richter, James Doe Sr.', account: 'IBM', department: 'Accounting / Dungeon', title: 'Money Counter',
    email: 'john.doe@ibm.com', mobile: '905-666-1234', phone: '905-555-1234', city: 'Albaney', country: 'US', tags: 'VIP',
  }],
  'John_Doe_GMAIL.vcf': [{ last_name: 'Doe', first_name: 'John', full_name: 'Mr. John Richter, James Doe Sr.', account: 'IBM', title: 'Money Counter', email: 'john.doe@ibm.com', mobile: '905-555-1234', phone: '905-666-1234' }],
  'John_Doe_IPHONE.vcf': [{
    last_name: 'Doe', first_name: 'John', full_name: 'Mr. John Richter James Doe Sr.', account: 'IBM', department: 'Accounting', title: 'Money Counter',
    email: 'john.doe@ibm.com', mobile: '905-555-1234', phone: '905-777-1234', city: 'New York', country: 'US',
  }],
  'John_Doe_LOTUS_NOTES.vcf': [{
    last_name: 'Doe', first_name: 'John', full_name: 'Mr. Doe John I Johny', account: 'IBM', department: 'SUN', title: 'Generic Accountant',
    email: 'john.doe@ibm.com', mobile: '+1 (212) 204-34456', city: 'New York', country: 'US',
  }],
  'John_Doe_MAC_ADDRESS_BOOK.vcf': [{
    last_name: 'Doe', first_name: 'John', full_name: 'Mr. John Richter,James Doe Sr.', account: 'IBM', department: 'Accounting', title: 'Money Counter',
    email: 'john.doe@ibm.com', mobile: '905-555-1234', phone: '905-777-1234', city: 'New York', country: 'US',
  }],
  'John_Doe_MS_OUTLOOK.vcf': [{
    last_name: 'Doe', first_name: 'John', full_name: 'Mr. John Richter James Doe Sr.', account: 'IBM', department: 'Accounting', title: 'Money Counter',
    email: 'john.doe@ibm.cm', phone: '(905) 555-1234', city: 'Albaney', country: 'US',
  }],
  'fullcontact.vcf': [{
    last_name: 'LastName', first_name: 'FirstName', full_name: 'Prefix FirstName MiddleName LastName Suffix', account: 'Organization1', department: 'Department1',
    title: 'Title1', email: 'home@example.com', mobile: '555-555-1113', phone: '555-555-1112', city: 'WorkCity', tags: 'Tag',
  }],
  'gmail-list.vcf': [
    { last_name: 'Smith', first_name: 'Arnold', full_name: 'Arnold Smith', email: 'asmithk@gmail.com' },
    { last_name: 'Beatle', first_name: 'Chris', full_name: 'Chris Beatle', email: 'chrisy55d@yahoo.com' },
    { last_name: 'White', first_name: 'Doug', full_name: 'Doug White', email: 'dwhite@gmail.com' },
  ],
  'gmail-single.vcf': [{ last_name: 'Dartmouth', first_name: 'Greg', full_name: 'Greg Dartmouth', account: 'TheCompany', title: 'TheJobTitle', email: 'gdartmouth@hotmail.com', mobile: '555 555 1111', phone: '555 555 2222' }],
  'gmail-single2.vcf': [{ last_name: 'Test', first_name: 'VCard', full_name: 'VCard Test', account: 'TheCompany', title: 'TheJobTitle', email: 'email@example.com', mobile: '5555551115', phone: '5555551113', city: 'NY' }],
  'outlook-2003.vcf': [{
    last_name: 'Doe', first_name: 'John', full_name: 'John Doe III', account: 'Company, The', department: 'TheDepartment', title: 'The Job Title',
    email: 'jdoe@hotmail.com', mobile: 'MobilePhone', phone: 'BusinessPhone', city: 'Austin', country: 'US',
  }],
  'outlook-2007.vcf': [{
    last_name: 'Angstadt', first_name: 'Michael', full_name: 'Mr. Michael Angstadt Jr.', account: 'TheCompany', department: 'TheDepartment', title: 'TheJobTitle',
    email: 'mike.angstadt@gmail.com', mobile: '(111) 555-4444', phone: '(111) 555-1111', city: 'New York', country: 'US',
  }],
  'rfc2426-example.vcf': [
    { full_name: 'Frank Dawson', account: 'Lotus Development Corporation', email: 'Frank_Dawson@Lotus.com', phone: '+1-919-676-9515', city: 'Raleigh', country: 'US' },
    { full_name: 'Tim Howes', account: 'Netscape Communications Corp.', email: 'howes@netscape.com', phone: '+1-415-937-3419', city: 'Mountain View', country: 'US' },
  ],
  'rfc6350-example.vcf': [{
    last_name: 'Perreault', first_name: 'Simon', full_name: 'Simon Perreault', account: 'Viagenie', email: 'simon.perreault@viagenie.ca',
    mobile: '+1-418-262-6501', phone: '+1-418-656-9254;ext=102', city: 'Quebec', country: 'CA', language: 'fr',
  }],
  'thunderbird-MoreFunctionsForAddressBook-extension.vcf': [{
    last_name: 'Doe', first_name: 'John', full_name: 'John Doe', account: 'TheOrganization', department: 'TheDepartment', title: 'TheTitle',
    email: 'doe.john@hotmail.com', mobile: '555-555-5555', phone: '555-555-1111', city: 'New York', country: 'US', tags: 'category1, category2, category3',
  }],
};

describe('vCard reading: every sample file', () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(file, () => {
      expect(contactsOf(file)).toEqual(expected);
    });
  }
  it('reads versions 2.1, 3.0 and 4.0', () => {
    const versions = (f: string) => parseVcards(readFileSync(`${D}/${f}`, 'utf8')).map((c) => c.version);
    expect(versions('outlook-2007.vcf')).toEqual(['2.1']);
    expect(versions('gmail-list.vcf')).toEqual(['3.0', '3.0', '3.0']);
    expect(versions('rfc6350-example.vcf')).toEqual(['4.0']);
  });
  it('decodes quoted-printable in the declared charset', () => {
    const gb = Buffer.from('张伟', 'utf8');
    void gb;
    const text = 'BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=GB2312;ENCODING=QUOTED-PRINTABLE:=D5=C5=CE=B0\r\nORG;CHARSET=UTF-8;QUOTED-PRINTABLE:=E6=98=8E=\r\n=E5=8D=8E\r\nEND:VCARD\r\n';
    expect(cardToContact(parseVcards(text)[0]!)).toMatchObject({ full_name: '张伟', account: '明华' });
  });
});

describe('vCard writing', () => {
  it('folds long lines at 75 octets without splitting characters', () => {
    const line = 'NOTE:' + '明'.repeat(60);
    const folded = foldLine(line);
    for (const l of folded.split('\r\n')) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(line);
  });

  const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((s) => s.trim()).filter((s) => s.length > 0);
  const opt = fc.option(text, { nil: null });
  const contact: fc.Arbitrary<VcardContact> = fc.record({
    id: fc.uuid(),
    fullName: text,
    firstName: opt,
    lastName: opt,
    title: opt,
    department: opt.map((d) => (d && d.includes(' / ') ? d.replace(/ \/ /g, '/') : d)),
    language: fc.option(fc.constantFrom('en', 'zh-CN', 'fr'), { nil: null }),
    email: fc.option(fc.emailAddress(), { nil: null }),
    phone: fc.option(fc.stringMatching(/^\+?[0-9 ()-]{3,20}$/).map((s) => s.trim()).filter(Boolean), { nil: null }),
    mobile: fc.option(fc.stringMatching(/^\+?[0-9 ()-]{3,20}$/).map((s) => s.trim()).filter(Boolean), { nil: null }),
    country: fc.option(fc.constantFrom('US', 'CN', 'DE', 'TW'), { nil: null }),
    city: opt,
    consent: fc.constantFrom('unknown', 'granted', 'denied'),
    doNotEmail: fc.boolean(),
    tags: fc.uniqueArray(text.filter((t) => !/[;,，；|、\n]/.test(t)), { maxLength: 4 }),
    accountName: opt,
    updatedAt: fc.constant(null),
  });

  for (const version of ['3.0', '4.0'] as const) {
    it(`vCard ${version} re-reads what it writes`, () => {
      fc.assert(
        fc.property(contact, (c) => {
          const cards = parseVcards(contactToVcard(c, version));
          expect(cards).toHaveLength(1);
          expect(cards[0]!.version).toBe(version);
          const back = cardToContact(cards[0]!);
          const expected: Record<string, string> = { full_name: c.fullName, consent: c.consent };
          const put = (k: string, v: string | null) => {
            if (v && v.trim()) expected[k] = v.trim();
          };
          put('first_name', c.firstName);
          put('last_name', c.lastName);
          put('title', c.title);
          put('department', c.department);
          put('language', c.language);
          put('email', c.email);
          put('phone', c.phone);
          put('mobile', c.mobile);
          put('country', c.country);
          put('city', c.city);
          put('account', c.accountName);
          if (c.tags.length) expected.tags = c.tags.join(LIST_SEP);
          if (c.doNotEmail) expected.do_not_email = 'true';
          expect(back).toEqual(expected);
        }),
        { numRuns: 300 },
      );
    });
  }
});
