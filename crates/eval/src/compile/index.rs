//! The statement index of a compiled policy: statement lists by key (a lower-case action, or
//! a service), looked up by the key's [`key_hash`].
//!
//! Laid out flat — one allocation each for the entries, the key text and the lists, however
//! many keys — because building it was a tenth of compiling a realistic policy set when
//! each key had its own `String` and list (issue #19: compile ≤ 40 evaluations).

use crate::request::key_hash;

/// One key: its hash, and where its text is in [`Index::keys`] and its statements in
/// [`Index::lists`] (start and length: a range check on lookup is then one comparison).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    hash: u64,
    key_start: u32,
    key_len: u32,
    list_start: u32,
    list_len: u32,
}

/// Statement indices (sorted, without duplicates) by key, sorted by the key's hash.
#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    // Vectors, not boxed slices: turning one into the other would shrink each allocation
    // to size, a reallocation per part.
    entries: Vec<Entry>,
    keys: String,
    lists: Vec<usize>,
}

/// A `u32` position in an index (a policy has far fewer than 2³² statements and key bytes:
/// the JSON reader caps its input).
fn at(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A key of a statement, with the key's hash: what [`Index::build`] takes.
pub(super) type Keyed<'a> = (u64, &'a str, usize);

/// `key` of statement `statement`, hashed.
pub(super) fn keyed(key: &str, statement: usize) -> Keyed<'_> {
    (key_hash(key), key, statement)
}

impl Index {
    /// The index of `keyed` (from [`keyed`]), each key's statements merged with `every`
    /// (sorted): the statements that apply whatever the key. Each part is allocated once at
    /// its final size.
    pub(super) fn build(mut keyed: Vec<Keyed<'_>>, every: &[usize]) -> Index {
        if keyed.is_empty() {
            return Index::default();
        }
        // By hash, then key (equal hashes with different keys stay apart), then statement.
        keyed.sort_unstable();
        keyed.dedup();
        let same_key = |a: &Keyed<'_>, b: &Keyed<'_>| (a.0, a.1) == (b.0, b.1);
        let (mut key_count, mut key_bytes) = (0, 0);
        for group in keyed.chunk_by(same_key) {
            key_count += 1;
            key_bytes += group[0].1.len();
        }
        let mut entries = Vec::with_capacity(key_count);
        let mut keys = String::with_capacity(key_bytes);
        // At most every statement of each key and all of `every` for each key.
        let mut lists = Vec::with_capacity(keyed.len() + key_count * every.len());
        for group in keyed.chunk_by(same_key) {
            let (hash, key, _) = group[0];
            let (key_start, list_start) = (keys.len(), lists.len());
            keys.push_str(key);
            merge_into(&mut lists, group.iter().map(|g| g.2), every);
            entries.push(Entry {
                hash,
                key_start: at(key_start),
                key_len: at(key.len()),
                list_start: at(list_start),
                list_len: at(lists.len() - list_start),
            });
        }
        Index {
            entries,
            keys,
            lists,
        }
    }

    /// The statements listed for `key`, whose [`key_hash`] is `hash`: one integer search,
    /// then one string comparison.
    #[inline]
    pub(super) fn get(&self, key: &str, hash: u64) -> Option<&[usize]> {
        let start = self.entries.partition_point(|e| e.hash < hash);
        let entry = self
            .entries
            .get(start..)?
            .iter()
            .take_while(|e| e.hash == hash)
            .find(|e| {
                let from = e.key_start as usize;
                e.key_len as usize == key.len()
                    && self.keys.as_bytes().get(from..from + key.len()) == Some(key.as_bytes())
            })?;
        let from = entry.list_start as usize;
        self.lists.get(from..from + entry.list_len as usize)
    }
}

/// Append the sorted union of `a` and `b` (each sorted, without duplicates) to `out`.
fn merge_into(out: &mut Vec<usize>, a: impl Iterator<Item = usize>, b: &[usize]) {
    let mut b = b.iter().copied().peekable();
    for x in a {
        while let Some(y) = b.next_if(|&y| y < x) {
            out.push(y);
        }
        b.next_if_eq(&x);
        out.push(x);
    }
    out.extend(b);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_merge_every_and_keys_stay_apart() {
        let pairs = [("iam", 4), ("s3", 1), ("iam", 2), ("iam", 4), ("s3", 6)];
        let pairs = || pairs.iter().map(|&(k, s)| keyed(k, s)).collect::<Vec<_>>();
        let index = Index::build(pairs(), &[0, 2, 5]);
        assert_eq!(index.get("iam", key_hash("iam")), Some(&[0, 2, 4, 5][..]));
        assert_eq!(index.get("s3", key_hash("s3")), Some(&[0, 1, 2, 5, 6][..]));
        assert_eq!(index.get("sts", key_hash("sts")), None);
        // A key looked up under another key's hash is not found: the text is compared.
        assert_eq!(index.get("sts", key_hash("iam")), None);
        let plain = Index::build(pairs(), &[]);
        assert_eq!(plain.get("iam", key_hash("iam")), Some(&[2, 4][..]));
        assert_eq!(
            Index::build(Vec::new(), &[1]).get("iam", key_hash("iam")),
            None
        );
    }
}
