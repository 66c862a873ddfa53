//! The text fields of a small request body, whatever its encoding: seed
//! 002's pages send `application/x-www-form-urlencoded`, `sendBeacon` with
//! `FormData` sends `multipart/form-data` (read with `multer`), scripts
//! send JSON objects. Anything else is read as a URL-encoded form.

use std::collections::HashMap;
use std::convert::Infallible;

use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use serde_json::Value;

/// Why a body's fields could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A JSON body that is not an object of strings.
    #[error("expected a JSON object of strings")]
    Json,
    /// A malformed URL-encoded form.
    #[error("malformed form data")]
    Form,
    /// A malformed multipart form.
    #[error("malformed multipart form data: {0}")]
    Multipart(String),
}

/// The body's encoding, from its `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Encoding {
    Json,
    Multipart(String),
    UrlEncoded,
}

fn encoding(headers: &HeaderMap) -> Encoding {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        Encoding::Json
    } else if essence == "multipart/form-data" {
        match multer::parse_boundary(content_type) {
            Ok(boundary) => Encoding::Multipart(boundary),
            Err(_) => Encoding::UrlEncoded,
        }
    } else {
        Encoding::UrlEncoded
    }
}

/// Whether the body is a form (URL-encoded or multipart) by its type.
pub fn is_form(headers: &HeaderMap) -> bool {
    let declared = headers.contains_key(header::CONTENT_TYPE);
    declared && encoding(headers) != Encoding::Json
}

/// The body's text fields (the first value of each name).
pub async fn fields(
    headers: &HeaderMap,
    body: Bytes,
) -> Result<HashMap<String, String>, FormError> {
    match encoding(headers) {
        Encoding::Json => {
            let Value::Object(object) =
                serde_json::from_slice(&body).map_err(|_| FormError::Json)?
            else {
                return Err(FormError::Json);
            };
            let mut fields = HashMap::new();
            for (name, value) in object {
                match value {
                    Value::String(text) => {
                        fields.insert(name, text);
                    }
                    Value::Null => {}
                    _ => return Err(FormError::Json),
                }
            }
            Ok(fields)
        }
        Encoding::UrlEncoded => {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&body).map_err(|_| FormError::Form)?;
            let mut fields = HashMap::new();
            for (name, value) in pairs {
                fields.entry(name).or_insert(value);
            }
            Ok(fields)
        }
        Encoding::Multipart(boundary) => multipart(body, boundary).await,
    }
}

async fn multipart(body: Bytes, boundary: String) -> Result<HashMap<String, String>, FormError> {
    let stream = futures::stream::once(async move { Ok::<_, Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut fields = HashMap::new();
    let broken = |err: multer::Error| FormError::Multipart(err.to_string());
    while let Some(field) = form.next_field().await.map_err(broken)? {
        // Files are not fields of ours.
        if field.file_name().is_some() {
            continue;
        }
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        let text = field.text().await.map_err(broken)?;
        fields.entry(name).or_insert(text);
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn typed(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).unwrap(),
        );
        headers
    }

    #[tokio::test]
    async fn url_encoded_json_and_multipart_bodies_give_the_same_fields() {
        let form = typed("application/x-www-form-urlencoded; charset=UTF-8");
        let got = fields(
            &form,
            Bytes::from("session_id=a%2Bb&_METHOD=DELETE&session_id=x"),
        )
        .await
        .unwrap();
        assert_eq!(got["session_id"], "a+b");
        assert_eq!(got["_METHOD"], "DELETE");
        let json = typed("application/json");
        let got = fields(&json, Bytes::from(r#"{"session_id":"a+b","x":null}"#))
            .await
            .unwrap();
        assert_eq!((got["session_id"].as_str(), got.len()), ("a+b", 1));
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"_METHOD\"\r\n\r\nDELETE\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\n\
                    data\r\n--XyZ--\r\n";
        let got = fields(
            &typed("multipart/form-data; boundary=XyZ"),
            Bytes::from(body),
        )
        .await
        .unwrap();
        assert_eq!(
            got.into_iter().collect::<Vec<_>>(),
            [("_METHOD".into(), "DELETE".into())]
        );
    }

    #[tokio::test]
    async fn malformed_bodies_are_refused() {
        let json = typed("application/json");
        for body in ["[1]", "{\"a\": 1}", "{"] {
            assert_eq!(fields(&json, Bytes::from(body)).await, Err(FormError::Json));
        }
        let multipart = typed("multipart/form-data; boundary=XyZ");
        let refused = fields(&multipart, Bytes::from("--nope")).await;
        assert!(
            matches!(refused, Err(FormError::Multipart(_))),
            "{refused:?}"
        );
        assert!(is_form(&multipart) && is_form(&typed("text/plain")));
        assert!(!is_form(&json) && !is_form(&HeaderMap::new()));
    }
}
