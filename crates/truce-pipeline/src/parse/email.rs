//! E-mail messages (`.eml`): field reports often arrive by mail.
//!
//! Reads the headers (folded lines joined, RFC 2047 words left as they are), the first
//! `text/plain` part (else `text/html`) of a multipart body, and undoes quoted-printable and
//! base64 transfer encodings.

use encoding_rs::Encoding;
use truce_model::ContentHash;

use super::{ParsedReport, html_to_text, tidy_text};
use crate::ReadError;
use crate::published::parse_date;

/// Reads an e-mail message.
pub(super) fn parse(message: &str, raw_hash: ContentHash) -> Result<ParsedReport, ReadError> {
    let (headers, body) = split_message(message);
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let text = body_text(&headers, body, 0);
    let text = tidy_text(&text);
    if text.is_empty() {
        return Err(ReadError::NoText("e-mail message"));
    }
    Ok(ParsedReport {
        part: None,
        content_hash: raw_hash,
        external_id: header("message-id").map(|id| id.trim_matches(['<', '>', ' ']).to_string()),
        title: header("subject").filter(|s| !s.is_empty()),
        url: None,
        published: header("date").as_deref().and_then(parse_date),
        text,
    })
}

type Headers = Vec<(String, String)>;

fn split_message(message: &str) -> (Headers, &str) {
    let mut headers: Headers = Vec::new();
    let mut offset = 0;
    for line in message.split_inclusive('\n') {
        offset += line.len();
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            return (headers, &message[offset..]);
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    (headers, "")
}

fn param(value: &str, key: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn body_text(headers: &Headers, body: &str, depth: usize) -> String {
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let content_type = get("content-type").unwrap_or("text/plain");
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media.starts_with("multipart/") && depth < 5 {
        let Some(boundary) = param(content_type, "boundary") else {
            return String::new();
        };
        let delimiter = format!("--{boundary}");
        let parts: Vec<(Headers, &str)> = body
            .split(delimiter.as_str())
            .skip(1)
            .take_while(|p| !p.starts_with("--"))
            .map(|p| split_message(p.trim_start_matches(['\r', '\n'])))
            .collect();
        let pick = |want: &str| {
            parts.iter().find(|(h, _)| {
                let ct = h
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                    .map_or("text/plain", |(_, v)| v.as_str());
                ct.to_ascii_lowercase().starts_with(want)
            })
        };
        return pick("text/plain")
            .or_else(|| pick("text/html"))
            .or_else(|| pick("multipart/"))
            .map(|(h, b)| body_text(h, b, depth + 1))
            .unwrap_or_default();
    }
    if !media.starts_with("text/") {
        return String::new();
    }
    let encoding = get("content-transfer-encoding")
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "quoted-printable" => decode_quoted_printable(body),
        "base64" => decode_base64(body),
        _ => body.as_bytes().to_vec(),
    };
    let charset = param(content_type, "charset")
        .and_then(|c| Encoding::for_label(c.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _) = charset.decode_without_bom_handling(&bytes);
    if media == "text/html" {
        html_to_text(&text)
    } else {
        text.into_owned()
    }
}

fn decode_quoted_printable(body: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let rest = &bytes[i + 1..];
            if rest.starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if rest.starts_with(b"\n") {
                i += 2;
                continue;
            }
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(&h), Some(&l)) = (rest.first(), rest.get(1))
                && let (Some(h), Some(l)) = (hex(h), hex(l))
            {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn decode_base64(body: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.bytes() {
        if c == b'=' {
            break;
        }
        let Some(v) = value(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_message() {
        let eml = "From: monitor@field.example\r\nSubject: Daily note:\r\n shelling in Jisr\r\nDate: Tue, 03 Mar 2026 18:00:00 +0200\r\nMessage-ID: <abc@field.example>\r\n\r\nMortar fire hit Jisr al-Shughur at noon.\r\n";
        let r = parse(eml, ContentHash::of(eml.as_bytes())).unwrap();
        assert_eq!(r.title.as_deref(), Some("Daily note: shelling in Jisr"));
        assert_eq!(r.text, "Mortar fire hit Jisr al-Shughur at noon.");
        assert_eq!(r.external_id.as_deref(), Some("abc@field.example"));
        assert_eq!(r.published, chrono::NaiveDate::from_ymd_opt(2026, 3, 3));
    }

    #[test]
    fn multipart_quoted_printable_and_base64() {
        let eml = "From: a@b\nSubject: s\nContent-Type: multipart/alternative; boundary=\"XX\"\n\n--XX\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nCaf=C3=A9 hit =\nnear the square.\n--XX\nContent-Type: text/html\n\n<p>ignored</p>\n--XX--\n";
        assert_eq!(
            parse(eml, ContentHash::of(b"x")).unwrap().text,
            "Café hit near the square."
        );
        let b64 = "From: a@b\nSubject: s\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nU2hlbGxpbmcgaW4gSG9tcy4=\n";
        assert_eq!(
            parse(b64, ContentHash::of(b"y")).unwrap().text,
            "Shelling in Homs."
        );
    }
}
