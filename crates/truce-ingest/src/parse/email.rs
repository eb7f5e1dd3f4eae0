//! E-mail messages (`.eml`): field reports often arrive by mail.
//!
//! Read by `mail-parser` (headers, RFC 2047 words, nested multiparts, quoted-printable and base64,
//! every charset `encoding_rs` knows): the first inline text body (an HTML one read as the page
//! reader reads pages), its subject, message id and date. Attachments are not read: the message
//! is kept whole as its raw bytes.

use mail_parser::{MessageParser, PartType};
use truce_model::ContentHash;

use super::{ParsedReport, html_to_text, tidy_text};
use crate::ReadError;

/// Reads an e-mail message from its bytes as received.
pub(super) fn parse(message: &[u8], raw_hash: ContentHash) -> Result<ParsedReport, ReadError> {
    let parsed = MessageParser::default()
        .parse(message)
        .ok_or(ReadError::NoText("e-mail message"))?;
    let body = parsed
        .text_bodies()
        .chain(parsed.html_bodies())
        .find_map(|part| match &part.body {
            PartType::Text(text) => Some(text.to_string()),
            PartType::Html(html) => Some(html_to_text(html)),
            _ => None,
        })
        .unwrap_or_default();
    let text = tidy_text(&body);
    if text.is_empty() {
        return Err(ReadError::NoText("e-mail message"));
    }
    Ok(ParsedReport {
        part: None,
        content_hash: raw_hash,
        external_id: parsed
            .message_id()
            .map(|id| id.trim_matches(['<', '>', ' ']).to_string()),
        title: parsed
            .subject()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        url: None,
        published: parsed.date().and_then(|d| {
            chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(eml: &[u8]) -> ParsedReport {
        parse(eml, ContentHash::of(eml)).unwrap()
    }

    #[test]
    fn plain_message() {
        let eml = b"From: monitor@field.example\r\nSubject: Daily note:\r\n shelling in Jisr\r\nDate: Tue, 03 Mar 2026 18:00:00 +0200\r\nMessage-ID: <abc@field.example>\r\n\r\nMortar fire hit Jisr al-Shughur at noon.\r\n";
        let r = read(eml);
        assert_eq!(r.title.as_deref(), Some("Daily note: shelling in Jisr"));
        assert_eq!(r.text, "Mortar fire hit Jisr al-Shughur at noon.");
        assert_eq!(r.external_id.as_deref(), Some("abc@field.example"));
        assert_eq!(r.published, chrono::NaiveDate::from_ymd_opt(2026, 3, 3));
    }

    #[test]
    fn multipart_quoted_printable_and_base64() {
        let eml = b"From: a@b\nSubject: s\nContent-Type: multipart/alternative; boundary=\"XX\"\n\n--XX\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nCaf=C3=A9 hit =\nnear the square.\n--XX\nContent-Type: text/html\n\n<p>ignored</p>\n--XX--\n";
        assert_eq!(read(eml).text, "Café hit near the square.");
        let b64 = b"From: a@b\nSubject: s\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nU2hlbGxpbmcgaW4gSG9tcy4=\n";
        assert_eq!(read(b64).text, "Shelling in Homs.");
    }

    #[test]
    fn nested_multipart_with_an_attachment_reads_the_text() {
        let eml = b"From: a@b\nSubject: =?UTF-8?B?2YLYtdmBINit2YTYqA==?=\nContent-Type: multipart/mixed; boundary=\"OUT\"\n\n--OUT\nContent-Type: multipart/alternative; boundary=\"IN\"\n\n--IN\nContent-Type: text/html; charset=utf-8\n\n<p>Shells fell on <b>Ariha</b> at dawn.</p>\n--IN--\n--OUT\nContent-Type: application/pdf; name=\"report.pdf\"\nContent-Disposition: attachment; filename=\"report.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--OUT--\n";
        let r = read(eml);
        assert_eq!(r.text, "Shells fell on Ariha at dawn.");
        // The subject's RFC 2047 word decoded: "Shelling of Aleppo" in Arabic.
        assert_eq!(r.title.as_deref(), Some("قصف حلب"));
    }

    #[test]
    fn a_charset_other_than_utf8_is_decoded() {
        // "Alep" in Windows-1256 Arabic bytes: حلب.
        let mut eml = b"From: a@b\nSubject: s\nContent-Type: text/plain; charset=windows-1256\n\nShelling in ".to_vec();
        eml.extend_from_slice(&[0xcd, 0xe1, 0xc8]);
        eml.extend_from_slice(b".\n");
        assert_eq!(read(&eml).text, "Shelling in حلب.");
        let latin = b"From: a@b\nSubject: s\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nCaf=E9 hit.\n";
        assert_eq!(read(latin).text, "Café hit.");
    }

    #[test]
    fn a_message_without_text_is_refused() {
        for eml in [
            &b"From: a@b\nSubject: s\n\n"[..],
            b"From: a@b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n",
            b"",
        ] {
            assert!(parse(eml, ContentHash::of(eml)).is_err(), "{eml:?}");
        }
    }
}
