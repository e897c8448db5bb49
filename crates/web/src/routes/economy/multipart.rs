//! `multipart/form-data` as a browser sends a file-upload form (RFC 7578), read from a body
//! that the global limit has already bounded. Small on purpose: the import page needs the
//! file, its name and the CSRF field, nothing streamed.

/// One part of the form.
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub data: Vec<u8>,
}

/// Why a body could not be read as a form; said to the user as it is.
#[derive(Debug, PartialEq, Eq)]
pub struct MalformedForm(pub &'static str);

/// The boundary named by a `Content-Type: multipart/form-data; boundary=…` header.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let mime = params.next()?.trim();
    if !mime.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty() && b.len() <= 70)
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Every part of the body, in order.
pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, MalformedForm> {
    let delimiter = format!("--{boundary}").into_bytes();
    // Each part is preceded by CRLF--boundary; the first may open the body without the CRLF.
    let separator = [b"\r\n".as_slice(), &delimiter].concat();
    let start = find(body, &delimiter).ok_or(MalformedForm("the form has no parts"))?;
    let mut rest = &body[start + delimiter.len()..];
    let mut parts = vec![];
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest.strip_prefix(b"\r\n").ok_or(MalformedForm(
            "a part boundary is not followed by a line break",
        ))?;
        let head_end =
            find(rest, b"\r\n\r\n").ok_or(MalformedForm("a part's headers do not end"))?;
        let head = std::str::from_utf8(&rest[..head_end])
            .map_err(|_| MalformedForm("a part's headers are not UTF-8"))?;
        let content = &rest[head_end + 4..];
        let end = find(content, &separator).ok_or(MalformedForm("the form is cut short"))?;
        let (name, filename) = disposition(head)?;
        parts.push(Part {
            name,
            filename,
            data: content[..end].to_vec(),
        });
        rest = &content[end + separator.len()..];
    }
}

/// The `name` and `filename` of a part's `Content-Disposition: form-data; …` header.
fn disposition(head: &str) -> Result<(String, Option<String>), MalformedForm> {
    let line = head
        .split("\r\n")
        .find(|l| {
            l.split(':')
                .next()
                .is_some_and(|h| h.trim().eq_ignore_ascii_case("content-disposition"))
        })
        .ok_or(MalformedForm("a part has no Content-Disposition"))?;
    let value = &line[line.find(':').unwrap_or(0) + 1..];
    let mut name = None;
    let mut filename = None;
    for p in value.split(';').skip(1) {
        let Some((k, v)) = p.split_once('=') else {
            continue;
        };
        // Browsers quote the value and percent-escape a quote inside it.
        let v = v.trim().trim_matches('"').replace("%22", "\"");
        match k.trim().to_ascii_lowercase().as_str() {
            "name" => name = Some(v),
            "filename" => filename = Some(v),
            _ => {}
        }
    }
    Ok((name.ok_or(MalformedForm("a part has no name"))?, filename))
}

/// An upload form as sent: its parts, with the lookups every upload handler needs.
pub struct UploadForm {
    pub parts: Vec<Part>,
}

impl UploadForm {
    /// Read the request of an upload form, or the response refusing it: 415 when it is not
    /// `multipart/form-data`, 400 when the body is malformed.
    pub fn read(
        headers: &axum::http::HeaderMap,
        body: &[u8],
    ) -> Result<UploadForm, Box<axum::response::Response>> {
        use axum::http::{StatusCode, header};
        use axum::response::IntoResponse;
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let Some(b) = boundary(content_type) else {
            return Err(Box::new(
                (
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "the upload form is sent as multipart/form-data",
                )
                    .into_response(),
            ));
        };
        parse(body, &b)
            .map(|parts| UploadForm { parts })
            .map_err(|e| Box::new((StatusCode::BAD_REQUEST, e.0).into_response()))
    }

    pub fn field(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }

    /// A text field, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.field(name)
            .map(|p| String::from_utf8_lossy(&p.data).trim().to_owned())
            .unwrap_or_default()
    }

    /// The chosen file, if one with content was sent.
    pub fn file(&self) -> Option<&Part> {
        self.field("file").filter(|f| !f.data.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_files() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\xe6\x95\xb0.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n1,2\r\n\r\n--XyZ--\r\n";
        let parts = parse(body, "XyZ").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), &parts[0].data[..]),
            ("csrf", &b"abc"[..])
        );
        assert_eq!(parts[1].filename.as_deref(), Some("数.csv"));
        assert_eq!(parts[1].data, b"a,b\r\n1,2\r\n");
    }

    #[test]
    fn refuses_broken_bodies() {
        assert!(parse(b"nothing", "XyZ").is_err());
        assert!(
            parse(
                b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",
                "XyZ"
            )
            .is_err()
        );
        assert!(parse(b"--XyZ\r\nX: y\r\n\r\nv\r\n--XyZ--", "XyZ").is_err());
    }

    #[test]
    fn finds_the_boundary() {
        assert_eq!(
            boundary("multipart/form-data; boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(boundary("application/json"), None);
    }
}
