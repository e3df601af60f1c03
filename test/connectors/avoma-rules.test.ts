import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deriveEndTimes, SECONDS_PER_WORD, type StartOnlyParagraph } from '../../src/connectors/end-times.js';
import { nextPageRequest } from '../../src/connectors/avoma/paging.js';
import { companyDirectory, mapAvomaTranscript, resolveParticipant } from '../../src/connectors/avoma/mappers.js';
import { AvomaTranscription, type AvomaUser } from '../../src/connectors/avoma/schemas.js';

/** The pure rules of the Avoma connector: derived end times, `next` URL policy, sides and users. */

const para = (speakerId: string, timestamps: number[], wordCount = timestamps.length): StartOnlyParagraph => ({ speakerId, timestamps, wordCount });

describe('derived end times (Avoma gives word START times only)', () => {
  it('ends one word after the last timed word when nothing follows soon', () => {
    const [a] = deriveEndTimes([para('0', [1, 1.5, 2])]);
    expect(a).toEqual({ start: 1, end: 2 + SECONDS_PER_WORD });
  });

  it('adds one word length per word without a timestamp', () => {
    const [a] = deriveEndTimes([para('0', [10], 5)]);
    expect(a!.end).toBeCloseTo(10 + 5 * SECONDS_PER_WORD, 9);
  });

  it('ends where another speaker takes the floor after the last word', () => {
    const spans = deriveEndTimes([para('0', [0, 0.5, 1]), para('1', [1.2, 1.6])]);
    expect(spans[0]).toEqual({ start: 0, end: 1.2 });
  });

  it('is not cut by an overlapping backchannel that starts before its last word', () => {
    const spans = deriveEndTimes([para('0', [0, 1, 2, 3, 4, 5]), para('1', [2.5]), para('0', [8, 9])]);
    expect(spans[0]).toEqual({ start: 0, end: 5 + SECONDS_PER_WORD });
    expect(spans[1]).toEqual({ start: 2.5, end: 2.5 + SECONDS_PER_WORD });
  });

  it('never overlaps the same speaker\'s next paragraph, even when timestamps interleave', () => {
    const spans = deriveEndTimes([para('0', [0, 3, 6]), para('0', [2, 2.5])]);
    expect(spans[0]!.end).toBe(2);
  });

  it('ends the last paragraph by the meeting end; a paragraph past the end has length 0', () => {
    const spans = deriveEndTimes([para('0', [100, 101], 60), para('1', [130])], 120);
    expect(spans[0]!.end).toBe(120);
    expect(spans[1]).toEqual({ start: 130, end: 130 });
  });

  it('keeps input order and reads unsorted timestamps by their min and max', () => {
    const spans = deriveEndTimes([para('1', [20]), para('0', [3, 1, 2])]);
    expect(spans[1]!.start).toBe(1);
    expect(spans[0]!.start).toBe(20);
    expect(spans[1]!.end).toBe(3 + SECONDS_PER_WORD);
  });

  const paragraphs = fc.array(
    fc.record({
      speakerId: fc.constantFrom('0', '1', '2'),
      timestamps: fc.array(fc.double({ min: 0, max: 600, noNaN: true }), { minLength: 1, maxLength: 6 }),
      extraWords: fc.nat(5),
    }),
    { maxLength: 30 },
  );

  it('properties: end ≥ start; ≤ own next start; ≤ meeting end; ≤ the words-per-second guess; never cuts a timed word unless forced', () => {
    fc.assert(
      fc.property(paragraphs, fc.option(fc.double({ min: 0, max: 700, noNaN: true }), { nil: undefined }), (raw, meetingEnd) => {
        const input = raw.map((p) => para(p.speakerId, p.timestamps, p.timestamps.length + p.extraWords));
        const spans = deriveEndTimes(input, meetingEnd);
        expect(spans).toHaveLength(input.length);
        const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.start - spans[b]!.start || a - b);
        order.forEach((i, k) => {
          const s = spans[i]!;
          const p = input[i]!;
          const first = Math.min(...p.timestamps);
          const last = Math.max(...p.timestamps);
          expect(s.start).toBe(first);
          expect(s.end).toBeGreaterThanOrEqual(s.start);
          const guess = last + SECONDS_PER_WORD * (1 + p.wordCount - p.timestamps.length);
          expect(s.end).toBeLessThanOrEqual(Math.max(s.start, guess) + 1e-9);
          const ownNext = order.slice(k + 1).map((j) => input[j]!).find((q) => q.speakerId === p.speakerId);
          const ownNextStart = ownNext ? Math.min(...ownNext.timestamps) : Infinity;
          expect(s.end).toBeLessThanOrEqual(Math.max(s.start, ownNextStart));
          if (meetingEnd !== undefined) expect(s.end).toBeLessThanOrEqual(Math.max(s.start, meetingEnd));
          expect(s.end).toBeGreaterThanOrEqual(Math.min(last, ownNextStart, meetingEnd ?? Infinity));
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('next page URLs', () => {
  it('splits a next URL on the account origin into path and query', () => {
    expect(nextPageRequest('https://api.avoma.com', 'https://api.avoma.com/v1/meetings/?from_date=a&page=2')).toEqual({
      path: '/v1/meetings/',
      query: { from_date: 'a', page: '2' },
    });
  });

  it('keeps a base path prefix, and accepts a relative next', () => {
    expect(nextPageRequest('https://proxy.example/avoma/', 'https://proxy.example/avoma/v1/meetings/?page=3')).toEqual({ path: '/v1/meetings/', query: { page: '3' } });
    expect(nextPageRequest('https://proxy.example/avoma', '/avoma/v1/meetings/?page=3')).toEqual({ path: '/v1/meetings/', query: { page: '3' } });
  });

  it('accepts an http next from an https base on default ports (the request still goes to the base)', () => {
    expect(nextPageRequest('https://api.avoma.com', 'http://api.avoma.com/v1/meetings/?page=2')).toEqual({ path: '/v1/meetings/', query: { page: '2' } });
  });

  it('refuses other hosts, ports, an https→http downgrade with a port, userinfo and paths outside the base', () => {
    for (const [base, next] of [
      ['https://api.avoma.com', 'https://evil.example/v1/meetings/?page=2'],
      ['https://api.avoma.com', 'https://api.avoma.com.evil.example/v1/meetings/'],
      ['http://127.0.0.1:4000', 'http://127.0.0.1:4001/v1/meetings/'],
      ['https://api.avoma.com:8443', 'http://api.avoma.com:8443/v1/meetings/'],
      ['https://api.avoma.com', 'https://user:pw@api.avoma.com/v1/meetings/'],
      ['https://proxy.example/avoma', 'https://proxy.example/other/v1/meetings/'],
      ['https://api.avoma.com', 'javascript:alert(1)'],
    ] as const) {
      expect(nextPageRequest(base, next), `${base} ${next}`).toHaveProperty('refused');
    }
  });
});

describe('sides and users', () => {
  const users = [
    { uuid: 'u-1', user: { email: 'Ana@Acme.example', first_name: 'Ana', last_name: 'Lee' }, role: null },
    { uuid: 'u-2', user: { email: 'bo@gmail.com', first_name: 'Bo', last_name: 'Wu' }, role: null },
  ] as AvomaUser[];
  const dir = companyDirectory(users);

  it('derives company domains from users, ignoring public mailboxes', () => {
    expect([...dir.domains]).toEqual(['acme.example']);
  });

  it('a company user is internal with its user id, whatever is_rep says', () => {
    expect(resolveParticipant(dir, 'ana@acme.example', false)).toEqual({ side: 'internal', user_id: 'u-1' });
    expect(resolveParticipant(dir, ' BO@gmail.com ', undefined)).toEqual({ side: 'internal', user_id: 'u-2' });
  });

  it('otherwise is_rep decides; without it, the email domain', () => {
    expect(resolveParticipant(dir, 'x@customer.example', true)).toEqual({ side: 'internal' });
    expect(resolveParticipant(dir, 'x@acme.example', false)).toEqual({ side: 'external' });
    expect(resolveParticipant(dir, 'new.hire@acme.example', null)).toEqual({ side: 'internal' });
    expect(resolveParticipant(dir, 'someone@gmail.com', null)).toEqual({ side: 'external' });
    expect(resolveParticipant(dir, '', null)).toEqual({ side: 'external' });
  });

  it('maps a transcription: speaker ids as strings, sides, users, untimed paragraphs left out', () => {
    // parsed as Avoma sends it: integer speaker ids become strings
    const t = AvomaTranscription.parse({
      uuid: 't-1',
      meeting_uuid: 'm-1',
      speakers: [
        { id: 0, name: 'Ana Lee', email: 'ana@acme.example', is_rep: true },
        { id: 1, name: 'Cy', email: 'cy@customer.example', is_rep: false },
      ],
      transcript: [
        { transcript: 'Hello there, how are you?', timestamps: [0.5, 0.9, 1.2, 1.5, 1.8], speaker_id: 0 },
        { transcript: '[inaudible]', timestamps: [], speaker_id: 1 },
        { transcript: 'Fine.', timestamps: [2.5], speaker_id: 1 },
        { transcript: 'Ghost', timestamps: [3.5], speaker_id: 9 },
      ],
    });
    const mapped = mapAvomaTranscript(t, dir, 3.7);
    expect(mapped.id).toBe('t-1');
    expect(mapped.meeting).toEqual({ id: 'm-1' });
    expect(mapped.entries).toEqual([
      { speaker_id: '0', speaker_name: 'Ana Lee', speaker_side: 'internal', user_id: 'u-1', text: 'Hello there, how are you?', start_time: 0.5, end_time: 1.8 + SECONDS_PER_WORD, end_time_derived: true },
      { speaker_id: '1', speaker_name: 'Cy', speaker_side: 'external', text: 'Fine.', start_time: 2.5, end_time: 2.5 + SECONDS_PER_WORD, end_time_derived: true },
      { speaker_id: '9', speaker_side: 'external', text: 'Ghost', start_time: 3.5, end_time: 3.7, end_time_derived: true },
    ]);
  });
});
