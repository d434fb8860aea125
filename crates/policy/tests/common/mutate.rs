//! Edits of corpus policies (bytes and JSON tokens) and the alphabet they draw from.

use super::CORPUS;
use proptest::prelude::*;
use proptest::sample::{Index, select};

/// Tokens of the JSON-ish alphabet: structure, the policy grammar's names, numbers (valid and
/// not), comments, whitespace, and strings with escapes and non-ASCII characters.
#[rustfmt::skip]
pub const TOKENS: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "{", "}", "[", "]", ",", ":", "\"Version\"", "\"Statement\"",
    "\"Effect\"", "\"Allow\"", "\"Deny\"", "\"Action\"", "\"NotAction\"", "\"Resource\"",
    "\"NotResource\"", "\"Principal\"", "\"NotPrincipal\"", "\"AWS\"", "\"Service\"", "\"Sid\"",
    "\"Id\"", "\"Condition\"", "\"StringEquals\"", "\"DateLessThan\"", "\"aws:CurrentTime\"",
    "\"*\"", "\"2012-10-17\"", "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/*\"", "\"é\"", "\"€\"",
    "\"\\u00e9\\n\"", "\"\\ud800\"", "0", "-1", "1.5e3", "12", "-", "1.", "true", "false", "null",
    "//", "/*", "*/", "\"", "\\", " ", "  ", "\n", "\t", "\r\n", "\u{0}", "é",
];

/// Literal values: policy-grammar strings (valid and invalid ARNs, actions, principals, dates),
/// strings with escapes, numbers (valid and not), and the other JSON values.
#[rustfmt::skip]
pub const LEAVES: &[&str] = &[
    "\"2012-10-17\"", "\"2008-10-17\"", "\"2012-10-18\"", "\"Allow\"", "\"Deny\"", "\"allow\"",
    "\"*\"", "\"s3:GetObject\"", "\"s3:*\"", "\"s*:Get\"", "\"s3:a:b\"", "\"iam\"", "\"a a:List\"",
    "\"arn:aws:s3:::bucket/*\"", "\"arn:aws:s3::bucket/*\"", "\"arn:aws::x\"",
    "\"arn:aws:iam::123456789012:root\"", "\"arn:aws:iam:us-east-1::x\"", "\"arn:aws:iam:::x\"",
    "\"a:b:c:d:e:f:g\"", "\"arn:aws:sts::111122223333:assumed-role/R/s\"",
    "\"arn:aws:iam::111122223333:saml-provider/Okta\"", "\"arn:aws:iam::*:role/x\"",
    "\"cleanrooms.amazonaws.com\"", "\"accounts.google.com\"", "\"123456789012\"",
    "\"AIDAEXAMPLEEXAMPLE\"", "\"sts:AssumeRole\"", "\"sts:Assume*\"", "\"2020-01-01T00:00:00Z\"",
    "\"2016-12-13t2:00:00.593194+23\"", "\"2020-01-01T10:00:00-05:00\"", "\"2020-13-01\"",
    "\"-292275054\"", "\"99999999999999999999\"", "\"t\"", "\"-\"", "\"z\"", "\"10.0.0.0/8\"",
    "\"${aws:username}\"", "\"Sid1\"", "\"Sid-1\"", "\"\"", "\"é€😀\"", "\"\\u00e9\\n\\\"\"",
    "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"\\x\"", "\"open", "1", "-1", "0", "1.50", "1e400", "-",
    "1.", "01", "true", "false", "null", "{}", "[]",
];

/// One edit of a corpus policy.
#[derive(Debug, Clone)]
pub enum Mutation {
    DeleteByte(Index),
    InsertByte(Index, u8),
    ReplaceByte(Index, u8),
    DeleteToken(Index),
    InsertToken(Index, &'static str),
    ReplaceToken(Index, &'static str),
}

/// Bytes worth inserting: structure, escapes, digits, and bytes that break UTF-8.
const BYTES: &[u8] =
    b"{}[],:\"\\/*-+.0123456789eEtfn \n\r\t\x00\x1f\x7f\x80\xbf\xc3\xa9\xe2\xf0\xff";

fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![select(BYTES), any::<u8>()]
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::DeleteByte),
        (any::<Index>(), byte()).prop_map(|(i, b)| Mutation::InsertByte(i, b)),
        (any::<Index>(), byte()).prop_map(|(i, b)| Mutation::ReplaceByte(i, b)),
        any::<Index>().prop_map(Mutation::DeleteToken),
        (any::<Index>(), select(TOKENS)).prop_map(|(i, t)| Mutation::InsertToken(i, t)),
        (any::<Index>(), select(LEAVES)).prop_map(|(i, t)| Mutation::ReplaceToken(i, t)),
    ]
}

/// Byte ranges of the JSON tokens of `bytes` (strings, runs of whitespace, runs of word
/// characters, single punctuation), for token-level edits.
pub fn tokens(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        i += 1;
        if b == b'"' {
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
        } else if b.is_ascii_whitespace() {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
        } else if !b"{}[],:".contains(&b) {
            while i < bytes.len()
                && !bytes[i].is_ascii_whitespace()
                && !b"{}[],:\"".contains(&bytes[i])
            {
                i += 1;
            }
        }
        out.push(start..i);
    }
    out
}

pub fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len();
    match m {
        Mutation::DeleteByte(at) if len > 0 => {
            bytes.remove(at.index(len));
        }
        Mutation::InsertByte(at, b) => bytes.insert(at.index(len + 1), *b),
        Mutation::ReplaceByte(at, b) if len > 0 => bytes[at.index(len)] = *b,
        Mutation::DeleteToken(at)
        | Mutation::InsertToken(at, _)
        | Mutation::ReplaceToken(at, _) => {
            let toks = tokens(bytes);
            if toks.is_empty() {
                if let Mutation::InsertToken(_, t) | Mutation::ReplaceToken(_, t) = m {
                    bytes.extend_from_slice(t.as_bytes());
                }
                return;
            }
            let r = toks[at.index(toks.len())].clone();
            match m {
                Mutation::DeleteToken(_) => {
                    bytes.drain(r);
                }
                Mutation::InsertToken(_, t) => {
                    bytes.splice(r.start..r.start, t.bytes());
                }
                Mutation::ReplaceToken(_, t) => {
                    bytes.splice(r, t.bytes());
                }
                _ => unreachable!(),
            }
        }
        _ => {}
    }
}

/// A corpus policy with one to six edits.
pub fn mutated_corpus() -> impl Strategy<Value = Vec<u8>> {
    let n = CORPUS.len();
    (0..n, prop::collection::vec(mutation(), 1..7)).prop_map(|(file, edits)| {
        let mut bytes = CORPUS[file].bytes.clone();
        for m in &edits {
            apply(&mut bytes, m);
        }
        bytes
    })
}
