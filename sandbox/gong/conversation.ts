import { createRng, type Rng } from '../shared/prng.js';
import { COMPETITORS, PRODUCT, SYSTEMS, TEAMS } from './people.js';

/**
 * Synthetic sales conversations with the structure that makes interaction metrics interesting:
 * turns of very different lengths, listener backchannels ("Mm-hm.") under a long turn,
 * overlapping turn starts, thinking pauses inside a turn, long silences between turns, short
 * substantive interjections, and questions ("What? Why?", "Really?!", "Is it 3.5?").
 * Times are integer milliseconds from the start of the call, as Gong transcripts give them.
 */

export type CallKind =
  | 'discovery'
  | 'demo'
  | 'pricing'
  | 'check-in'
  | 'cold-call'
  | 'qbr'
  | 'onboarding'
  | 'deep-dive'
  | 'exec-alignment';

export interface SpeakerPlan {
  speakerId: string;
  side: 'company' | 'customer';
  /** host: runs the call; cohost: second company person; champion: main customer voice */
  role: 'host' | 'cohost' | 'champion' | 'guest';
  firstName: string;
  /** speaking speed */
  wordsPerSecond: number;
  /** probability that a sentence starts with "Um," / "Uh," */
  fillerRate: number;
  /** joins to listen: says hello, then nothing (a manager sitting in) */
  quiet?: boolean;
}

export interface ConversationPlan {
  kind: CallKind;
  durationMs: number;
  speakers: readonly SpeakerPlan[];
  /** who presents in presentation phases (the solutions engineer when one joins) */
  presenterId: string;
  customerName: string;
  seed: number;
}

export interface Utterance {
  speakerId: string;
  /** ms from call start */
  start: number;
  end: number;
  text: string;
  topic?: string;
}

type Mode = 'smalltalk' | 'discovery' | 'presentation' | 'qa' | 'wrapup';

/** Share of the call each phase takes, and the Gong topic of its monologues. */
const PHASES: Record<CallKind, ReadonlyArray<readonly [Mode, number, string]>> = {
  discovery: [['smalltalk', 0.07, 'Small Talk'], ['discovery', 0.6, 'Discovery'], ['presentation', 0.15, 'Product Overview'], ['qa', 0.11, 'Objections'], ['wrapup', 0.07, 'Next Steps']],
  demo: [['smalltalk', 0.05, 'Call Setup'], ['discovery', 0.13, 'Discovery'], ['presentation', 0.5, 'Product Demo'], ['qa', 0.24, 'Integration'], ['wrapup', 0.08, 'Next Steps']],
  pricing: [['smalltalk', 0.05, 'Small Talk'], ['presentation', 0.25, 'Pricing'], ['qa', 0.4, 'Objections'], ['discovery', 0.15, 'Decision Process'], ['wrapup', 0.15, 'Next Steps']],
  'check-in': [['smalltalk', 0.1, 'Small Talk'], ['discovery', 0.4, 'Account Health'], ['qa', 0.35, 'Support'], ['wrapup', 0.15, 'Next Steps']],
  'cold-call': [['smalltalk', 0.1, 'Introduction'], ['discovery', 0.55, 'Qualification'], ['presentation', 0.15, 'Value Proposition'], ['wrapup', 0.2, 'Next Steps']],
  qbr: [['smalltalk', 0.05, 'Small Talk'], ['presentation', 0.35, 'Business Review'], ['discovery', 0.3, 'Goals'], ['qa', 0.2, 'Roadmap'], ['wrapup', 0.1, 'Next Steps']],
  onboarding: [['smalltalk', 0.05, 'Call Setup'], ['presentation', 0.4, 'Onboarding'], ['qa', 0.4, 'Configuration'], ['wrapup', 0.15, 'Next Steps']],
  'deep-dive': [['smalltalk', 0.04, 'Call Setup'], ['presentation', 0.45, 'Technical Deep Dive'], ['qa', 0.4, 'Security'], ['wrapup', 0.11, 'Next Steps']],
  'exec-alignment': [['smalltalk', 0.1, 'Small Talk'], ['discovery', 0.4, 'Strategy'], ['presentation', 0.2, 'Partnership'], ['qa', 0.2, 'Objections'], ['wrapup', 0.1, 'Next Steps']],
};

const BACKCHANNELS = ['Mm-hm.', 'Right.', 'Yeah.', 'Okay.', 'Sure.', 'Got it.', 'Uh-huh.', 'Yep.', 'Mm.', 'I see.'];

const SMALLTALK_COMPANY = [
  'Thanks for making the time today.',
  'How has your week been so far?',
  'Did you catch the game last night?',
  'I hope the weather is better on your side than here.',
  'Can everyone hear me okay?',
  'Let me know if my screen share drops.',
  'Before we start, is there a hard stop at the top of the hour?',
];
const SMALLTALK_CUSTOMER = [
  'Busy, but good, thanks for asking.',
  'We just came out of our planning offsite, so it has been a lot.',
  'Yes, I can hear you fine.',
  'Honestly it has been a long week.',
  'We have the full hour, no rush.',
  'Good to see you again.',
  'Sorry, I was a minute late, the previous meeting ran over.',
];
const DISCOVERY_QUESTIONS = [
  'How are you handling {team} reporting today?',
  'What does the current process look like end to end?',
  'Who else is involved when you evaluate a tool like this?',
  'What happens when the numbers in {system} do not match?',
  'How much time does your team spend on that every week?',
  'What made this a priority for this quarter?',
  'If you could fix one thing in the workflow, what would it be?',
  'How are you measuring success for {team} right now?',
  'Where does the data live today?',
  'What would happen if you did nothing this year?',
  'Have you looked at {competitor} or anything similar?',
  'What does your timeline look like for a decision?',
];
const FOLLOW_UPS = ['What? Why?', 'Really?!', 'Wait, what? Why is that?', 'How so?', 'Can you walk me through an example?', 'And who owns that?', 'Is it 3.5 hours a week or more?'];
const CUSTOMER_STORY = [
  'So right now everything goes through {system} and then someone exports it to a spreadsheet.',
  'We have about {number} people on {team} and most of them touch this every day.',
  'Last quarter we missed a renewal because nobody saw the warning signs in time.',
  'The biggest problem is that the data is always a week old by the time we look at it.',
  'Our VP asked for a single dashboard and we are still stitching it together by hand.',
  'We tried {competitor} two years ago but the rollout stalled after the pilot.',
  'It takes roughly {decimal} days to close the books because of the manual checks.',
  'I would say {percent} percent of the escalations come from the same three accounts.',
  'The team in Europe does it differently, which makes the numbers hard to compare.',
  'Honestly, nobody trusts the forecast until the last week of the quarter.',
  'We are hiring another {number} people next year, so the current process will not scale.',
  'Security review is usually the slowest part for us, it can take a month.',
  'When something breaks, the support team finds out from the customer first.',
  'We had a consultant build a custom integration but it is fragile.',
  'Budget is set in {quarter}, so anything new has to fit in that cycle.',
  'The executives mostly care about retention and expansion numbers.',
];
const PRESENTATION = [
  'So this is the main dashboard that your {team} would see every morning.',
  'Everything here syncs from {system} every fifteen minutes.',
  'You can drill into any account and see the full history of activity.',
  'This view highlights the accounts that are trending down, so nobody gets surprised.',
  'Setting up an alert takes about two minutes, let me show you.',
  'We support single sign-on and role based access out of the box.',
  'Most customers are live within {number} days of signing.',
  'The forecast model learns from your own historical deals, not a generic benchmark.',
  'Here you can see how the scoring changed over the last {number} weeks.',
  'This export goes straight back into {system}, so the data stays in one place.',
  'Compared to {competitor}, the main difference is that we do not need a data team to maintain it.',
  'Customers like yours usually see about {percent} percent less time spent on reporting.',
  'Pricing is per seat, with volume discounts above {number} seats.',
  'Let me switch over to the admin settings for a second.',
  'Does that make sense so far?',
  'This is where your managers would review the weekly summary.',
  'The audit log keeps every change for seven years.',
  'We also have an API if your engineers want to pull the data themselves.',
];
const CUSTOMER_QUESTIONS = [
  'How long does the implementation usually take?',
  'Does it work with our {system} instance?',
  'What does the pricing look like for {number} users?',
  'Who would own the integration on your side?',
  'Can we restrict what the contractors can see?',
  'Is the data stored in the EU?',
  'What happens to our data if we cancel?',
  'How is this different from {competitor}?',
  'Do you have customers in our industry we could talk to?',
  'Can it handle historical data from the last {number} years?',
];
const ANSWERS = [
  'Great question, the short answer is yes.',
  'Typically it takes two to four weeks depending on your {system} setup.',
  'We have a dedicated onboarding team that handles most of that for you.',
  'We can host the data in the EU or the US, your choice.',
  'I can send over our security documentation after the call.',
  'For {number} users you would be on the business tier.',
  'We have several customers in your space, I will set up a reference call.',
  'You can export everything at any time, and we delete it within thirty days of cancellation.',
  'Permissions are configurable per team and per field.',
  'That is on the roadmap for {quarter}.',
];
const WRAPUP_COMPANY = [
  'So to recap, I will send the proposal and the security package by {weekday}.',
  'Does {weekday} work for a follow-up with your team?',
  'I will loop in our solutions engineer for the technical questions.',
  'Is there anyone else we should include next time?',
  'Thanks so much for your time today.',
];
const WRAPUP_CUSTOMER = [
  '{weekday} works for us.',
  'Send it over and I will share it with our CFO.',
  'Sounds good, thanks everyone.',
  'Let me check with procurement and get back to you.',
  'Thanks, this was really helpful.',
];
const LEAD_INS = ['That makes sense.', 'Thanks, that is helpful context.', 'Got it, that is useful.', 'Let me dig into that a bit.'];
const INTERJECTIONS = [
  'Sorry, could you say that last part again?',
  'Quick question on that before you move on.',
  'Hold on, let me write that down.',
];
const FILLERS = ['Um, ', 'Uh, ', 'So, um, ', 'Uh, you know, '];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const QUARTERS = ['Q1', 'Q2', 'Q3', 'Q4'];

function wordCount(text: string): number {
  let words = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 32) words++;
  return words;
}

class Conversation {
  readonly utterances: Utterance[] = [];
  /** end of the last turn */
  t: number;
  private lastTurn: { speakerId: string; start: number; end: number } | undefined;
  private readonly company: SpeakerPlan[];
  private readonly customers: SpeakerPlan[];
  private readonly bags = new Map<readonly string[], string[]>();

  constructor(
    private readonly plan: ConversationPlan,
    private readonly rng: Rng,
  ) {
    this.company = plan.speakers.filter((s) => s.side === 'company');
    this.customers = plan.speakers.filter((s) => s.side === 'customer');
    this.t = rng.int(1500, 6000);
  }

  get limit(): number {
    return this.plan.durationMs - 1500;
  }

  speaker(id: string): SpeakerPlan | undefined {
    return this.plan.speakers.find((s) => s.speakerId === id);
  }

  host(): SpeakerPlan {
    return this.company.find((s) => s.role === 'host') ?? (this.company[0] as SpeakerPlan);
  }

  /** the company voice for this exchange: mostly the host */
  companyVoice(hostShare = 0.8): SpeakerPlan {
    const cohost = this.company.find((s) => s.role === 'cohost' && !s.quiet);
    return cohost && !this.rng.chance(hostShare) ? cohost : this.host();
  }

  customerVoice(): SpeakerPlan {
    const champion = this.customers.find((s) => s.role === 'champion') ?? (this.customers[0] as SpeakerPlan);
    const others = this.customers.filter((s) => s !== champion);
    return others.length > 0 && this.rng.chance(0.3) ? this.rng.pick(others) : champion;
  }

  fill(template: string): string {
    const rng = this.rng;
    return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
      switch (slot) {
        case 'team': return rng.pick(TEAMS);
        case 'system': return rng.pick(SYSTEMS);
        case 'competitor': return rng.pick(COMPETITORS);
        case 'number': return String(rng.pick([3, 5, 8, 12, 20, 40, 150, 300]));
        case 'decimal': return rng.pick(['2.5', '3.5', '4.5', '1.5']);
        case 'percent': return String(rng.int(2, 9) * 5);
        case 'quarter': return rng.pick(QUARTERS);
        case 'weekday': return rng.pick(WEEKDAYS);
        case 'product': return PRODUCT;
        case 'customer': return this.plan.customerName;
        default: return slot;
      }
    });
  }

  /** Draws without repetition until the bank is used up, so a call does not repeat itself. */
  draw(bank: readonly string[]): string {
    let bag = this.bags.get(bank);
    if (!bag || bag.length === 0) {
      bag = [...bank];
      this.bags.set(bank, bag);
    }
    const [picked] = bag.splice(this.rng.int(0, bag.length - 1), 1);
    return this.fill(picked as string);
  }

  sentences(bank: readonly string[], min: number, max: number): string[] {
    const count = this.rng.int(min, max);
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.draw(bank));
    return out;
  }

  /** When the next turn starts relative to the end of the previous one. */
  private turnStart(speakerId: string): number {
    const last = this.lastTurn;
    if (!last) return this.t;
    if (last.speakerId === speakerId) return this.t + this.rng.int(300, 1200);
    const roll = this.rng.next();
    if (roll < 0.12) return Math.max(last.start + 500, this.t - this.rng.int(200, 1400)); // overlap
    if (roll < 0.74) return this.t + this.rng.int(150, 900);
    if (roll < 0.91) return this.t + this.rng.int(900, 2500);
    return this.t + this.rng.int(2500, 8000); // long silence
  }

  /** One turn: consecutive sentences of one speaker, with what listeners do meanwhile. */
  say(speaker: SpeakerPlan, texts: readonly string[], topic: string | undefined): void {
    const rng = this.rng;
    const start = this.turnStart(speaker.speakerId);
    let cursor = start;
    let end = start;
    const listener = this.listenerFor(speaker);
    const cutIns: Array<readonly [number, number]> = [];
    for (let i = 0; i < texts.length; i++) {
      let text = texts[i] as string;
      if (rng.chance(speaker.fillerRate)) {
        const second = text.charAt(1);
        const lowered = text.startsWith('I ') || second !== second.toLowerCase() ? text : text.charAt(0).toLowerCase() + text.slice(1);
        text = rng.pick(FILLERS) + lowered;
      }
      const words = wordCount(text);
      const duration = Math.round((words / speaker.wordsPerSecond) * 1000 * rng.float(0.85, 1.2)) + 120;
      if (cursor + duration > this.limit) break;
      this.push({ speakerId: speaker.speakerId, start: cursor, end: cursor + duration, text, topic });
      end = cursor + duration;
      cursor = end + (rng.chance(0.06) ? rng.int(1500, 4500) : rng.int(60, 450));
      // A listener occasionally cuts in with something substantive, then the speaker goes on.
      if (listener && i < texts.length - 1 && rng.chance(0.03)) {
        const interjection = this.fill(rng.pick(INTERJECTIONS));
        const length = Math.round((wordCount(interjection) / listener.wordsPerSecond) * 1000) + 150;
        if (cursor + length < this.limit) {
          this.push({ speakerId: listener.speakerId, start: cursor, end: cursor + length, text: interjection, topic });
          cutIns.push([cursor, cursor + length]);
          cursor += length + rng.int(200, 700);
        }
      }
    }
    if (end === start) {
      this.t = Math.max(this.t, start);
      return;
    }
    if (listener && end - start >= 12_000) this.backchannels(listener, start, end, cutIns);
    this.lastTurn = { speakerId: speaker.speakerId, start, end };
    this.t = end;
  }

  private push(utterance: Utterance): void {
    if (utterance.topic === undefined) delete utterance.topic;
    this.utterances.push(utterance);
  }

  private listenerFor(speaker: SpeakerPlan): SpeakerPlan | undefined {
    if (speaker.side === 'company') return this.customers.find((s) => s.role === 'champion') ?? this.customers[0];
    return this.host();
  }

  /** Short acknowledgements under a long turn; they overlap the speaker and carry no topic. */
  private backchannels(listener: SpeakerPlan, start: number, end: number, busy: ReadonlyArray<readonly [number, number]>): void {
    const rng = this.rng;
    let at = start + rng.int(3000, 9000);
    // Stop early enough not to run into the listener's own reply, which may start up to 1.4 s early.
    while (at < end - 2500) {
      const length = rng.int(250, 900);
      if (rng.chance(0.5) && !busy.some(([s, e]) => at < e + 300 && at + length > s - 300)) {
        this.utterances.push({ speakerId: listener.speakerId, start: at, end: at + length, text: rng.pick(BACKCHANNELS) });
      }
      at += rng.int(5000, 14_000);
    }
  }
}

function exchange(c: Conversation, rng: Rng, mode: Mode, topic: string, presenter: SpeakerPlan): void {
  switch (mode) {
    case 'smalltalk': {
      const company = c.companyVoice(0.7);
      c.say(company, c.sentences(SMALLTALK_COMPANY, 1, 2), topic);
      c.say(c.customerVoice(), c.sentences(SMALLTALK_CUSTOMER, 1, 2), topic);
      return;
    }
    case 'discovery': {
      const asker = c.companyVoice(0.85);
      const lead = rng.chance(0.5) ? [rng.pick(LEAD_INS), ...c.sentences(PRESENTATION, 0, 2)] : [];
      c.say(asker, [...lead, c.draw(DISCOVERY_QUESTIONS)], topic);
      const long = rng.chance(0.15);
      c.say(c.customerVoice(), c.sentences(CUSTOMER_STORY, long ? 14 : 3, long ? 26 : 12), topic);
      if (rng.chance(0.15)) {
        c.say(asker, [c.draw(FOLLOW_UPS)], topic);
        c.say(c.customerVoice(), c.sentences(CUSTOMER_STORY, 1, 4), topic);
      }
      return;
    }
    case 'presentation': {
      const long = rng.chance(0.15);
      c.say(presenter, c.sentences(PRESENTATION, long ? 20 : 4, long ? 36 : 14), topic);
      if (rng.chance(0.5)) {
        c.say(c.customerVoice(), rng.chance(0.6) ? [c.draw(CUSTOMER_QUESTIONS)] : c.sentences(WRAPUP_CUSTOMER.slice(2), 1, 1), topic);
        c.say(presenter, c.sentences(ANSWERS, 1, 3), topic);
      }
      return;
    }
    case 'qa': {
      const asker = c.customerVoice();
      const question = c.draw(CUSTOMER_QUESTIONS);
      c.say(asker, rng.chance(0.3) ? [c.draw(CUSTOMER_STORY), question] : [question], topic);
      c.say(c.companyVoice(0.65), c.sentences(ANSWERS, 2, 6), topic);
      if (rng.chance(0.25)) c.say(asker, c.sentences(WRAPUP_CUSTOMER.slice(2), 1, 1), topic);
      return;
    }
    case 'wrapup': {
      c.say(c.host(), c.sentences(WRAPUP_COMPANY, 1, 3), topic);
      c.say(c.customerVoice(), c.sentences(WRAPUP_CUSTOMER, 1, 2), topic);
      return;
    }
  }
}

/** The utterances of one call, sorted by start (then end). Deterministic in `plan`. */
export function generateConversation(plan: ConversationPlan): Utterance[] {
  const rng = createRng(plan.seed);
  const c = new Conversation(plan, rng);
  const presenter = c.speaker(plan.presenterId) ?? c.host();

  // Everybody on the call speaks: the host opens, the others say hello in turn.
  c.say(c.host(), [`Hi everyone, thanks for joining.`, rng.pick(['How is everyone doing?', 'Shall we get started?'])], 'Call Setup');
  for (const speaker of plan.speakers) {
    if (speaker.role === 'host') continue;
    c.say(speaker, [rng.pick([`Hi, ${speaker.firstName} here.`, 'Hello, good to meet you.', 'Hey everyone.'])], 'Call Setup');
  }

  let phaseEnd = 0;
  for (const [mode, share, topic] of PHASES[plan.kind]) {
    phaseEnd += share * plan.durationMs;
    const phaseLimit = Math.min(phaseEnd, plan.durationMs - 25_000);
    // Small talk and wrap-up are a couple of exchanges however long the call is.
    const maxExchanges = mode === 'smalltalk' ? rng.int(1, 2) : mode === 'wrapup' ? 2 : 500;
    for (let n = 0; c.t < phaseLimit && n < maxExchanges; n++) exchange(c, rng, mode, topic, presenter);
  }
  c.say(c.host(), ['Thanks again, talk soon.'], 'Next Steps');
  c.say(c.customerVoice(), ['Thanks, bye.'], 'Next Steps');

  return c.utterances.sort((a, b) => a.start - b.start || a.end - b.end);
}

export interface GongSentence {
  start: number;
  end: number;
  text: string;
}

export interface GongMonologue {
  speakerId: string;
  topic?: string;
  sentences: GongSentence[];
}

/** Gong's transcript shape: consecutive sentences of one speaker form a monologue. */
export function toMonologues(utterances: readonly Utterance[]): GongMonologue[] {
  const out: GongMonologue[] = [];
  let current: GongMonologue | undefined;
  for (const u of utterances) {
    if (!current || current.speakerId !== u.speakerId) {
      current = { speakerId: u.speakerId, sentences: [] };
      if (u.topic) current.topic = u.topic;
      out.push(current);
    } else if (!current.topic && u.topic) {
      current.topic = u.topic;
    }
    current.sentences.push({ start: u.start, end: u.end, text: u.text });
  }
  // Gong keys are ordered speakerId, topic, sentences; keep that order for readable dumps.
  return out.map((m) => (m.topic ? { speakerId: m.speakerId, topic: m.topic, sentences: m.sentences } : m));
}
