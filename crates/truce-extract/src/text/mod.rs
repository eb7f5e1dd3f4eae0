//! Text segmentation: words and sentences of news English, with char offsets.

mod sentence;
mod token;

pub use sentence::{Sentence, split_sentences};
pub use token::{Shape, Tokens, tokenize};
