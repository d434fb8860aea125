//! The canonical printer.
//!
//! Canonical means: elements in a fixed order (`Version`, `Id`, `Statement`; in a statement
//! `Sid`, `Effect`, `Principal`, `Action`, `Resource`, `Condition`), two-space indentation
//! (or none, in compact form), JSON escapes only where JSON requires them, numbers as
//! written, and each element in the form its author chose (a bare string stays a bare
//! string), so that `parse(print(p)) == p` for every policy the parser accepts.
//!
//! The printer writes into a [`Sink`]: the text, or only the count of its characters
//! ([`compact_policy_size`]: a size quota checked without building the text), through the
//! same code, so the count is the text's by construction.

use crate::PolicyKind;
use crate::ast::*;

/// Print a policy with two-space indentation.
pub fn print(policy: &Policy) -> String {
    let mut p = Printer {
        out: String::with_capacity(1024),
        pretty: true,
        depth: 0,
    };
    p.policy(policy);
    p.out
}

/// Print a policy on one line with no insignificant whitespace (what size quotas count).
pub fn print_compact(policy: &Policy) -> String {
    let mut p = Printer {
        out: String::with_capacity(512),
        pretty: false,
        depth: 0,
    };
    p.policy(policy);
    p.out
}

/// The size of the compact text of `policy` as the size quota of `kind` counts it, and that
/// quota: `policy_size(&print_compact(policy), kind)`, worked out without building the text
/// (a generator checks the quota of every policy it makes).
pub fn compact_policy_size(policy: &Policy, kind: PolicyKind) -> (usize, usize) {
    let mut p = Printer {
        out: CharCount::default(),
        pretty: false,
        depth: 0,
    };
    p.policy(policy);
    let limit = crate::validate::quota_limit(kind);
    if p.out.plain_numbers {
        // The compact text has no whitespace outside its strings (only structure, strings,
        // plain numbers and booleans), so with or without whitespace every character counts.
        (p.out.chars, limit)
    } else {
        // A number written with other characters (whitespace, say): the quota's own count.
        crate::policy_size(&print_compact(policy), kind)
    }
}

/// Where printed text goes.
trait Sink {
    /// Append one character.
    fn push(&mut self, c: char);
    /// Append `s` as it is.
    fn push_str(&mut self, s: &str);
    /// Append a number as written.
    fn number(&mut self, n: &str) {
        self.push_str(n);
    }
    /// Append the `\uXXXX` escape of the control byte `b`.
    fn control(&mut self, b: u8);
    /// Room for about `n` more bytes.
    fn reserve(&mut self, _n: usize) {}
}

impl Sink for String {
    fn push(&mut self, c: char) {
        String::push(self, c);
    }

    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }

    fn control(&mut self, b: u8) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let escape = [
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ];
        // Six ASCII bytes.
        String::push_str(self, std::str::from_utf8(&escape).unwrap_or_default());
    }

    fn reserve(&mut self, n: usize) {
        String::reserve(self, n);
    }
}

/// The characters a text would hold, without the text.
struct CharCount {
    chars: usize,
    /// Whether every number was plain (digits, sign, point, exponent): then none holds
    /// whitespace or a quote, which a quota that skips whitespace would count differently.
    plain_numbers: bool,
}

impl Sink for CharCount {
    fn push(&mut self, _c: char) {
        self.chars += 1;
    }

    fn push_str(&mut self, s: &str) {
        self.chars += s.chars().count();
    }

    fn number(&mut self, n: &str) {
        let plain = n
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
        self.plain_numbers &= plain;
        self.push_str(n);
    }

    fn control(&mut self, _b: u8) {
        self.chars += 6;
    }
}

impl Default for CharCount {
    fn default() -> CharCount {
        CharCount {
            chars: 0,
            plain_numbers: true,
        }
    }
}

/// The first byte at or after `from` that a JSON string must escape (`"`, `\\`, a control
/// character or DEL), eight bytes at a time: most strings have none.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    use crate::words::{may_hold, may_hold_control, words};
    let needs = |b: u8| b == b'"' || b == b'\\' || b < 0x20 || b == 0x7f;
    let (whole, rest) = words(&bytes[from..]);
    let mut at = from;
    for w in whole {
        // Every test, without branching between them: most words hold none.
        let hit = may_hold_control(w) | may_hold(w, b'"') | may_hold(w, b'\\') | may_hold(w, 0x7f);
        if hit && let Some(i) = w.to_ne_bytes().into_iter().position(needs) {
            return Some(at + i);
        }
        at += 8;
    }
    rest.iter().position(|&b| needs(b)).map(|i| at + i)
}

struct Printer<S: Sink> {
    out: S,
    pretty: bool,
    depth: usize,
}

/// Writes the members of one JSON object, handling commas and indentation.
struct Obj {
    first: bool,
}

impl<S: Sink> Printer<S> {
    fn newline(&mut self) {
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str("  ");
            }
        }
    }

    fn open(&mut self, c: char) -> Obj {
        self.out.push(c);
        self.depth += 1;
        Obj { first: true }
    }

    fn close(&mut self, obj: Obj, c: char) {
        self.depth -= 1;
        if !obj.first {
            self.newline();
        }
        self.out.push(c);
    }

    fn item(&mut self, obj: &mut Obj) {
        if !obj.first {
            self.out.push(',');
        }
        obj.first = false;
        self.newline();
    }

    fn key(&mut self, obj: &mut Obj, key: &str) {
        self.item(obj);
        self.string(key);
        self.out.push(':');
        if self.pretty {
            self.out.push(' ');
        }
    }

    fn string(&mut self, s: &str) {
        self.out.reserve(s.len() + 2);
        self.out.push('"');
        // Runs without a character to escape are copied whole; every such character is
        // ASCII, so the runs end on character boundaries.
        let bytes = s.as_bytes();
        let mut run = 0;
        while let Some(at) = next_escape(bytes, run) {
            self.out.push_str(&s[run..at]);
            match bytes[at] {
                b'"' => self.out.push_str("\\\""),
                b'\\' => self.out.push_str("\\\\"),
                b'\n' => self.out.push_str("\\n"),
                b'\r' => self.out.push_str("\\r"),
                b'\t' => self.out.push_str("\\t"),
                b => self.out.control(b),
            }
            run = at + 1;
        }
        self.out.push_str(&s[run..]);
        self.out.push('"');
    }

    fn policy(&mut self, p: &Policy) {
        let mut obj = self.open('{');
        if let Some(v) = &p.version {
            self.key(&mut obj, "Version");
            self.string(v.value.as_str());
        }
        if let Some(id) = &p.id {
            self.key(&mut obj, "Id");
            self.string(&id.value);
        }
        match p.statement_form {
            Some(Form::Single) if p.statements.len() == 1 => {
                self.key(&mut obj, "Statement");
                self.statement(&p.statements[0].value);
            }
            Some(_) => {
                self.key(&mut obj, "Statement");
                let mut arr = self.open('[');
                for s in &p.statements {
                    self.item(&mut arr);
                    self.statement(&s.value);
                }
                self.close(arr, ']');
            }
            None if !p.statements.is_empty() => {
                self.key(&mut obj, "Statement");
                let mut arr = self.open('[');
                for s in &p.statements {
                    self.item(&mut arr);
                    self.statement(&s.value);
                }
                self.close(arr, ']');
            }
            None => {}
        }
        self.close(obj, '}');
    }

    fn statement(&mut self, s: &Statement) {
        let mut obj = self.open('{');
        if let Some(sid) = &s.sid {
            self.key(&mut obj, "Sid");
            self.string(&sid.value);
        }
        if let Some(e) = &s.effect {
            self.key(&mut obj, "Effect");
            self.string(e.value.as_str());
        }
        if let Some(p) = &s.principal {
            let name = if p.value.negated {
                "NotPrincipal"
            } else {
                "Principal"
            };
            self.key(&mut obj, name);
            match &p.value.value {
                PrincipalValue::Wildcard => self.string("*"),
                PrincipalValue::Map(entries) => {
                    let mut m = self.open('{');
                    for e in entries {
                        self.key(&mut m, e.kind.value.as_str());
                        self.values(&e.values);
                    }
                    self.close(m, '}');
                }
            }
        }
        if let Some(a) = &s.action {
            let name = if a.value.negated {
                "NotAction"
            } else {
                "Action"
            };
            self.key(&mut obj, name);
            self.values(&a.value.values);
        }
        if let Some(r) = &s.resource {
            let name = if r.value.negated {
                "NotResource"
            } else {
                "Resource"
            };
            self.key(&mut obj, name);
            self.values(&r.value.values);
        }
        if let Some(c) = &s.condition {
            self.key(&mut obj, "Condition");
            let mut ops = self.open('{');
            for op in &c.value.operators {
                self.key(&mut ops, &op.operator.value.text());
                let mut keys = self.open('{');
                for k in &op.keys {
                    self.key(&mut keys, &k.key.value);
                    self.condition_values(&k.values.value);
                }
                self.close(keys, '}');
            }
            self.close(ops, '}');
        }
        self.close(obj, '}');
    }

    fn values(&mut self, v: &Values) {
        match (v.form, v.items.as_slice()) {
            (Form::Single, [one]) => self.string(&one.value),
            _ => {
                let mut arr = self.open('[');
                for item in &v.items {
                    self.item(&mut arr);
                    self.string(&item.value);
                }
                self.close(arr, ']');
            }
        }
    }

    fn condition_values(&mut self, v: &ConditionValues) {
        match (v.form, v.items.as_slice()) {
            (Form::Single, [one]) => self.condition_value(&one.value),
            _ => {
                let mut arr = self.open('[');
                for item in &v.items {
                    self.item(&mut arr);
                    self.condition_value(&item.value);
                }
                self.close(arr, ']');
            }
        }
    }

    fn condition_value(&mut self, v: &ConditionValue) {
        match v {
            ConditionValue::String(s) => self.string(s),
            ConditionValue::Number(n) => self.out.number(n),
            ConditionValue::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;
    use crate::{Spanned, parse, policy_size};

    /// The escaper as JSON states it, one byte at a time.
    fn escaped_byte_by_byte(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 || c == '\u{7f}' => {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// Strings with every ASCII byte, and a few non-ASCII characters, at every place in and
    /// around an eight-byte word.
    fn strings() -> Vec<String> {
        let mut out = vec![String::new(), "plain text of some length".to_string()];
        let specials: Vec<char> = (0u8..0x80)
            .map(char::from)
            .chain(['é', 'ÿ', '€', '😀', '\u{85}'])
            .collect();
        for c in specials {
            for before in 0..10 {
                for after in [0, 1, 7, 8, 9] {
                    out.push(format!("{}{c}{}", "a".repeat(before), "b".repeat(after)));
                }
            }
            out.push(format!("{c}{c}x{c}{c}{c}{c}{c}{c}{c}{c}"));
        }
        out
    }

    #[test]
    fn strings_are_escaped_as_json_requires() {
        for s in strings() {
            let mut p = Printer {
                out: String::new(),
                pretty: false,
                depth: 0,
            };
            p.string(&s);
            assert_eq!(p.out, escaped_byte_by_byte(&s), "{s:?}");
            let mut n = Printer {
                out: CharCount::default(),
                pretty: false,
                depth: 0,
            };
            n.string(&s);
            assert_eq!(n.out.chars, p.out.chars().count(), "{s:?}");
        }
    }

    fn policy_with(value: ConditionValue, sid: &str) -> Policy {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"1"}}},{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;
        let mut p = parse(text).unwrap();
        p.statements[0].value.sid = Some(Spanned::synthetic(sid.to_string()));
        let condition = p.statements[0].value.condition.as_mut().unwrap();
        condition.value.operators[0].keys[0].values.value.items[0].value = value;
        p
    }

    #[test]
    fn the_compact_size_is_the_printed_texts_for_every_kind() {
        let mut policies = Vec::new();
        for s in strings() {
            policies.push(policy_with(ConditionValue::String(s.clone()), &s));
        }
        for n in ["10", "-1.5e+3", "1 ", " 2", "\"3\"", "4\t", "5\u{a0}"] {
            policies.push(policy_with(ConditionValue::Number(n.to_string()), "N"));
        }
        policies.push(policy_with(ConditionValue::Bool(true), "B"));
        let mut fallbacks = 0;
        for p in &policies {
            let compact = print_compact(p);
            for kind in PolicyKind::ALL {
                assert_eq!(
                    compact_policy_size(p, kind),
                    policy_size(&compact, kind),
                    "{kind:?} {compact}"
                );
            }
            let mut n = Printer {
                out: CharCount::default(),
                pretty: false,
                depth: 0,
            };
            n.policy(p);
            fallbacks += usize::from(!n.out.plain_numbers);
        }
        // Numbers with whitespace or a quote were counted by the quota's own rule.
        assert_eq!(fallbacks, 5);
    }
}
