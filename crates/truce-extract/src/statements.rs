//! Statements: who said what, with title, organisation, cue verb and stance.
//!
//! - **Direct quotes** in straight or curly double quotes. A quote still open at the end of a
//!   paragraph ends there (news reopens a quote that continues in the next paragraph). A quote is
//!   attributed by the words right after it (`"...," said X`, `"...," X told reporters`) or right
//!   before it (`X said: "..."`); a quote split by its attribution (`"A," said X, "B."`) is one
//!   statement; a quote paragraph with no attribution continues the previous speaker.
//! - **Indirect speech**: `X said (that) ...`, `X told reporters ...`, `..., X said.`,
//!   `according to X, ...`, `X denied that ...`, `X called for ...`.
//! - **Speakers** are read from the words around the cue: a name with its title and organisation
//!   ("State Department spokesman John Kirby", "U.N. envoy Staffan de Mistura", "Kirby, a State
//!   Department spokesman,"), an organisation ("the Syrian Observatory for Human Rights"), or a
//!   short reference resolved to the last compatible named speaker: a surname ("Kirby said"), a
//!   pronoun ("he added"), a title alone ("the spokesman said").

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};
use truce_model::Statement;

use crate::ExtractError;
use crate::lexicon::Lexicon;
use crate::text::{Sentence, Shape, Tokens, WordSet};

/// Words that modify a role ("press secretary", "foreign minister").
static MODIFIERS: WordSet = WordSet::new(&[
    "press",
    "foreign",
    "defence",
    "defense",
    "deputy",
    "former",
    "senior",
    "top",
    "local",
    "chief",
    "special",
    "interior",
    "health",
    "information",
    "military",
    "security",
    "opposition",
    "rebel",
    "government",
    "state",
    "prime",
    "vice",
    "assistant",
    "regional",
    "provincial",
]);

/// Words between a speaker and the cue that are not part of either ("Kirby also said").
static ADVERBS: WordSet = WordSet::new(&[
    "also",
    "later",
    "previously",
    "has",
    "had",
    "have",
    "recently",
    "repeatedly",
    "then",
    "again",
    "further",
    "earlier",
    "once",
    "would",
    "will",
    "had",
    "publicly",
    "separately",
    "initially",
    "quickly",
    "reportedly",
    "subsequently",
    "told",
    "categorically",
    "strongly",
    "firmly",
    "flatly",
    "vehemently",
    "swiftly",
    "immediately",
    "himself",
    "herself",
    "themselves",
    "itself",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
]);

const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i", "it"];

/// Words that frame speech between a cue and what was said: "said on Monday", "said in a
/// statement", "said late yesterday".
#[rustfmt::skip]
const CUE_FRAME: &[&str] = &[
    "on", "in", "a", "statement", "late", "early", "earlier", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "yesterday", "today",
];

/// Words that open a speaker's words but are never part of who speaks: conjunctions, sentence
/// adverbs, time words, possessive pronouns.
#[rustfmt::skip]
static NEVER_SPEAKERS: WordSet = WordSet::new(&[
    "but", "and", "although", "though", "when", "while", "hopefully", "however", "meanwhile",
    "still", "yet", "so", "then", "now", "also", "later", "earlier", "initially", "today",
    "yesterday", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "initial", "its", "their", "his", "her", "our", "my", "your", "unnamed", "if",
    "as", "because", "after", "before", "since", "until", "once", "instead", "on", "in", "of",
    "at", "from", "with", "during", "beyond", "despite", "that", "this", "some",
]);

/// Prepositions whose object cannot be a speaker.
const PREPOSITIONS: &[&str] = &[
    "in", "at", "from", "of", "to", "with", "on", "by", "near", "into", "about", "against",
];

/// The speech lexicon: cue verbs (with the stance some carry) and role words.
#[derive(Debug, Clone, Default)]
pub struct SpeechLexicon {
    verbs: FxHashMap<String, Option<String>>,
    roles: FxHashSet<String>,
    bodies: FxHashSet<String>,
}

impl SpeechLexicon {
    /// Reads the embedded `speech_verbs.txt` and `roles.txt`.
    pub fn embedded() -> Result<Self, ExtractError> {
        let mut verbs = FxHashMap::default();
        for line in crate::registry::text("speech_verbs.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (verb, stance) = match line.split_once('\t') {
                Some((v, s)) => (v.trim(), Some(s.trim().to_string())),
                None => (line, None),
            };
            verbs.insert(verb.to_string(), stance);
        }
        let mut roles = FxHashSet::default();
        let mut bodies = FxHashSet::default();
        for line in crate::registry::text("roles.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (word, kind) = line.split_once('\t').unwrap_or((line, "title"));
            roles.insert(word.trim().to_string());
            if kind.trim() == "body" {
                bodies.insert(word.trim().to_string());
            }
        }
        Ok(Self {
            verbs,
            roles,
            bodies,
        })
    }

    fn is_cue(&self, word: &str) -> bool {
        self.verbs.contains_key(word)
    }
}

/// A person named as a speaker earlier in the report.
#[derive(Debug, Clone)]
struct Person {
    name: String,
    surname: String,
    title: Option<String>,
    organization: Option<String>,
}

/// A speaker as read from the words around a cue.
#[derive(Debug, Clone, Default)]
struct Speaker {
    name: Option<String>,
    title: Option<String>,
    organization: Option<String>,
}

struct Reader<'a> {
    text: &'a str,
    tokens: &'a Tokens,
    lex: &'a Lexicon,
    speech: &'a SpeechLexicon,
    people: Vec<Person>,
    last_speaker: Option<Speaker>,
}

/// Every statement of a report.
pub fn find_statements(
    text: &str,
    tokens: &Tokens,
    sentences: &[Sentence],
    lex: &Lexicon,
    speech: &SpeechLexicon,
) -> Vec<Statement> {
    let mut reader = Reader {
        text,
        tokens,
        lex,
        speech,
        people: Vec::new(),
        last_speaker: None,
    };
    let quotes = quotes(text);
    let mut out: Vec<Statement> = Vec::new();
    let mut quoted_tokens: Vec<Range<usize>> = Vec::new();
    let mut q = 0;
    for sentence in sentences {
        // Direct quotes that start in this sentence.
        while q < quotes.len() && quotes[q].start < sentence.bytes.end {
            if quotes[q].start < sentence.bytes.start {
                q += 1;
                continue;
            }
            let (statement, used, token_span) = reader.direct(&quotes, q, sentences);
            quoted_tokens.push(token_span);
            if let Some(s) = statement {
                out.push(s);
            }
            q += used;
        }
        // Indirect speech in the words outside quotes.
        let found = reader.indirect(sentence, &quoted_tokens);
        out.extend(found);
    }
    dedupe(&mut out);
    for st in &mut out {
        st.topic = topic(&st.text);
    }
    // Byte offsets to char offsets, in one pass.
    let mut marks: Vec<usize> = out.iter().flat_map(|s| [s.start, s.end]).collect();
    marks.sort_unstable();
    marks.dedup();
    let chars = char_offsets(text, &marks);
    for s in &mut out {
        s.start = chars[marks.binary_search(&s.start).unwrap_or(0)];
        s.end = chars[marks.binary_search(&s.end).unwrap_or(0)];
    }
    out
}

/// Words of negotiation: a statement using them is about the talks.
const TALKS_WORDS: &[&str] = &[
    "talks",
    "negotiation",
    "negotiations",
    "negotiators",
    "negotiating",
    "round of",
    "peace process",
    "proximity",
    "peace conference",
    "mediation",
];

/// Words of the ceasefire itself: a statement using them (and no words of negotiation) is about
/// the ceasefire.
const CEASEFIRE_WORDS: &[&str] = &[
    "ceasefire",
    "cease-fire",
    "cease fire",
    "truce",
    "cessation of hostilities",
    "armistice",
    "de-escalation",
    "deescalation",
];

/// What a statement is about when it speaks of the talks or the ceasefire: the diplomatic
/// track (`talks` before `ceasefire`: "the ceasefire talks" are talks).
fn topic(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let has = |words: &[&str]| {
        words.iter().any(|w| {
            lower.match_indices(w).any(|(i, _)| {
                let before = lower[..i].chars().next_back();
                let after = lower[i + w.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
    };
    if has(TALKS_WORDS) {
        Some("talks".into())
    } else if has(CEASEFIRE_WORDS) {
        Some("ceasefire".into())
    } else {
        None
    }
}

/// A quote inside an indirect statement ("said the truce was \"fragile\"") is part of it: the
/// whole statement is kept, marked direct. An indirect reading of words that are all a quote is
/// the quote itself.
fn dedupe(out: &mut Vec<Statement>) {
    let spans: Vec<(usize, usize, bool)> = out.iter().map(|s| (s.start, s.end, s.direct)).collect();
    let mut keep = vec![true; out.len()];
    for (i, &(s, e, direct)) in spans.iter().enumerate() {
        for (j, &(s2, e2, direct2)) in spans.iter().enumerate() {
            if i == j || !keep[j] || !keep[i] {
                continue;
            }
            let overlap = e.min(e2).saturating_sub(s.max(s2));
            let contained = s2 <= s && e <= e2 + 2 && e2 - s2 > e - s + 10;
            if (direct && !direct2 && contained)
                || (!direct && direct2 && overlap * 10 >= (e - s) * 8)
            {
                keep[i] = false;
            }
        }
    }
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    for st in out.iter_mut() {
        if !st.direct && (st.text.contains('"') || st.text.contains('“') || st.text.contains("''"))
        {
            st.direct = true;
        }
    }
}

fn char_offsets(text: &str, sorted_bytes: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted_bytes.len());
    let mut chars = 0;
    let mut at = 0;
    for &b in sorted_bytes {
        let b = b.min(text.len());
        chars += text[at..b].chars().count();
        at = b;
        out.push(chars);
    }
    out
}

/// A quotation: byte range of its content (inside the marks).
#[derive(Debug, Clone, Copy)]
struct Quote {
    start: usize,
    end: usize,
    /// Byte after the closing mark (or the paragraph end).
    after: usize,
    /// Byte of the opening mark.
    open: usize,
}

/// Double-quoted spans of at least three words; an unclosed quote ends with its paragraph.
fn quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let bytes = text.as_bytes();
    let mut chars = text.char_indices().peekable();
    while let Some((b, c)) = chars.next() {
        // Two apostrophes stand for a double quote in some newspapers' text ('' ... '').
        let c = if c == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
            chars.next();
            '"'
        } else {
            c
        };
        match c {
            '“' | '«' if open.is_none() => open = Some(b),
            '”' | '»' => {
                if let Some(o) = open.take() {
                    push_quote(text, &mut out, o, b, b + c.len_utf8());
                }
            }
            '"' => {
                let width = if bytes[b] == b'\'' { 2 } else { 1 };
                match open.take() {
                    Some(o) => push_quote(text, &mut out, o, b, b + width),
                    None => open = Some(b),
                }
            }
            '\n' => {
                // A blank line, or a line break, ends a paragraph and any quote left open in it.
                if let Some(o) = open.take() {
                    let end = if b > 0 && bytes[b - 1] == b'\r' {
                        b - 1
                    } else {
                        b
                    };
                    push_quote(text, &mut out, o, end, end);
                }
            }
            _ => {}
        }
    }
    if let Some(o) = open {
        push_quote(text, &mut out, o, text.len(), text.len());
    }
    out
}

fn push_quote(text: &str, out: &mut Vec<Quote>, open: usize, close: usize, after: usize) {
    let mark_len = if text[open..].starts_with("''") {
        2
    } else {
        text[open..].chars().next().map_or(1, char::len_utf8)
    };
    let start = open + mark_len;
    if start > close {
        return;
    }
    let inner = &text[start..close];
    let words = inner.split_whitespace().count();
    // Scare quotes of a word or two are part of a sentence, not a statement of their own.
    if words >= 3 {
        out.push(Quote {
            start,
            end: close,
            after,
            open,
        });
    }
}

impl Reader<'_> {
    /// Whether the word at `i` is a cue verb: "States" in "the United States" is a name.
    fn cue_at(&self, i: usize) -> bool {
        let word = self.tokens.folded(i);
        let name = word == "states"
            && (self.tokens.list[i].shape != Shape::Lower
                || (i > 0 && self.tokens.folded(i - 1) == "united"));
        !name && self.speech.is_cue(word)
    }

    fn token_at_or_after(&self, byte: usize) -> usize {
        self.tokens.list.partition_point(|t| t.bytes.start < byte)
    }

    /// The statement of quote `q` (merged with a second quote it is split with), how many
    /// quotes it used, and the words it covers.
    fn direct(
        &mut self,
        quotes: &[Quote],
        q: usize,
        sentences: &[Sentence],
    ) -> (Option<Statement>, usize, Range<usize>) {
        let quote = quotes[q];
        let first_tok = self.token_at_or_after(quote.start);
        let after_tok = self.token_at_or_after(quote.after);
        let sentence_of = |tok: usize| sentences.iter().position(|s| s.tokens.contains(&tok));
        let end_sentence = sentence_of(after_tok.saturating_sub(1))
            .map(|i| sentences[i].tokens.end)
            .unwrap_or(self.tokens.len());
        let paragraph_end = (after_tok..self.tokens.len())
            .find(|&i| self.tokens.list[i].newline_before)
            .unwrap_or(self.tokens.len());
        // Attribution after the quote: `"...," said X` / `"...," X said` (up to 10 words).
        let ceiling = end_sentence
            .max(after_tok)
            .min(paragraph_end)
            .min(after_tok + 12);
        let mut attribution = None;
        let mut signature: Option<Range<usize>> = None;
        // `"..." ― Pamela Padilla`: a name after a dash signs the quote.
        let rest = self.text.get(quote.after..).unwrap_or("");
        let signed = rest
            .trim_start_matches([' ', '\u{a0}'])
            .starts_with(['\u{2015}', '\u{2014}', '\u{2013}']);
        if signed && after_tok < self.tokens.len() {
            let mut k = after_tok;
            while k < self.tokens.len()
                && k - after_tok < 4
                && self.tokens.list[k].shape == Shape::Capitalized
                && (k == after_tok || !self.tokens.list[k].newline_before)
            {
                k += 1;
            }
            if k > after_tok {
                signature = Some(after_tok..k);
            }
        }
        for c in (after_tok..ceiling).filter(|_| signature.is_none()) {
            if self.cue_at(c) {
                let speaker = self
                    .np_before(c, after_tok)
                    .or_else(|| self.np_after(c, ceiling));
                attribution = Some((c, speaker));
                break;
            }
        }
        // A split quote: `"A," said X, "B."` joins the second part.
        let mut used = 1;
        let mut end = quote.end;
        let mut last_tok = after_tok;
        if let Some(next) = quotes.get(q + 1)
            && attribution.is_some()
        {
            let next_tok = self.token_at_or_after(next.open);
            if next_tok <= ceiling + 2
                && self.text[quote.after..next.open]
                    .chars()
                    .filter(|c| *c == '.')
                    .count()
                    <= 1
                && !self.text[quote.after..next.open].contains('\n')
            {
                end = next.end;
                used = 2;
                last_tok = self.token_at_or_after(next.after);
            }
        }
        // Attribution before the quote: `X said: "..."`.
        if attribution.is_none() && signature.is_none() {
            let sentence_start = sentence_of(first_tok.saturating_sub(1))
                .map(|i| sentences[i].tokens.start)
                .unwrap_or(0);
            let line_start = (0..first_tok)
                .rev()
                .find(|&i| self.tokens.list[i].newline_before)
                .unwrap_or(0);
            let floor = sentence_start.max(line_start).min(first_tok);
            // `As Professor Foner put it: "..."`.
            let put_it = |c: usize| {
                c + 1 < first_tok
                    && self.tokens.folded(c) == "put"
                    && self.tokens.folded(c + 1) == "it"
            };
            if let Some(c) = (floor..first_tok)
                .rev()
                .find(|&c| self.cue_at(c) || put_it(c))
            {
                let speaker = self
                    .np_before(c, floor)
                    .or_else(|| self.np_after(c, first_tok));
                attribution = Some((c, speaker));
            } else if let Some(a) = (floor..first_tok.saturating_sub(1)).find(|&i| {
                self.tokens.folded(i) == "according" && self.tokens.folded(i + 1) == "to"
            }) {
                // `According to the Daily Caller, "..."`.
                let speaker = self.np_after(a + 1, first_tok);
                attribution = Some((a, speaker));
            }
        }
        let (cue, speaker) = match attribution {
            _ if signature.is_some() => (None, signature.clone().map(|np| self.resolve(np))),
            Some((c, Some(np))) => (Some(c), Some(self.resolve(np))),
            Some((c, None)) => (Some(c), self.last_speaker.clone()),
            // A quote paragraph with no attribution: the previous speaker goes on.
            None => (None, self.last_speaker.clone()),
        };
        if speaker.as_ref().is_some_and(|s| s.name.is_some()) {
            self.last_speaker = speaker.clone();
        }
        let content = self.text[quote.start..end]
            .trim_end_matches(|c: char| c == ',' || c.is_whitespace())
            .to_string();
        let cue_word = cue.map(|c| self.tokens.text(self.text, c).to_string());
        let stance = cue.and_then(|c| self.stance(c, first_tok..last_tok));
        let statement = speaker.map(|sp| Statement {
            speaker: sp.name,
            title: sp.title,
            organization: sp.organization,
            cue: cue_word,
            text: content.clone(),
            direct: true,
            start: quote.start,
            end: quote.start + content.len(),
            stance,
            topic: None,
        });
        // Quotes nobody is said to have said are still kept as unattributed statements.
        let statement = statement.or_else(|| {
            Some(Statement {
                speaker: None,
                title: None,
                organization: None,
                cue: None,
                text: content.clone(),
                direct: true,
                start: quote.start,
                end: quote.start + content.len(),
                stance: None,
                topic: None,
            })
        });
        (
            statement,
            used,
            first_tok.saturating_sub(1)..last_tok.max(first_tok),
        )
    }

    /// Indirect speech in a sentence: every cue with a speaker next to it, outside quotes.
    fn indirect(&mut self, s: &Sentence, quoted: &[Range<usize>]) -> Vec<Statement> {
        let inside = |i: usize| quoted.iter().any(|q| q.contains(&i));
        let t = self.tokens;
        let w = |i: usize| t.folded(i);
        let range = s.tokens.clone();
        let mut out = Vec::new();
        // "according to X, CONTENT" / "CONTENT, according to X"
        if let Some(a) = range
            .clone()
            .find(|&i| w(i) == "according" && w(i + 1) == "to" && !inside(i))
        {
            // "according to three television networks," / "according to an organizer.": a
            // source told in lower case runs to the comma or the sentence's end.
            let np = self.np_after(a + 1, range.end).or_else(|| {
                let from = a + 2;
                let to = (from + 1..range.end.min(from + 10))
                    .find(|&i| t.list[i].comma_before)
                    .unwrap_or(range.end.min(from + 10));
                (from < to && to - from <= 8 && (to == range.end || t.list[to].comma_before))
                    .then_some(from..to)
            });
            let np_end = np.as_ref().map_or(a + 2, |r| r.end);
            let speaker = np.map(|np| self.resolve(np)).unwrap_or_default();
            let content = if a <= range.start + 1 {
                np_end..range.end
            } else {
                range.start..a
            };
            out.extend(self.make_indirect(speaker, a, content, "according to"));
            return out;
        }
        let mut c = range.start;
        while c < range.end {
            if inside(c) || !self.cue_at(c) {
                c += 1;
                continue;
            }
            // `CONTENT, X said.` / `CONTENT, said X.`: the cue near the end, after a comma.
            let comma = (range.start..c)
                .rev()
                .take(10)
                .find(|&i| t.list[i].comma_before);
            // Only the speaker or a time may follow the cue ("..., said X.", "..., X said on
            // Monday."): "The head of the council, Abu Khaled, said nobody had been warned"
            // goes on after it.
            let tail_is_content = (c + 1..range.end)
                .filter(|&i| {
                    !(CUE_FRAME.contains(&w(i))
                        || matches!(w(i), "the" | "told" | "reporters" | "journalists"))
                })
                .any(|i| t.list[i].shape == Shape::Lower);
            let near_end = range.end.saturating_sub(c) <= 6 && !tail_is_content;
            if near_end
                && let Some(comma) = comma
                && comma > range.start + 2
                && let Some(np) = self
                    .np_before(c, comma)
                    .or_else(|| self.np_after(c, range.end))
            {
                let speaker = self.resolve(np);
                out.extend(self.make_indirect(speaker, c, range.start..comma, w(c)));
                break;
            }
            // `X said (that) CONTENT`
            let Some(np) = self.np_before(c, range.start) else {
                c += 1;
                continue;
            };
            let mut from = c + 1;
            // "told reporters", "told the BBC", "said on Monday", "said in a statement".
            if matches!(w(c), "told" | "tell" | "tells" | "telling") {
                while from < range.end
                    && (matches!(t.list[from].shape, Shape::Capitalized | Shape::Upper)
                        || matches!(
                            w(from),
                            "reporters"
                                | "journalists"
                                | "the"
                                | "a"
                                | "news"
                                | "agency"
                                | "press"
                                | "conference"
                                | "television"
                                | "radio"
                                | "parliament"
                                | "lawmakers"
                        ))
                {
                    from += 1;
                }
            }
            if w(c) == "called" && w(from) == "for" {
                from += 1;
            }
            while from < range.end && (w(from) == "that" || CUE_FRAME.contains(&w(from))) {
                from += 1;
            }
            // The content runs to the sentence end, or to the next cue with its own speaker.
            let mut to = range.end;
            for k in from + 1..range.end {
                if self.cue_at(k)
                    && !t.list[k].comma_before
                    && (k > from + 3)
                    && w(k - 1) != "that"
                    && self
                        .np_before(k, from)
                        .is_some_and(|np| np.start > from + 2 && t.list[np.start].comma_before)
                {
                    to = np_start_of(self, k, from);
                    break;
                }
            }
            if to.saturating_sub(from) >= 3 {
                let speaker = self.resolve(np);
                out.extend(self.make_indirect(speaker, c, from..to, w(c)));
            }
            c = to.max(c + 1);
        }
        out
    }

    fn make_indirect(
        &mut self,
        speaker: Speaker,
        cue: usize,
        content: Range<usize>,
        cue_word: &str,
    ) -> Option<Statement> {
        if content.len() < 3 || content.start >= content.end {
            return None;
        }
        let t = self.tokens;
        let start = t.list[content.start].bytes.start;
        let end = t.list[content.end - 1].bytes.end;
        let cue_text = if cue_word == "according to" {
            "according to".to_string()
        } else {
            t.text(self.text, cue).to_string()
        };
        let stance = self.stance(cue, content.clone());
        if speaker.name.is_some() {
            self.last_speaker = Some(speaker.clone());
        }
        Some(Statement {
            speaker: speaker.name,
            title: speaker.title,
            organization: speaker.organization,
            cue: Some(cue_text),
            text: self.text[start..end].to_string(),
            direct: false,
            start,
            end,
            stance,
            topic: None,
        })
    }

    /// The stance the cue and the words make plain, toward a ceasefire or an accusation.
    fn stance(&self, cue: usize, content: Range<usize>) -> Option<String> {
        let w = |i: usize| self.tokens.folded(i);
        let words: Vec<&str> = content.clone().map(w).collect();
        let has = |list: &[&str]| words.iter().any(|x| list.contains(x));
        let cue_word = w(cue);
        if matches!(cue_word, "denied" | "denies" | "denying" | "rejected")
            && (has(&[
                "responsibility",
                "involvement",
                "accusations",
                "claims",
                "reports",
                "allegations",
            ]) || cue_word.starts_with("den"))
        {
            return Some("denies".into());
        }
        let appeal = (cue_word == "called" && w(cue + 1) == "for")
            || matches!(cue_word, "urged" | "urges" | "urging");
        if appeal
            && has(&[
                "restraint",
                "calm",
                "ceasefire",
                "truce",
                "respect",
                "de",
                "escalation",
                "halt",
                "stop",
                "end",
                "investigation",
            ])
        {
            return Some("calls_for_restraint".into());
        }
        self.speech.verbs.get(cue_word).cloned().flatten()
    }

    /// The speaker's words right before a cue (skipping "also", "later"): a pronoun, or a run of
    /// names, roles and organisations. A run that is the object of a preposition ("Clinton, also
    /// campaigning in Wisconsin, said") gives way to the words before the comma.
    fn np_before(&self, cue: usize, floor: usize) -> Option<Range<usize>> {
        let t = self.tokens;
        let mut k = cue;
        while k > floor && ADVERBS.contains(t.folded(k - 1)) && !t.list[k].comma_before {
            k -= 1;
        }
        if k == floor || k == 0 {
            return None;
        }
        let end = k;
        if PRONOUNS.contains(&t.folded(k - 1)) {
            return Some(k - 1..k);
        }
        // "Clinton repeatedly invoked President Obama and suggested that": a verb coordinated
        // with an earlier one has the clause's subject as its speaker, not the object before
        // "and".
        if t.folded(k - 1) == "and" {
            let mut s = floor;
            if matches!(t.folded(s), "the" | "a" | "an") {
                s += 1;
            }
            let mut e = s;
            while e < k - 1
                && (matches!(t.list[e].shape, Shape::Capitalized | Shape::Upper)
                    || self.speech.roles.contains(t.folded(e)))
                && (e == s || !t.list[e].comma_before)
            {
                e += 1;
            }
            return (e > s && !NEVER_SPEAKERS.contains(t.folded(s))).then_some(s..e);
        }
        // "Richard Revesz, director of the Institute for Policy Integrity, said": the name before
        // the apposition that ends at the cue.
        if t.list[cue].comma_before
            && let Some(open) = (floor + 1..cue)
                .rev()
                .take(16)
                .find(|&i| t.list[i].comma_before)
            && let Some(name) = self.np_before(open, floor)
            && name.end == open
        {
            return Some(name.start..cue);
        }
        while k > floor {
            let i = k - 1;
            let word = t.folded(i);
            let joined =
                t.list[i].hyphen_before && i > floor && t.list[i - 1].shape != Shape::Lower;
            let ok = matches!(t.list[i].shape, Shape::Capitalized | Shape::Upper)
                || joined
                || self.speech.roles.contains(word)
                || MODIFIERS.contains(word)
                || word == "the"
                || (matches!(
                    word,
                    "of" | "for" | "and" | "de" | "al" | "van" | "von" | "bin"
                ) && i > floor
                    && matches!(t.list[i - 1].shape, Shape::Capitalized | Shape::Upper));
            if !ok {
                break;
            }
            k -= 1;
            if t.list[i].comma_before || t.list[i].sentence_start {
                break;
            }
        }
        let mut start = k;
        let determiner = start < end && matches!(t.folded(start), "a" | "an" | "the");
        if determiner {
            start += 1;
        }
        // "A spokesman for the buyer said": a role and its preposition keep their object.
        if let Some(p) = (end.saturating_sub(4).max(floor + 1)..end)
            .rev()
            .find(|&i| matches!(t.folded(i), "for" | "of" | "at"))
            && self.speech.roles.contains(t.folded(p - 1))
            && !(p + 1..end).any(|i| t.list[i].comma_before)
            && let Some(head) = self.np_before(p, floor)
        {
            return Some(head.start..end);
        }
        if start >= end {
            return None;
        }
        // The object of a preposition is not the speaker: look before the clause's comma.
        if start > floor && PREPOSITIONS.contains(&t.folded(start - 1)) {
            let comma = (floor + 1..start).rev().find(|&i| t.list[i].comma_before)?;
            return self.np_before(comma, floor);
        }
        // "Kirby, a State Department spokesman, said": the name before the apposition (which
        // starts with an article or a lower-case role).
        let apposition = determiner || (start < end && t.list[start].shape == Shape::Lower);
        if apposition && t.list[k].comma_before && k >= 1 {
            let mut n = k;
            while n > floor
                && matches!(t.list[n - 1].shape, Shape::Capitalized)
                && !t.list[n].sentence_start
            {
                n -= 1;
                if t.list[n].comma_before || t.list[n].sentence_start {
                    break;
                }
            }
            if n < k && (k - n) <= 4 {
                return Some(n..end);
            }
        }
        let useful = (start..end)
            .any(|i| t.list[i].shape != Shape::Lower || self.speech.roles.contains(t.folded(i)));
        useful.then_some(start..end)
    }

    /// The speaker's words right after a cue ("said State Department spokesman John Kirby").
    fn np_after(&self, cue: usize, ceiling: usize) -> Option<Range<usize>> {
        let t = self.tokens;
        let mut k = cue + 1;
        if k < ceiling && matches!(t.folded(k), "the" | "a" | "an") {
            k += 1;
        }
        let start = k;
        while k < ceiling && k - start < 9 {
            let word = t.folded(k);
            let ok = matches!(t.list[k].shape, Shape::Capitalized | Shape::Upper)
                || self.speech.roles.contains(word)
                || MODIFIERS.contains(word)
                || (matches!(word, "of" | "for" | "and" | "de" | "al") && k > start);
            if !ok || (k > start && (t.list[k].comma_before || t.list[k].sentence_start)) {
                break;
            }
            k += 1;
        }
        (k > start).then_some(start..k)
    }

    /// The word at token `i`, folded.
    fn word(&self, i: usize) -> &str {
        self.tokens.folded(i)
    }

    /// Whether token `i` is a role word ("spokesman", "minister") or a title.
    fn is_role(&self, i: usize) -> bool {
        self.speech.roles.contains(self.word(i)) || self.lex.titles.contains(self.word(i))
    }

    /// The text of some tokens without a leading article, trimmed of commas ("U.N." keeps the
    /// period of its last initial).
    fn text_of(&self, r: Range<usize>) -> Option<String> {
        let t = self.tokens;
        let r: Vec<usize> = r
            .skip_while(|&i| matches!(self.word(i), "the" | "a" | "an"))
            .collect();
        let (first, last) = (*r.first()?, *r.last()?);
        // "U.N.": an initial keeps its period.
        let mut end = t.list[last].bytes.end;
        if t.list[last].period_after && self.word(last).len() == 1 {
            end += 1;
        }
        let s = self.text[t.list[first].bytes.start..end]
            .trim_matches(|c: char| c == ',' || c.is_whitespace())
            .to_string();
        (!s.is_empty()).then_some(s)
    }

    /// The speaker's words without those that are never part of a speaker: a dateline before its
    /// dash ("STATE DEPARTMENT - The State Department"), a time word or a conjunction that opens
    /// the sentence ("Thursday, rescuers", "But Ferrera"), a possessive pronoun ("Its director").
    fn trimmed(&self, mut np: Range<usize>) -> Range<usize> {
        let t = self.tokens;
        if let Some(dash) = (np.start + 1..np.end).rev().find(|&i| {
            let gap = &self.text[t.list[i - 1].bytes.end..t.list[i].bytes.start];
            gap.contains(" - ") || gap.contains('\u{2014}') || gap.contains(" \u{2013} ")
        }) {
            np.start = dash;
        }
        while np.len() > 1
            && (NEVER_SPEAKERS.contains(self.word(np.start))
                || (t.list[np.start].shape == Shape::Upper
                    && np.start + 1 < np.end
                    && t.list[np.start + 1].comma_before
                    && self.word(np.start).len() > 3))
        {
            np.start += 1;
        }
        np
    }

    /// Reads name, title and organisation from a speaker's words, and resolves short references
    /// to the last compatible person named.
    fn resolve(&mut self, np: Range<usize>) -> Speaker {
        // Pronouns: the last person named.
        if np.len() == 1 && PRONOUNS.contains(&self.word(np.start)) {
            return self.last_person().unwrap_or_default();
        }
        let np = self.trimmed(np);
        if np.len() == 1 && NEVER_SPEAKERS.contains(self.word(np.start)) {
            return Speaker::default();
        }
        // An organisation that speaks ("the Syrian Observatory for Human Rights", "the foreign
        // ministry"): a body word and no person's name.
        let apposition = (np.start + 1..np.end).find(|&i| self.tokens.list[i].comma_before);
        let body = np
            .clone()
            .any(|i| self.speech.bodies.contains(self.word(i)));
        let person_named = np
            .clone()
            .any(|i| self.lex.given_names.contains(self.word(i)));
        if body && !person_named && apposition.is_none() {
            let whole = self.text_of(np.clone());
            return Speaker {
                name: whole.clone(),
                title: None,
                organization: whole,
            };
        }
        let (name_part, role_part) = match self.name_and_role(np.clone(), apposition) {
            Ok(parts) => parts,
            // "Sen. Bernie Sanders of Vermont": the person, not where they are from.
            Err(person) => return self.resolve(person),
        };
        let name = self.text_of(name_part);
        let (roles, title, organization) = self.title_and_organization(role_part.clone());
        let Some(name) = name else {
            return self.unnamed(np, role_part, &roles, title, organization);
        };
        if looks_like_organisation(&name, self) {
            return Speaker {
                name: Some(name.clone()),
                title,
                organization: Some(name),
            };
        }
        self.person(name, title, organization)
    }

    /// The name words and the role words of a speaker: "Kirby, a State Department spokesman";
    /// "the opposition's chief negotiator, Rima Darwish"; "State Department spokesman John
    /// Kirby". `Err` names the words of a person to read instead ("Sen. Bernie Sanders of
    /// Vermont").
    fn name_and_role(
        &self,
        np: Range<usize>,
        apposition: Option<usize>,
    ) -> Result<(Range<usize>, Range<usize>), Range<usize>> {
        let t = self.tokens;
        Ok(match apposition {
            Some(a)
                if (np.start..a).any(|i| self.is_role(i))
                    && !(a..np.end).any(|i| self.is_role(i)) =>
            {
                (a..np.end, np.start..a)
            }
            Some(a) => (np.start..a, a..np.end),
            None => {
                let mut n = np.end;
                while n > np.start {
                    let i = n - 1;
                    let name_word = t.list[i].shape == Shape::Capitalized && !self.is_role(i);
                    let particle = matches!(self.word(i), "de" | "al" | "van" | "bin")
                        && i > np.start
                        && t.list[i - 1].shape == Shape::Capitalized;
                    let joined = t.list[i].hyphen_before && i > np.start;
                    if !(name_word || particle || joined) {
                        break;
                    }
                    n -= 1;
                }
                // The name starts at a known first name ("Secretary of State John Kerry"), else,
                // after "of", at its last two words.
                if let Some(g) = (n..np.end).find(|&i| self.lex.given_names.contains(self.word(i)))
                {
                    n = g;
                } else if n > np.start
                    && self.word(n - 1) == "of"
                    && (np.start..n - 1).any(|i| self.lex.given_names.contains(self.word(i)))
                {
                    return Err(np.start..n - 1);
                } else if n > np.start
                    && matches!(self.word(n - 1), "of" | "for")
                    && np.end - n >= 3
                {
                    n = np.end - 2;
                }
                (n..np.end, np.start..n)
            }
        })
    }

    /// Title: the role words with their modifiers ("press secretary", "Secretary of State");
    /// organisation: the capitalised words before them ("State Department", "U.N."). A person's
    /// title is a title word ("spokesman"), not a body ("Department"). With the role words.
    fn title_and_organization(
        &self,
        role_part: Range<usize>,
    ) -> (Vec<usize>, Option<String>, Option<String>) {
        let roles: Vec<usize> = role_part
            .clone()
            .filter(|&i| self.is_role(i) && !self.speech.bodies.contains(self.word(i)))
            .collect();
        let capitalised = |o: &String| o.chars().next().is_some_and(char::is_uppercase);
        let (title, organization) = match (roles.first(), roles.last()) {
            (Some(&first), Some(&last)) => {
                let mut ts = first;
                while ts > role_part.start && MODIFIERS.contains(self.word(ts - 1)) {
                    ts -= 1;
                }
                let te = if self.word(last + 1) == "of" && last + 2 < role_part.end {
                    role_part.end
                } else {
                    last + 1
                };
                let org = self.text_of(role_part.start..ts).filter(capitalised);
                (self.text_of(ts..te), org)
            }
            _ => (None, self.text_of(role_part.clone()).filter(capitalised)),
        };
        (roles, title, organization)
    }

    /// A speaker without a name: a group ("officials", "law enforcement officials", "aides") as
    /// written, never one person named before; a title alone ("the spokesman"), the last person
    /// with that title; else the organisation, or the role words.
    fn unnamed(
        &self,
        np: Range<usize>,
        role_part: Range<usize>,
        roles: &[usize],
        title: Option<String>,
        organization: Option<String>,
    ) -> Speaker {
        let plural = !roles.is_empty()
            && roles
                .iter()
                .all(|&i| self.word(i).ends_with('s') && !self.word(i).ends_with("ss"));
        if plural && organization.is_none() {
            return Speaker {
                name: self.text_of(np),
                title,
                organization: None,
            };
        }
        let wanted: Vec<&str> = roles.iter().map(|&i| self.word(i)).collect();
        if let Some(p) = self.people.iter().rev().find(|p| {
            p.title
                .as_ref()
                .is_some_and(|pt| wanted.iter().any(|r| pt.to_ascii_lowercase().contains(r)))
        }) {
            return Speaker {
                name: Some(p.name.clone()),
                title: p.title.clone(),
                organization: p.organization.clone(),
            };
        }
        match organization {
            Some(org) => Speaker {
                name: Some(org.clone()),
                title,
                organization: Some(org),
            },
            None => Speaker {
                name: self.text_of(role_part),
                title,
                organization: None,
            },
        }
    }

    /// A person by name: a surname alone ("Kirby", "De Mistura") is the person named earlier whose
    /// name ends so; a new name is remembered (with the title and organisation it comes with).
    fn person(
        &mut self,
        name: String,
        title: Option<String>,
        organization: Option<String>,
    ) -> Speaker {
        let words = name.split_whitespace().count();
        if words <= 2 {
            // A surname ("Kirby", "De Mistura"): the person named earlier whose name ends so.
            let tail = |full: &str| {
                full.len() > name.len()
                    && full
                        .to_lowercase()
                        .strip_suffix(&name.to_lowercase())
                        .is_some_and(|head| head.ends_with(' '))
            };
            if let Some(p) =
                self.people.iter().rev().find(|p| {
                    (words == 1 && p.surname.eq_ignore_ascii_case(&name)) || tail(&p.name)
                })
            {
                return Speaker {
                    name: Some(p.name.clone()),
                    title: p.title.clone(),
                    organization: p.organization.clone(),
                };
            }
        }
        let surname = name.split_whitespace().last().unwrap_or("").to_string();
        match self.people.iter_mut().find(|p| p.name == name) {
            Some(p) => {
                if title.is_some() {
                    p.title = title;
                }
                if organization.is_some() {
                    p.organization = organization;
                }
            }
            None => self.people.push(Person {
                name: name.clone(),
                surname,
                title,
                organization,
            }),
        }
        let p = self
            .people
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .unwrap_or(Person {
                name: name.clone(),
                surname: String::new(),
                title: None,
                organization: None,
            });
        Speaker {
            name: Some(p.name),
            title: p.title,
            organization: p.organization,
        }
    }

    fn last_person(&self) -> Option<Speaker> {
        self.last_speaker.clone().or_else(|| {
            self.people.last().map(|p| Speaker {
                name: Some(p.name.clone()),
                title: p.title.clone(),
                organization: p.organization.clone(),
            })
        })
    }
}

/// Where the speaker's words before cue `k` start (for cutting one statement before the next).
fn np_start_of(r: &Reader<'_>, k: usize, floor: usize) -> usize {
    r.np_before(k, floor).map_or(k, |np| np.start)
}

/// Whether a capitalised phrase names an organisation rather than a person.
fn looks_like_organisation(name: &str, r: &Reader<'_>) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.split_whitespace().any(|w| {
        r.speech
            .roles
            .contains(w.trim_matches(|c: char| !c.is_alphanumeric()))
            && !r.lex.titles.contains(w)
    }) || name.chars().filter(|c| c.is_uppercase()).count()
        == name.chars().filter(|c| c.is_alphabetic()).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{split_sentences, tokenize};

    fn statements(text: &str) -> Vec<Statement> {
        let lex = Lexicon::embedded().unwrap();
        let speech = SpeechLexicon::embedded().unwrap();
        let t = tokenize(text);
        let s = split_sentences(text, &t);
        find_statements(text, &t, &s, &lex, &speech)
    }

    #[test]
    fn direct_quote_with_title_and_organisation() {
        let st = statements(
            "\"This was a deliberate strike on a known medical facility,\" said Secretary of State John Kerry.",
        );
        assert_eq!(st.len(), 1, "{st:#?}");
        assert_eq!(st[0].speaker.as_deref(), Some("John Kerry"));
        assert_eq!(st[0].title.as_deref(), Some("Secretary of State"));
        assert!(st[0].direct);
        assert_eq!(
            st[0].text,
            "This was a deliberate strike on a known medical facility"
        );
        assert_eq!(st[0].cue.as_deref(), Some("said"));
    }

    #[test]
    fn speakers_are_who_speaks_not_the_words_around_them() {
        let one = |text: &str| {
            statements(text)
                .into_iter()
                .next()
                .unwrap_or_else(|| panic!("{text}"))
        };
        let st = one("According to the Daily Caller, \"the emails were never classified at all\".");
        assert_eq!(st.speaker.as_deref(), Some("Daily Caller"));
        // A group is the group, not the last official named.
        let all = statements(
            "Senior official Nancy Pelosi said the bill was dead. Law enforcement officials subsequently told reporters that the suspect had acted alone.",
        );
        assert_eq!(all[1].speaker.as_deref(), Some("officials"));
        let st = one("A spokesman for the buyer said there was a firm commitment to the deal.");
        assert_eq!(st.speaker.as_deref(), Some("spokesman for the buyer"));
        let st = one(
            "ALEPPO, Syria - Thursday, rescuers said they had pulled nine people from the rubble.",
        );
        assert_eq!(st.speaker.as_deref(), Some("rescuers"));
        // "States" in "the United States" is no cue.
        assert!(
            statements("Aid convoys from the United States reached the city on Monday.").is_empty()
        );
        // A surname of several words is the person named before.
        let all = statements(
            "UN envoy Staffan de Mistura said the truce was fragile. De Mistura said talks would resume.",
        );
        assert_eq!(all[1].speaker.as_deref(), Some("Staffan de Mistura"));
    }

    #[test]
    fn statements_about_the_ceasefire_and_the_talks_are_the_diplomatic_track() {
        let all = statements(
            "UN envoy Staffan de Mistura said the cease-fire was \"barely alive\". \
             He said a fourth round of talks would be held in Geneva next month. \
             Rescuers said nine people were pulled from the rubble.",
        );
        let topics: Vec<Option<&str>> = all.iter().map(|s| s.topic.as_deref()).collect();
        assert_eq!(topics, [Some("ceasefire"), Some("talks"), None], "{all:#?}");
        assert_eq!(
            topic("the contractors said"),
            None,
            "no word inside another"
        );
    }

    #[test]
    fn signed_quotes_put_it_and_people_from_places() {
        let st =
            statements("\u{201c}We only want the shelling to stop.\u{201d} \u{2015} Amal Haddad\n");
        assert_eq!(st[0].speaker.as_deref(), Some("Amal Haddad"));
        assert_eq!(st[0].cue, None, "a signature is no cue word");
        let st =
            statements("As the envoy Maren Solberg put it: \"nobody wins this war from the air\".");
        assert_eq!(st[0].speaker.as_deref(), Some("Maren Solberg"));
        let st =
            statements("Sen. Bernie Sanders of Vermont said the bill would not pass this year.");
        assert_eq!(st[0].speaker.as_deref(), Some("Bernie Sanders"));
    }
}
