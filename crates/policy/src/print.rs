//! The canonical printer.
//!
//! Canonical means: elements in a fixed order (`Version`, `Id`, `Statement`; in a statement
//! `Sid`, `Effect`, `Principal`, `Action`, `Resource`, `Condition`), two-space indentation
//! (or none, in compact form), JSON escapes only where JSON requires them, numbers as
//! written, and each element in the form its author chose (a bare string stays a bare
//! string), so that `parse(print(p)) == p` for every policy the parser accepts.

use crate::ast::*;
use std::fmt::Write;

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

struct Printer {
    out: String,
    pretty: bool,
    depth: usize,
}

/// Writes the members of one JSON object, handling commas and indentation.
struct Obj {
    first: bool,
}

impl Printer {
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
        let mut run = 0;
        for (at, b) in s.bytes().enumerate() {
            let escaped = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                b if b < 0x20 || b == 0x7f => "",
                _ => continue,
            };
            self.out.push_str(&s[run..at]);
            if escaped.is_empty() {
                let _ = write!(self.out, "\\u{:04x}", b);
            } else {
                self.out.push_str(escaped);
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
            ConditionValue::Number(n) => self.out.push_str(n),
            ConditionValue::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
        }
    }
}
