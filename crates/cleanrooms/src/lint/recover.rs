//! Reading on past the first syntax error, so that one run reports every defect.
//!
//! Two situations from the seed documents need it:
//!
//! - A `//` comment in a policy printed on one line (seed 002) runs to the end of the line and
//!   so swallows the rest of the document: the policy crate (rightly) reports the comment and
//!   then "the text ends inside a JSON value", and has no policy to lint. The author meant the
//!   comment to end where the JSON resumes. [`blank_runaway_comments`] blanks each `//`
//!   comment only up to the next member name (`"Name":`), keeping every byte offset, so the
//!   rest of the policy can still be linted at its true positions.
//! - Fragments copied with the closing `] }` of their template (seed 000) have several
//!   unbalanced closers after the document; the policy crate reports the first.
//!   [`stray_closers`] finds the others.

/// `text` with every `//` comment that is followed, on its line, by a member name blanked
/// up to that name; `None` when there is no such comment.
pub(crate) fn blank_runaway_comments(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut changed = false;
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let line_end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                if let Some(resume) = member_name_start(&text[i..line_end]) {
                    for byte in out.iter_mut().take(i + resume).skip(i) {
                        // Spaces keep offsets; multi-byte characters become several spaces,
                        // which is still valid UTF-8.
                        *byte = b' ';
                    }
                    changed = true;
                    i += resume;
                    continue;
                }
                i = line_end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if !changed {
        return None;
    }
    String::from_utf8(out).ok()
}

/// Offset in `comment` of the first `"name":` (a JSON member name), if any.
fn member_name_start(comment: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(q) = comment[from..].find('"') {
        let start = from + q;
        let after = &comment[start + 1..];
        let close = after.find('"')?;
        let tail = after[close + 1..].trim_start();
        if tail.starts_with(':') {
            return Some(start);
        }
        from = start + 1 + close + 1;
    }
    None
}

/// Byte offsets of the `]` and `}` characters after `from` (the first unexpected character
/// after the end of the document), when the rest of the text is only closers and whitespace.
pub(crate) fn stray_closers(text: &str, from: usize) -> Vec<(usize, char)> {
    let Some(rest) = text.get(from..) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (i, c) in rest.char_indices() {
        match c {
            ']' | '}' => found.push((from + i, c)),
            c if c.is_whitespace() => {}
            // Other text: not a copied template tail, nothing more to say.
            _ => return Vec::new(),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runaway_comment_is_blanked_up_to_the_next_member() {
        let text = r#"{ "a": 1, // note "b": 2 }"#;
        let fixed = blank_runaway_comments(text).unwrap();
        assert_eq!(fixed.len(), text.len());
        assert_eq!(fixed, r#"{ "a": 1,         "b": 2 }"#);
        assert!(blank_runaway_comments("{ \"a\": 1 // end\n}").is_none());
        assert!(blank_runaway_comments(r#"{ "u": "http://x", "b": 1 }"#).is_none());
    }

    #[test]
    fn closers_after_the_document() {
        assert_eq!(stray_closers("{} ]\n }", 3), vec![(3, ']'), (6, '}')]);
        assert!(stray_closers("{} ] x", 3).is_empty());
    }
}
