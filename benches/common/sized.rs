//! Policies of a chosen size, for the size-scaling families of the parse benches: the same
//! statement shape repeated with distinct Sids, actions, resources and condition values, so
//! that every per-statement check (Sid uniqueness included) has real work at every size.

/// An identity policy of about `bytes` bytes (pretty-printed like AWS prints policies).
pub fn identity_policy(bytes: usize) -> String {
    let mut statements = Vec::new();
    let mut len = 0;
    let mut i = 0usize;
    while len < bytes {
        let st = format!(
            r#"    {{
      "Sid": "Stmt{i}",
      "Effect": "{effect}",
      "Action": ["cleanrooms:Get*", "cleanrooms:ListMembers{i}", "glue:GetTable"],
      "Resource": "arn:aws:cleanrooms:us-east-1:111122223333:membership/m-{i}/*",
      "Condition": {{"StringEquals": {{"aws:RequestedRegion": ["us-east-1", "eu-west-{i}"]}}}}
    }}"#,
            effect = if i % 7 == 3 { "Deny" } else { "Allow" },
        );
        len += st.len() + 2;
        statements.push(st);
        i += 1;
    }
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n",
        statements.join(",\n")
    )
}

/// The sizes of the scaling family: 5 KB to 500 KB, ×10 per step (AWS's own limits stop at
/// 6,144 characters for a managed policy; larger texts are what a fuzzer or a generator
/// feeds the parser, and what must not go superlinear).
pub const SIZES: [(&str, usize); 3] = [("5KB", 5_000), ("50KB", 50_000), ("500KB", 500_000)];

/// Every managed policy in `corpus/policies/managed/`, by file stem, in name order.
pub fn managed_policies() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/policies/managed");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("managed policies in corpus")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p
                .file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&p).expect("managed policy readable"))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no managed policies in {dir}");
    out
}
