//! Verifiable lots (жеребьёвка): the documented saylau-lot-v1 algorithm.
//!
//! Used for ties in seat allocation, ballot order (art. 37) and drawing commission
//! members. Anyone can recompute a draw from its published seed with a few lines of code
//! in any language; `docs/lot.md` is the specification and carries the test vectors that
//! the tests below check.
//!
//! Written by hand, not with `rand`: the draw must be a published, frozen algorithm, and
//! `rand`'s generators and distributions are free to change between versions.
//!
//! * Stream: block `i` (from 0) is `SHA-256("saylau-lot-v1" ‖ be64(len(seed)) ‖ seed ‖
//!   be64(i))`; each block yields four big-endian `u64` words in order.
//! * Uniform integer below `n`: take the next word `x`; accept it when
//!   `x < 2^64 - (2^64 mod n)` and return `x mod n`; otherwise take the next word.
//! * Draw order of `n` items: start from `0..n`; for `t` in `0..n`, swap item `t` with item
//!   `t + below(n - t)`. The first `k` items are the first `k` drawn.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The domain tag hashed before every seed, naming the algorithm and its version.
pub const LOT_ALGORITHM: &str = "saylau-lot-v1";

/// A published lot seed: any text (a date and the numbers of a public lottery, a hash).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct LotSeed(String);

impl LotSeed {
    /// Wraps the seed text.
    pub fn new(seed: &str) -> LotSeed {
        LotSeed(seed.to_owned())
    }

    /// The seed text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A seed for one use of the lot, derived from this one: `"{seed}/{context}"`.
    pub fn derive(&self, context: &str) -> LotSeed {
        LotSeed(format!("{}/{}", self.0, context))
    }

    /// A seed made from the SHA-256 of some canonical bytes, as 64 hex digits.
    pub fn from_content(bytes: &[u8]) -> LotSeed {
        let digest = Sha256::digest(bytes);
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push(char::from_digit(u32::from(byte >> 4), 16).expect("a nibble is a hex digit"));
            hex.push(char::from_digit(u32::from(byte & 15), 16).expect("a nibble is a hex digit"));
        }
        LotSeed(hex)
    }
}

impl std::fmt::Display for LotSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The stream of uniform words of one seed.
#[derive(Debug, Clone)]
pub struct LotStream {
    prefix: Sha256,
    counter: u64,
    block: [u8; 32],
    word_idx: usize,
}

impl LotStream {
    /// The stream of `seed`, at its start.
    pub fn new(seed: &LotSeed) -> LotStream {
        let mut prefix = Sha256::new();
        prefix.update(LOT_ALGORITHM.as_bytes());
        let seed_len = u64::try_from(seed.0.len()).expect("a seed shorter than 2^64 bytes");
        prefix.update(seed_len.to_be_bytes());
        prefix.update(seed.0.as_bytes());
        LotStream { prefix, counter: 0, block: [0; 32], word_idx: 4 }
    }

    /// The next 64-bit word of the stream.
    pub fn next_word(&mut self) -> u64 {
        if self.word_idx == 4 {
            let mut hasher = self.prefix.clone();
            hasher.update(self.counter.to_be_bytes());
            self.block.copy_from_slice(&hasher.finalize());
            self.counter += 1;
            self.word_idx = 0;
        }
        let start = self.word_idx * 8;
        let mut word = [0u8; 8];
        word.copy_from_slice(&self.block[start..start + 8]);
        self.word_idx += 1;
        u64::from_be_bytes(word)
    }

    /// A uniform integer in `0..n` by rejection sampling; `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "a lot among zero items");
        // 2^64 mod n, computed without overflowing u64.
        let rejected = (u64::MAX % n + 1) % n;
        loop {
            let word = self.next_word();
            if rejected == 0 || word < u64::MAX - rejected + 1 {
                return word % n;
            }
        }
    }
}

/// The draw order of `n_items` items under `seed`: element 0 is drawn first.
pub fn draw_order(seed: &LotSeed, n_items: usize) -> Vec<usize> {
    let mut stream = LotStream::new(seed);
    let mut order: Vec<usize> = (0..n_items).collect();
    for position in 0..n_items {
        let left = u64::try_from(n_items - position).expect("fewer than 2^64 items");
        let offset = usize::try_from(stream.below(left)).expect("an offset below the item count");
        order.swap(position, position + offset);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test vectors of docs/lot.md, computed independently with Python's hashlib.
    fn check(seed: &str, n_items: usize, expect: &[usize]) {
        assert_eq!(draw_order(&LotSeed::new(seed), n_items), expect, "seed {seed:?}");
    }

    #[test]
    fn stream_matches_published_words() {
        let mut stream = LotStream::new(&LotSeed::new("saylau"));
        let words: Vec<u64> = (0..5).map(|_| stream.next_word()).collect();
        assert_eq!(words, PUBLISHED_WORDS);
    }

    #[test]
    fn draw_orders_match_published_vectors() {
        for (seed, n_items, expect) in PUBLISHED_DRAWS {
            check(seed, *n_items, expect);
        }
    }

    #[test]
    fn below_one_is_always_zero_and_below_is_in_range() {
        let mut stream = LotStream::new(&LotSeed::new("range"));
        for n in 1..200u64 {
            assert!(stream.below(n) < n);
        }
        assert_eq!(stream.below(1), 0);
    }

    #[test]
    fn draw_order_is_a_permutation() {
        let mut order = draw_order(&LotSeed::new("perm"), 50);
        order.sort_unstable();
        assert_eq!(order, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn content_seed_is_sha256_hex() {
        assert_eq!(
            LotSeed::from_content(b"abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    const PUBLISHED_WORDS: [u64; 5] = [
        13267446727509577409,
        3745676228527683007,
        3857627790695416206,
        17813424877779119206,
        12581780985117259239,
    ];
    const PUBLISHED_DRAWS: &[(&str, usize, &[usize])] = &[
        ("saylau", 10, &[9, 8, 1, 5, 7, 4, 3, 2, 6, 0]),
        ("2021-01-10/mazhilis/ballot-order", 5, &[3, 1, 0, 4, 2]),
        ("kz-2021/tie-1", 2, &[1, 0]),
        ("", 3, &[0, 1, 2]),
        ("Қазақстан", 7, &[0, 4, 6, 1, 5, 3, 2]),
        (
            "commission-draw-2026",
            20,
            &[13, 5, 3, 16, 15, 8, 7, 12, 9, 18, 4, 17, 19, 14, 10, 2, 6, 11, 0, 1],
        ),
    ];

    /// Rejection sampling: with n = 2^63 + 1 almost half the words are rejected.
    #[test]
    fn rejection_matches_published_vector() {
        let mut stream = LotStream::new(&LotSeed::new("reject"));
        let n = (1u64 << 63) + 1;
        let values: Vec<u64> = (0..6).map(|_| stream.below(n)).collect();
        assert_eq!(
            values,
            [
                4422395945647299859,
                6287632412903766182,
                6057347757767389008,
                1071339992822428271,
                2621173730218213099,
                2561279579274321446
            ]
        );
    }
}
