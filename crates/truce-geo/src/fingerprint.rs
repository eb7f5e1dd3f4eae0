//! A stable fingerprint of data (FNV-1a, 64 bits): the same bytes give the same value on every
//! machine and every build, so an engine's version can say which data it was built from. Not a
//! cryptographic hash: it tells versions apart, it does not resist forgery.

/// An FNV-1a hash being fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    /// Feeds bytes.
    pub fn feed(&mut self, bytes: &[u8]) -> &mut Self {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    /// Feeds a piece of text and a separator, so that `("ab", "c")` and `("a", "bc")` differ.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.feed(text.as_bytes()).feed(&[0xff])
    }

    /// Feeds a number.
    pub fn number(&mut self, n: u64) -> &mut Self {
        self.feed(&n.to_le_bytes())
    }

    /// The value so far.
    pub fn value(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_and_separated_texts() {
        // FNV-1a's published test vector: "a" is 0xaf63dc4c8601ec8c.
        assert_eq!(
            Fingerprint::default().feed(b"a").value(),
            0xaf63_dc4c_8601_ec8c
        );
        let ab_c = *Fingerprint::default().text("ab").text("c");
        let a_bc = *Fingerprint::default().text("a").text("bc");
        assert_ne!(ab_c, a_bc);
    }
}
