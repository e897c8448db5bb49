//! `ApiJson<T>`: the JSON body extractor of the API. Unlike axum's own, every refusal is our
//! JSON error naming the problem: wrong content type (415), body too large (413), malformed
//! JSON (400 with line and column), or a field of the wrong shape (422 naming the field).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if mime != "application/json" {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("Content-Type must be application/json, not {content_type:?}"),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    format!(
                        "request body is larger than {} bytes",
                        crate::MAX_BODY_BYTES
                    ),
                )
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "unreadable", e.body_text())
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        use serde_json::error::Category;
        match inner.classify() {
            Category::Data => {
                let field = if path == "." { "body".to_owned() } else { path };
                ApiError::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    &field,
                    inner.to_string(),
                )
            }
            _ => ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("malformed JSON: {inner}"),
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct P {
        name: String,
        age: u8,
    }

    #[test]
    fn names_the_field_of_the_wrong_type() {
        let e = parse::<P>(br#"{"name":"a","age":"x"}"#).unwrap_err();
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.fields[0].field, "age");
    }

    #[test]
    fn names_a_missing_field() {
        let e = parse::<P>(br#"{"name":"a"}"#).unwrap_err();
        assert!(e.message.contains("missing field `age`"), "{}", e.message);
    }

    #[test]
    fn malformed_json_is_400() {
        let e = parse::<P>(b"{\"name\":").unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.code, "malformed_json");
    }
}
