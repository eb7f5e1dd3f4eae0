//! The audit log as a Merkle tree, as Certificate Transparency keeps its logs (RFC 6962): the
//! tree's root over the first `n` entries is a 32-byte fingerprint of the whole log up to `n`.
//! A root published once (in a daily report, on the public page, signed) pins the log: if an
//! entry before `n` is later edited, removed or rewritten, even with every hash recomputed, the
//! root over the first `n` entries no longer matches; if entries are cut from the end, the log
//! is shorter than `n`.
//!
//! Leaves are the entries' chain hashes ([`crate::AuditEntry::hash`]), which cover every field
//! of the entry and the entry before it.

use sha2::{Digest, Sha256};

/// A 32-byte hash.
pub type Hash32 = [u8; 32];

/// The hash of a leaf: SHA-256 over `0x00` and the leaf's bytes (RFC 6962 §2.1).
pub fn leaf_hash(data: &[u8]) -> Hash32 {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// The hash of an inner node: SHA-256 over `0x01`, the left and the right child.
pub fn node_hash(left: &Hash32, right: &Hash32) -> Hash32 {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash32 {
    Sha256::digest([]).into()
}

/// Builds roots leaf by leaf, in memory logarithmic in the number of leaves; the root of the
/// first `n` leaves is available after the `n`-th push, so one pass over a log checks it against
/// heads of every size.
#[derive(Debug, Clone, Default)]
pub struct TreeBuilder {
    /// Roots of complete subtrees, largest first; `stack[i]` covers `2^levels[i]` leaves.
    stack: Vec<(u32, Hash32)>,
    size: u64,
}

impl TreeBuilder {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a leaf (its data; the leaf hash is taken here).
    pub fn push(&mut self, data: &[u8]) {
        let mut node = (0u32, leaf_hash(data));
        while let Some(&(level, left)) = self.stack.last() {
            if level != node.0 {
                break;
            }
            self.stack.pop();
            node = (level + 1, node_hash(&left, &node.1));
        }
        self.stack.push(node);
        self.size += 1;
    }

    /// How many leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root over every leaf pushed (RFC 6962's MTH: complete subtrees folded from the
    /// right).
    pub fn root(&self) -> Hash32 {
        let mut iter = self.stack.iter().rev();
        let Some(&(_, mut acc)) = iter.next() else {
            return empty_root();
        };
        for (_, left) in iter {
            acc = node_hash(left, &acc);
        }
        acc
    }
}

/// The root over leaves, by the definition (for tests and small logs).
pub fn root_of(leaves: &[&[u8]]) -> Hash32 {
    match leaves.len() {
        0 => empty_root(),
        1 => leaf_hash(leaves[0]),
        n => {
            let k = largest_power_of_two_below(n);
            node_hash(&root_of(&leaves[..k]), &root_of(&leaves[k..]))
        }
    }
}

/// The largest power of two strictly below `n` (`n` ≥ 2).
fn largest_power_of_two_below(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// Lower-case hex of a hash.
pub fn to_hex(h: &Hash32) -> String {
    hex::encode(h)
}

/// A hash from hex.
pub fn from_hex(s: &str) -> Option<Hash32> {
    hex::decode(s.trim()).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_incremental_root_is_the_definitions_at_every_size() {
        let data: Vec<Vec<u8>> = (0..70u32).map(|i| i.to_be_bytes().to_vec()).collect();
        let mut b = TreeBuilder::new();
        assert_eq!(b.root(), empty_root());
        for n in 1..=data.len() {
            b.push(&data[n - 1]);
            let leaves: Vec<&[u8]> = data[..n].iter().map(Vec::as_slice).collect();
            assert_eq!(b.root(), root_of(&leaves), "size {n}");
            assert_eq!(b.size(), n as u64);
        }
    }

    #[test]
    fn the_rfc_6962_split_is_the_largest_power_of_two_below() {
        assert_eq!(largest_power_of_two_below(2), 1);
        assert_eq!(largest_power_of_two_below(3), 2);
        assert_eq!(largest_power_of_two_below(4), 2);
        assert_eq!(largest_power_of_two_below(5), 4);
        assert_eq!(largest_power_of_two_below(9), 8);
        // Three leaves: (ab)c.
        let (a, b, c): (&[u8], &[u8], &[u8]) = (b"a", b"b", b"c");
        assert_eq!(
            root_of(&[a, b, c]),
            node_hash(&node_hash(&leaf_hash(a), &leaf_hash(b)), &leaf_hash(c))
        );
    }

    #[test]
    fn any_change_before_a_size_changes_the_root_at_that_size() {
        let data: Vec<Vec<u8>> = (0..9u32).map(|i| i.to_be_bytes().to_vec()).collect();
        let leaves: Vec<&[u8]> = data.iter().map(Vec::as_slice).collect();
        let root = root_of(&leaves);
        for i in 0..leaves.len() {
            let mut changed = leaves.clone();
            changed[i] = b"edited";
            assert_ne!(root_of(&changed), root, "leaf {i}");
        }
        assert_eq!(from_hex(&to_hex(&root)), Some(root));
        assert_eq!(from_hex("zz"), None);
    }
}
