//! AWS Signature Version 4, checked on every request, so that a client tested against the
//! endpoint is known to sign as AWS requires (General Reference, "Create a signed AWS API
//! request": canonical request, string to sign, signing key, signature). The endpoint
//! holds one access key and secret (the test credentials it prints); with `any_key` it
//! accepts any well-formed `AWS4-HMAC-SHA256` authorization without checking it.

use crate::protocol::ApiError;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The credentials the endpoint accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `AWS_ACCESS_KEY_ID`.
    pub access_key_id: String,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret_access_key: String,
    /// Skip the signature check (still require a well-formed SigV4 header).
    pub any_key: bool,
}

impl Default for Credentials {
    /// Dummy test credentials: they open nothing but this endpoint.
    fn default() -> Credentials {
        Credentials {
            access_key_id: "AKIAIAMCRLOCALTEST00".into(),
            secret_access_key: "iamcr-local-simulator-test-secret".into(),
            any_key: false,
        }
    }
}

/// What of a request the signature covers.
#[derive(Debug)]
pub struct Signed<'a> {
    /// `GET`, `POST`.
    pub method: &'a str,
    /// The path as received (percent-encoded).
    pub path: &'a str,
    /// The query string as received, without `?`.
    pub query: &'a str,
    /// Header names (any case) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: &'a [u8],
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data.as_bytes());
            m.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length; this arm cannot be reached.
        Err(_) => Vec::new(),
    }
}

/// RFC 3986 encoding as SigV4 wants it: unreserved characters kept, all else `%XX`.
fn uri_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |x: &str| {
                form_urlencoded::parse(format!("a={x}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            (uri_encode(&dec(k)), uri_encode(&dec(v)))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
struct Authorization {
    key_id: String,
    scope: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn incomplete(message: &str) -> ApiError {
    ApiError::sender(400, "IncompleteSignature", message)
}

fn parse_authorization(value: &str) -> Result<Authorization, ApiError> {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256 ").ok_or_else(|| {
        incomplete("Authorization header requires the AWS4-HMAC-SHA256 algorithm")
    })?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v.to_string()),
            Some(("SignedHeaders", v)) => signed = Some(v.to_string()),
            Some(("Signature", v)) => signature = Some(v.to_string()),
            _ => {}
        }
    }
    let (Some(credential), Some(signed), Some(signature)) = (credential, signed, signature) else {
        return Err(incomplete(
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters",
        ));
    };
    let (key_id, scope) = credential.split_once('/').ok_or_else(|| {
        incomplete("Credential must be ACCESS_KEY/DATE/REGION/SERVICE/aws4_request")
    })?;
    if scope.split('/').count() != 4 || !scope.ends_with("/aws4_request") {
        return Err(incomplete(
            "Credential must be ACCESS_KEY/DATE/REGION/SERVICE/aws4_request",
        ));
    }
    Ok(Authorization {
        key_id: key_id.to_string(),
        scope: scope.to_string(),
        signed_headers: signed.split(';').map(str::to_string).collect(),
        signature,
    })
}

fn header<'a>(r: &'a Signed<'_>, name: &str) -> Vec<&'a str> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The signature a request should carry under `secret`.
fn expected(r: &Signed<'_>, a: &Authorization, amz_date: &str, secret: &str) -> String {
    let canonical_headers: String = a
        .signed_headers
        .iter()
        .map(|h| {
            let values: Vec<String> = header(r, h)
                .iter()
                .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            format!("{h}:{}\n", values.join(","))
        })
        .collect();
    let canonical = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        r.method,
        if r.path.is_empty() { "/" } else { r.path },
        canonical_query(r.query),
        canonical_headers,
        a.signed_headers.join(";"),
        hex(&Sha256::digest(r.body))
    );
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{}\n{}",
        a.scope,
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = format!("AWS4{secret}").into_bytes();
    for part in a.scope.split('/') {
        key = hmac(&key, part);
    }
    hex(&hmac(&key, &to_sign))
}

/// Check a request's signature; the error is what AWS answers.
pub fn verify(r: &Signed<'_>, creds: &Credentials) -> Result<(), ApiError> {
    let auth = header(r, "authorization");
    let Some(value) = auth.first() else {
        return Err(ApiError::sender(
            403,
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
        ));
    };
    let a = parse_authorization(value)?;
    let amz_date = header(r, "x-amz-date")
        .first()
        .map(|s| s.to_string())
        .ok_or_else(|| incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header"))?;
    if !a.signed_headers.iter().any(|h| h == "host") {
        return Err(incomplete("SignedHeaders must include host"));
    }
    if creds.any_key {
        return Ok(());
    }
    if a.key_id != creds.access_key_id {
        return Err(ApiError::sender(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        ));
    }
    let want = expected(r, &a, &amz_date, &creds.secret_access_key);
    if want != a.signature {
        return Err(ApiError::sender(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The General Reference's worked example ("Examples of the complete Signature Version 4
    /// signing process", IAM ListUsers, GET): its key, request and signature.
    #[test]
    fn the_documented_example_signature_verifies() {
        let creds = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            any_key: false,
        };
        let r = Signed {
            method: "GET",
            path: "/",
            query: "Action=ListUsers&Version=2010-05-08",
            headers: vec![
                ("Content-Type".into(), "application/x-www-form-urlencoded; charset=utf-8".into()),
                ("Host".into(), "iam.amazonaws.com".into()),
                ("X-Amz-Date".into(), "20150830T123600Z".into()),
                ("Authorization".into(), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7".into()),
            ],
            body: b"",
        };
        assert_eq!(verify(&r, &creds), Ok(()));
        let mut tampered = r;
        tampered.query = "Action=ListUsers&Version=2010-05-09";
        assert_eq!(
            verify(&tampered, &creds).unwrap_err().code,
            "SignatureDoesNotMatch"
        );
        let other_key = Credentials {
            access_key_id: "AKIDOTHER".into(),
            ..creds.clone()
        };
        assert_eq!(
            verify(&tampered, &other_key).unwrap_err().code,
            "InvalidClientTokenId"
        );
        let any = Credentials {
            any_key: true,
            ..other_key
        };
        assert_eq!(verify(&tampered, &any), Ok(()));
    }

    #[test]
    fn unsigned_and_malformed_requests_are_refused() {
        let creds = Credentials::default();
        let mut r = Signed {
            method: "POST",
            path: "/",
            query: "",
            headers: vec![],
            body: b"Action=GetCallerIdentity",
        };
        assert_eq!(
            verify(&r, &creds).unwrap_err().code,
            "MissingAuthenticationToken"
        );
        r.headers.push((
            "authorization".into(),
            "AWS4-HMAC-SHA256 Credential=x".into(),
        ));
        assert_eq!(verify(&r, &creds).unwrap_err().code, "IncompleteSignature");
    }
}
