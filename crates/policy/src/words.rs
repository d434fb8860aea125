//! Byte tests eight bytes at a time, for the scans that read every byte of a policy and
//! rarely find what they look for (the document-pattern check, the printer's escapes). Each
//! test may also flag a byte that does not hold (one after a byte that does, or a non-ASCII
//! byte's neighbour), never miss one: a flagged word is then looked at byte by byte.

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);

/// `bytes` as words, and the bytes after the last whole word.
pub(crate) fn words(bytes: &[u8]) -> (impl Iterator<Item = u64> + '_, &[u8]) {
    let (words, rest) = bytes.as_chunks::<8>();
    (words.iter().map(|w| u64::from_ne_bytes(*w)), rest)
}

/// Whether some byte of `w` has its high bit set (is not ASCII).
pub(crate) fn any_non_ascii(w: u64) -> bool {
    w & HIGH != 0
}

/// Whether some byte of `w` may be below `0x20` (a control character). `w - 0x20` per byte
/// borrows into the high bit of a byte below; `!w` keeps bytes at or above `0x80` out.
pub(crate) fn may_hold_control(w: u64) -> bool {
    w.wrapping_sub(0x20 * ONES) & !w & HIGH != 0
}

/// Whether some byte of `w` may be `b` (the "has a zero byte" test on `w ^ b…b`).
pub(crate) fn may_hold(w: u64, b: u8) -> bool {
    let x = w ^ (u64::from(b) * ONES);
    x.wrapping_sub(ONES) & !x & HIGH != 0
}
