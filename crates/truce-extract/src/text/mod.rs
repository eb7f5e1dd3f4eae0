//! Text segmentation: words and sentences of news English, with char offsets.

mod sentence;
mod token;
mod word_set;

pub use sentence::{Sentence, split_sentences};
pub use token::{Shape, Tokens, tokenize};
pub use word_set::WordSet;
