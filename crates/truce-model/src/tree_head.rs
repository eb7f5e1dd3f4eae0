//! Signed tree heads: the audit log's size and Merkle root at a moment, signed with the
//! installation's Ed25519 key (kept in a file apart from the database), as Certificate
//! Transparency logs publish theirs. A head printed in a daily report or on the public page is
//! a promise anyone can hold the log to later: `truce audit verify --against HEAD`.
//!
//! The text form is one line:
//!
//! ```text
//! truce-tree-head v1 size=42 root=<64 hex> at=2026-03-04T10:00:00Z key=<16 hex> sig=<128 hex>
//! ```

use std::fmt;

use ring::rand::SystemRandom;
use ring::signature::{self, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use sha2::{Digest, Sha256};

use crate::merkle::{Hash32, from_hex, to_hex};

/// The log's size and root at a moment, unsigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeHead {
    /// How many entries.
    pub size: u64,
    /// The Merkle root over them.
    pub root: Hash32,
    /// When (RFC 3339, UTC).
    pub at: String,
}

impl TreeHead {
    /// The bytes the signature covers.
    fn message(&self) -> Vec<u8> {
        format!(
            "truce-tree-head v1\nsize={}\nroot={}\nat={}\n",
            self.size,
            to_hex(&self.root),
            self.at
        )
        .into_bytes()
    }
}

/// A head with its signature and the id of the key that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedTreeHead {
    /// The head.
    pub head: TreeHead,
    /// The first 8 bytes of SHA-256 of the public key, hex.
    pub key_id: String,
    /// The Ed25519 signature over the head.
    pub signature: Vec<u8>,
}

/// Why a head could not be read or does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeadError {
    /// The text is not a head.
    #[error("not a tree head: {0}")]
    Malformed(String),
    /// Another key signed it.
    #[error("signed by key {found}, not by this installation's key {expected}")]
    OtherKey {
        /// The key that signed it.
        found: String,
        /// This installation's key.
        expected: String,
    },
    /// The signature does not match the head.
    #[error("the signature does not match: the head was altered or forged")]
    BadSignature,
    /// The key file cannot be used.
    #[error("the signing key is not an Ed25519 PKCS#8 key: {0}")]
    BadKey(String),
}

impl fmt::Display for SignedTreeHead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "truce-tree-head v1 size={} root={} at={} key={} sig={}",
            self.head.size,
            to_hex(&self.head.root),
            self.head.at,
            self.key_id,
            hex::encode(&self.signature)
        )
    }
}

impl std::str::FromStr for SignedTreeHead {
    type Err = HeadError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| HeadError::Malformed(why.to_string());
        let mut words = s.split_whitespace();
        if words.next() != Some("truce-tree-head") || words.next() != Some("v1") {
            return Err(bad("it does not start with `truce-tree-head v1`"));
        }
        let (mut size, mut root, mut at, mut key, mut sig) = (None, None, None, None, None);
        for w in words {
            let (k, v) = w
                .split_once('=')
                .ok_or_else(|| bad(&format!("{w:?} is not key=value")))?;
            match k {
                "size" => size = v.parse::<u64>().ok(),
                "root" => root = from_hex(v),
                "at" => at = Some(v.to_string()),
                "key" => key = Some(v.to_string()),
                "sig" => sig = hex::decode(v).ok(),
                _ => return Err(bad(&format!("unknown field {k:?}"))),
            }
        }
        Ok(Self {
            head: TreeHead {
                size: size.ok_or_else(|| bad("size is missing or not a number"))?,
                root: root.ok_or_else(|| bad("root is missing or not 64 hex digits"))?,
                at: at.ok_or_else(|| bad("at is missing"))?,
            },
            key_id: key.ok_or_else(|| bad("key is missing"))?,
            signature: sig.ok_or_else(|| bad("sig is missing or not hex"))?,
        })
    }
}

/// An installation's signing key.
pub struct SigningKey {
    pair: Ed25519KeyPair,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({})", self.key_id())
    }
}

impl SigningKey {
    /// A new key, as PKCS#8 bytes to keep in a file (the only copy of the secret).
    pub fn generate() -> Result<Vec<u8>, HeadError> {
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map(|d| d.as_ref().to_vec())
            .map_err(|_| HeadError::BadKey("the system's random source failed".into()))
    }

    /// The key in PKCS#8 bytes.
    pub fn from_pkcs8(bytes: &[u8]) -> Result<Self, HeadError> {
        Ed25519KeyPair::from_pkcs8(bytes)
            .map(|pair| Self { pair })
            .map_err(|e| HeadError::BadKey(e.to_string()))
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.pair.public_key().as_ref().to_vec())
    }

    /// The key's id.
    pub fn key_id(&self) -> String {
        self.public().key_id()
    }

    /// Signs a head.
    pub fn sign(&self, head: TreeHead) -> SignedTreeHead {
        let signature = self.pair.sign(&head.message()).as_ref().to_vec();
        SignedTreeHead {
            key_id: self.key_id(),
            signature,
            head,
        }
    }
}

/// An Ed25519 public key (32 bytes), which checks heads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(pub Vec<u8>);

impl PublicKey {
    /// The key's id: the first 8 bytes of its SHA-256, hex.
    pub fn key_id(&self) -> String {
        hex::encode(&Sha256::digest(&self.0)[..8])
    }

    /// The key as hex.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }

    /// A key from hex.
    pub fn from_hex(s: &str) -> Option<Self> {
        hex::decode(s.trim())
            .ok()
            .filter(|b| b.len() == 32)
            .map(Self)
    }

    /// Checks that this key signed the head as it reads.
    pub fn verify(&self, sth: &SignedTreeHead) -> Result<(), HeadError> {
        if sth.key_id != self.key_id() {
            return Err(HeadError::OtherKey {
                found: sth.key_id.clone(),
                expected: self.key_id(),
            });
        }
        UnparsedPublicKey::new(&signature::ED25519, &self.0)
            .verify(&sth.head.message(), &sth.signature)
            .map_err(|_| HeadError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(size: u64) -> TreeHead {
        TreeHead {
            size,
            root: [7; 32],
            at: "2026-03-04T10:00:00Z".into(),
        }
    }

    #[test]
    fn a_signed_head_round_trips_through_its_line_and_verifies() {
        let key = SigningKey::from_pkcs8(&SigningKey::generate().unwrap()).unwrap();
        let sth = key.sign(head(42));
        let line = sth.to_string();
        let back: SignedTreeHead = line.parse().unwrap();
        assert_eq!(back, sth);
        key.public().verify(&back).unwrap();
        let public = PublicKey::from_hex(&key.public().to_hex()).unwrap();
        public.verify(&back).unwrap();
    }

    #[test]
    fn an_altered_or_foreign_head_is_refused() {
        let key = SigningKey::from_pkcs8(&SigningKey::generate().unwrap()).unwrap();
        let other = SigningKey::from_pkcs8(&SigningKey::generate().unwrap()).unwrap();
        let mut sth = key.sign(head(42));
        sth.head.size = 41;
        assert_eq!(key.public().verify(&sth), Err(HeadError::BadSignature));
        let foreign = other.sign(head(42));
        assert!(matches!(
            key.public().verify(&foreign),
            Err(HeadError::OtherKey { .. })
        ));
        for bad in [
            "",
            "truce-tree-head v2",
            "truce-tree-head v1 size=x",
            "hello",
        ] {
            assert!(bad.parse::<SignedTreeHead>().is_err(), "{bad}");
        }
        assert!(SigningKey::from_pkcs8(b"not a key").is_err());
    }
}
