//! Sentences: runs of words between sentence starts (see [`super::token::Token::sentence_start`]).

use std::ops::Range;

use super::Tokens;

/// One sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Its words (indices into [`Tokens::list`]).
    pub tokens: Range<usize>,
    /// Char range in the text, from its first word to its closing punctuation.
    pub chars: Range<usize>,
    /// Byte range in the text.
    pub bytes: Range<usize>,
}

/// Groups words into sentences.
pub fn split_sentences(text: &str, tokens: &Tokens) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=tokens.len() {
        if i == tokens.len() || tokens.list[i].sentence_start {
            let first = &tokens.list[start];
            let last = &tokens.list[i - 1];
            // Extend over closing punctuation and quotes up to the next word or line break.
            let limit = tokens.list.get(i).map_or(text.len(), |t| t.bytes.start);
            let tail = &text[last.bytes.end..limit];
            let extra: usize = tail
                .char_indices()
                .take_while(|(_, c)| !c.is_whitespace())
                .last()
                .map_or(0, |(b, c)| b + c.len_utf8());
            let end_byte = last.bytes.end + extra;
            let end_char = last.chars.end + text[last.bytes.end..end_byte].chars().count();
            // Include opening quotes and brackets right before the first word.
            let floor = out.last().map_or(0, |s: &Sentence| s.bytes.end);
            let head = &text[floor..first.bytes.start];
            let lead: usize = head
                .char_indices()
                .rev()
                .take_while(|(_, c)| !c.is_whitespace())
                .last()
                .map_or(0, |(b, _)| head.len() - b);
            let start_byte = first.bytes.start - lead;
            let start_char =
                first.chars.start - text[start_byte..first.bytes.start].chars().count();
            out.push(Sentence {
                tokens: start..i,
                chars: start_char..end_char,
                bytes: start_byte..end_byte,
            });
            start = i;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn sentences(text: &str) -> Vec<String> {
        let t = tokenize(text);
        split_sentences(text, &t)
            .into_iter()
            .map(|s| text[s.bytes].to_string())
            .collect()
    }

    #[test]
    fn news_abbreviations_do_not_split() {
        assert_eq!(
            sentences(
                "Mr. Smith of the U.N. said on Thursday. \"We condemn this,\" he added. Gen. Ahmed disagreed."
            ),
            [
                "Mr. Smith of the U.N. said on Thursday.",
                "\"We condemn this,\" he added.",
                "Gen. Ahmed disagreed."
            ]
        );
    }

    #[test]
    fn times_initials_and_line_breaks() {
        assert_eq!(
            sentences(
                "The strike came at 2 a.m. Monday, said John F. Kennedy Jr. of the U.S. The end.\nNext line"
            ),
            [
                "The strike came at 2 a.m. Monday, said John F. Kennedy Jr. of the U.S.",
                "The end.",
                "Next line"
            ]
        );
    }

    #[test]
    fn question_and_exclamation() {
        assert_eq!(
            sentences("Who fired? Nobody knows! Really."),
            ["Who fired?", "Nobody knows!", "Really."]
        );
    }
}
