use super::*;
use crate::request::{Context, Principal, Request};

fn req() -> Request {
    let p = Principal::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap();
    let ctx = Context::new().with("aws:PrincipalTag/team", "yellow");
    Request::with_context(p, "s3:GetObject", "*", None, ctx)
}

fn m(pat: &str, mode: Mode, text: &str) -> bool {
    Pattern::new(pat, mode, true)
        .matches(text, &req())
        .is_match()
}

#[test]
fn resource_wildcards_from_the_user_guide() {
    // examples.md B1
    let pat = "arn:aws:s3:::amzn-s3-demo-bucket/*/test/*";
    for (suffix, ok) in [
        ("amzn-s3-demo-bucket/1/test/object.jpg", true),
        ("amzn-s3-demo-bucket/1/2/test/object.jpg", true),
        ("amzn-s3-demo-bucket/1/2/test/3/object.jpg", true),
        ("amzn-s3-demo-bucket/1/2/3/test/4/object.jpg", true),
        ("amzn-s3-demo-bucket/1///test///object.jpg", true),
        ("amzn-s3-demo-bucket/1/test/.jpg", true),
        ("amzn-s3-demo-bucket//test/object.jpg", true),
        ("amzn-s3-demo-bucket/1/test/", true),
        ("amzn-s3-demo-bucket/1-test/object.jpg", false),
        ("amzn-s3-demo-bucket/test/object.jpg", false),
        ("amzn-s3-demo-bucket/1/2/test.jpg", false),
    ] {
        let text = format!("arn:aws:s3:::{suffix}");
        assert_eq!(m(pat, Mode::ResourceElement, &text), ok, "{text}");
    }
}

#[test]
fn arn_like_and_string_like_differ() {
    // examples.md B2
    let pat = "arn:aws:someservice:*:111122223333:finance/*";
    let v =
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
    assert!(m(pat, Mode::Plain, v));
    assert!(!m(pat, Mode::ArnComponents, v));
    assert!(m(
        pat,
        Mode::ArnComponents,
        "arn:aws:someservice:us-east-2:111122223333:finance/x"
    ));
}

#[test]
fn a_star_ending_a_segment_crosses_colons_in_resources() {
    assert!(m(
        "arn:aws:s3:*",
        Mode::ResourceElement,
        "arn:aws:s3:::bucket"
    ));
    assert!(m(
        "arn:aws:logs:us-east-1:*:log-group:x",
        Mode::ResourceElement,
        "arn:aws:logs:us-east-1:111122223333:log-group:x"
    ));
    // A star inside a segment does not cross.
    assert!(!m(
        "arn:aws:s*3:::b",
        Mode::ResourceElement,
        "arn:aws:s:x3:::b"
    ));
    assert!(!m(
        "arn:aws:iam::1?1122223333:user/x",
        Mode::ResourceElement,
        "arn:aws:iam::1:1122223333:user/x"
    ));
}

#[test]
fn variables_are_literal_and_unresolved_ones_match_nothing() {
    let r = req();
    let p = Pattern::new(
        "arn:aws:s3:::b-${aws:PrincipalTag/team, 'company-wide'}",
        Mode::ResourceElement,
        true,
    );
    assert!(p.matches("arn:aws:s3:::b-yellow", &r).is_match());
    let p = Pattern::new(
        "arn:aws:s3:::b-${aws:PrincipalTag/dept, 'company-wide'}",
        Mode::ResourceElement,
        true,
    );
    assert!(p.matches("arn:aws:s3:::b-company-wide", &r).is_match());
    let p = Pattern::new(
        "arn:aws:s3:::b-${aws:PrincipalTag/dept}",
        Mode::ResourceElement,
        true,
    );
    assert_eq!(
        p.matches("arn:aws:s3:::b-", &r),
        MatchResult::Unresolved("aws:principaltag/dept".into())
    );
    let p = Pattern::new("home/${aws:username}/${*}", Mode::Plain, true);
    assert!(p.matches("home/Bob/*", &r).is_match());
    assert!(!p.matches("home/Bob/x", &r).is_match());
    // Without variables enabled, the text is literal.
    let p = Pattern::new(
        "arn:aws:iam::1:user/${aws:username}",
        Mode::ResourceElement,
        false,
    );
    assert!(
        p.matches("arn:aws:iam::1:user/${aws:username}", &r)
            .is_match()
    );
    // Variables are not recognised before the resource part.
    let p = Pattern::new("arn:aws:s3:${aws:username}::b", Mode::ResourceElement, true);
    assert!(!p.has_variables());
}

#[test]
fn actions_fold_case() {
    let r = req();
    let p = Pattern::action("IAM:*AccessKey*");
    assert!(p.matches("iam:listaccesskeys", &r).is_match());
    assert!(!p.matches("iam:getuser", &r).is_match());
}

#[test]
fn chunked_globs() {
    for (pat, text, ok) in [
        (
            "arn:aws:iam::*:role/service-role/*cleanrooms*",
            "arn:aws:iam::111122223333:role/service-role/x-cleanrooms-y",
            true,
        ),
        (
            "arn:aws:iam::*:role/service-role/*cleanrooms*",
            "arn:aws:iam::111122223333:role/cleanrooms",
            false,
        ),
        ("a*b*b", "abb", true),
        ("a*b*b", "ab", false),
        ("*ab*ab*", "abab", true),
        ("*ab*ab*", "aab", false),
        ("x*", "x", true),
        ("*x", "", false),
    ] {
        assert_eq!(m(pat, Mode::Plain, text), ok, "{pat} {text}");
    }
}

/// Every word over `alphabet` of at most `max` characters.
fn words(alphabet: &[char], max: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..max {
        last = last
            .iter()
            .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
            .collect();
        out.extend(last.iter().cloned());
    }
    out
}

/// The literal prefilter never turns away a text the token matcher accepts (it is a
/// necessary condition only), and the segment matcher for ASCII text and the literal
/// forms (exact, prefix, chunks) answer as the NFA does: exhaustively over short patterns and texts with colons, repeated letters
/// and a two-byte character. The prefilter does turn some texts away.
#[test]
fn the_prefilter_never_rejects_a_match() {
    let r = req();
    let texts = words(&['a', ':', 'é'], 4);
    let mut rejected = 0;
    let mut checked = 0;
    for pat in words(&['a', 'é', ':', '*', '?'], 4) {
        for mode in [Mode::Plain, Mode::ResourceElement, Mode::ArnComponents] {
            let p = Pattern::new(&pat, mode, false);
            let Fast::Tokens { toks, required, .. } = &p.fast else {
                // The literal forms, built from the bytes, answer as the NFA does.
                if mode != Mode::ArnComponents {
                    let toks = text_tokens(&pat, mode);
                    for text in &texts {
                        let got = p.matches(text, &r).is_match();
                        assert_eq!(got, run(&toks, text), "{pat:?} {mode:?} {text:?}");
                    }
                }
                continue;
            };
            for text in &texts {
                checked += 1;
                let admitted = required.admits(&p.text, text);
                let nfa = run(toks, text);
                let got = p.matches(text, &r).is_match();
                assert_eq!(got, nfa, "{pat:?} {mode:?} {text:?}: fast form vs NFA");
                if nfa {
                    assert!(admitted, "{pat:?} {mode:?} {text:?}: {required:?}");
                } else if !admitted {
                    rejected += 1;
                }
            }
        }
    }
    assert!(
        checked > 100_000 && rejected > checked / 4,
        "{checked} {rejected}"
    );
}

#[test]
fn the_prefilter_requires_literal_ends_and_runs_in_order() {
    let p = Pattern::new("ab?*cd*é?f", Mode::Plain, false);
    let Fast::Tokens { required, .. } = &p.fast else {
        panic!("not the token form: {p:?}")
    };
    let text = &*p.text;
    assert_eq!(slice(text, (0, required.prefix)), b"ab");
    assert_eq!(&text[required.suffix as usize..], "f");
    let middles: Vec<&[u8]> = required.middles.iter().map(|&r| slice(text, r)).collect();
    assert_eq!(middles, [b"cd".as_slice(), "é".as_bytes()]);
    assert_eq!(required.min_len, 2 + 1 + 2 + 2 + 1 + 1);
    assert!(required.admits(text, "abxcdyéxf"));
    assert!(!required.admits(text, "abxéycdxf"), "runs out of order");
    assert!(!required.admits(text, "abcdéf"), "too short for the two ?");
}

#[test]
fn long_patterns_use_the_vector_nfa() {
    let pat = format!("{}*", "a?".repeat(80));
    let text = format!("{}zzz", "ab".repeat(80));
    assert!(m(&pat, Mode::Plain, &text));
    assert!(!m(&pat, Mode::Plain, "ab"));
}

/// A pattern with variables matches as the NFA over its substituted tokens does (the
/// per-request path takes the segment matcher for ASCII text when no star stays in a
/// segment): exhaustively over short patterns with a variable at every place, values that
/// hold wildcards and colons (literal once substituted), and texts with a two-byte character.
/// Resource patterns take variables only in the resource part: they and their texts start
/// with an ARN's first five fields, with and without wildcards (one staying in its segment).
#[test]
fn templated_patterns_match_as_the_nfa_over_their_tokens() {
    let texts = words(&['a', ':', 'é', '*'], 3);
    let mut checked = 0;
    let mut matched = 0;
    for value in ["", "a", ":", "*", "é", "a*", ":a?"] {
        let p = Principal::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap();
        let ctx = Context::new().with("aws:PrincipalTag/v", value);
        let r = Request::with_context(p, "s3:GetObject", "*", None, ctx);
        for written in words(&['a', ':', '*', '?'], 3) {
            for at in 0..=written.len() {
                let pat = format!(
                    "{}${{aws:PrincipalTag/v}}{}",
                    &written[..at],
                    &written[at..]
                );
                let forms = [
                    (Mode::Plain, ""),
                    (Mode::ArnComponents, ""),
                    (Mode::ResourceElement, "arn:aws:s3:::"),
                    (Mode::ResourceElement, "arn:*s:s?:*::"),
                ];
                for (mode, fields) in forms {
                    let pat = format!("{fields}{pat}");
                    let p = Pattern::new(&pat, mode, true);
                    assert!(p.has_variables(), "{pat:?} {mode:?}");
                    let toks = tokens(&p.pieces, mode, &[value]);
                    if !value.contains(['*', '?']) {
                        // Without wildcards in the value, the tokens are those of the text
                        // with the value written in (the lookahead and colon count run on).
                        let written = pat.replace("${aws:PrincipalTag/v}", value);
                        assert_eq!(toks, text_tokens(&written, mode), "{pat:?} {value:?}");
                    }
                    for text in &texts {
                        let text = match mode {
                            Mode::ResourceElement => format!("arn:aws:s3:::{text}"),
                            _ => text.clone(),
                        };
                        let got = p.matches(&text, &r).is_match();
                        assert_eq!(
                            got,
                            run(&toks, &text),
                            "{pat:?} {mode:?} {value:?} {text:?}"
                        );
                        checked += 1;
                        matched += usize::from(got);
                    }
                }
            }
        }
    }
    assert!(checked > 100_000 && matched > 1_000, "{checked} {matched}");
}
